#!/usr/bin/env python3
"""Soak: mixed producers and consumers against one kinesis-emulator process for a while (10 minutes by default),
with retention trimming (the virtual clock is moved forward all the time) and resharding (UpdateShardCount up and
down, SplitShard and MergeShards), on a SQLite file. Every few seconds it samples the process's RSS and the size of
the database and its WAL; at the end it checks that

  * no call failed with an error the load did not ask for (ExpiredIteratorException after a clock jump is asked
    for; so is ResourceInUseException from a reshard racing another stream change, which is retried);
  * no record was read twice from one shard, and no PutRecords entry failed;
  * RSS and the file sizes reached a plateau: the largest value of the last third of the run is at most
    GROWTH_FACTOR times the largest of the middle third (plus a small absolute slack).

Not part of the default test command (it runs for minutes). Usage:

    KEMU_BINARY=build/kinesis-emulator python3 tests/soak/run_soak.py [--minutes 10] [--json out.json]

Exit status 0 when every check holds, 1 otherwise. Standard library and boto3 only.
"""

import argparse
import collections
import json
import os
import random
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'integration'))

from botocore.exceptions import ClientError  # noqa: E402

from emulator_process import EmulatorProcess, create_stream  # noqa: E402

STREAMS = 3
INITIAL_SHARDS = 2
RECORD_BYTES = 512
CLOCK_STEP_MS = 4 * 3600 * 1000  # every CLOCK_PERIOD_S, so the 24 h retention holds about a minute of traffic
CLOCK_PERIOD_S = 10
RESHARD_PERIOD_S = 15
SAMPLE_PERIOD_S = 5
GROWTH_FACTOR = 1.25
RSS_SLACK_KIB = 16 * 1024
FILE_SLACK_BYTES = 16 * 1024 * 1024
EXPECTED_ERRORS = {'ExpiredIteratorException', 'ResourceInUseException'}


