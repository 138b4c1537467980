"""Stream control plane: CreateStream, DeleteStream, DescribeStream, DescribeStreamSummary, ListStreams."""

import datetime
import json
import unittest

from emulator_process import (DEFAULT_ACCOUNT, MAX_HASH, EmulatorTestCase, create_stream, expected_ranges,
                              shard_id, stream_arn, unique_name, utcnow, wait_for_status, wait_until_gone)


class CreateStreamTest(EmulatorTestCase):

    def test_provisioned_shard_count(self):
        name = unique_name('prov')
        self.kinesis.create_stream(StreamName=name, ShardCount=3)
        summary = wait_for_status(self.kinesis, name)
        self.assertEqual(summary['OpenShardCount'], 3)
        self.assertEqual(summary['StreamModeDetails'], {'StreamMode': 'PROVISIONED'})
        desc = self.kinesis.describe_stream(StreamName=name)['StreamDescription']
        self.assertEqual([s['ShardId'] for s in desc['Shards']], [shard_id(0), shard_id(1), shard_id(2)])

    def test_provisioned_explicit_mode(self):
        name = unique_name('prov-mode')
        summary = create_stream(self.kinesis, name, shard_count=2, mode='PROVISIONED')
        self.assertEqual(summary['OpenShardCount'], 2)
        self.assertEqual(summary['StreamModeDetails'], {'StreamMode': 'PROVISIONED'})

    def test_on_demand_gets_four_shards(self):
        name = unique_name('ondemand')
        summary = create_stream(self.kinesis, name, mode='ON_DEMAND')
        self.assertEqual(summary['OpenShardCount'], 4)
        self.assertEqual(summary['StreamModeDetails'], {'StreamMode': 'ON_DEMAND'})
        shards = self.kinesis.list_shards(StreamName=name)['Shards']
        self.assertEqual(len(shards), 4)

    def test_no_shard_count_no_mode_gets_four_shards(self):
        name = unique_name('default')
        summary = create_stream(self.kinesis, name)
        self.assertEqual(summary['OpenShardCount'], 4)
        self.assertEqual(summary['StreamModeDetails'], {'StreamMode': 'ON_DEMAND'})

    def test_tags_accepted(self):
        name = unique_name('tags')
        summary = create_stream(self.kinesis, name, shard_count=1, Tags={'team': 'data', 'env': 'test'})
        self.assertEqual(summary['StreamStatus'], 'ACTIVE')
        self.assertEqual(summary['OpenShardCount'], 1)

    def test_create_returns_empty_output(self):
        name = unique_name('out')
        resp = self.kinesis.create_stream(StreamName=name, ShardCount=1)
        self.assertEqual(resp['ResponseMetadata']['HTTPStatusCode'], 200)
        self.assertEqual(set(resp) - {'ResponseMetadata'}, set())
        wait_for_status(self.kinesis, name)

    def test_name_exists(self):
        name = unique_name('dup')
        create_stream(self.kinesis, name, shard_count=1)
        self.assertAwsError(self.kinesis.create_stream, 'ResourceInUseException',
                            'Stream %s under account %s already exists.' % (name, DEFAULT_ACCOUNT),
                            StreamName=name, ShardCount=1)
        # the existing stream is untouched
        self.assertEqual(self.kinesis.describe_stream_summary(StreamName=name)
                         ['StreamDescriptionSummary']['OpenShardCount'], 1)

    def test_invalid_name(self):
        self.assertAwsError(self.kinesis.create_stream, 'ValidationException',
                            "1 validation error detected: Value 'a b' at 'streamName' failed to satisfy constraint: "
                            "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
                            StreamName='a b', ShardCount=1)

    def test_invalid_name_characters(self):
        self.assertAwsError(self.kinesis.create_stream, 'ValidationException',
                            "1 validation error detected: Value 'bad/name' at 'streamName' failed to satisfy "
                            "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
                            StreamName='bad/name', ShardCount=1)

    def test_name_too_long(self):
        name = 'x' * 129
        self.assertAwsError(self.kinesis_unvalidated.create_stream, 'ValidationException',
                            "1 validation error detected: Value '%s' at 'streamName' failed to satisfy constraint: "
                            "Member must have length less than or equal to 128" % name,
                            StreamName=name, ShardCount=1)

    def test_name_of_128_chars_allowed(self):
        name = unique_name('l') + 'x' * 114
        self.assertEqual(len(name), 128)
        summary = create_stream(self.kinesis, name, shard_count=1)
        self.assertEqual(summary['StreamName'], name)

    def test_shard_count_zero(self):
        # botocore itself rejects ShardCount 0, so use a client without parameter validation
        self.assertAwsError(self.kinesis_unvalidated.create_stream, 'ValidationException',
                            "1 validation error detected: Value '0' at 'shardCount' failed to satisfy constraint: "
                            "Member must have value greater than or equal to 1",
                            StreamName=unique_name('zero'), ShardCount=0)

    def test_two_validation_errors(self):
        e = self.assertAwsError(self.kinesis_unvalidated.create_stream, 'ValidationException',
                                StreamName='a b', ShardCount=0)
        msg = e.response['Error']['Message']
        self.assertTrue(msg.startswith('2 validation errors detected: '), msg)
        self.assertIn("Value 'a b' at 'streamName' failed to satisfy constraint: "
                      "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+", msg)
        self.assertIn("Value '0' at 'shardCount' failed to satisfy constraint: "
                      "Member must have value greater than or equal to 1", msg)
        self.assertIn('; ', msg)


