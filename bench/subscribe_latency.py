#!/usr/bin/env python3
"""PutRecord -> SubscribeToShard event latency of kinesis-emulator.

For each transport, one subscriber (StartingPosition LATEST) listens while this script puts --records records, one
at a time, --gap-ms apart (so the figure is latency, not queueing). Latency of a record = the moment the
subscriber has decoded the event carrying it, minus the moment just before its PutRecord was sent (so it includes
the PutRecord round trip). Transports:

  http1  boto3's subscribe_to_shard (chunked HTTP/1.1 body), read on a thread
  http2  curl --http2-prior-knowledge (h2c DATA frames), its stdout decoded here as it arrives

Prints p50/p90/p99/max per transport. Needs boto3 and, for http2, curl built with nghttp2.

    python3 bench/subscribe_latency.py [--binary build/emulator/kinesis-emulator] [--records 300]
"""

import argparse
import os
import shutil
import statistics
import struct
import subprocess
import sys
import threading
import time
import zlib

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(BENCH_DIR), 'tests', 'integration'))
from emulator_process import EmulatorProcess, create_stream, shard_id, stream_arn  # noqa: E402


def percentile(values, p):
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, int(round(p / 100.0 * (len(ordered) - 1)))))
    return ordered[k]


def report(name, latencies_ms):
    if not latencies_ms:
        print('%-6s no samples' % name)
        return
    print('%-6s n=%d  p50=%.2f ms  p90=%.2f ms  p99=%.2f ms  max=%.2f ms  mean=%.2f ms' % (
        name, len(latencies_ms), percentile(latencies_ms, 50), percentile(latencies_ms, 90),
        percentile(latencies_ms, 99), max(latencies_ms), statistics.mean(latencies_ms)))


def put_loop(client, name, count, gap_s, sent):
    for i in range(count):
        payload = b'%08d' % i
        sent[payload] = time.perf_counter()
        client.put_record(StreamName=name, Data=payload, PartitionKey='k')
        time.sleep(gap_s)


def wait_for(received, count, timeout):
    deadline = time.monotonic() + timeout
    while len(received) < count and time.monotonic() < deadline:
        time.sleep(0.01)


def bench_http1(emu, args):
    client = emu.client()
    name = 'bench-h1'
    create_stream(client, name, shard_count=1)
    consumer = client.register_stream_consumer(StreamARN=stream_arn(name), ConsumerName='bench')['Consumer'][
        'ConsumerARN']
    stream = emu.client().subscribe_to_shard(ConsumerARN=consumer, ShardId=shard_id(0),
                                             StartingPosition={'Type': 'LATEST'})['EventStream']
    received = {}
    ready = threading.Event()

    def reader():
        try:
            for event in stream:
                now = time.perf_counter()
                ready.set()
                for r in event['SubscribeToShardEvent']['Records']:
                    received[r['Data']] = now
        except Exception:  # noqa: BLE001 - the stream is closed under the reader at the end
            pass

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    ready.wait(10)
    sent = {}
    put_loop(client, name, args.records, args.gap_ms / 1000.0, sent)
    wait_for(received, args.records, 10)
    stream.close()
    return [(received[k] - sent[k]) * 1000 for k in sent if k in received]


def decode_messages(buffer):
    """Whole event-stream messages at the start of buffer: ([(headers, payload)], rest)."""
    out = []
    while len(buffer) >= 12:
        total, headers_len = struct.unpack('>II', buffer[:8])
        if len(buffer) < total:
            break
        message, buffer = buffer[:total], buffer[total:]
        assert struct.unpack('>I', message[-4:])[0] == zlib.crc32(message[:-4])
        h, headers = message[12:12 + headers_len], {}
        while h:
            n = h[0]
            (length,) = struct.unpack('>H', h[2 + n:4 + n])
            headers[h[1:1 + n].decode()] = h[4 + n:4 + n + length].decode()
            h = h[4 + n + length:]
        out.append((headers, message[12 + headers_len:-4]))
    return out, buffer


def bench_http2(emu, args):
    import base64
    import json
    if shutil.which('curl') is None:
        print('http2  skipped: no curl')
        return []
    client = emu.client()
    name = 'bench-h2'
    create_stream(client, name, shard_count=1)
    consumer = client.register_stream_consumer(StreamARN=stream_arn(name), ConsumerName='bench')['Consumer'][
        'ConsumerARN']
    body = json.dumps({'ConsumerARN': consumer, 'ShardId': shard_id(0), 'StartingPosition': {'Type': 'LATEST'}})
    curl = subprocess.Popen(
        ['curl', '-sS', '-N', '--http2-prior-knowledge', '-X', 'POST', emu.endpoint + '/',
         '-H', 'Content-Type: application/x-amz-json-1.1', '-H', 'X-Amz-Target: Kinesis_20131202.SubscribeToShard',
         '-H', 'X-Amz-Date: 20260101T000000Z',
         '-H', 'Authorization: AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/us-east-1/kinesis/aws4_request, '
               'SignedHeaders=host;x-amz-date, Signature=00',
         '--data-binary', body], stdout=subprocess.PIPE, bufsize=0)
    received = {}
    ready = threading.Event()

    def reader():
        buffer = b''
        while True:
            chunk = os.read(curl.stdout.fileno(), 65536)
            if not chunk:
                return
            now = time.perf_counter()
            messages, buffer = decode_messages(buffer + chunk)
            for headers, payload in messages:
                if headers.get(':event-type') != 'SubscribeToShardEvent':
                    continue
                ready.set()
                for r in json.loads(payload)['Records']:
                    received[base64.b64decode(r['Data'])] = now

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    ready.wait(10)
    sent = {}
    put_loop(client, name, args.records, args.gap_ms / 1000.0, sent)
    wait_for(received, args.records, 10)
    curl.terminate()
    curl.wait(5)
    return [(received[k] - sent[k]) * 1000 for k in sent if k in received]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--binary', default=os.environ.get('KEMU_BINARY'))
    parser.add_argument('--records', type=int, default=300)
    parser.add_argument('--gap-ms', type=float, default=10)
    parser.add_argument('--transports', default='http1,http2')
    args = parser.parse_args()
    with EmulatorProcess(binary=args.binary) as emu:
        for transport in args.transports.split(','):
            latencies = {'http1': bench_http1, 'http2': bench_http2}[transport](emu, args)
            report(transport, latencies)
            if len(latencies) < args.records:
                print('%-6s %d of %d records not received' % (transport, args.records - len(latencies), args.records))


if __name__ == '__main__':
    main()
