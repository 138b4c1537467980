#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, clang with ASan+UBSan) in build-fuzz and runs each for a while.
#
#   ci/fuzz.sh                # every target for FUZZ_SECONDS (default 60) seconds
#   FUZZ_SECONDS=10 ci/fuzz.sh fuzz_tokens
#
# A crash leaves its input in build-fuzz/fuzz/crashes/<target>/ and fails the run; the corpus grows in
# build-fuzz/fuzz/corpus/<target>/ and is reused by the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(fuzz_endpoint fuzz_wire_decode fuzz_cbor_decode fuzz_event_stream fuzz_http1_request fuzz_tokens fuzz_sigv4
    fuzz_fault_rules); fi
bash ci/install_deps.sh

CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKEMU_BUILD_TESTS=OFF \
  -DKEMU_BUILD_FUZZERS=ON -DKEMU_SANITIZE=address,undefined >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in "${targets[@]}"; do
  corpus=build-fuzz/fuzz/corpus/$t
  crashes=build-fuzz/fuzz/crashes/$t
  mkdir -p "$corpus" "$crashes"
  seeds=tests/fuzz/seeds/$t
  dirs=("$corpus")
  if [ -d "$seeds" ]; then dirs+=("$seeds"); fi
  echo "== $t (${seconds}s)"
  # Inputs up to 1 MiB: long values are where a validator that recurses or copies per character breaks.
  if ! build-fuzz/fuzz/$t -max_total_time="$seconds" -max_len=1048576 -print_final_stats=1 -artifact_prefix="$crashes/" \
      "${dirs[@]}" 2>"build-fuzz/fuzz/$t.log"; then
    status=1
    tail -50 "build-fuzz/fuzz/$t.log"
  fi
  grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "build-fuzz/fuzz/$t.log" | tail -2
done
exit $status
