#!/usr/bin/env bash
# The container's health check: exits 0 when kinesis-emulator answers GET /_emulator/health with
# {"status":"ok"...}, 1 otherwise. Plain bash (/dev/tcp), so the image needs no curl.
#
# Where it probes: the URL in the ready file (KINESIS_EMULATOR_READY_FILE, set by the image), which the emulator
# writes once its port is open and removes when it stops. So the check follows whatever chose the address: a
# --port or --host argument, port 0, a specific address, --tls. No ready file there means not ready (yet, or any
# more). With KINESIS_EMULATOR_READY_FILE empty it falls back to KINESIS_EMULATOR_HOST, _PORT and _TLS.
#
# Under TLS the request goes through `openssl s_client` when the image has it; without it (the default image),
# the plaintext answer only the emulator's TLS port gives ("400 ... This port speaks TLS") shows that it accepts
# and serves connections.
# One line on stdout says why it failed (docker inspect shows it in the health log).
set -u
trap '' PIPE # a server that closes first must not kill the check
exec 2>/dev/null

ready_file=${KINESIS_EMULATOR_READY_FILE:-}
if [ -n "$ready_file" ]; then
  if ! [ -r "$ready_file" ] || ! IFS= read -r url <"$ready_file"; then
    echo "not ready: no $ready_file (the emulator writes it once its port is open)"
    exit 1
  fi
else
  host=${KINESIS_EMULATOR_HOST:-127.0.0.1}
  case "$host" in '' | 0.0.0.0 | ::) host=127.0.0.1 ;; esac
  scheme=http
  case "${KINESIS_EMULATOR_TLS:-}" in 1 | true | yes | on) scheme=https ;; esac
  [ -n "${KINESIS_EMULATOR_TLS_CERT:-}" ] && scheme=https
  url="$scheme://$host:${KINESIS_EMULATOR_PORT:-4567}"
fi

# scheme://HOST:PORT, HOST possibly an [IPv6] literal
scheme=${url%%://*}
hostport=${url#*://}
port=${hostport##*:}
host=${hostport%:*}
host=${host#[}
host=${host%]}
valid=1
case "$scheme" in http | https) ;; *) valid=0 ;; esac
case "$port" in '' | *[!0-9]*) valid=0 ;; esac
[ -n "$host" ] || valid=0
if [ "$valid" = 0 ]; then
  echo "not a URL: '$url'"
  exit 1
fi

request='GET /_emulator/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'
if [ "$scheme" = https ] && command -v openssl >/dev/null 2>&1; then
  case "$host" in *:*) connect="[$host]:$port" ;; *) connect="$host:$port" ;; esac
  response=$(printf "$request" | timeout 2 openssl s_client -quiet -ign_eof -connect "$connect" 2>/dev/null)
else
  if ! exec 3<>"/dev/tcp/$host/$port"; then
    echo "nothing listens at $url"
    exit 1
  fi
  printf "$request" >&3
  response=$(timeout 2 cat <&3)
  exec 3<&-
fi
case "$response" in
  "HTTP/1.1 200"*'"status":"ok"'*) exit 0 ;;
  "HTTP/1.1 400"*'This port speaks TLS'*) [ "$scheme" = https ] && exit 0 ;;
esac
echo "no healthy answer from $url/_emulator/health: ${response%%$'\r'*}"
exit 1
