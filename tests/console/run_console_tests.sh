#!/usr/bin/env bash
# End-to-end tests of the web console in Debian's headless Chromium, driven by playwright-core (npm, installed
# into tests/console/node_modules, git-ignored, when missing; it never downloads a browser of its own).
# Usage: run_console_tests.sh <kinesis-emulator binary> <artifacts dir (screenshots)>
# Exits 77 (ctest: skipped) with a message when Chromium is missing or cannot start here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
binary=$1
artifacts=${2:-$here/../../build/console-artifacts}
chromium=${KEMU_CHROMIUM:-/usr/bin/chromium}

if [ ! -x "$chromium" ]; then
  echo "SKIPPED: no Chromium at $chromium (ci/install_deps.sh installs Debian's chromium; KEMU_CHROMIUM names another)"
  exit 77
fi
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
if ! timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --disable-quic --user-data-dir="$probe_dir" \
    --dump-dom 'data:text/html,<p>ok</p>' 2>"$probe_dir/err" | grep -q '<p>ok</p>'; then
  echo "SKIPPED: $chromium cannot run headless here:"
  tail -5 "$probe_dir/err"
  exit 77
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi
mkdir -p "$artifacts"
KEMU_BINARY="$binary" KEMU_CONSOLE_ARTIFACTS="$artifacts" KEMU_CHROMIUM="$chromium" \
  node --test --test-concurrency=1 "$here/console.test.mjs"
