"""SplitShard, MergeShards, UpdateShardCount: lineage, sequence numbers, readers crossing shard ends, errors."""

import collections
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from emulator_process import (DEFAULT_ACCOUNT, MAX_HASH, EmulatorProcess, EmulatorTestCase, create_stream,
                              list_all_shards, md5_hash_key, read_shard, shard_id, stream_arn, unique_name,
                              wait_for_status)

AWS = shutil.which('aws')


def seq_int(record):
    return int(record['SequenceNumber'])


class ReshardTest(EmulatorTestCase):

    def new_stream(self, shards=2, **kwargs):
        name = unique_name('reshard')
        create_stream(self.kinesis, name, shard_count=shards, **kwargs)
        return name

    def put_many(self, name, keys, tag):
        """Puts one record per key; returns [(pk, data, seq)] in put order."""
        out = []
        for pk in keys:
            data = ('%s:%s' % (tag, pk)).encode()
            resp = self.kinesis.put_record(StreamName=name, PartitionKey=pk, Data=data)
            out.append((pk, data, resp['SequenceNumber'], resp['ShardId']))
        return out

    def read_all_following_lineage(self, name):
        """A KCL-like reader: roots from TRIM_HORIZON, NextShardIterator to each shard end, then the ChildShards
        once every parent of a child is done. Returns the records in read order."""
        shards = {s['ShardId']: s for s in list_all_shards(self.kinesis, name)}
        parents = {sid: [p for p in (s.get('ParentShardId'), s.get('AdjacentParentShardId')) if p in shards]
                   for sid, s in shards.items()}
        done, queued, records = set(), collections.deque(), []
        queued.extend(sid for sid, ps in parents.items() if not ps)
        started = set(queued)
        while queued:
            sid = queued.popleft()
            it = self.kinesis.get_shard_iterator(StreamName=name, ShardId=sid,
                                                 ShardIteratorType='TRIM_HORIZON')['ShardIterator']
            children = None
            for _ in range(1000):
                resp = self.kinesis.get_records(ShardIterator=it, Limit=7)
                records.extend(resp['Records'])
                it = resp.get('NextShardIterator')
                if it is None:
                    children = resp['ChildShards']
                    break
                self.assertNotIn('ChildShards', resp)
                if not resp['Records'] and resp['MillisBehindLatest'] == 0:
                    break  # an open shard at its tip
            done.add(sid)
            if children is None:
                self.assertIsNone(shards[sid]['SequenceNumberRange'].get('EndingSequenceNumber'))
                continue
            self.assertTrue(children, 'a shard end must name its children')
            for child in children:
                self.assertIn(sid, child['ParentShards'])
                self.assertEqual(sorted(child['ParentShards']), sorted(parents[child['ShardId']]))
                if child['ShardId'] not in started and all(p in done for p in child['ParentShards']):
                    started.add(child['ShardId'])
                    queued.append(child['ShardId'])
        self.assertEqual(started, set(shards), 'every shard is reached through the lineage')
        return records

    def test_reader_crosses_a_split_and_a_merge_reading_every_record_once_in_order(self):
        name = self.new_stream(2)
        keys = ['pk-%d' % i for i in range(40)]
        written = self.put_many(name, keys, 'a')
        self.kinesis.split_shard(StreamName=name, ShardToSplit=shard_id(0),
                                 NewStartingHashKey=str(2 ** 126))
        wait_for_status(self.kinesis, name)
        written += self.put_many(name, keys, 'b')
        # children 2 ([0, 2^126-1]) and 3 ([2^126, 2^127-1]) are adjacent
        self.kinesis.merge_shards(StreamName=name, ShardToMerge=shard_id(2), AdjacentShardToMerge=shard_id(3))
        wait_for_status(self.kinesis, name)
        written += self.put_many(name, keys, 'c')

        records = self.read_all_following_lineage(name)
        got = [(r['PartitionKey'], r['Data'], r['SequenceNumber']) for r in records]
        self.assertEqual(len(got), len(written))
        self.assertEqual(sorted(got), sorted((pk, d, s) for pk, d, s, _ in written))
        by_key = collections.defaultdict(list)
        for pk, data, _ in got:
            by_key[pk].append(data)
        for pk in keys:
            self.assertEqual(by_key[pk], [('%s:%s' % (t, pk)).encode() for t in 'abc'], pk)

    def test_split_lineage_and_sequence_numbers(self):
        name = self.new_stream(1)
        before = self.put_many(name, ['x'], 'before')[0]
        self.kinesis.split_shard(StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey=str(2 ** 127))
        shards = self.kinesis.describe_stream(StreamName=name)['StreamDescription']['Shards']
        self.assertEqual([s['ShardId'] for s in shards], [shard_id(i) for i in range(3)])
        parent, low, high = shards
        self.assertIn('EndingSequenceNumber', parent['SequenceNumberRange'])
        for child in (low, high):
            self.assertEqual(child['ParentShardId'], shard_id(0))
            self.assertNotIn('AdjacentParentShardId', child)
            self.assertNotIn('EndingSequenceNumber', child['SequenceNumberRange'])
            self.assertGreater(int(child['SequenceNumberRange']['StartingSequenceNumber']),
                               int(parent['SequenceNumberRange']['EndingSequenceNumber']))
        self.assertEqual(low['HashKeyRange'], {'StartingHashKey': '0', 'EndingHashKey': str(2 ** 127 - 1)})
        self.assertEqual(high['HashKeyRange'], {'StartingHashKey': str(2 ** 127), 'EndingHashKey': str(MAX_HASH)})
        after = self.put_many(name, ['x'], 'after')[0]
        self.assertNotEqual(after[3], shard_id(0))  # new records go to a child
        self.assertGreater(int(after[2]), int(before[2]))
        expected = shard_id(1) if md5_hash_key('x') < 2 ** 127 else shard_id(2)
        self.assertEqual(after[3], expected)

    def test_merge_lineage(self):
        name = self.new_stream(3)
        self.kinesis.merge_shards(StreamName=name, ShardToMerge=shard_id(0), AdjacentShardToMerge=shard_id(1))
        shards = {s['ShardId']: s for s in list_all_shards(self.kinesis, name)}
        child = shards[shard_id(3)]
        self.assertEqual(child['ParentShardId'], shard_id(0))
        self.assertEqual(child['AdjacentParentShardId'], shard_id(1))
        self.assertEqual(child['HashKeyRange']['StartingHashKey'], shards[shard_id(0)]['HashKeyRange']['StartingHashKey'])
        self.assertEqual(child['HashKeyRange']['EndingHashKey'], shards[shard_id(1)]['HashKeyRange']['EndingHashKey'])
        for sid in (shard_id(0), shard_id(1)):
            self.assertIn('EndingSequenceNumber', shards[sid]['SequenceNumberRange'])

    def test_list_shards_filters_with_closed_shards(self):
        name = self.new_stream(2)
        self.kinesis.split_shard(StreamName=name, ShardToSplit=shard_id(1), NewStartingHashKey=str(3 * 2 ** 126))

        def ids(**kw):
            return [s['ShardId'] for s in self.kinesis.list_shards(StreamName=name, **kw)['Shards']]
        everything = [shard_id(i) for i in range(4)]
        self.assertEqual(ids(), everything)
        self.assertEqual(ids(ShardFilter={'Type': 'FROM_TRIM_HORIZON'}), everything)
        self.assertEqual(ids(ShardFilter={'Type': 'AT_LATEST'}), [shard_id(0), shard_id(2), shard_id(3)])
        # the stream is younger than its retention: AT_TRIM_HORIZON gives the shards open at creation
        self.assertEqual(ids(ShardFilter={'Type': 'AT_TRIM_HORIZON'}), [shard_id(0), shard_id(1)])
        self.assertEqual(ids(ShardFilter={'Type': 'AFTER_SHARD_ID', 'ShardId': shard_id(1)}),
                         [shard_id(2), shard_id(3)])
        self.assertEqual(ids(ShardFilter={'Type': 'FROM_TIMESTAMP', 'Timestamp': time.time() + 1}),
                         [shard_id(0), shard_id(2), shard_id(3)])

    def test_latest_iterator_on_closed_shard_is_the_shard_end(self):
        name = self.new_stream(1)
        self.put_many(name, ['a', 'b'], 'x')
        self.kinesis.split_shard(StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey=str(2 ** 127))
        it = self.kinesis.get_shard_iterator(StreamName=name, ShardId=shard_id(0),
                                             ShardIteratorType='LATEST')['ShardIterator']
        resp = self.kinesis.get_records(ShardIterator=it)
        self.assertEqual(resp['Records'], [])
        self.assertNotIn('NextShardIterator', resp)
        self.assertEqual([c['ShardId'] for c in resp['ChildShards']], [shard_id(1), shard_id(2)])
        for c in resp['ChildShards']:
            self.assertEqual(c['ParentShards'], [shard_id(0)])
        # TRIM_HORIZON on the closed parent: its records, then the shard end
        it = self.kinesis.get_shard_iterator(StreamName=name, ShardId=shard_id(0),
                                             ShardIteratorType='TRIM_HORIZON')['ShardIterator']
        resp = self.kinesis.get_records(ShardIterator=it)
        self.assertEqual(len(resp['Records']), 2)
        self.assertNotIn('NextShardIterator', resp)
        self.assertEqual(len(resp['ChildShards']), 2)

    def test_update_shard_count_doubling_halving_and_odd_targets(self):
        name = self.new_stream(2)
        resp = self.kinesis.update_shard_count(StreamName=name, TargetShardCount=4, ScalingType='UNIFORM_SCALING')
        self.assertEqual((resp['StreamName'], resp['CurrentShardCount'], resp['TargetShardCount'], resp['StreamARN']),
                         (name, 2, 4, stream_arn(name)))
        wait_for_status(self.kinesis, name)
        open_shards = self.kinesis.list_shards(StreamName=name, ShardFilter={'Type': 'AT_LATEST'})['Shards']
        self.assertEqual(len(open_shards), 4)
        starts = sorted(int(s['HashKeyRange']['StartingHashKey']) for s in open_shards)
        self.assertEqual(starts, [0, 2 ** 126, 2 ** 127, 3 * 2 ** 126])
        resp = self.kinesis.update_shard_count(StreamName=name, TargetShardCount=3, ScalingType='UNIFORM_SCALING')
        self.assertEqual(resp['CurrentShardCount'], 4)
        self.assertEqual(self.kinesis.describe_stream_summary(StreamName=name)
                         ['StreamDescriptionSummary']['OpenShardCount'], 3)
        self.kinesis.update_shard_count(StreamName=name, TargetShardCount=2, ScalingType='UNIFORM_SCALING')
        shards = list_all_shards(self.kinesis, name)
        open_shards = [s for s in shards if 'EndingSequenceNumber' not in s['SequenceNumberRange']]
        self.assertEqual(len(open_shards), 2)
        ids = {s['ShardId'] for s in shards}
        for s in shards:  # every child names existing parents, at most two
            for p in (s.get('ParentShardId'), s.get('AdjacentParentShardId')):
                if p is not None:
                    self.assertIn(p, ids)
        # the whole hash space is still covered by the open shards
        ranges = sorted((int(s['HashKeyRange']['StartingHashKey']), int(s['HashKeyRange']['EndingHashKey']))
                        for s in open_shards)
        self.assertEqual(ranges[0][0], 0)
        self.assertEqual(ranges[-1][1], MAX_HASH)
        self.assertEqual(ranges[0][1] + 1, ranges[1][0])

    # -- errors -----------------------------------------------------------------------------------------------

    def test_split_errors(self):
        name = self.new_stream(1)
        self.assertAwsError(self.kinesis.split_shard, 'ResourceNotFoundException',
                            'Could not find shard %s in stream %s under account %s.' % (shard_id(7), name,
                                                                                       DEFAULT_ACCOUNT),
                            StreamName=name, ShardToSplit=shard_id(7), NewStartingHashKey='100')
        self.assertAwsError(self.kinesis.split_shard, 'InvalidArgumentException',
                            'NewStartingHashKey 1 used in SplitShard() on shard %s in stream %s under account %s is '
                            'not both greater than one plus the shard\'s StartingHashKey 0 and less than the shard\'s '
                            'EndingHashKey %d.' % (shard_id(0), name, DEFAULT_ACCOUNT, MAX_HASH),
                            StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey='1')
        self.assertAwsError(self.kinesis_unvalidated.split_shard, 'ValidationException', StreamName=name,
                            ShardToSplit=shard_id(0), NewStartingHashKey='-1')
        self.kinesis.split_shard(StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey=str(2 ** 127))
        # AWS (the CLI trace in mhart/kinesalite#109): InvalidArgumentException, one text for split and merge
        self.assertAwsError(self.kinesis.split_shard, 'InvalidArgumentException',
                            'Shard %s in stream %s under account %s has already been merged or split, and thus is '
                            'not eligible for merging or splitting.' % (shard_id(0), name, DEFAULT_ACCOUNT),
                            StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey=str(2 ** 126))
        missing = unique_name('missing')
        self.assertAwsError(self.kinesis.split_shard, 'ResourceNotFoundException', self.not_found_message(missing),
                            StreamName=missing, ShardToSplit=shard_id(0), NewStartingHashKey='100')

    def test_shard_ids_in_not_found_messages(self):
        # kinesalite's tests recorded against AWS: a parseable id comes back in its normal form; one AWS cannot
        # parse comes back as sent, and before the stream is looked up
        name = self.new_stream(1)
        could_not_find = 'Could not find shard %s in stream %s under account %s.'
        self.assertAwsError(self.kinesis.split_shard, 'ResourceNotFoundException',
                            could_not_find % (shard_id(5), name, DEFAULT_ACCOUNT),
                            StreamName=name, ShardToSplit='shardId-5', NewStartingHashKey='100')
        self.assertAwsError(self.kinesis.merge_shards, 'ResourceNotFoundException',
                            could_not_find % (shard_id(5), name, DEFAULT_ACCOUNT),
                            StreamName=name, ShardToMerge='shard-0', AdjacentShardToMerge='shardId-5')
        missing = unique_name('missing')
        for bad in ('2147483648', 'shardId-002147483648', 'ABKLFD8', '2.14E4'):
            self.assertAwsError(self.kinesis.split_shard, 'ResourceNotFoundException',
                                could_not_find % (bad, missing, DEFAULT_ACCOUNT),
                                StreamName=missing, ShardToSplit=bad, NewStartingHashKey='0')
            self.assertAwsError(self.kinesis.merge_shards, 'ResourceNotFoundException',
                                could_not_find % (bad, missing, DEFAULT_ACCOUNT),
                                StreamName=missing, ShardToMerge='x-0', AdjacentShardToMerge=bad)
        # parseable ids on a missing stream: the stream is what is missing
        self.assertAwsError(self.kinesis.merge_shards, 'ResourceNotFoundException', self.not_found_message(missing),
                            StreamName=missing, ShardToMerge='x-0', AdjacentShardToMerge='-00002147483647')

    def test_merge_errors(self):
        name = self.new_stream(3)
        self.assertAwsError(self.kinesis.merge_shards, 'InvalidArgumentException',
                            'Shards %s and %s in stream %s under account %s are not an adjacent pair of shards '
                            'eligible for merging' % (shard_id(0), shard_id(2), name, DEFAULT_ACCOUNT),
                            StreamName=name, ShardToMerge=shard_id(0), AdjacentShardToMerge=shard_id(2))
        self.assertAwsError(self.kinesis.merge_shards, 'ResourceNotFoundException',
                            'Could not find shard %s in stream %s under account %s.' % (shard_id(9), name,
                                                                                       DEFAULT_ACCOUNT),
                            StreamName=name, ShardToMerge=shard_id(0), AdjacentShardToMerge=shard_id(9))
        # AWS takes ShardToMerge as the lower range (kinesalite's "adjacency is inverted" test against AWS)
        self.assertAwsError(self.kinesis.merge_shards, 'InvalidArgumentException',
                            'Shards %s and %s in stream %s under account %s are not an adjacent pair of shards '
                            'eligible for merging' % (shard_id(1), shard_id(0), name, DEFAULT_ACCOUNT),
                            StreamName=name, ShardToMerge=shard_id(1), AdjacentShardToMerge=shard_id(0))
        self.kinesis.merge_shards(StreamName=name, ShardToMerge=shard_id(0), AdjacentShardToMerge=shard_id(1))
        self.assertAwsError(self.kinesis.merge_shards, 'InvalidArgumentException',
                            'Shard %s in stream %s under account %s has already been merged or split, and thus is '
                            'not eligible for merging or splitting.' % (shard_id(1), name, DEFAULT_ACCOUNT),
                            StreamName=name, ShardToMerge=shard_id(1), AdjacentShardToMerge=shard_id(2))

    def test_update_shard_count_bounds(self):
        name = self.new_stream(2)
        self.assertAwsError(self.kinesis.update_shard_count, 'LimitExceededException',
                            message_regex='scale up over double', StreamName=name, TargetShardCount=5,
                            ScalingType='UNIFORM_SCALING')
        name4 = self.new_stream(4)
        self.assertAwsError(self.kinesis.update_shard_count, 'LimitExceededException',
                            message_regex='scale down below half', StreamName=name4, TargetShardCount=1,
                            ScalingType='UNIFORM_SCALING')
        self.assertAwsError(self.kinesis_unvalidated.update_shard_count, 'ValidationException', StreamName=name,
                            TargetShardCount=0, ScalingType='UNIFORM_SCALING')
        self.assertAwsError(self.kinesis_unvalidated.update_shard_count, 'ValidationException', StreamName=name,
                            TargetShardCount=3, ScalingType='OTHER')

    def test_on_demand_streams_cannot_be_resharded(self):
        name = unique_name('od')
        create_stream(self.kinesis, name, mode='ON_DEMAND')
        msg = 'Request is invalid. Stream %s under account %s is in On-Demand mode.' % (name, DEFAULT_ACCOUNT)
        self.assertAwsError(self.kinesis.split_shard, 'ValidationException', msg, StreamName=name,
                            ShardToSplit=shard_id(0), NewStartingHashKey=str(2 ** 60))
        self.assertAwsError(self.kinesis.merge_shards, 'ValidationException', msg, StreamName=name,
                            ShardToMerge=shard_id(0), AdjacentShardToMerge=shard_id(1))
        self.assertAwsError(self.kinesis.update_shard_count, 'ValidationException', msg, StreamName=name,
                            TargetShardCount=8, ScalingType='UNIFORM_SCALING')


