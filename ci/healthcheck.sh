#!/usr/bin/env bash
# Exits 0 when kinesis-emulator answers GET /_emulator/health with {"status":"ok"...}. Uses bash's /dev/tcp,
# so the runtime image needs no curl. Port: KINESIS_EMULATOR_PORT (default 4567).
set -u
port=${KINESIS_EMULATOR_PORT:-4567}
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET /_emulator/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
response=$(timeout 2 cat <&3)
exec 3<&-
case "$response" in
  "HTTP/1.1 200"*'"status":"ok"'*) exit 0 ;;
  *) exit 1 ;;
esac
