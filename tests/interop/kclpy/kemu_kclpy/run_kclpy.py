#!/usr/bin/env python3
"""amazon-kclpy scenarios against the emulator binary (KEMU_BINARY), with moto's server mode for DynamoDB.

For each retrieval mode (fan-out, polling): records are put with boto3 over three shards, the MultiLangDaemon
(KCL multilang, its jars installed by amazon-kclpy) runs the Python record processor, and every record must
be delivered exactly once, in order per partition key; then one fault (a throttle on SubscribeToShard or
GetRecords) while more records arrive, which the application must ride out. Prints PASS/FAIL lines and
'N passed, N failed'; exit status 1 on any failure.
"""
import importlib.metadata
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3
from amazon_kclpy import kcl  # noqa: F401  (the package must import)
import amazon_kclpy

HERE = os.path.dirname(os.path.abspath(__file__))
CREDS = {'AWS_ACCESS_KEY_ID': 'AKIAEXAMPLE', 'AWS_SECRET_ACCESS_KEY': 'secret', 'AWS_REGION': 'us-east-1'}


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def start_emulator(tmp):
    p = subprocess.Popen([os.environ['KEMU_BINARY'], '--port', '0', '--log-level', 'warn'],
                         stdout=subprocess.PIPE, stderr=open(os.path.join(tmp, 'emulator.log'), 'w'), text=True)
    for line in p.stdout:
        if line.startswith('kinesis-emulator ready on '):
            return p, line.split()[-1]
    raise RuntimeError('emulator exited before its ready line')