class ReshardDelayTest(EmulatorTestCase):
    """--update-stream-ms: the stream stays UPDATING, and only one reshard runs at a time."""

    emulator_args = ('--update-stream-ms', '1500', '--shard-limit', '4')

    def test_one_reshard_at_a_time(self):
        name = unique_name('busy')
        create_stream(self.kinesis, name, shard_count=2)
        self.kinesis.split_shard(StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey=str(2 ** 126))
        self.assertEqual(self.kinesis.describe_stream_summary(StreamName=name)
                         ['StreamDescriptionSummary']['StreamStatus'], 'UPDATING')
        busy = 'Stream %s under account %s not ACTIVE, instead in state UPDATING' % (name, DEFAULT_ACCOUNT)
        self.assertAwsError(self.kinesis.merge_shards, 'ResourceInUseException', busy, StreamName=name,
                            ShardToMerge=shard_id(2), AdjacentShardToMerge=shard_id(3))
        self.assertAwsError(self.kinesis.update_shard_count, 'ResourceInUseException', busy, StreamName=name,
                            TargetShardCount=4, ScalingType='UNIFORM_SCALING')
        # reads and writes continue while UPDATING
        self.kinesis.put_record(StreamName=name, PartitionKey='k', Data=b'v')
        wait_for_status(self.kinesis, name, 'ACTIVE')
        self.kinesis.merge_shards(StreamName=name, ShardToMerge=shard_id(2), AdjacentShardToMerge=shard_id(3))

    def test_shard_limit(self):
        account = '111122223333'  # an account of its own: the limit is per account and region
        client = self.emu.client(access_key=account)
        name = unique_name('limit')
        create_stream(client, name, shard_count=3)
        err = self.assertAwsError(client.update_shard_count, 'LimitExceededException',
                                  StreamName=name, TargetShardCount=5, ScalingType='UNIFORM_SCALING')
        self.assertEqual(err.response['Error']['Message'],
                         'This request would exceed the shard limit for the account %s in us-east-1. Current shard '
                         'count for the account: 3. Limit: 4. Number of additional shards that would have resulted '
                         'from this request: 2. Refer to the AWS Service Limits page '
                         '(http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits '
                         'and how to request higher limits.' % account)
        # reaching the limit exactly is allowed
        client.split_shard(StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey=str(2 ** 120))
        # the split is pending (the parent is still the open shard), but its new shard already counts
        self.assertEqual(client.describe_limits()['OpenShardCount'], 3)
        self.assertAwsError(client.create_stream, 'LimitExceededException',
                            message_regex='Current shard count for the account: 4. Limit: 4.',
                            StreamName=unique_name('over'), ShardCount=1)
        wait_for_status(client, name, 'ACTIVE')
        self.assertEqual(client.describe_limits()['OpenShardCount'], 4)



