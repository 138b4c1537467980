#!/usr/bin/env bash
# Installs what is missing, builds, and starts kinesis-emulator on 127.0.0.1:4567 with in-memory storage.
# Extra arguments go to the emulator (see --help), e.g. ci/run.sh --create-streams orders:2
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
bash ci/install_deps.sh
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKEMU_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target kinesis-emulator >/dev/null
exec "$BUILD_DIR/kinesis-emulator" "$@"
