#!/usr/bin/env bash
# Installs the Debian packages kinesis-emulator needs to build and test.
# Idempotent: prints nothing and touches nothing when everything is already there.
#   ci/install_deps.sh             # build and test
#   ci/install_deps.sh container   # what ci/container_test.sh needs: podman, buildah, runc, podman-compose,
#                                  # debootstrap (a base image without a registry), binutils (readelf)
set -euo pipefail

if [ "${1:-}" = container ]; then
  packages=(podman buildah runc podman-compose debootstrap binutils)
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # The CI examples' parser; the AWS CLI usually brought it. For the python3 in use, so from pip when it has one.
  if ! python3 -c 'import yaml' 2>/dev/null; then
    python3 -m pip install -q pyyaml 2>/dev/null || missing+=(python3-yaml)
  fi
  if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  echo "ci/install_deps.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi

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

if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
echo "ci/install_deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