class DeleteStreamTest(EmulatorTestCase):

    def test_delete_then_describe_not_found(self):
        name = unique_name('del')
        create_stream(self.kinesis, name, shard_count=1)
        resp = self.kinesis.delete_stream(StreamName=name)
        self.assertEqual(resp['ResponseMetadata']['HTTPStatusCode'], 200)
        wait_until_gone(self.kinesis, name)
        self.assertAwsError(self.kinesis.describe_stream, 'ResourceNotFoundException',
                            self.not_found_message(name), StreamName=name)
        self.assertAwsError(self.kinesis.describe_stream_summary, 'ResourceNotFoundException',
                            self.not_found_message(name), StreamName=name)
        names = self.kinesis.list_streams()['StreamNames']
        self.assertNotIn(name, names)

    def test_delete_with_enforce_consumer_deletion(self):
        name = unique_name('del-force')
        create_stream(self.kinesis, name, shard_count=1)
        self.kinesis.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
        wait_until_gone(self.kinesis, name)

    def test_delete_by_arn(self):
        name = unique_name('del-arn')
        create_stream(self.kinesis, name, shard_count=1)
        self.kinesis.delete_stream(StreamARN=stream_arn(name))
        wait_until_gone(self.kinesis, name)

    def test_delete_unknown_stream(self):
        name = unique_name('nope')
        self.assertAwsError(self.kinesis.delete_stream, 'ResourceNotFoundException',
                            self.not_found_message(name), StreamName=name)

    def test_recreate_after_delete(self):
        name = unique_name('recreate')
        create_stream(self.kinesis, name, shard_count=1)
        self.kinesis.put_record(StreamName=name, Data=b'old', PartitionKey='k')
        self.kinesis.delete_stream(StreamName=name)
        wait_until_gone(self.kinesis, name)
        summary = create_stream(self.kinesis, name, shard_count=2)
        self.assertEqual(summary['OpenShardCount'], 2)
        # the new stream does not see the old stream's data
        it = self.kinesis.get_shard_iterator(StreamName=name, ShardId=shard_id(0),
                                             ShardIteratorType='TRIM_HORIZON')['ShardIterator']
        self.assertEqual(self.kinesis.get_records(ShardIterator=it)['Records'], [])

    def test_stream_not_exists_waiter(self):
        name = unique_name('waitgone')
        create_stream(self.kinesis, name, shard_count=1)
        self.kinesis.delete_stream(StreamName=name)
        self.kinesis.get_waiter('stream_not_exists').wait(StreamName=name,
                                                          WaiterConfig={'Delay': 0.1, 'MaxAttempts': 100})


