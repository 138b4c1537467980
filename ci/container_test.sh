#!/usr/bin/env bash
# The CI container, built and run for real: builds ci/Dockerfile with podman and runs tests/container against the
# image (health, AWS CLI and boto3, configuration by variables, TLS, admin token, non-root, SIGTERM, data kept on
# volumes and bind mounts, faults from the host, size) and against ci/examples (compose brought up, CI files
# parsed). ci/test.sh runs it beside the rest of the suite; alone:
#
#   ci/container_test.sh
#
# It installs podman and friends when missing (ci/install_deps.sh container) and skips, with exit 0 and a message
# saying why, only where podman cannot run containers at all. No registry is needed: the debian:12-slim-like base
# comes from debootstrap (ci/container_base.sh) unless KEMU_CONTAINER_BASE names an image to use (pulled when
# absent, e.g. KEMU_CONTAINER_BASE=docker.io/library/debian:12-slim where Docker Hub is reachable).
#
# What is slow is kept between runs: the base image and the layers (the build stage's packages included) in podman's
# storage, the compiler cache in a build cache mount. Stale layers of earlier builds are pruned. Podman settings this
# kind of machine needs (runc, ulimits within the hard limits) go to $KEMU_CONTAINER_STATE/containers.conf and are
# used for these commands only.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
state=${KEMU_CONTAINER_STATE:-/var/tmp/kinesis-emulator-ci}
image=${KEMU_CONTAINER_IMAGE:-localhost/kinesis-emulator:ci}
base=${KEMU_CONTAINER_BASE:-localhost/kemu-debootstrap/debian:12-slim}
t0=$(date +%s.%N)

say() { printf 'container_test: %s\n' "$*"; }
skip() {
  say "SKIPPED: $*"
  exit 0
}
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }'; }

# -- podman ------------------------------------------------------------------------------------------------------
if ! command -v podman >/dev/null || ! command -v podman-compose >/dev/null; then
  if [ "$(id -u)" != 0 ] && ! sudo -n true 2>/dev/null; then
    skip "podman is not installed, and installing it needs root or sudo"
  fi
  bash ci/install_deps.sh container || skip "podman could not be installed (ci/install_deps.sh container failed)"
fi
mkdir -p "$state"
conf=$state/containers.conf
{
  echo '[containers]'
  # podman's defaults exceed the hard limits of a session without CAP_SYS_RESOURCE (setrlimit: not permitted).
  limits=()
  n=$(ulimit -Hn)
  [ "$n" != unlimited ] && limits+=("\"nofile=$n:$n\"")
  # podman itself runs with nproc at most pid_max (seen: 32768 under a hard limit of 96362), and what its
  # containers get cannot exceed that.
  n=$(ulimit -Hu)
  pid_max=$(cat /proc/sys/kernel/pid_max 2>/dev/null || echo unlimited)
  if [ "$n" = unlimited ] || { [ "$pid_max" != unlimited ] && [ "$pid_max" -lt "$n" ]; }; then n=$pid_max; fi
  [ "$n" != unlimited ] && limits+=("\"nproc=$n:$n\"")
  if [ ${#limits[@]} -gt 0 ]; then (IFS=,; echo "default_ulimits = [${limits[*]}]"); fi
  # crun fails on hosts that mix cgroup v1 and v2 ("cgroups in hybrid mode not supported"); runc does not.
  if command -v runc >/dev/null; then printf '\n[engine]\nruntime = "runc"\n'; fi
} >"$conf.new"
mv "$conf.new" "$conf"
export CONTAINERS_CONF=$conf
if ! info=$(podman info 2>&1 >/dev/null); then
  skip "podman cannot run here: $(echo "$info" | tail -1)"
fi

# One run at a time on a machine: they share the image tag and the cache.
exec 9>"$state/lock"
flock 9

label=kinesis-emulator-test=$(date +%s)-$$
building=""
cleanup() {
  local ids
  # An interrupted build leaves buildah's working containers behind: those made since it began.
  if [ -n "$building" ]; then
    ids=$(podman ps -aq --external --no-trunc | grep -vxFf "$state/containers.before" || true)
    [ -n "$ids" ] && podman rm -f $ids >/dev/null 2>&1
  fi
  ids=$(podman ps -aq --filter "label=$label" 2>/dev/null) && [ -n "$ids" ] && podman rm -f -t 0 $ids >/dev/null 2>&1
  ids=$(podman volume ls -q --filter "label=$label" 2>/dev/null) && [ -n "$ids" ] && podman volume rm -f $ids >/dev/null 2>&1
  ids=$(podman images -q --filter "label=$label" 2>/dev/null) && [ -n "$ids" ] && podman rmi -f $ids >/dev/null 2>&1
  return 0
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# -- the base image ------------------------------------------------------------------------------------------------
t=$(date +%s.%N)
if podman image exists "$base"; then
  base_note="reused $base"
elif [ -n "${KEMU_CONTAINER_BASE:-}" ]; then
  podman pull -q "$base" >/dev/null
  base_note="pulled $base in $(since "$t") s"
else
  if [ "$(id -u)" != 0 ]; then
    say "FAILED: making the base image needs root (debootstrap); or set KEMU_CONTAINER_BASE to an image"
    exit 1
  fi
  command -v debootstrap >/dev/null || bash ci/install_deps.sh container
  bash ci/container_base.sh "$base"
  base_note="made $base with debootstrap in $(since "$t") s"
fi
say "base: $base_note"

# -- the image -----------------------------------------------------------------------------------------------------
# The same arguments as tests/container/podman_tools.py build_command(): a rebuild there must hit this cache.
t=$(date +%s.%N)
stale=$(podman images -a -q --no-trunc --filter dangling=true --filter label=org.kinesis-emulator.stage=build
  podman images -a -q --no-trunc --filter dangling=true --filter label=org.opencontainers.image.title=kinesis-emulator)
build_log=$state/build.log
podman ps -aq --external --no-trunc >"$state/containers.before"
building=1
if ! nice -n 10 podman build --pull=never --network=host --format docker --build-arg "BASE=$base" \
  -f ci/Dockerfile -t "$image" "$repo" >"$build_log" 2>&1; then
  say "FAILED: podman build (last lines of $build_log):"
  tail -40 "$build_log"
  exit 1
fi
building=""
build_seconds=$(since "$t")
cached=$(grep -c -- '^--> Using cache' "$build_log" || true)
steps=$(grep -c -- '] STEP [0-9]' "$build_log" || true)
say "build: ${build_seconds} s ($cached of $steps steps from the layer cache)"
# Layers of earlier builds that this one does not use: dangling before it, and not among its steps.
used=$(sed -n 's/^--> \(Using cache \)\{0,1\}\([0-9a-f]\{11,\}\).*/\2/p' "$build_log")
for id in $stale; do
  id=${id#sha256:}
  if ! grep -q "^${id:0:11}" <<<"$used"; then podman rmi "$id" >/dev/null 2>&1 || true; fi
done

size=$(podman image inspect --format '{{.Size}}' "$image")
say "image: $image, $(awk -v s="$size" 'BEGIN { printf "%.1f MB", s / 1e6 }')"

# -- the tests -----------------------------------------------------------------------------------------------------
t=$(date +%s.%N)
status=0
(
  cd tests/container
  KEMU_IMAGE=$image KEMU_BASE_IMAGE=$base KEMU_TEST_LABEL=$label \
    python3 -m unittest -v test_ci_examples test_image test_compose 2>&1
) || status=$?
say "tests: $(since "$t") s"
say "total: $(since "$t0") s ($([ "$status" = 0 ] && echo passed || echo FAILED))"
exit "$status"
