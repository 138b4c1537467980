#!/usr/bin/env bash
# Installs what kinesis-emulator needs to build and test: Debian packages, and the Python packages the tests
# use (PyPI). Maven, cargo and Go fetch their own pinned dependencies when the interop suite builds.
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
  clang-format
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The integration tests drive the emulator with boto3 and the AWS CLI; the interop suite (tests/interop) needs
# moto's server mode (the KCL's DynamoDB, the KPL's STS) and amazon-kclpy. They go into the python3 the tests run
# with: from PyPI when that is not Debian's own interpreter (pyenv's, whose modules Debian's packages cannot
# reach), else from Debian (boto3, the CLI) and pip (the rest, not packaged by Debian).
pip_missing=()
python3 -c 'import boto3' 2>/dev/null || pip_missing+=(boto3)
command -v aws >/dev/null 2>&1 || pip_missing+=(awscli)
python3 -c 'import moto, flask, flask_cors' 2>/dev/null || pip_missing+=('moto[server]==5.2.5')
python3 -c 'import amazon_kclpy' 2>/dev/null || pip_missing+=('amazon-kclpy==3.1.3')
debian_python=0
[ "$(command -v python3)" = /usr/bin/python3 ] && debian_python=1
if [ "$debian_python" = 1 ]; then
  for p in "${pip_missing[@]}"; do
    case "$p" in boto3) missing+=(python3-boto3) ;; awscli) missing+=(awscli) ;; esac
  done
  python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
fi
# The interop suite's other clients: a JDK 17 with Maven (KCL, KPL, Java SDK v2), Go and Rust (their SDKs).
command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v go >/dev/null 2>&1 || echo "ci/install_deps.sh: no Go toolchain (the interop_go test needs Go >= 1.24)" >&2
command -v cargo >/dev/null 2>&1 || echo "ci/install_deps.sh: no Rust toolchain (the interop_rust test needs cargo >= 1.94)" >&2
# The JS SDK v3 tests (HTTP/2) need Node.js and npm.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
# The web console's browser tests drive Debian's Chromium (tests/console; playwright-core comes from npm there).
[ -x /usr/bin/chromium ] || missing+=(chromium)

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "ci/install_deps.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

pip_needed=()
for p in "${pip_missing[@]}"; do
  if [ "$debian_python" = 1 ] && { [ "$p" = boto3 ] || [ "$p" = awscli ]; }; then continue; fi
  pip_needed+=("$p")
done
if [ ${#pip_needed[@]} -gt 0 ]; then
  echo "ci/install_deps.sh: pip installing ${pip_needed[*]}"
  pip_flags=(--quiet --disable-pip-version-check)
  # Debian's own python3 is externally managed (PEP 668): the packages go to the user's site instead.
  [ "$debian_python" = 1 ] && pip_flags+=(--user --break-system-packages)
  # amazon-kclpy's build fetches the KCL multilang jars from Maven Central.
  python3 -m pip install "${pip_flags[@]}" "${pip_needed[@]}"
fi