class DescribeStreamTest(EmulatorTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.name2 = unique_name('two')
        create_stream(cls.kinesis, cls.name2, shard_count=2)
        cls.name5 = unique_name('five')
        create_stream(cls.kinesis, cls.name5, shard_count=5)

    def test_fields(self):
        before = utcnow()
        name = unique_name('fields')
        create_stream(self.kinesis, name, shard_count=1)
        desc = self.kinesis.describe_stream(StreamName=name)['StreamDescription']
        self.assertEqual(desc['StreamName'], name)
        self.assertEqual(desc['StreamARN'], 'arn:aws:kinesis:us-east-1:000000000000:stream/%s' % name)
        self.assertEqual(desc['StreamStatus'], 'ACTIVE')
        self.assertEqual(desc['RetentionPeriodHours'], 24)
        self.assertEqual(desc['EnhancedMonitoring'], [{'ShardLevelMetrics': []}])
        self.assertEqual(desc['EncryptionType'], 'NONE')
        self.assertNotIn('KeyId', desc)
        self.assertIs(desc['HasMoreShards'], False)
        self.assertEqual(desc['StreamModeDetails'], {'StreamMode': 'PROVISIONED'})
        created = desc['StreamCreationTimestamp']
        self.assertIsInstance(created, datetime.datetime)
        self.assertLessEqual(abs((created - before).total_seconds()), 30)

    def test_two_shard_hash_ranges(self):
        shards = self.kinesis.describe_stream(StreamName=self.name2)['StreamDescription']['Shards']
        self.assertEqual([s['ShardId'] for s in shards], ['shardId-000000000000', 'shardId-000000000001'])
        self.assertEqual(shards[0]['HashKeyRange'], {'StartingHashKey': '0',
                                                     'EndingHashKey': '170141183460469231731687303715884105727'})
        self.assertEqual(shards[1]['HashKeyRange'], {'StartingHashKey': '170141183460469231731687303715884105728',
                                                     'EndingHashKey': '340282366920938463463374607431768211455'})

    def test_five_shard_hash_ranges_cover_space(self):
        shards = self.kinesis.describe_stream(StreamName=self.name5)['StreamDescription']['Shards']
        self.assertEqual(len(shards), 5)
        got = [(int(s['HashKeyRange']['StartingHashKey']), int(s['HashKeyRange']['EndingHashKey'])) for s in shards]
        self.assertEqual(got, expected_ranges(5))
        self.assertEqual(got[0][0], 0)
        self.assertEqual(got[-1][1], MAX_HASH)
        for (_, end), (start, _) in zip(got, got[1:]):
            self.assertEqual(end + 1, start)

    def test_shard_sequence_ranges_open(self):
        shards = self.kinesis.describe_stream(StreamName=self.name5)['StreamDescription']['Shards']
        for s in shards:
            rng = s['SequenceNumberRange']
            self.assertRegex(rng['StartingSequenceNumber'], r'^(0|[1-9]\d{0,128})$')
            self.assertNotIn('EndingSequenceNumber', rng)
            self.assertNotIn('ParentShardId', s)
            self.assertNotIn('AdjacentParentShardId', s)

    def test_paging_with_limit(self):
        page1 = self.kinesis.describe_stream(StreamName=self.name5, Limit=2)['StreamDescription']
        self.assertEqual([s['ShardId'] for s in page1['Shards']], [shard_id(0), shard_id(1)])
        self.assertIs(page1['HasMoreShards'], True)
        page2 = self.kinesis.describe_stream(StreamName=self.name5, Limit=2,
                                             ExclusiveStartShardId=shard_id(1))['StreamDescription']
        self.assertEqual([s['ShardId'] for s in page2['Shards']], [shard_id(2), shard_id(3)])
        self.assertIs(page2['HasMoreShards'], True)
        page3 = self.kinesis.describe_stream(StreamName=self.name5, Limit=2,
                                             ExclusiveStartShardId=shard_id(3))['StreamDescription']
        self.assertEqual([s['ShardId'] for s in page3['Shards']], [shard_id(4)])
        self.assertIs(page3['HasMoreShards'], False)

    def test_exclusive_start_without_limit(self):
        desc = self.kinesis.describe_stream(StreamName=self.name5,
                                            ExclusiveStartShardId=shard_id(2))['StreamDescription']
        self.assertEqual([s['ShardId'] for s in desc['Shards']], [shard_id(3), shard_id(4)])
        self.assertIs(desc['HasMoreShards'], False)

    def test_paginator(self):
        pages = list(self.kinesis.get_paginator('describe_stream').paginate(
            StreamName=self.name5, PaginationConfig={'PageSize': 2}))
        ids = [s['ShardId'] for p in pages for s in p['StreamDescription']['Shards']]
        self.assertEqual(ids, [shard_id(i) for i in range(5)])
        self.assertEqual(len(pages), 3)

    def test_by_arn(self):
        desc = self.kinesis.describe_stream(StreamARN=stream_arn(self.name2))['StreamDescription']
        self.assertEqual(desc['StreamName'], self.name2)
        self.assertEqual(len(desc['Shards']), 2)

    def test_by_name_and_arn(self):
        desc = self.kinesis.describe_stream(StreamName=self.name2, StreamARN=stream_arn(self.name2))
        self.assertEqual(desc['StreamDescription']['StreamName'], self.name2)

    def test_unknown_stream(self):
        name = unique_name('missing')
        self.assertAwsError(self.kinesis.describe_stream, 'ResourceNotFoundException',
                            self.not_found_message(name), StreamName=name)

    def test_stream_exists_waiter(self):
        name = unique_name('waiter')
        self.kinesis.create_stream(StreamName=name, ShardCount=1)
        self.kinesis.get_waiter('stream_exists').wait(StreamName=name,
                                                      WaiterConfig={'Delay': 0.1, 'MaxAttempts': 100})
        self.assertEqual(self.kinesis.describe_stream(StreamName=name)['StreamDescription']['StreamStatus'],
                         'ACTIVE')


class DescribeStreamSummaryTest(EmulatorTestCase):

    def test_fields(self):
        name = unique_name('summary')
        create_stream(self.kinesis, name, shard_count=3)
        s = self.kinesis.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']
        self.assertEqual(s['StreamName'], name)
        self.assertEqual(s['StreamARN'], stream_arn(name))
        self.assertEqual(s['StreamStatus'], 'ACTIVE')
        self.assertEqual(s['OpenShardCount'], 3)
        self.assertEqual(s['RetentionPeriodHours'], 24)
        self.assertEqual(s['EnhancedMonitoring'], [{'ShardLevelMetrics': []}])
        self.assertEqual(s['EncryptionType'], 'NONE')
        self.assertEqual(s['ConsumerCount'], 0)
        self.assertIsInstance(s['StreamCreationTimestamp'], datetime.datetime)
        self.assertNotIn('Shards', s)

    def test_no_stream_id_in_raw_response(self):
        name = unique_name('nostreamid')
        create_stream(self.kinesis, name, shard_count=1)
        resp = self.emu.raw(operation='DescribeStreamSummary', body={'StreamName': name})
        self.assertEqual(resp.status, 200, resp)
        raw = resp.json()
        self.assertIn('StreamDescriptionSummary', raw)
        self.assertNotIn('StreamId', raw['StreamDescriptionSummary'])
        self.assertNotIn('StreamId', resp.body.decode())
        # also through botocore's parsed output
        parsed = self.kinesis.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']
        self.assertNotIn('StreamId', parsed)

    def test_stream_id_on_input_ignored(self):
        name = unique_name('withid')
        create_stream(self.kinesis, name, shard_count=1)
        resp = self.emu.raw(operation='DescribeStreamSummary',
                            body={'StreamName': name, 'StreamId': 'abcdefghij0123456789-abc'})
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.json()['StreamDescriptionSummary']['StreamName'], name)

    def test_by_arn(self):
        name = unique_name('summary-arn')
        create_stream(self.kinesis, name, shard_count=2)
        s = self.kinesis.describe_stream_summary(StreamARN=stream_arn(name))['StreamDescriptionSummary']
        self.assertEqual(s['StreamName'], name)
        self.assertEqual(s['OpenShardCount'], 2)

    def test_unknown(self):
        name = unique_name('missing')
        self.assertAwsError(self.kinesis.describe_stream_summary, 'ResourceNotFoundException',
                            self.not_found_message(name), StreamName=name)

    def test_unknown_by_arn(self):
        name = unique_name('missing-arn')
        self.assertAwsError(self.kinesis.describe_stream_summary, 'ResourceNotFoundException',
                            self.not_found_message(name), StreamARN=stream_arn(name))


