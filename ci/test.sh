#!/usr/bin/env bash
# The one test command: installs what is missing, builds, and runs every test (gtest units and the
# boto3/AWS CLI integration suite against the real binary) through ctest, then the units under ASan+UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
bash ci/install_deps.sh
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKEMU_BUILD_TESTS=ON >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
(cd "$BUILD_DIR" && ctest --output-on-failure --timeout 900 -j2)

# The gtest units and the in-process fixture tests again under ASan+UBSan (-O1, no debug info, so the extra build
# stays a few minutes). ci/sanitizers.sh runs the whole suite, integration included, under the sanitizers; its build
# is too long for this command. KEMU_CI_SANITIZERS=0 skips this step.
if [ "${KEMU_CI_SANITIZERS:-1}" != 0 ]; then
  ASAN_DIR=${ASAN_DIR:-build-asan-units}
  cmake -S . -B "$ASAN_DIR" -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g0" "-DCMAKE_C_FLAGS_DEBUG=-O1 -g0" \
    -DKEMU_BUILD_TESTS=ON -DKEMU_SANITIZE=address,undefined >/dev/null
  cmake --build "$ASAN_DIR" -j"$(nproc)" --target emulator_unit_tests fixture_tests fixture_environment_tests
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  for t in emulator_unit_tests fixture_tests fixture_environment_tests; do
    echo "== $t under ASan+UBSan"
    "$ASAN_DIR/tests/$t" --gtest_brief=1
  done
fi
