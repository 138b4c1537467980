#!/usr/bin/env bash
# Installs kinesis-emulator from the build tree into a scratch prefix, then configures, builds and tests
# examples/orders against the installed package with find_package(KinesisEmulator), as a user project would.
# Usage: run_installed_package_test.sh <build dir> <source dir>
set -euo pipefail
build_dir=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
test -x "$work/prefix/bin/kinesis-emulator"
test -f "$work/prefix/lib/cmake/KinesisEmulator/KinesisEmulatorConfig.cmake"
cmake -S "$source_dir/examples/orders" -B "$work/orders" -DCMAKE_PREFIX_PATH="$work/prefix" \
      -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/orders" -j2 >/dev/null
cd "$work/orders"
ctest --output-on-failure
