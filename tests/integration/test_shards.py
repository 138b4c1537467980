"""ListShards: paging, ExclusiveStartShardId, ShardFilter."""

import datetime
import time
import unittest

from botocore.exceptions import ClientError

from emulator_process import (EmulatorTestCase, create_stream, expected_ranges, shard_id, stream_arn, unique_name,
                              utcnow)

ALL5 = [shard_id(i) for i in range(5)]


class ListShardsTest(EmulatorTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.name = unique_name('shards')
        create_stream(cls.kinesis, cls.name, shard_count=5)
        time.sleep(0.01)

    def ids(self, resp):
        return [s['ShardId'] for s in resp['Shards']]

    def test_all_shards(self):
        resp = self.kinesis.list_shards(StreamName=self.name)
        self.assertEqual(self.ids(resp), ALL5)
        self.assertNotIn('NextToken', resp)
        got = [(int(s['HashKeyRange']['StartingHashKey']), int(s['HashKeyRange']['EndingHashKey']))
               for s in resp['Shards']]
        self.assertEqual(got, expected_ranges(5))
        for s in resp['Shards']:
            self.assertIn('StartingSequenceNumber', s['SequenceNumberRange'])
            self.assertNotIn('EndingSequenceNumber', s['SequenceNumberRange'])

    def test_by_arn(self):
        resp = self.kinesis.list_shards(StreamARN=stream_arn(self.name))
        self.assertEqual(self.ids(resp), ALL5)

    def test_max_results_paging(self):
        page1 = self.kinesis.list_shards(StreamName=self.name, MaxResults=2)
        self.assertEqual(self.ids(page1), ALL5[:2])
        self.assertTrue(page1.get('NextToken'))
        # later pages send NextToken alone (what KCL and the KPL do)
        page2 = self.kinesis.list_shards(NextToken=page1['NextToken'], MaxResults=2)
        self.assertEqual(self.ids(page2), ALL5[2:4])
        self.assertTrue(page2.get('NextToken'))
        page3 = self.kinesis.list_shards(NextToken=page2['NextToken'], MaxResults=2)
        self.assertEqual(self.ids(page3), ALL5[4:])
        self.assertNotIn('NextToken', page3)

    def test_next_token_without_max_results(self):
        page1 = self.kinesis.list_shards(StreamName=self.name, MaxResults=1)
        self.assertEqual(self.ids(page1), ALL5[:1])
        rest = self.kinesis.list_shards(NextToken=page1['NextToken'])
        self.assertEqual(self.ids(rest), ALL5[1:])
        self.assertNotIn('NextToken', rest)

    def test_max_results_one_walks_every_shard(self):
        seen = []
        resp = self.kinesis.list_shards(StreamName=self.name, MaxResults=1)
        seen += self.ids(resp)
        while resp.get('NextToken'):
            resp = self.kinesis.list_shards(NextToken=resp['NextToken'], MaxResults=1)
            seen += self.ids(resp)
            self.assertLessEqual(len(seen), 10)
        self.assertEqual(seen, ALL5)

    # (boto3's list_shards paginator resends StreamName with NextToken, which real Kinesis rejects,
    # so paging is tested by hand above.)

    def test_next_token_with_stream_name(self):
        page1 = self.kinesis.list_shards(StreamName=self.name, MaxResults=2)
        self.assertAwsError(self.kinesis.list_shards, 'InvalidArgumentException',
                            'NextToken and StreamName cannot be provided together.',
                            StreamName=self.name, NextToken=page1['NextToken'])

    def test_neither_next_token_nor_stream(self):
        self.assertAwsError(self.kinesis.list_shards, 'InvalidArgumentException')

    def test_garbage_next_token(self):
        with self.assertRaises(ClientError) as cm:
            self.kinesis.list_shards(NextToken='definitely-not-a-token')
        err = cm.exception.response
        self.assertIn(err['Error']['Code'], ('InvalidArgumentException', 'ExpiredNextTokenException'), err)
        self.assertEqual(err['ResponseMetadata']['HTTPStatusCode'], 400)

    def test_exclusive_start_shard_id(self):
        resp = self.kinesis.list_shards(StreamName=self.name, ExclusiveStartShardId=shard_id(1))
        self.assertEqual(self.ids(resp), ALL5[2:])

    def test_exclusive_start_shard_id_with_max_results(self):
        resp = self.kinesis.list_shards(StreamName=self.name, ExclusiveStartShardId=shard_id(0), MaxResults=2)
        self.assertEqual(self.ids(resp), ALL5[1:3])
        self.assertTrue(resp.get('NextToken'))
        rest = self.kinesis.list_shards(NextToken=resp['NextToken'])
        self.assertEqual(self.ids(rest), ALL5[3:])

    def test_exclusive_start_last_shard(self):
        resp = self.kinesis.list_shards(StreamName=self.name, ExclusiveStartShardId=shard_id(4))
        self.assertEqual(resp['Shards'], [])

    def test_unknown_stream(self):
        name = unique_name('missing')
        self.assertAwsError(self.kinesis.list_shards, 'ResourceNotFoundException', self.not_found_message(name),
                            StreamName=name)

    def test_max_results_out_of_range(self):
        self.assertAwsError(self.kinesis_unvalidated.list_shards, 'ValidationException',
                            "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: "
                            "Member must have value greater than or equal to 1",
                            StreamName=self.name, MaxResults=0)

    # -- ShardFilter -----------------------------------------------------------

    def filtered(self, **shard_filter):
        return self.ids(self.kinesis.list_shards(StreamName=self.name, ShardFilter=shard_filter))

    def test_filter_at_latest(self):
        self.assertEqual(self.filtered(Type='AT_LATEST'), ALL5)

    def test_filter_at_trim_horizon(self):
        self.assertEqual(self.filtered(Type='AT_TRIM_HORIZON'), ALL5)

    def test_filter_from_trim_horizon(self):
        self.assertEqual(self.filtered(Type='FROM_TRIM_HORIZON'), ALL5)

    def test_filter_after_shard_id(self):
        self.assertEqual(self.filtered(Type='AFTER_SHARD_ID', ShardId=shard_id(2)), ALL5[3:])

    def test_filter_after_shard_id_first(self):
        self.assertEqual(self.filtered(Type='AFTER_SHARD_ID', ShardId=shard_id(0)), ALL5[1:])

    def test_filter_at_timestamp_now(self):
        self.assertEqual(self.filtered(Type='AT_TIMESTAMP', Timestamp=utcnow()), ALL5)

    def test_filter_from_timestamp_now(self):
        self.assertEqual(self.filtered(Type='FROM_TIMESTAMP', Timestamp=utcnow()), ALL5)

    def test_filter_from_timestamp_long_ago(self):
        # before the trim horizon: clamped to it; all shards are open
        ts = utcnow() - datetime.timedelta(days=3)
        self.assertEqual(self.filtered(Type='FROM_TIMESTAMP', Timestamp=ts), ALL5)

    def test_filter_after_shard_id_without_shard_id(self):
        self.assertAwsError(self.kinesis.list_shards, 'InvalidArgumentException',
                            StreamName=self.name, ShardFilter={'Type': 'AFTER_SHARD_ID'})

    def test_filter_at_timestamp_without_timestamp(self):
        self.assertAwsError(self.kinesis.list_shards, 'InvalidArgumentException',
                            StreamName=self.name, ShardFilter={'Type': 'AT_TIMESTAMP'})

    def test_filter_with_max_results_paging(self):
        page1 = self.kinesis.list_shards(StreamName=self.name, ShardFilter={'Type': 'AT_LATEST'}, MaxResults=3)
        self.assertEqual(self.ids(page1), ALL5[:3])
        page2 = self.kinesis.list_shards(NextToken=page1['NextToken'], MaxResults=3)
        self.assertEqual(self.ids(page2), ALL5[3:])
        self.assertNotIn('NextToken', page2)


class ListShardsOnDemandTest(EmulatorTestCase):

    def test_on_demand_stream_lists_four(self):
        name = unique_name('od')
        create_stream(self.kinesis, name, mode='ON_DEMAND')
        resp = self.kinesis.list_shards(StreamName=name, ShardFilter={'Type': 'AT_LATEST'}, MaxResults=1000)
        self.assertEqual([s['ShardId'] for s in resp['Shards']], [shard_id(i) for i in range(4)])
        got = [(int(s['HashKeyRange']['StartingHashKey']), int(s['HashKeyRange']['EndingHashKey']))
               for s in resp['Shards']]
        self.assertEqual(got, expected_ranges(4))


if __name__ == '__main__':
    unittest.main()