class ReshardTimingTest(EmulatorTestCase):
    """AWS applies a reshard when the stream is ACTIVE again: while UPDATING the parents stay open and take the
    writes, the children do not exist yet (kinesalite's merge and split tests, run against AWS). The clock is
    moved through the admin endpoint instead of sleeping out --update-stream-ms."""

    UPDATE_MS = 60000
    emulator_args = ('--update-stream-ms', str(UPDATE_MS))

    def finish_update(self, name):
        resp = self.emu.admin('POST', 'clock', {'advance_ms': self.UPDATE_MS})
        self.assertEqual(resp.status, 200, resp)
        return wait_for_status(self.kinesis, name, 'ACTIVE', timeout=2)

    def shards(self, name):
        return self.kinesis.describe_stream(StreamName=name)['StreamDescription']['Shards']

    def test_split_children_appear_when_the_stream_is_active_again(self):
        name = unique_name('split')
        create_stream(self.kinesis, name, shard_count=1)
        self.kinesis.split_shard(StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey=str(2 ** 127))
        description = self.kinesis.describe_stream(StreamName=name)['StreamDescription']
        self.assertEqual(description['StreamStatus'], 'UPDATING')
        self.assertEqual([s['ShardId'] for s in description['Shards']], [shard_id(0)])
        self.assertNotIn('EndingSequenceNumber', description['Shards'][0]['SequenceNumberRange'])
        self.assertEqual([s['ShardId'] for s in self.kinesis.list_shards(StreamName=name)['Shards']], [shard_id(0)])
        # the parent takes the writes while UPDATING, and a reader of it keeps getting iterators
        it = self.kinesis.get_shard_iterator(StreamName=name, ShardId=shard_id(0),
                                             ShardIteratorType='TRIM_HORIZON')['ShardIterator']
        during = self.kinesis.put_record(StreamName=name, PartitionKey='a', Data=b'during')
        self.assertEqual(during['ShardId'], shard_id(0))
        resp = self.kinesis.get_records(ShardIterator=it)
        self.assertEqual([r['Data'] for r in resp['Records']], [b'during'])
        self.assertIn('NextShardIterator', resp)
        self.assertNotIn('ChildShards', resp)
        it = resp['NextShardIterator']

        self.finish_update(name)
        parent, low, high = self.shards(name)
        self.assertIn('EndingSequenceNumber', parent['SequenceNumberRange'])
        self.assertEqual((low['ParentShardId'], high['ParentShardId']), (shard_id(0), shard_id(0)))
        self.assertEqual(high['HashKeyRange']['StartingHashKey'], str(2 ** 127))
        # the iterator taken while the parent was open now reaches its end
        resp = self.kinesis.get_records(ShardIterator=it)
        self.assertEqual(resp['Records'], [])
        self.assertNotIn('NextShardIterator', resp)
        self.assertEqual([c['ShardId'] for c in resp['ChildShards']], [shard_id(1), shard_id(2)])
        after = self.kinesis.put_record(StreamName=name, PartitionKey='a', Data=b'after')
        self.assertIn(after['ShardId'], (shard_id(1), shard_id(2)))
        self.assertGreater(int(after['SequenceNumber']), int(during['SequenceNumber']))

    def test_merge_closes_both_parents_when_the_stream_is_active_again(self):
        name = unique_name('merge')
        create_stream(self.kinesis, name, shard_count=3)
        self.kinesis.merge_shards(StreamName=name, ShardToMerge=shard_id(0), AdjacentShardToMerge=shard_id(1))
        # as in kinesalite's merge test against AWS: a record for shard 1's range still goes to shard 1
        starting = self.shards(name)[1]['HashKeyRange']['StartingHashKey']
        put = self.kinesis.put_record(StreamName=name, PartitionKey='a', Data=b'x', ExplicitHashKey=starting)
        self.assertEqual(put['ShardId'], shard_id(1))
        self.assertEqual(len(self.shards(name)), 3)
        self.finish_update(name)
        shards = self.shards(name)
        self.assertEqual(len(shards), 4)
        for parent in shards[:2]:
            self.assertIn('EndingSequenceNumber', parent['SequenceNumberRange'])
        self.assertEqual((shards[3]['ParentShardId'], shards[3]['AdjacentParentShardId']),
                         (shard_id(0), shard_id(1)))

    def test_update_shard_count_applies_when_the_stream_is_active_again(self):
        name = unique_name('scale')
        create_stream(self.kinesis, name, shard_count=2)
        resp = self.kinesis.update_shard_count(StreamName=name, TargetShardCount=4, ScalingType='UNIFORM_SCALING')
        self.assertEqual((resp['CurrentShardCount'], resp['TargetShardCount']), (2, 4))
        summary = self.kinesis.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']
        self.assertEqual((summary['StreamStatus'], summary['OpenShardCount']), ('UPDATING', 2))
        self.assertEqual(self.finish_update(name)['OpenShardCount'], 4)
        self.assertEqual(len(list_all_shards(self.kinesis, name)), 6)


