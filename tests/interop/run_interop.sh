#!/usr/bin/env bash
# Runs one client's interop scenarios against the real kinesis-emulator binary.
#
#   tests/interop/run_interop.sh CLIENT [SCENARIO-PREFIX ...]
#   CLIENT: java-build | kcl3 | kcl2 | kpl | java-sdk-v2 | kclpy | rust | go | all
#
# KEMU_BINARY (default build/kinesis-emulator) is the emulator under test. Each client fetches its pinned
# dependencies into its ordinary cache (~/.m2, pip, ~/.cargo, the Go module cache); the Rust build keeps its
# compiled dependencies in KEMU_CARGO_TARGET_DIR (default ~/.cache/kinesis-emulator/interop-rust-target) so a
# fresh clone does not recompile them. java-build must have run before kcl3/kcl2/kpl/java-sdk-v2 (ctest orders
# it as a fixture). KEMU_INTEROP_SOAK_MINUTES=N adds the KCL soak variant (N minutes per retrieval mode; not
# part of the test command). Output ends with "N passed, N failed" (go test: its own summary).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
export KEMU_BINARY="${KEMU_BINARY:-$ROOT/build/kinesis-emulator}"
# The KPL daemon (AWS SDK for C++) would otherwise ask the EC2 instance metadata service for its region: no
# client here may send anything off this machine.
export AWS_EC2_METADATA_DISABLED=true
export AWS_ACCESS_KEY_ID=AKIAEXAMPLE AWS_SECRET_ACCESS_KEY=secret AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL
[ -x "$KEMU_BINARY" ] || { echo "run_interop.sh: no emulator binary at $KEMU_BINARY" >&2; exit 2; }

client="${1:?usage: run_interop.sh CLIENT [SCENARIO-PREFIX ...]}"
shift || true
JAVA_OPTS=(-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)

java_cp() { # module -> its runtime classpath (written by `mvn package`)
  local m="$HERE/java/$1"
  [ -f "$m/target/classpath.txt" ] || { echo "run_interop.sh: run 'run_interop.sh java-build' first" >&2; exit 2; }
  echo "$m/target/classes:$(cat "$m/target/classpath.txt")"
}

# The client runs in its own process group, so whatever it started goes when this script is stopped. The logs of
# the processes it starts (emulator, moto, workers) go to KEMU_INTEROP_LOGS: removed when it passed, kept (and
# named) when it failed.
run() {
  export KEMU_INTEROP_LOGS
  KEMU_INTEROP_LOGS="$(mktemp -d "${TMPDIR:-/tmp}/kemu-interop-$client.XXXXXX")"
  set -m
  "$@" &
  local pid=$!
  trap 'kill -TERM -- -'"$pid"' 2>/dev/null; wait '"$pid"'; exit 143' TERM INT HUP
  local rc=0
  wait "$pid" || rc=$?
  trap - TERM INT HUP
  kill -KILL -- "-$pid" 2>/dev/null || true
  if [ "$rc" = 0 ]; then
    rm -rf "$KEMU_INTEROP_LOGS"
  else
    echo "run_interop.sh: $client failed; logs of its processes in $KEMU_INTEROP_LOGS" >&2
  fi
  return "$rc"
}

case "$client" in
  java-build)
    cd "$HERE/java"
    # Online on purpose (a fresh machine fetches the pinned artifacts); a warm ~/.m2 makes this a compile only.
    nice mvn -B -q -Dstyle.color=never package
    ;;
  kcl3 | kcl2)
    run java "${JAVA_OPTS[@]}" -cp "$(java_cp "$client")" dev.kemu.interop.kcl.KclScenarios "$@"
    ;;
  kpl)
    export KEMU_KPL_CLASSPATH="$(java_cp kpl)"
    run java "${JAVA_OPTS[@]}" -cp "$(java_cp kcl3)" dev.kemu.interop.kcl.KplScenarios "$@"
    ;;
  java-sdk-v2)
    run java "${JAVA_OPTS[@]}" -Xmx256m -cp "$(java_cp sdkv2)" dev.kemu.interop.sdk.SdkScenarios "$@"
    ;;
  kclpy)
    run python3 "$HERE/kclpy/kemu_kclpy/run_kclpy.py" "$@"
    ;;
  rust)
    cd "$HERE/rust"
    export CARGO_TARGET_DIR="${KEMU_CARGO_TARGET_DIR:-$HOME/.cache/kinesis-emulator/interop-rust-target}"
    nice cargo build --locked -q -j2
    run "$CARGO_TARGET_DIR/debug/kemu-interop-rust"
    ;;
  go)
    cd "$HERE/go"
    run go test -count=1 -v ./...
    ;;
  all)
    for c in java-build kcl3 kcl2 kpl java-sdk-v2 kclpy rust go; do "$0" "$c"; done
    ;;
  *)
    echo "run_interop.sh: unknown client $client" >&2
    exit 2
    ;;
esac
