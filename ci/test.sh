#!/usr/bin/env bash
# The one test command: installs what is missing, builds, and runs every test (gtest units and the
# boto3/AWS CLI integration suite against the real binary) through ctest, then the units under ASan+UBSan, and
# the CI container image built and run with podman (ci/container_test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
ASAN_DIR=${ASAN_DIR:-build-asan-units}

# Where the time goes: each phase's wall time, printed at the end (and the slowest ctest entries).
started=$SECONDS
phase_at=$SECONDS
timings=()
phase_done() {
  timings+=("$(printf '%-44s %5d s' "$1" $((SECONDS - phase_at)))")
  phase_at=$SECONDS
}
print_timings() {
  echo "== where the time went"
  printf '  %s\n' "${timings[@]}"
  printf '  %-44s %5d s\n' "total" $((SECONDS - started))
  if [ -f "$BUILD_DIR/ctest.log" ]; then
    echo "  slowest ctest entries (they run two at a time):"
    # awk stops printing rather than head closing the pipe: with pipefail, a SIGPIPE would fail the whole command.
    grep -E 'Test +#[0-9]+: .* sec$' "$BUILD_DIR/ctest.log" | sed -E 's/.*Test +#[0-9]+: ([^ ]+) .* ([0-9.]+) sec$/\2 \1/' |
      sort -rn | awk 'NR <= 12 { printf "    %7.1f s  %s\n", $1, $2 }' || true
  fi
}

bash ci/install_deps.sh
phase_done "install what is missing (ci/install_deps.sh)"

# The container image test needs nothing from the builds below, so it starts first and runs beside them: its
# debootstrap and apt steps mostly wait on the network, its compile runs at low priority (nice 10, as the ASan
# build), mostly while ctest leaves the CPU idle, and its checks are light. Its own session, so that an early exit
# here stops it (its trap removes its containers). KEMU_CI_CONTAINER=0 skips it.
container_pid=""
container_log=$BUILD_DIR/container_test.log
stop_container_test() {
  if [ -n "$container_pid" ]; then kill -TERM -- "-$container_pid" 2>/dev/null || true; fi
}
if [ "${KEMU_CI_CONTAINER:-1}" != 0 ]; then
  mkdir -p "$BUILD_DIR"
  setsid bash ci/container_test.sh >"$container_log" 2>&1 &
  container_pid=$!
  trap stop_container_test EXIT
fi
# -O2 without debug info: the tests need an optimised binary, not line tables, and -g costs a third of the
# compile time (docs/development.md). A crash still names its functions (the binary keeps its symbols).
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -DNDEBUG" \
  -DKEMU_BUILD_TESTS=ON >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
phase_done "build (-O2, no debug info)"

# The gtest units and the in-process fixture tests run a second time under ASan+UBSan, from a lean build (-O1,
# no debug info, only those targets). It compiles at low priority while ctest runs (the integration suite leaves
# most of the CPU idle), so it adds little to the wall time. ci/sanitizers.sh runs the whole suite, integration
# included, under the sanitizers; its full build is too long for this command. KEMU_CI_SANITIZERS=0 skips it.
sanitizers=${KEMU_CI_SANITIZERS:-1}
asan_pid=""
if [ "$sanitizers" != 0 ]; then
  mkdir -p "$ASAN_DIR"
  (
    nice -n 10 cmake -S . -B "$ASAN_DIR" -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g0" \
      -DKEMU_BUILD_TESTS=ON -DKEMU_SANITIZE=address,undefined >/dev/null &&
      nice -n 10 cmake --build "$ASAN_DIR" -j"$(nproc)" --target emulator_unit_tests fixture_tests fixture_environment_tests
  ) >"$ASAN_DIR/build.log" 2>&1 &
  asan_pid=$!
fi

ctest_status=0
(cd "$BUILD_DIR" && ctest --output-on-failure --timeout 900 -j2 | tee ctest.log) || ctest_status=$?
phase_done "ctest: units, integration, interop, console, docs"

if [ -n "$asan_pid" ]; then
  if ! wait "$asan_pid"; then
    echo "ASan+UBSan build failed:" >&2
    tail -40 "$ASAN_DIR/build.log" >&2
    exit 1
  fi
  if [ "$ctest_status" = 0 ]; then
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    for t in emulator_unit_tests fixture_tests fixture_environment_tests; do
      echo "== $t under ASan+UBSan"
      "$ASAN_DIR/tests/$t" --gtest_brief=1 || ctest_status=$?
    done
  fi
  phase_done "ASan+UBSan units (after ctest; built beside it)"
fi

if [ -n "$container_pid" ]; then
  container_status=0
  wait "$container_pid" || container_status=$?
  container_pid=""
  echo "== the container image (ci/container_test.sh; log: $container_log)"
  cat "$container_log"
  phase_done "wait for the container test (started first)"
  if [ "$ctest_status" = 0 ] && [ "$container_status" != 0 ]; then
    print_timings
    exit "$container_status"
  fi
fi
print_timings
exit "$ctest_status"
