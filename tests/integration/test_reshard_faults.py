"""split-shard and merge-shards faults: a stream is resharded under a reader, which must still read every record
exactly once, in order per partition key, by following NextShardIterator and ChildShards as KCL does."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emulator_process import EmulatorTestCase  # noqa: E402


class LineageReader:
    """Reads a stream the way KCL does: parents before children, each shard to its end (ChildShards)."""

    def __init__(self, kinesis, stream, on_get_records=None):
        self.kinesis, self.stream = kinesis, stream
        self.on_get_records = on_get_records or (lambda calls: None)
        self.records = []
        self.calls = 0
        self.shard_ends = {}

    def read(self):
        shards = {s['ShardId']: s for s in self.kinesis.list_shards(StreamName=self.stream)['Shards']}
        done = set()
        while True:
            ready = [sid for sid, s in sorted(shards.items()) if sid not in done and all(
                p in done or p not in shards for p in (s.get('ParentShardId'), s.get('AdjacentParentShardId')) if p)]
            if not ready:
                return self.records
            sid = ready[0]
            it = self.kinesis.get_shard_iterator(StreamName=self.stream, ShardId=sid,
                                                 ShardIteratorType='TRIM_HORIZON')['ShardIterator']
            while True:
                self.calls += 1
                self.on_get_records(self.calls)
                out = self.kinesis.get_records(ShardIterator=it, Limit=7)
                self.records.extend((sid, r) for r in out['Records'])
                if 'NextShardIterator' not in out:
                    children = out.get('ChildShards', [])
                    assert children, 'a closed shard must end with ChildShards'
                    self.shard_ends[sid] = children
                    for child in children:
                        assert child['ParentShards'], child
                        shards.setdefault(child['ShardId'], {'ShardId': child['ShardId'],
                                                             'ParentShardId': child['ParentShards'][0],
                                                             'AdjacentParentShardId': (child['ParentShards'][1:] or [None])[0]})
                    break
                if not out['Records'] and out['MillisBehindLatest'] == 0:
                    break  # open shard, caught up
                it = out['NextShardIterator']
            done.add(sid)


class ReshardFaultTest(EmulatorTestCase):
    def put(self, stream, keys, tag):
        for i, key in enumerate(keys):
            self.kinesis.put_record(StreamName=stream, PartitionKey=key, Data=('%s:%s:%d' % (tag, key, i)).encode())

    def test_split_under_a_reader_loses_and_repeats_nothing(self):
        self.kinesis.create_stream(StreamName='split', ShardCount=1)
        keys = ['key-%d' % (i % 6) for i in range(30)]
        self.put('split', keys, 'before')
        rule = self.emu.admin('POST', '/_emulator/faults', {
            'plugin': 'split-shard', 'match': {'operation': 'GetRecords', 'stream': 'split'}, 'after': 1, 'count': 1}).json()

        def more_records(calls):
            if calls == 3:  # after the split: these go to the children
                self.put('split', keys[:12], 'after')

        reader = LineageReader(self.kinesis, 'split', more_records)
        records = reader.read()
        data = [r['Data'].decode() for _, r in records]
        self.assertEqual(len(data), 42)
        self.assertEqual(len(set(data)), 42)  # exactly once
        self.assertEqual(self.emu.admin('GET', '/_emulator/faults/' + rule['id']).json()['fired'], 1)
        # The parent ended with both children, each naming it as parent.
        parent_end = reader.shard_ends['shardId-000000000000']
        self.assertEqual(sorted(c['ShardId'] for c in parent_end), ['shardId-000000000001', 'shardId-000000000002'])
        for c in parent_end:
            self.assertEqual(c['ParentShards'], ['shardId-000000000000'])
        # Order per partition key: sequence numbers increase, and no "after" record precedes a "before" one.
        by_key = {}
        for sid, r in records:
            by_key.setdefault(r['PartitionKey'], []).append((int(r['SequenceNumber']), r['Data'].decode()))
        for key, items in by_key.items():
            self.assertEqual([s for s, _ in items], sorted(s for s, _ in items), key)
            phases = [d.split(':')[0] for _, d in items]
            self.assertEqual(phases, sorted(phases, key=lambda p: p != 'before'), key)
        shards = self.kinesis.list_shards(StreamName='split')['Shards']
        self.assertEqual(len(shards), 3)
        self.assertIn('EndingSequenceNumber', shards[0]['SequenceNumberRange'])

    def test_split_point_can_be_chosen(self):
        self.kinesis.create_stream(StreamName='split-at', ShardCount=1)
        self.emu.admin('POST', '/_emulator/faults', {
            'plugin': 'split-shard', 'match': {'operation': 'GetShardIterator'}, 'count': 1,
            'params': {'new_starting_hash_key': '1000'}})
        self.kinesis.get_shard_iterator(StreamName='split-at', ShardId='shardId-000000000000',
                                        ShardIteratorType='LATEST')
        children = [s for s in self.kinesis.list_shards(StreamName='split-at')['Shards'] if 'ParentShardId' in s]
        self.assertEqual([c['HashKeyRange']['StartingHashKey'] for c in children], ['0', '1000'])

    def test_merge_under_a_reader(self):
        self.kinesis.create_stream(StreamName='merge', ShardCount=2)
        keys = ['m-%d' % i for i in range(20)]
        self.put('merge', keys, 'before')
        self.emu.admin('POST', '/_emulator/faults', {
            'plugin': 'merge-shards', 'match': {'operation': 'GetRecords', 'shard': 'shardId-000000000000'},
            'count': 1})

        def more_records(calls):
            if calls == 2:
                self.put('merge', keys[:5], 'after')

        reader = LineageReader(self.kinesis, 'merge', more_records)
        data = [r['Data'].decode() for _, r in reader.read()]
        self.assertEqual(len(data), 25)
        self.assertEqual(len(set(data)), 25)
        for parent in ('shardId-000000000000', 'shardId-000000000001'):
            self.assertEqual([(c['ShardId'], c['ParentShards']) for c in reader.shard_ends[parent]],
                             [('shardId-000000000002', ['shardId-000000000000', 'shardId-000000000001'])])

    def test_split_and_merge_on_put_record_reshard_the_routed_shard(self):
        # PutRecord names no shard: the fault applies to the shard its partition key routes to, and the record
        # then lands in the child that owns its key (the Java SDK and KCL interop suites inject it this way).
        self.kinesis.create_stream(StreamName='put-split', ShardCount=2)
        self.emu.admin('POST', '/_emulator/faults', {
            'plugin': 'split-shard', 'match': {'operation': 'PutRecord', 'stream': 'put-split'}, 'count': 1})
        out = self.kinesis.put_record(StreamName='put-split', PartitionKey='k', Data=b'x')
        shards = self.kinesis.list_shards(StreamName='put-split')['Shards']
        self.assertEqual(len(shards), 4)
        closed = [s['ShardId'] for s in shards if 'EndingSequenceNumber' in s['SequenceNumberRange']]
        self.assertEqual(len(closed), 1)
        self.assertIn(out['ShardId'], [s['ShardId'] for s in shards if s.get('ParentShardId') == closed[0]])
        self.emu.admin('DELETE', '/_emulator/faults')
        self.emu.admin('POST', '/_emulator/faults', {
            'plugin': 'merge-shards', 'match': {'operation': 'PutRecord', 'stream': 'put-split'}, 'count': 1})
        self.kinesis.put_record(StreamName='put-split', PartitionKey='k', Data=b'y')
        shards = self.kinesis.list_shards(StreamName='put-split')['Shards']
        self.assertEqual(len(shards), 5)

    def test_bad_split_point_is_refused(self):
        resp = self.emu.admin('POST', '/_emulator/faults', {'plugin': 'split-shard',
                                                            'params': {'new_starting_hash_key': 'middle'}})
        self.assertEqual(resp.status, 400)
        self.assertIn('params.new_starting_hash_key', resp.json()['message'])


class ReshardFaultWithUpdateDelayTest(EmulatorTestCase):
    """The faults reshard at once even when --update-stream-ms makes the SplitShard/MergeShards API wait."""

    emulator_args = ('--update-stream-ms', '60000')

    def test_split_and_merge_faults_take_effect_at_once(self):
        self.kinesis.create_stream(StreamName='now', ShardCount=2)
        # split shard 0 (children 2 and 3), then merge child 2 with the next open shard, 3 (child 4)
        for plugin, shard, count in (('split-shard', 0, 4), ('merge-shards', 2, 5)):
            self.emu.admin('POST', '/_emulator/faults', {
                'plugin': plugin, 'match': {'operation': 'GetShardIterator', 'stream': 'now'}, 'count': 1})
            self.kinesis.get_shard_iterator(StreamName='now', ShardId='shardId-%012d' % shard,
                                            ShardIteratorType='LATEST')
            shards = self.kinesis.list_shards(StreamName='now')['Shards']
            self.assertEqual(len(shards), count, plugin)
            self.assertIn('EndingSequenceNumber', shards[shard]['SequenceNumberRange'])
            # the stream is UPDATING for the configured delay, as after any reshard
            self.emu.admin('POST', '/_emulator/clock', {'advance_ms': 60000})


if __name__ == '__main__':
    unittest.main()
