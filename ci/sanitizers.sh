#!/usr/bin/env bash
# Builds kinesis-emulator with sanitizers and runs the tests under them.
#
#   ci/sanitizers.sh          # both runs below
#   ci/sanitizers.sh asan     # ASan+UBSan build in build-asan: every gtest unit and the whole integration suite
#   ci/sanitizers.sh tsan     # TSan build in build-tsan: every gtest unit and the concurrency integration tests
#
# Any sanitizer report fails the run: the gtest binaries abort, and an emulator process that reports exits
# nonzero, which the integration suite checks on every shutdown.
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
bash ci/install_deps.sh

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
# ASan keeps freed memory in quarantine (256 MiB), which the hostile-input test's VmRSS bound must allow for.
export KEMU_RSS_BOUND_MIB=${KEMU_RSS_BOUND_MIB:-1024}

build() {  # build DIR SANITIZERS
  cmake -S . -B "$1" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKEMU_BUILD_TESTS=ON -DKEMU_SANITIZE="$2" >/dev/null
  cmake --build "$1" -j"$(nproc)"
}

if [ "$which" = all ] || [ "$which" = asan ]; then
  build build-asan address,undefined
  (cd build-asan && ctest --output-on-failure --timeout 1200 -j2)
fi

if [ "$which" = all ] || [ "$which" = tsan ]; then
  build build-tsan thread
  build-tsan/tests/emulator_unit_tests
  KEMU_BINARY="$PWD/build-tsan/kinesis-emulator" python3 tests/integration/run_all.py -q test_concurrency
fi