class ListStreamsTest(EmulatorTestCase):
    """Runs on its own emulator so the set of streams is exactly known."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.names = sorted(['ls-%s' % c for c in 'edcba'])
        for n in cls.names:
            cls.kinesis.create_stream(StreamName=n, ShardCount=1)
        for n in cls.names:
            wait_for_status(cls.kinesis, n)

    def test_all(self):
        resp = self.kinesis.list_streams()
        self.assertEqual(resp['StreamNames'], self.names)
        self.assertIs(resp['HasMoreStreams'], False)
        self.assertNotIn('NextToken', resp)

    def test_stream_summaries(self):
        resp = self.kinesis.list_streams()
        summaries = resp['StreamSummaries']
        self.assertEqual([s['StreamName'] for s in summaries], self.names)
        for s in summaries:
            self.assertEqual(s['StreamARN'], stream_arn(s['StreamName']))
            self.assertEqual(s['StreamStatus'], 'ACTIVE')
            self.assertEqual(s['StreamModeDetails'], {'StreamMode': 'PROVISIONED'})
            self.assertIsInstance(s['StreamCreationTimestamp'], datetime.datetime)

    def test_limit(self):
        resp = self.kinesis.list_streams(Limit=2)
        self.assertEqual(resp['StreamNames'], self.names[:2])
        self.assertEqual([s['StreamName'] for s in resp['StreamSummaries']], self.names[:2])
        self.assertIs(resp['HasMoreStreams'], True)
        self.assertTrue(resp.get('NextToken'))

    def test_exclusive_start_stream_name(self):
        resp = self.kinesis.list_streams(ExclusiveStartStreamName=self.names[1], Limit=2)
        self.assertEqual(resp['StreamNames'], self.names[2:4])
        self.assertIs(resp['HasMoreStreams'], True)
        resp = self.kinesis.list_streams(ExclusiveStartStreamName=self.names[3], Limit=2)
        self.assertEqual(resp['StreamNames'], self.names[4:])
        self.assertIs(resp['HasMoreStreams'], False)

    def test_exclusive_start_name_not_a_stream(self):
        # names are compared lexically; the start name need not exist
        resp = self.kinesis.list_streams(ExclusiveStartStreamName='ls-bb')
        self.assertEqual(resp['StreamNames'], self.names[2:])

    def test_next_token_paging(self):
        seen = []
        resp = self.kinesis.list_streams(Limit=2)
        seen += resp['StreamNames']
        calls = 1
        while resp['HasMoreStreams']:
            self.assertTrue(resp.get('NextToken'), resp)
            resp = self.kinesis.list_streams(NextToken=resp['NextToken'], Limit=2)
            seen += resp['StreamNames']
            calls += 1
            self.assertLess(calls, 10)
        self.assertEqual(seen, self.names)
        self.assertEqual(calls, 3)

    def test_paginator(self):
        pages = list(self.kinesis.get_paginator('list_streams').paginate(PaginationConfig={'PageSize': 2}))
        self.assertEqual([n for p in pages for n in p['StreamNames']], self.names)

    def test_other_account_and_region_do_not_list(self):
        other = self.emu.client(access_key='111122223333')
        self.assertEqual(other.list_streams()['StreamNames'], [])
        eu = self.emu.client(region='eu-west-1')
        self.assertEqual(eu.list_streams()['StreamNames'], [])


class AddressingTest(EmulatorTestCase):

    def test_same_name_in_two_regions(self):
        name = unique_name('regional')
        us = self.emu.client(region='us-east-1')
        eu = self.emu.client(region='eu-west-1')
        create_stream(us, name, shard_count=1)
        self.assertAwsError(eu.describe_stream_summary, 'ResourceNotFoundException', self.not_found_message(name),
                            StreamName=name)
        create_stream(eu, name, shard_count=2)
        us_s = us.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']
        eu_s = eu.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']
        self.assertEqual(us_s['StreamARN'], 'arn:aws:kinesis:us-east-1:000000000000:stream/%s' % name)
        self.assertEqual(eu_s['StreamARN'], 'arn:aws:kinesis:eu-west-1:000000000000:stream/%s' % name)
        self.assertEqual(us_s['OpenShardCount'], 1)
        self.assertEqual(eu_s['OpenShardCount'], 2)
        # data written in one region is not visible in the other
        us.put_record(StreamName=name, Data=b'us-only', PartitionKey='k')
        it = eu.get_shard_iterator(StreamName=name, ShardId=shard_id(0),
                                   ShardIteratorType='TRIM_HORIZON')['ShardIterator']
        self.assertEqual(eu.get_records(ShardIterator=it)['Records'], [])
        # deleting one leaves the other
        eu.delete_stream(StreamName=name)
        wait_until_gone(eu, name)
        self.assertEqual(us.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']['StreamStatus'],
                         'ACTIVE')

    def test_twelve_digit_access_key_selects_account(self):
        name = unique_name('acct')
        acct = '123456789012'
        c = self.emu.client(access_key=acct)
        create_stream(c, name, shard_count=1)
        s = c.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']
        self.assertEqual(s['StreamARN'], 'arn:aws:kinesis:us-east-1:%s:stream/%s' % (acct, name))
        # the default account does not see it ...
        self.assertAwsError(self.kinesis.describe_stream_summary, 'ResourceNotFoundException',
                            self.not_found_message(name), StreamName=name)
        # ... and messages name the caller's account
        self.assertAwsError(c.create_stream, 'ResourceInUseException',
                            'Stream %s under account %s already exists.' % (name, acct),
                            StreamName=name, ShardCount=1)
        missing = unique_name('missing')
        self.assertAwsError(c.describe_stream, 'ResourceNotFoundException',
                            self.not_found_message(missing, acct), StreamName=missing)

    def test_non_numeric_access_key_uses_default_account(self):
        name = unique_name('default-acct')
        c = self.emu.client(access_key='AKIAIOSFODNN7EXAMPLE')
        create_stream(c, name, shard_count=1)
        self.assertEqual(c.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']['StreamARN'],
                         stream_arn(name, account=DEFAULT_ACCOUNT))

    def test_stream_arn_instead_of_name(self):
        name = unique_name('byarn')
        arn = stream_arn(name)
        create_stream(self.kinesis, name, shard_count=2)
        self.assertEqual(self.kinesis.describe_stream(StreamARN=arn)['StreamDescription']['StreamName'], name)
        self.assertEqual(len(self.kinesis.list_shards(StreamARN=arn)['Shards']), 2)
        put = self.kinesis.put_record(StreamARN=arn, Data=b'via-arn', PartitionKey='pk')
        it = self.kinesis.get_shard_iterator(StreamARN=arn, ShardId=put['ShardId'],
                                             ShardIteratorType='TRIM_HORIZON')['ShardIterator']
        recs = self.kinesis.get_records(ShardIterator=it, StreamARN=arn)['Records']
        self.assertEqual([r['Data'] for r in recs], [b'via-arn'])

    def test_arn_of_other_region_selects_that_region(self):
        name = unique_name('arn-region')
        eu = self.emu.client(region='eu-west-1')
        create_stream(eu, name, shard_count=1)
        # a us-east-1 client naming the eu-west-1 ARN reaches the eu-west-1 stream
        s = self.kinesis.describe_stream_summary(StreamARN=stream_arn(name, region='eu-west-1'))
        self.assertEqual(s['StreamDescriptionSummary']['StreamARN'], stream_arn(name, region='eu-west-1'))

    def test_mismatched_name_and_arn(self):
        a = unique_name('mis-a')
        b = unique_name('mis-b')
        create_stream(self.kinesis, a, shard_count=1)
        create_stream(self.kinesis, b, shard_count=1)
        self.assertAwsError(self.kinesis.describe_stream_summary, 'InvalidArgumentException',
                            StreamName=a, StreamARN=stream_arn(b))

    def test_neither_name_nor_arn(self):
        self.assertAwsError(self.kinesis.describe_stream_summary, 'InvalidArgumentException')

    def test_invalid_arn(self):
        e = self.assertAwsError(self.kinesis.describe_stream_summary, 'ValidationException',
                                StreamARN='arn:aws:kinesis:us-east-1:notanaccount:stream/x')
        self.assertIn("at 'streamARN' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                      "arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+", e.response['Error']['Message'])



class ShardsInTransitionTest(EmulatorTestCase):
    """While a stream is CREATING or DELETING, AWS shows none of its shards (kinesalite's createStream and
    deleteStream tests, recorded against AWS): DescribeStream lists none, GetShardIterator finds none."""

    emulator_args = ('--create-stream-ms', '60000', '--delete-stream-ms', '60000')

    def advance(self):
        self.assertEqual(self.emu.admin('POST', '/_emulator/clock', {'advance_ms': 60000}).status, 200)

    def assertNoShards(self, name, status):
        description = self.kinesis.describe_stream(StreamName=name)['StreamDescription']
        self.assertEqual(description['StreamStatus'], status)
        self.assertEqual(description['Shards'], [])
        self.assertFalse(description['HasMoreShards'])
        self.assertAwsError(self.kinesis.get_shard_iterator, 'ResourceNotFoundException',
                            'Shard %s in stream %s under account %s does not exist' % (shard_id(0), name,
                                                                                      DEFAULT_ACCOUNT),
                            StreamName=name, ShardId='shardId-0', ShardIteratorType='LATEST')

    def test_creating_and_deleting_streams_list_no_shards(self):
        name = unique_name('transit')
        self.kinesis.create_stream(StreamName=name, ShardCount=3)
        self.assertNoShards(name, 'CREATING')
        self.advance()
        description = self.kinesis.describe_stream(StreamName=name)['StreamDescription']
        self.assertEqual(description['StreamStatus'], 'ACTIVE')
        self.assertEqual([s['ShardId'] for s in description['Shards']], [shard_id(i) for i in range(3)])
        self.kinesis.delete_stream(StreamName=name)
        self.assertNoShards(name, 'DELETING')
        self.advance()
        wait_until_gone(self.kinesis, name, timeout=2)

    def test_deleted_while_creating(self):
        name = unique_name('transit')
        self.kinesis.create_stream(StreamName=name, ShardCount=1)
        self.kinesis.delete_stream(StreamName=name)
        self.assertNoShards(name, 'DELETING')
        self.advance()
        wait_until_gone(self.kinesis, name, timeout=2)


if __name__ == '__main__':
    unittest.main()
