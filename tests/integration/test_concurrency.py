"""Many simultaneous keep-alive clients: none may be stalled behind the others' idle connections."""

import http.client
import threading
import time
import unittest

from emulator_process import EmulatorTestCase, create_stream, list_all_shards, read_shard, unique_name

# A stalled connection waits for some other connection's keep-alive timeout (typically 5 s);
# any single call taking this long means the server is not serving every connection at once.
MAX_CALL_SECONDS = 3.0


class ConcurrencyTest(EmulatorTestCase):

    def run_threads(self, n, target, timeout=90):
        errors = []

        def wrapper(i):
            try:
                target(i)
            except BaseException as e:  # noqa: B902 - report everything from worker threads
                errors.append((i, repr(e)))
                for b in getattr(self, '_barriers', ()):
                    b.abort()

        threads = [threading.Thread(target=wrapper, args=(i,), daemon=True) for i in range(n)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(max(0.0, timeout - (time.monotonic() - started)))
        elapsed = time.monotonic() - started
        alive = [i for i, t in enumerate(threads) if t.is_alive()]
        self.assertEqual(alive, [], 'threads still running after %.1f s' % elapsed)
        self.assertEqual(errors, [])
        return elapsed

    def test_64_boto3_clients_keep_alive(self):
        threads, rounds = 64, 10
        name = unique_name('conc')
        create_stream(self.kinesis, name, shard_count=4)
        # clients are created up front (boto3 sessions are not thread-safe); one connection each
        clients = [self.emu.client(max_pool_connections=1) for _ in range(threads)]
        opened = threading.Barrier(threads, timeout=60)
        finished = threading.Barrier(threads, timeout=60)
        self._barriers = (opened, finished)
        latencies = []
        seqs = []
        lock = threading.Lock()

        def timed(fn, **kw):
            t0 = time.monotonic()
            out = fn(**kw)
            with lock:
                latencies.append(time.monotonic() - t0)
            return out

        def worker(i):
            c = clients[i]
            timed(c.list_shards, StreamName=name)
            opened.wait()  # now 64 keep-alive connections are open at the same time
            for r in range(rounds):
                put = timed(c.put_record, StreamName=name, Data=b'%d-%d' % (i, r), PartitionKey='t%d' % i)
                with lock:
                    seqs.append(put['SequenceNumber'])
                self.assertEqual(len(timed(c.list_shards, StreamName=name)['Shards']), 4)
            finished.wait()  # keep every connection open until all are done

        elapsed = self.run_threads(threads, worker, timeout=90)
        self.assertLess(elapsed, 60.0)
        self.assertEqual(len(latencies), threads * (1 + 2 * rounds))
        self.assertLess(max(latencies), MAX_CALL_SECONDS,
                        'slowest call %.2f s (p50 %.3f s)' % (max(latencies), sorted(latencies)[len(latencies) // 2]))
        self.assertEqual(len(seqs), threads * rounds)
        self.assertEqual(len(set(seqs)), threads * rounds)
        stored = []
        for s in list_all_shards(self.kinesis, name):
            stored += [r['SequenceNumber'] for r in read_shard(self.kinesis, name, s['ShardId'])]
        self.assertEqual(sorted(stored), sorted(seqs))

    def test_new_connection_served_while_many_idle(self):
        # open many keep-alive connections, leave them idle, then a fresh connection must be answered at once
        conns = []
        try:
            for i in range(64):
                conn = http.client.HTTPConnection('127.0.0.1', self.emu.port, timeout=MAX_CALL_SECONDS)
                conns.append(conn)
                t0 = time.monotonic()
                resp = self.emu.raw(operation='ListStreams', body={}, connection=conn)
                self.assertEqual(resp.status, 200, 'connection %d: %r' % (i, resp))
                self.assertLess(time.monotonic() - t0, MAX_CALL_SECONDS, 'connection %d stalled' % i)
            fresh = http.client.HTTPConnection('127.0.0.1', self.emu.port, timeout=MAX_CALL_SECONDS)
            conns.append(fresh)
            t0 = time.monotonic()
            resp = self.emu.raw(operation='ListStreams', body={}, connection=fresh)
            self.assertEqual(resp.status, 200, resp)
            self.assertLess(time.monotonic() - t0, MAX_CALL_SECONDS)
            # the idle connections still work (second request on each, newest first)
            for i, conn in reversed(list(enumerate(conns[:-1]))):
                t0 = time.monotonic()
                resp = self.emu.raw(operation='ListStreams', body={}, connection=conn)
                self.assertEqual(resp.status, 200, 'connection %d: %r' % (i, resp))
                self.assertLess(time.monotonic() - t0, MAX_CALL_SECONDS, 'connection %d stalled' % i)
        finally:
            for c in conns:
                c.close()

    def test_concurrent_put_records_one_shard(self):
        threads, batches, size = 16, 5, 100
        name = unique_name('conc-batch')
        create_stream(self.kinesis, name, shard_count=1)
        clients = [self.emu.client(max_pool_connections=1) for _ in range(threads)]
        self._barriers = ()

        def worker(i):
            c = clients[i]
            for b in range(batches):
                resp = c.put_records(StreamName=name, Records=[
                    {'Data': b'%02d:%05d' % (i, b * size + k), 'PartitionKey': 'p%d' % i} for k in range(size)])
                self.assertEqual(resp['FailedRecordCount'], 0)

        self.run_threads(threads, worker, timeout=90)
        recs = read_shard(self.kinesis, name, 'shardId-000000000000')
        self.assertEqual(len(recs), threads * batches * size)
        seqs = [int(r['SequenceNumber']) for r in recs]
        self.assertEqual(seqs, sorted(seqs))
        self.assertEqual(len(set(seqs)), len(seqs))
        # each writer's records appear in the order it wrote them
        per_writer = {}
        for r in recs:
            w, n = r['Data'].decode().split(':')
            per_writer.setdefault(w, []).append(int(n))
        self.assertEqual(len(per_writer), threads)
        for w, ns in per_writer.items():
            self.assertEqual(ns, list(range(batches * size)), 'writer %s' % w)


if __name__ == '__main__':
    unittest.main()
