#!/usr/bin/env bash
# Server instructions per PutRecord (valgrind's callgrind: repeatable whatever else the machine does), once with
# the stream named by StreamName (what boto3 sends) and once by StreamARN (what the KCL and KPL send).
#
#   bash bench/callgrind_put_record.sh [build/kinesis-emulator] [requests]
set -euo pipefail
bin=${1:-build/kinesis-emulator}
requests=${2:-2000}
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out/cg.out" "$bin" --port "$port" >/dev/null 2>&1 &
vpid=$!
trap 'kill $vpid 2>/dev/null; rm -rf "$out"' EXIT
for _ in $(seq 100); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $port)).close()" 2>/dev/null && break
  sleep 0.2
done
client() { python3 "$here/put_record_client.py" --port "$port" "$@"; }
client --create
for by in name arn; do
  client --by "$by" --requests 200  # warm up
  callgrind_control -i on "$vpid" >/dev/null 2>&1
  client --by "$by" --requests "$requests"
  callgrind_control -i off "$vpid" >/dev/null 2>&1
  callgrind_control -d "$vpid" >/dev/null 2>&1
  sleep 1
  dump=$(ls -t "$out"/cg.out.* | head -1)
  total=$(callgrind_annotate "$dump" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}' | head -1)
  echo "PutRecord by $by: $((total / requests)) instructions per request ($requests requests)"
  rm -f "$dump"
done