def start_moto(tmp):
    port = free_port()
    p = subprocess.Popen([sys.executable, '-m', 'moto.server', '-H', '127.0.0.1', '-p', str(port)],
                         stdout=open(os.path.join(tmp, 'moto.log'), 'w'), stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(('127.0.0.1', port), 0.2).close()
            return p, 'http://127.0.0.1:%d' % port
        except OSError:
            time.sleep(0.1)
    raise RuntimeError('moto did not start')


def admin(endpoint, method, path, body=None):
    req = urllib.request.Request(endpoint + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    with urllib.request.urlopen(req, timeout=10) as r:
        text = r.read()
        return json.loads(text) if text else None


class Daemon:
    """One MultiLangDaemon (one KCL worker) with its properties file."""

    def __init__(self, tmp, name, stream, app, mode, kinesis_endpoint, moto_endpoint, out):
        jars = os.path.join(os.path.dirname(amazon_kclpy.__file__), 'jars')
        props = os.path.join(tmp, name + '.properties')
        with open(props, 'w') as f:
            f.write('\n'.join([
                'executableName = %s %s' % (sys.executable, os.path.join(HERE, 'record_processor.py')),
                'streamName = %s' % stream,
                'applicationName = %s' % app,
                'AwsCredentialsProvider = DefaultCredentialsProvider',
                'processingLanguage = python/3',
                'initialPositionInStream = TRIM_HORIZON',
                'regionName = us-east-1',
                'kinesisEndpoint = %s' % kinesis_endpoint,
                'dynamoDBEndpoint = %s' % moto_endpoint,
                'metricsLevel = NONE',
                'retrievalMode = %s' % mode,
                'idleTimeBetweenReadsInMillis = 250',
                'failoverTimeMillis = 3000',
                'shardSyncIntervalMillis = 5000',
                'parentShardPollIntervalMillis = 500',
            ]) + '\n')
        env = dict(os.environ, KEMU_KCLPY_OUT=out, AWS_EC2_METADATA_DISABLED='true', **CREDS)
        self.log = open(os.path.join(tmp, name + '.log'), 'w')
        self.proc = subprocess.Popen(
            ['java', '-Xmx256m', '-cp', os.path.join(jars, '*'), 'software.amazon.kinesis.multilang.MultiLangDaemon',
             '--properties-file', props], env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def put(kinesis, stream, acked, tag, keys=6, per_key=10):
    for n in range(per_key):
        entries = [{'PartitionKey': 'pk-%d' % k, 'Data': ('%s|pk-%d|%d' % (tag, k, n)).encode()} for k in range(keys)]
        out = kinesis.put_records(StreamName=stream, Records=entries)
        assert out['FailedRecordCount'] == 0, out
        for e, r in zip(entries, out['Records']):
            acked.append((e['PartitionKey'], e['Data'].decode(), int(r['SequenceNumber'])))


def delivered(out):
    if not os.path.exists(out):
        return []
    with open(out) as f:
        return [json.loads(line) for line in f if line.endswith('\n')]


def check(acked, got):
    want = {}
    for pk, data, seq in sorted(acked, key=lambda a: a[2]):
        want.setdefault(pk, []).append(data)
    have = {}
    for g in got:
        have.setdefault(g['pk'], []).append(g['data'])
    problems = []
    datas = [g['data'] for g in got]
    if len(datas) != len(set(datas)):
        problems.append('%d records delivered more than once' % (len(datas) - len(set(datas))))
    extra = set(datas) - {a[1] for a in acked}
    if extra:
        problems.append('delivered but never put: %s' % sorted(extra)[:5])
    missing = {a[1] for a in acked} - set(datas)
    if missing:
        problems.append('%d acknowledged records not delivered, e.g. %s' % (len(missing), sorted(missing)[:5]))
    if not problems and want != have:
        problems.append('order per partition key differs')
    return problems


def await_all(out, acked, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if len({g['data'] for g in delivered(out)} & {a[1] for a in acked}) == len(acked):
            return
        time.sleep(0.25)
    raise AssertionError('only %d of %d delivered in time' % (len(delivered(out)), len(acked)))


def scenario(tmp, mode, kinesis_endpoint, moto_endpoint):
    kinesis = boto3.client('kinesis', endpoint_url=kinesis_endpoint, region_name='us-east-1',
                           aws_access_key_id='AKIAEXAMPLE', aws_secret_access_key='secret')
    stream = 'kclpy-' + mode.lower()
    kinesis.create_stream(StreamName=stream, ShardCount=3)
    kinesis.get_waiter('stream_exists').wait(StreamName=stream, WaiterConfig={'Delay': 1})
    out = os.path.join(tmp, stream + '.jsonl')
    acked = []
    daemon = Daemon(tmp, stream, stream, stream + '-app', mode, kinesis_endpoint, moto_endpoint, out)
    try:
        put(kinesis, stream, acked, 'r1')
        await_all(out, acked)
        op = 'SubscribeToShard' if mode == 'FANOUT' else 'GetRecords'
        rule = admin(kinesis_endpoint, 'POST', '/_emulator/faults',
                     {'plugin': 'throttle', 'match': {'operation': op, 'stream': stream}, 'count': 3})
        put(kinesis, stream, acked, 'r2')
        await_all(out, acked)
        fired = admin(kinesis_endpoint, 'GET', '/_emulator/faults/' + rule['id'])['fired']
        assert fired > 0, 'the throttle rule never fired'
        time.sleep(1.5)  # late duplicates would show now
        problems = check(acked, delivered(out))
        assert not problems, '; '.join(problems)
    finally:
        daemon.stop()


def main():
    # SIGTERM (run_interop.sh being stopped) unwinds through the finally blocks, which stop every process.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = tempfile.mkdtemp(prefix='kemu-kclpy-')
    emulator, endpoint = start_emulator(tmp)
    moto, moto_endpoint = start_moto(tmp)
    passed = failed = 0
    try:
        modes = sys.argv[1:] or ['FANOUT', 'POLLING']
        for mode in modes:
            name = 'kclpy-%s/%s' % (importlib.metadata.version('amazon-kclpy'), mode.lower())
            started = time.time()
            try:
                scenario(tmp, mode, endpoint, moto_endpoint)
                passed += 1
                print('PASS %s (%.1f s)' % (name, time.time() - started), flush=True)
            except Exception as e:  # noqa: BLE001 (report and go on)
                failed += 1
                print('FAIL %s: %r (logs in %s)' % (name, e, tmp), flush=True)
    finally:
        for p in (moto, emulator):
            p.terminate()
            p.wait(10)
    print('%d passed, %d failed' % (passed, failed))
    if failed == 0:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(1 if failed or not passed else 0)


if __name__ == '__main__':
    main()
