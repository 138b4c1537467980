#!/usr/bin/env bash
# PutRecord requests/s over HTTP/1.1 and HTTP/2, in clear text and over TLS, measured with h2load (Debian's
# nghttp2-client). Each run starts its own emulator (in memory, one 4-shard stream) and sends 1 KiB records.
#
#   bash bench/http_versions.sh [build/kinesis-emulator]      # N=20000 requests per row, C=8 clients
#
# Rows: `--h1` (HTTP/1.1 keep-alive, one request at a time per client), h2 with one stream at a time per
# client (-m 1), h2 with ten concurrent streams per client (-m 10).
set -u
BIN=${1:-build/kinesis-emulator}
N=${N:-20000}
C=${C:-8}
command -v h2load >/dev/null || { echo "h2load not found: apt-get install nghttp2-client" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data=$(head -c 1024 /dev/zero | tr '\0' 'k' | base64 -w0)
printf '{"StreamName":"bench","PartitionKey":"pk","Data":"%s"}' "$data" >"$work/body.json"
headers=(-H 'content-type: application/x-amz-json-1.1' -H 'x-amz-target: Kinesis_20131202.PutRecord'
  -H 'x-amz-date: 20260101T000000Z'
  -H 'authorization: AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=00')
status=0
run() {  # scheme, then emulator flags
  local scheme=$1
  shift
  "$BIN" --port 0 --log-level error --create-streams bench:4 "$@" >"$work/out.txt" &
  local pid=$!
  for _ in $(seq 200); do grep -q "ready on" "$work/out.txt" && break; sleep 0.05; done
  local port
  port=$(grep "ready on" "$work/out.txt" | sed 's/.*:\([0-9]*\)$/\1/')
  for mode in "--h1 -m 1" "-m 1" "-m 10"; do
    # shellcheck disable=SC2086
    out=$(h2load -n "$N" -c "$C" $mode "${headers[@]}" -d "$work/body.json" "$scheme://127.0.0.1:$port/" 2>&1)
    rps=$(echo "$out" | grep -o 'finished in [^,]*, [0-9.]* req/s' | grep -o '[0-9.]* req/s')
    ok=$(echo "$out" | grep -o '[0-9]* 2xx' | head -1)
    proto=$(echo "$out" | grep -i "Application protocol" | awk '{print $3}')
    [ "${ok%% *}" = "$N" ] || status=1
    printf '%-5s %-10s %14s  (%s, protocol %s)\n' "$scheme" "$mode" "$rps" "$ok" "${proto:-?}"
  done
  kill "$pid"
  wait "$pid" 2>/dev/null
}
echo "loadavg $(cut -d' ' -f1-3 /proc/loadavg); N=$N requests per row, C=$C clients, 1 KiB records"
run http
run https --tls
exit $status
