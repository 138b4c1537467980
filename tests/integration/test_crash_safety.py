"""Crash safety with --data FILE: SIGKILL at random moments under concurrent writes, restart, verify.

Every record whose PutRecord/PutRecords got a 200 must be there after the restarts exactly once, with the
sequence number and shard it was acknowledged with, in acknowledgement order per producer and shard; sequence
numbers issued after a restart must be above every one acknowledged before it; a stream whose DeleteStream got a
200 never comes back. Records that were written but not acknowledged (the kill came between commit and answer)
may or may not be there; they are ignored, except that they too must be unique.
"""

import os
import random
import shutil
import signal
import tempfile
import threading
import time
import unittest

from botocore.exceptions import ClientError

from emulator_process import EmulatorProcess, create_stream, list_all_shards, read_shard, unique_name

CYCLES = int(os.environ.get('KEMU_CRASH_CYCLES', '24'))
PRODUCERS = 4
SHARDS = 3


class Ledger:
    """What the emulator acknowledged, shared by the producer threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acked = {}            # data -> (shard id, sequence number)
        self.order = []            # (producer, shard id, data) in acknowledgement order per producer
        self.max_seq = {}          # shard id -> highest acknowledged sequence number (int)
        self.deleted = set()       # stream names whose DeleteStream got a 200
        self.restart_floor = {}    # shard id -> max_seq at the last restart
        self.below_floor = []      # acknowledgements after a restart at or below the floor
        self.errors = []           # AWS errors answered to a client thread (none are expected)

    def ack(self, producer, data, shard, seq):
        with self.lock:
            if int(seq) <= self.restart_floor.get(shard, -1):
                self.below_floor.append((shard, seq, self.restart_floor[shard]))
            self.acked[data] = (shard, seq)
            self.order.append((producer, shard, data))
            self.max_seq[shard] = max(self.max_seq.get(shard, 0), int(seq))

    def new_epoch(self):
        with self.lock:
            self.restart_floor = dict(self.max_seq)


def producer(client, stream, producer_id, cycle, ledger, stop):
    rng = random.Random(producer_id * 1000 + cycle)
    n = 0
    while not stop.is_set():
        try:
            if rng.random() < 0.5:
                data = b'c%d-p%d-n%d' % (cycle, producer_id, n)
                n += 1
                r = client.put_record(StreamName=stream, Data=data, PartitionKey='pk-%d' % rng.randrange(1000))
                ledger.ack(producer_id, data, r['ShardId'], r['SequenceNumber'])
            else:
                batch = []
                for _ in range(rng.randrange(1, 40)):
                    batch.append({'Data': b'c%d-p%d-n%d' % (cycle, producer_id, n),
                                  'PartitionKey': 'pk-%d' % rng.randrange(1000)})
                    n += 1
                r = client.put_records(StreamName=stream, Records=batch)
                for entry, result in zip(batch, r['Records']):
                    if 'SequenceNumber' in result:
                        ledger.ack(producer_id, entry['Data'], result['ShardId'], result['SequenceNumber'])
                    else:
                        with ledger.lock:
                            ledger.errors.append(result.get('ErrorCode'))
        except ClientError as e:
            with ledger.lock:
                ledger.errors.append(str(e))
            return
        except Exception:  # connection refused/reset: the process is gone
            return


def stream_churn(client, cycle, ledger, stop):
    """Creates and deletes streams; remembers every DeleteStream that got a 200."""
    i = 0
    while not stop.is_set():
        name = 'churn-c%d-%d' % (cycle, i)
        i += 1
        try:
            client.create_stream(StreamName=name, ShardCount=1)
            client.delete_stream(StreamName=name)
            with ledger.lock:
                ledger.deleted.add(name)
        except ClientError as e:
            with ledger.lock:
                ledger.errors.append(str(e))
            return
        except Exception:
            return


class CrashSafetyTest(unittest.TestCase):

    def setUp(self):
        self.tmpdir = tempfile.mkdtemp(prefix='kemu-crash-')
        self.addCleanup(shutil.rmtree, self.tmpdir, True)
        self.emu = None
        self.addCleanup(self._kill)

    def _kill(self):
        if self.emu is not None and self.emu.running():
            self.emu.kill9()

    def _start(self, db):
        self.emu = EmulatorProcess(['--data', db])
        self.emu.start()
        return self.emu

    def test_sigkill_under_concurrent_writes(self):
        started = time.monotonic()
        db = os.path.join(self.tmpdir, 'crash.db')
        ledger = Ledger()
        stream = unique_name('crash')
        emu = self._start(db)
        create_stream(emu.client(), stream, shard_count=SHARDS)
        rng = random.Random(8)
        kills = 0
        for cycle in range(CYCLES):
            clients = [emu.client() for _ in range(PRODUCERS + 1)]
            stop = threading.Event()
            threads = [threading.Thread(target=producer, args=(clients[p], stream, p, cycle, ledger, stop))
                       for p in range(PRODUCERS)]
            threads.append(threading.Thread(target=stream_churn, args=(clients[-1], cycle, ledger, stop)))
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.15, 0.7))
            self.assertEqual(emu.kill9(), -signal.SIGKILL)
            kills += 1
            stop.set()
            for t in threads:
                t.join(timeout=20)
                self.assertFalse(t.is_alive(), 'a client thread hung after the kill')
            emu.close_clients()
            ledger.new_epoch()
            emu = self._start(db)
            c = emu.client()
            # deleted streams stay deleted after every restart
            names = set(c.list_streams(Limit=10000)['StreamNames'])
            with ledger.lock:
                resurrected = sorted(ledger.deleted & names)
            self.assertEqual(resurrected, [], 'streams deleted with a 200 came back')

        c = emu.client()
        self.assertEqual(ledger.errors[:5], [], '%d calls answered with an error' % len(ledger.errors))
        self.assertEqual(ledger.below_floor, [], 'sequence numbers after a restart not above the old ones')
        self.assertGreaterEqual(kills, 20)
        self.assertGreater(len(ledger.acked), 1000, 'too few acknowledged records to prove anything')
        self.assertGreater(len(ledger.deleted), 0)

        for name in ledger.deleted:
            with self.assertRaises(ClientError) as cm:
                c.describe_stream_summary(StreamName=name)
            self.assertEqual(cm.exception.response['Error']['Code'], 'ResourceNotFoundException')

        position = {}  # data -> (shard, index in shard)
        stored = {}    # data -> (shard, seq)
        for s in list_all_shards(c, stream):
            recs = read_shard(c, stream, s['ShardId'], limit=10000)
            seqs = [int(r['SequenceNumber']) for r in recs]
            self.assertEqual(seqs, sorted(set(seqs)), 'shard %s out of order or duplicated' % s['ShardId'])
            for i, r in enumerate(recs):
                self.assertNotIn(r['Data'], stored, 'record %r stored twice' % r['Data'])
                stored[r['Data']] = (s['ShardId'], r['SequenceNumber'])
                position[r['Data']] = (s['ShardId'], i)

        missing = [d for d in ledger.acked if d not in stored]
        self.assertEqual(missing[:10], [], '%d acknowledged records lost' % len(missing))
        changed = [(d, ledger.acked[d], stored[d]) for d in ledger.acked if ledger.acked[d] != stored[d]]
        self.assertEqual(changed[:10], [], 'acknowledged records moved or renumbered')

        last = {}
        for producer_id, shard, data in ledger.order:
            key = (producer_id, shard)
            idx = position[data][1]
            self.assertGreater(idx, last.get(key, -1), 'per-producer order broken in %s' % shard)
            last[key] = idx

        elapsed = time.monotonic() - started
        print('\ncrash safety: %d SIGKILL cycles, %d acknowledged records checked (%d stored), %d deleted '
              'streams checked, %.1f s' % (kills, len(ledger.acked), len(stored), len(ledger.deleted), elapsed))


if __name__ == '__main__':
    unittest.main()
