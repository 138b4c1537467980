#!/usr/bin/env bash
# Installs the Debian packages kinesis-emulator needs to build and test.
# Idempotent: prints nothing and touches nothing when everything is already there.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libcpp-httplib-dev nlohmann-json3-dev libsqlite3-dev libssl-dev libgtest-dev
  zlib1g-dev libbrotli-dev libnghttp2-dev nghttp2-client libre2-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The integration tests drive the emulator with boto3 and the AWS CLI.
python_missing=0
python3 -c 'import boto3' 2>/dev/null || python_missing=1
command -v aws >/dev/null 2>&1 || python_missing=1
if [ "$python_missing" = 1 ]; then missing+=(python3-boto3 awscli); fi
# The JS SDK v3 tests (HTTP/2) need Node.js and npm.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
# The web console's browser tests drive Debian's Chromium (tests/console; playwright-core comes from npm there).
[ -x /usr/bin/chromium ] || missing+=(chromium)

if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
echo "ci/install_deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