class PendingReshardRestartTest(unittest.TestCase):
    """A --data file keeps a reshard that is still pending: after a kill -9 in the UPDATING period the stream is
    still UPDATING with its parent open, and the reshard applies when the period ends, losing no record."""

    def setUp(self):
        tmpdir = tempfile.mkdtemp(prefix='kemu-reshard-')
        self.addCleanup(shutil.rmtree, tmpdir, True)
        self.db = os.path.join(tmpdir, 'k.db')
        self.emu = None
        self.addCleanup(self._stop)

    def _stop(self):
        if self.emu is not None and self.emu.running():
            self.emu.kill9()

    def start(self, *args):
        self.emu = EmulatorProcess(['--data', self.db] + list(args)).start()
        return self.emu.client()

    def test_kill_9_while_a_split_is_pending(self):
        kinesis = self.start('--update-stream-ms', '60000')
        name = unique_name('pending')
        create_stream(kinesis, name, shard_count=2)
        sent = []

        def put(tag):
            for i in range(5):
                data = ('%s-%d' % (tag, i)).encode()
                resp = kinesis.put_record(StreamName=name, PartitionKey='k%d' % i, Data=data,
                                          ExplicitHashKey=str(2 ** 125 + i))  # all in shard 0's range
                self.assertEqual(resp['ShardId'], shard_id(0))
                sent.append(data)

        put('before')
        kinesis.split_shard(StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey=str(2 ** 126))
        put('pending')
        self.assertEqual(self.emu.kill9(), -signal.SIGKILL)

        # Restarted (without a delay of its own): the persisted transition time still holds.
        kinesis = self.start()
        summary = kinesis.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']
        self.assertEqual((summary['StreamStatus'], summary['OpenShardCount']), ('UPDATING', 2))
        put('restarted')
        self.assertEqual(self.emu.admin('POST', '/_emulator/clock', {'advance_ms': 60000}).status, 200)
        wait_for_status(kinesis, name, 'ACTIVE', timeout=2)
        shards = list_all_shards(kinesis, name)
        self.assertEqual([s['ShardId'] for s in shards], [shard_id(i) for i in range(4)])
        self.assertIn('EndingSequenceNumber', shards[0]['SequenceNumberRange'])
        self.assertEqual({shards[2].get('ParentShardId'), shards[3].get('ParentShardId')}, {shard_id(0)})
        self.assertEqual([r['Data'] for r in read_shard(kinesis, name, shard_id(0))], sent)
        it = kinesis.get_shard_iterator(StreamName=name, ShardId=shard_id(0),
                                        ShardIteratorType='LATEST')['ShardIterator']
        resp = kinesis.get_records(ShardIterator=it)
        self.assertNotIn('NextShardIterator', resp)
        self.assertEqual([c['ShardId'] for c in resp['ChildShards']], [shard_id(2), shard_id(3)])

        # the applied reshard is what the file keeps from now on
        self.assertEqual(self.emu.stop(), 0)
        kinesis = self.start()
        summary = kinesis.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']
        self.assertEqual((summary['StreamStatus'], summary['OpenShardCount']), ('ACTIVE', 3))
        self.assertEqual(len(list_all_shards(kinesis, name)), 4)


