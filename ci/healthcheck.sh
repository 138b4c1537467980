#!/usr/bin/env bash
# Exits 0 when kinesis-emulator answers GET /_emulator/health with {"status":"ok"...}. Uses bash's /dev/tcp,
# so the runtime image needs no curl. Port: KINESIS_EMULATOR_PORT (default 4567).
# Under TLS (KINESIS_EMULATOR_TLS or KINESIS_EMULATOR_TLS_CERT set) the health request goes through
# `openssl s_client` when the image has it; without it, the plaintext answer a TLS port gives ("400 ... This port
# speaks TLS") shows the emulator is up and serving.
set -u
trap '' PIPE  # a server that closes first must not kill the check
port=${KINESIS_EMULATOR_PORT:-4567}
request='GET /_emulator/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'
tls=0
case "${KINESIS_EMULATOR_TLS:-}" in 1 | true | yes | on) tls=1 ;; esac
[ -n "${KINESIS_EMULATOR_TLS_CERT:-}" ] && tls=1
if [ "$tls" = 1 ] && command -v openssl >/dev/null 2>&1; then
  response=$(printf "$request" | timeout 2 openssl s_client -quiet -ign_eof -connect "127.0.0.1:${port}" 2>/dev/null)
else
  exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
  printf "$request" >&3
  response=$(timeout 2 cat <&3)
  exec 3<&-
fi
case "$response" in
  "HTTP/1.1 200"*'"status":"ok"'*) exit 0 ;;
  "HTTP/1.1 400"*'This port speaks TLS'*) [ "$tls" = 1 ] && exit 0 || exit 1 ;;
  *) exit 1 ;;
esac
