#!/usr/bin/env bash
# Makes a Debian 12 slim base image with debootstrap and imports it into podman, for machines that reach a Debian
# mirror but no container registry (ci/container_test.sh builds ci/Dockerfile on it).
#
#   ci/container_base.sh [IMAGE]      # default localhost/kemu-debootstrap/debian:12-slim
#
# Like the official debian:12-slim: a minbase bookworm with bookworm, bookworm-updates and bookworm-security as
# sources, no documentation, man pages or locales (and dpkg told to leave them out of later installs), no apt
# lists or caches. It does not get the official image's apt clean-up hooks, so a Dockerfile built on it has to
# clean up after apt itself, which is what the image test wants to check. The mirrors are this host's (its
# /etc/apt sources), and so is Acquire::Check-Valid-Until when the host turned it off for a frozen mirror.
# Needs root (debootstrap, chroot) and about 75 s.
set -euo pipefail
image=${1:-localhost/kemu-debootstrap/debian:12-slim}
suite=bookworm

# The host's mirrors: the first URI serving $suite, and the one serving $suite-security.
host_uri() {  # $1: a suite name
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v want="$1" '
      /^URIs:/ { uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == want) { print uri; exit } }
      /^$/ { uri = "" }' "$f"
  done
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk -v want="$1" '$1 == "deb" { sub(/^deb +(\[[^]]*\] +)?/, ""); if ($2 == want) print $1 }'
}
mirror=$(host_uri "$suite" | head -1 || true)
mirror=${mirror:-http://deb.debian.org/debian}
security=$(host_uri "$suite-security" | head -1 || true)
security=${security:-http://deb.debian.org/debian-security}

work=$(mktemp -d "${TMPDIR:-/var/tmp}/kemu-debootstrap.XXXXXX")
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs
echo "ci/container_base.sh: debootstrap $suite from $mirror (about 75 s)"
nice -n 10 debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -30 "$work/debootstrap.log" >&2
  exit 1
}

cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
rm -f "$rootfs/etc/apt/sources.list"
if [ "$(apt-config dump Acquire::Check-Valid-Until 2>/dev/null | awk '{print $2}')" = '"false";' ]; then
  echo 'Acquire::Check-Valid-Until "false";' >"$rootfs/etc/apt/apt.conf.d/99kemu-frozen-mirror"
fi
# What the slim image leaves out, now and in every later dpkg install.
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/kemu-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
echo 'Acquire::Languages "none";' >"$rootfs/etc/apt/apt.conf.d/90kemu-no-languages"
find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$rootfs"/usr/share/{man,info,groff,lintian,linda,locale}/* "$rootfs"/var/cache/apt/* \
  "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/* "$rootfs"/var/cache/debconf/*-old "$rootfs"/tmp/*
: >"$rootfs/etc/resolv.conf"
: >"$rootfs/etc/hostname"
: >"$rootfs/etc/machine-id"

tar --numeric-owner --xattrs -C "$rootfs" -c . |
  podman import --quiet --change 'CMD ["bash"]' --message "debootstrap --variant=minbase $suite (ci/container_base.sh)" \
    - "$image" >/dev/null
echo "ci/container_base.sh: $image made ($(podman image inspect --format '{{.Size}}' "$image" | awk '{printf "%.1f MB", $1/1e6}'))"