@unittest.skipIf(AWS is None, 'aws CLI not on PATH')
class ReshardCliTest(EmulatorTestCase):

    def test_split_and_update_shard_count_through_the_cli(self):
        name = unique_name('cli')
        create_stream(self.kinesis, name, shard_count=1)
        env = {k: v for k, v in os.environ.items() if not k.startswith('AWS_')}
        env.update({'AWS_ACCESS_KEY_ID': 'AKIAEXAMPLE', 'AWS_SECRET_ACCESS_KEY': 'x', 'AWS_DEFAULT_REGION': 'us-east-1',
                    'AWS_CONFIG_FILE': os.devnull, 'AWS_SHARED_CREDENTIALS_FILE': os.devnull, 'AWS_PAGER': ''})
        base = [AWS, '--endpoint-url', self.emu.endpoint, '--output', 'json', 'kinesis']
        subprocess.run(base + ['split-shard', '--stream-name', name, '--shard-to-split', shard_id(0),
                               '--new-starting-hash-key', str(2 ** 127)], env=env, check=True, capture_output=True,
                       timeout=120)
        out = subprocess.run(base + ['update-shard-count', '--stream-name', name, '--target-shard-count', '3',
                                     '--scaling-type', 'UNIFORM_SCALING'], env=env, check=True, capture_output=True,
                             text=True, timeout=120).stdout
        self.assertIn('"TargetShardCount": 3', out)
        self.assertEqual(self.kinesis.describe_stream_summary(StreamName=name)
                         ['StreamDescriptionSummary']['OpenShardCount'], 3)


if __name__ == '__main__':
    unittest.main()
