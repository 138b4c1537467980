#!/usr/bin/env bash
# The one test command: installs what is missing, builds, and runs every test (gtest units and the
# boto3/AWS CLI integration suite against the real binary) through ctest, then the units under ASan+UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
ASAN_DIR=${ASAN_DIR:-build-asan-units}
bash ci/install_deps.sh
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKEMU_BUILD_TESTS=ON >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"

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
(cd "$BUILD_DIR" && ctest --output-on-failure --timeout 900 -j2) || ctest_status=$?

if [ -n "$asan_pid" ]; then
  if ! wait "$asan_pid"; then
    echo "ASan+UBSan build failed:" >&2
    tail -40 "$ASAN_DIR/build.log" >&2
    exit 1
  fi
  if [ "$ctest_status" != 0 ]; then exit "$ctest_status"; fi
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  for t in emulator_unit_tests fixture_tests fixture_environment_tests; do
    echo "== $t under ASan+UBSan"
    "$ASAN_DIR/tests/$t" --gtest_brief=1
  done
fi
exit "$ctest_status"