class Tally:
    """Counters shared by the load threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.errors = collections.Counter()
        self.unexpected = []

    def add(self, key, n=1):
        with self.lock:
            self.counts[key] += n

    def error(self, where, exc):
        code = exc.response['Error']['Code'] if isinstance(exc, ClientError) else type(exc).__name__
        with self.lock:
            self.errors[code] += 1
            if code not in EXPECTED_ERRORS and len(self.unexpected) < 20:
                self.unexpected.append('%s: %s' % (where, exc))


def producer(client, names, stop, tally, seed):
    rng = random.Random(seed)
    payload = os.urandom(RECORD_BYTES)
    n = 0
    while not stop.is_set():
        name = rng.choice(names)
        try:
            if rng.random() < 0.2:
                client.put_record(StreamName=name, Data=payload + b'%d' % n, PartitionKey='pk-%d' % rng.random())
                tally.add('put')
            else:
                batch = [{'Data': payload, 'PartitionKey': 'pk-%d-%d' % (n, i)} for i in range(rng.randint(1, 100))]
                out = client.put_records(StreamName=name, Records=batch)
                if out['FailedRecordCount']:
                    tally.unexpected.append('PutRecords: %d records failed' % out['FailedRecordCount'])
                tally.add('put', len(batch))
        except ClientError as e:
            tally.error('put', e)
        n += 1
        time.sleep(0.01)  # about 1,000-2,000 records/s from three producers


def consumer(client, name, stop, tally):
    """Reads every shard of one stream, following the lineage; re-positions after an iterator expires."""
    iterators = {}  # shard id -> (iterator, last sequence number)
    finished = set()
    seen = collections.defaultdict(set)
    while not stop.is_set():
        try:
            shards = client.list_shards(StreamName=name)['Shards']
        except ClientError as e:
            tally.error('list_shards', e)
            time.sleep(0.2)
            continue
        for shard in shards:
            sid = shard['ShardId']
            if sid in finished or sid in iterators:
                continue
            try:
                it = client.get_shard_iterator(StreamName=name, ShardId=sid,
                                               ShardIteratorType='TRIM_HORIZON')['ShardIterator']
                iterators[sid] = (it, None)
            except ClientError as e:
                tally.error('get_shard_iterator', e)
        for sid in list(iterators):
            it, last = iterators[sid]
            try:
                out = client.get_records(ShardIterator=it, Limit=2000)
            except ClientError as e:
                tally.error('get_records', e)
                if e.response['Error']['Code'] == 'ExpiredIteratorException':
                    try:
                        args = ({'ShardIteratorType': 'AFTER_SEQUENCE_NUMBER', 'StartingSequenceNumber': last}
                                if last else {'ShardIteratorType': 'TRIM_HORIZON'})
                        fresh = client.get_shard_iterator(StreamName=name, ShardId=sid, **args)['ShardIterator']
                        iterators[sid] = (fresh, last)
                    except ClientError as e2:
                        tally.error('get_shard_iterator', e2)
                        if e2.response['Error']['Code'] == 'ResourceNotFoundException':
                            del iterators[sid]  # the closed shard expired with retention
                            finished.add(sid)
                continue
            for r in out['Records']:
                seq = r['SequenceNumber']
                if seq in seen[sid]:
                    tally.unexpected.append('record %s of %s read twice' % (seq, sid))
                seen[sid].add(seq)
                last = seq
            tally.add('read', len(out['Records']))
            if out.get('NextShardIterator') is None:
                del iterators[sid]
                finished.add(sid)
                seen.pop(sid, None)
            else:
                iterators[sid] = (out['NextShardIterator'], last)
        time.sleep(0.05)


def clock_mover(emu, stop, tally):
    while not stop.wait(CLOCK_PERIOD_S):
        resp = emu.admin('POST', 'clock', {'advance_ms': CLOCK_STEP_MS})
        if resp.status != 200:
            tally.unexpected.append('clock advance answered %d' % resp.status)
        tally.add('clock_advances')


def resharder(client, names, stop, tally):
    rng = random.Random(7)
    turn = 0
    while not stop.wait(RESHARD_PERIOD_S):
        name = names[turn % len(names)]
        turn += 1
        try:
            open_shards = [s for s in client.list_shards(StreamName=name)['Shards']
                           if 'EndingSequenceNumber' not in s['SequenceNumberRange']]
            if turn % 3 == 0:
                target = 4 if len(open_shards) <= 2 else 2
                client.update_shard_count(StreamName=name, TargetShardCount=target, ScalingType='UNIFORM_SCALING')
                tally.add('update_shard_count')
            elif len(open_shards) < 4:
                shard = rng.choice(open_shards)
                lo = int(shard['HashKeyRange']['StartingHashKey'])
                hi = int(shard['HashKeyRange']['EndingHashKey'])
                client.split_shard(StreamName=name, ShardToSplit=shard['ShardId'],
                                   NewStartingHashKey=str((lo + hi) // 2 + 1))
                tally.add('split_shard')
            else:
                ordered = sorted(open_shards, key=lambda s: int(s['HashKeyRange']['StartingHashKey']))
                i = rng.randrange(len(ordered) - 1)
                client.merge_shards(StreamName=name, ShardToMerge=ordered[i]['ShardId'],
                                    AdjacentShardToMerge=ordered[i + 1]['ShardId'])
                tally.add('merge_shards')
        except ClientError as e:
            tally.error('reshard', e)


def rss_kib(pid):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def file_bytes(path):
    total = 0
    for suffix in ('', '-wal', '-shm'):
        try:
            total += os.path.getsize(path + suffix)
        except OSError:
            pass
    return total


def plateau(samples, key, slack):
    """(ok, middle max, last max) for one sampled quantity."""
    n = len(samples)
    middle = [s[key] for s in samples[n // 3:2 * n // 3]] or [0]
    last = [s[key] for s in samples[2 * n // 3:]] or [0]
    return max(last) <= GROWTH_FACTOR * max(middle) + slack, max(middle), max(last)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--minutes', type=float, default=10.0)
    parser.add_argument('--json', help='write the samples and the verdict to this file')
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix='kemu-soak-')
    db = os.path.join(workdir, 'soak.db')
    emu = EmulatorProcess(extra_args=['--data', db]).start()
    tally = Tally()
    stop = threading.Event()
    names = ['soak-%d' % i for i in range(STREAMS)]
    setup = emu.client(max_pool_connections=4)
    for name in names:
        create_stream(setup, name, shard_count=INITIAL_SHARDS)

    threads = [threading.Thread(target=producer, args=(emu.client(), names, stop, tally, i)) for i in range(3)]
    threads += [threading.Thread(target=consumer, args=(emu.client(), name, stop, tally)) for name in names]
    threads.append(threading.Thread(target=clock_mover, args=(emu, stop, tally)))
    threads.append(threading.Thread(target=resharder, args=(emu.client(), names, stop, tally)))
    for t in threads:
        t.start()

    samples = []
    began = time.monotonic()
    end = began + args.minutes * 60
    try:
        while time.monotonic() < end and emu.running():
            time.sleep(SAMPLE_PERIOD_S)
            with tally.lock:
                counts = dict(tally.counts)
                errors = dict(tally.errors)
            sample = {'t_s': round(time.monotonic() - began, 1), 'rss_kib': rss_kib(emu.proc.pid),
                      'file_bytes': file_bytes(db), 'put': counts.get('put', 0), 'read': counts.get('read', 0),
                      'errors': errors}
            samples.append(sample)
            print('t=%6.1fs rss=%7.1f MiB file=%7.1f MiB put=%9d read=%9d errors=%s' % (
                sample['t_s'], sample['rss_kib'] / 1024, sample['file_bytes'] / 2 ** 20, sample['put'],
                sample['read'], errors), flush=True)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
        alive = emu.running()
        code = emu.stop() if alive else emu.proc.poll()

    failures = []
    if not alive:
        failures.append('the emulator died during the run: %s' % emu.stderr_text())
    if code != 0:
        failures.append('the emulator exited with %r' % code)
    failures += ['unexpected: %s' % u for u in tally.unexpected]
    rss_ok, rss_mid, rss_last = plateau(samples, 'rss_kib', RSS_SLACK_KIB)
    file_ok, file_mid, file_last = plateau(samples, 'file_bytes', FILE_SLACK_BYTES)
    if not rss_ok:
        failures.append('RSS still growing: middle third max %d KiB, last third max %d KiB' % (rss_mid, rss_last))
    if not file_ok:
        failures.append('database still growing: middle third max %d B, last third max %d B' % (file_mid, file_last))
    if tally.counts['read'] == 0 or tally.counts['put'] == 0:
        failures.append('no traffic: %s' % dict(tally.counts))

    verdict = {
        'minutes': args.minutes, 'counts': dict(tally.counts), 'errors': dict(tally.errors),
        'rss_kib': {'first': samples[0]['rss_kib'] if samples else None, 'middle_max': rss_mid,
                    'last_max': rss_last, 'end': samples[-1]['rss_kib'] if samples else None},
        'file_bytes': {'middle_max': file_mid, 'last_max': file_last,
                       'end': samples[-1]['file_bytes'] if samples else None},
        'failures': failures, 'samples': samples,
    }
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(verdict, f, indent=1)
    print(json.dumps({k: v for k, v in verdict.items() if k != 'samples'}, indent=1))
    print('SOAK %s' % ('PASSED' if not failures else 'FAILED'))
    return 0 if not failures else 1


if __name__ == '__main__':
    sys.exit(main())
