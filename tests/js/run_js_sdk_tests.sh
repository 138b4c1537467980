#!/usr/bin/env bash
# Installs @aws-sdk/client-kinesis (npm, into tests/js/node_modules, git-ignored) when missing, then runs the JS
# SDK v3 tests with node's test runner. Usage: run_js_sdk_tests.sh <kinesis-emulator binary>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -d "$here/node_modules/@aws-sdk/client-kinesis" ]; then
  (cd "$here" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi
KEMU_BINARY="$1" node --test "$here/js_sdk.test.mjs" "$here/js_sdk_tls.test.mjs" "$here/wire_faults.test.mjs"
