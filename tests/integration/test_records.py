"""Data plane: PutRecord, PutRecords, GetShardIterator, GetRecords."""

import datetime
import json
import re
import time
import unittest

from botocore.exceptions import ClientError

from emulator_process import (DEFAULT_ACCOUNT, HASH_SPACE, MAX_HASH, EmulatorTestCase, create_stream,
                              list_all_shards, md5_hash_key, read_shard, shard_for_hash, shard_id,
                              sleep_past_second_boundary, unique_name, utcnow, wait_until_gone)

UTC = datetime.timezone.utc
SEQ_RE = r'^(0|[1-9]\d{0,128})$'


def from_epoch(seconds):
    return datetime.datetime.fromtimestamp(seconds, tz=UTC)


class PutRecordRoutingTest(EmulatorTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.name = unique_name('route')
        create_stream(cls.kinesis, cls.name, shard_count=4)
        cls.shards = list_all_shards(cls.kinesis, cls.name)

    def test_returns_shard_and_sequence(self):
        resp = self.kinesis.put_record(StreamName=self.name, Data=b'hello', PartitionKey='pk-1')
        self.assertRegex(resp['ShardId'], r'^shardId-\d{12}$')
        self.assertRegex(resp['SequenceNumber'], SEQ_RE)
        self.assertIn(resp.get('EncryptionType', 'NONE'), ('NONE',))

    def test_md5_routing(self):
        for i in range(64):
            pk = 'partition-key-%d' % i
            expected = shard_for_hash(self.shards, md5_hash_key(pk))
            resp = self.kinesis.put_record(StreamName=self.name, Data=b'x', PartitionKey=pk)
            self.assertEqual(resp['ShardId'], expected, 'partition key %r' % pk)

    def test_md5_routing_unicode_key(self):
        for pk in ('ключ', '鍵-キー', 'emoji-\U0001F600', 'caf\u00e9'):
            expected = shard_for_hash(self.shards, md5_hash_key(pk))
            resp = self.kinesis.put_record(StreamName=self.name, Data=b'x', PartitionKey=pk)
            self.assertEqual(resp['ShardId'], expected, 'partition key %r' % pk)

    def test_every_shard_reachable_by_md5(self):
        hit = set()
        for i in range(200):
            hit.add(self.kinesis.put_record(StreamName=self.name, Data=b'x', PartitionKey='k%d' % i)['ShardId'])
        self.assertEqual(hit, {s['ShardId'] for s in self.shards})

    def test_explicit_hash_key(self):
        for s in self.shards:
            start = int(s['HashKeyRange']['StartingHashKey'])
            end = int(s['HashKeyRange']['EndingHashKey'])
            for key in (start, end, (start + end) // 2):
                # a partition key whose MD5 lands elsewhere, to prove the explicit key wins
                pk = next('pk%d' % i for i in range(1000)
                          if shard_for_hash(self.shards, md5_hash_key('pk%d' % i)) != s['ShardId'])
                resp = self.kinesis.put_record(StreamName=self.name, Data=b'x', PartitionKey=pk,
                                               ExplicitHashKey=str(key))
                self.assertEqual(resp['ShardId'], s['ShardId'], 'ExplicitHashKey %d' % key)

    def test_explicit_hash_key_extremes(self):
        r0 = self.kinesis.put_record(StreamName=self.name, Data=b'x', PartitionKey='a', ExplicitHashKey='0')
        self.assertEqual(r0['ShardId'], shard_id(0))
        rmax = self.kinesis.put_record(StreamName=self.name, Data=b'x', PartitionKey='a',
                                       ExplicitHashKey=str(MAX_HASH))
        self.assertEqual(rmax['ShardId'], shard_id(3))

    def test_explicit_hash_key_out_of_range(self):
        self.assertAwsError(self.kinesis.put_record, 'InvalidArgumentException',
                            'Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. '
                            'Specified value was %d' % HASH_SPACE,
                            StreamName=self.name, Data=b'x', PartitionKey='a', ExplicitHashKey=str(HASH_SPACE))

    def test_explicit_hash_key_not_a_number(self):
        self.assertAwsError(self.kinesis.put_record, 'ValidationException',
                            "1 validation error detected: Value 'abc' at 'explicitHashKey' failed to satisfy "
                            "constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})",
                            StreamName=self.name, Data=b'x', PartitionKey='a', ExplicitHashKey='abc')

    def test_partition_key_too_long(self):
        pk = 'p' * 257
        self.assertAwsError(self.kinesis_unvalidated.put_record, 'ValidationException',
                            "1 validation error detected: Value '%s' at 'partitionKey' failed to satisfy "
                            "constraint: Member must have length less than or equal to 256" % pk,
                            StreamName=self.name, Data=b'x', PartitionKey=pk)

    def test_partition_key_256_ok(self):
        resp = self.kinesis.put_record(StreamName=self.name, Data=b'x', PartitionKey='p' * 256)
        self.assertEqual(resp['ShardId'], shard_for_hash(self.shards, md5_hash_key('p' * 256)))

    def test_empty_partition_key(self):
        self.assertAwsError(self.kinesis_unvalidated.put_record, 'ValidationException',
                            "1 validation error detected: Value '' at 'partitionKey' failed to satisfy "
                            "constraint: Member must have length greater than or equal to 1",
                            StreamName=self.name, Data=b'x', PartitionKey='')

    def test_unknown_stream(self):
        name = unique_name('missing')
        self.assertAwsError(self.kinesis.put_record, 'ResourceNotFoundException', self.not_found_message(name),
                            StreamName=name, Data=b'x', PartitionKey='a')

    def test_sequence_numbers_unique_across_shards(self):
        seqs = [self.kinesis.put_record(StreamName=self.name, Data=b'u', PartitionKey='u%d' % i)['SequenceNumber']
                for i in range(100)]
        self.assertEqual(len(set(seqs)), 100)


class SequenceNumberTest(EmulatorTestCase):

    def test_strictly_increasing_per_shard(self):
        name = unique_name('seq')
        create_stream(self.kinesis, name, shard_count=1)
        seqs = [int(self.kinesis.put_record(StreamName=name, Data=b'%d' % i, PartitionKey='k%d' % i)
                    ['SequenceNumber']) for i in range(50)]
        for a, b in zip(seqs, seqs[1:]):
            self.assertLess(a, b)

    def test_strictly_increasing_on_each_of_several_shards(self):
        name = unique_name('seq3')
        create_stream(self.kinesis, name, shard_count=3)
        last = {}
        for i in range(90):
            r = self.kinesis.put_record(StreamName=name, Data=b'.', PartitionKey='key-%d' % i)
            seq = int(r['SequenceNumber'])
            if r['ShardId'] in last:
                self.assertGreater(seq, last[r['ShardId']])
            last[r['ShardId']] = seq
        self.assertEqual(len(last), 3)

    def test_put_records_then_put_record_increasing(self):
        name = unique_name('seqmix')
        create_stream(self.kinesis, name, shard_count=1)
        batch = self.kinesis.put_records(StreamName=name, Records=[
            {'Data': b'%d' % i, 'PartitionKey': 'k'} for i in range(20)])
        seqs = [int(r['SequenceNumber']) for r in batch['Records']]
        seqs.append(int(self.kinesis.put_record(StreamName=name, Data=b'last', PartitionKey='k')['SequenceNumber']))
        for a, b in zip(seqs, seqs[1:]):
            self.assertLess(a, b)

    def test_sequence_number_for_ordering(self):
        name = unique_name('ordering')
        create_stream(self.kinesis, name, shard_count=2)
        prev = self.kinesis.put_record(StreamName=name, Data=b'1', PartitionKey='same')
        for i in range(10):
            cur = self.kinesis.put_record(StreamName=name, Data=b'n', PartitionKey='same',
                                          SequenceNumberForOrdering=prev['SequenceNumber'])
            self.assertEqual(cur['ShardId'], prev['ShardId'])
            self.assertGreater(int(cur['SequenceNumber']), int(prev['SequenceNumber']))
            prev = cur

    def test_sequence_number_for_ordering_not_a_real_sequence_number(self):
        # '0' matches the model pattern, but does not decode as a sequence number (kinesalite, built against AWS)
        name = unique_name('ordering0')
        create_stream(self.kinesis, name, shard_count=1)
        self.assertAwsError(self.kinesis.put_record, 'InvalidArgumentException',
                            'ExclusiveMinimumSequenceNumber 0 used in PutRecord on stream %s under account %s '
                            'is invalid.' % (name, DEFAULT_ACCOUNT),
                            StreamName=name, Data=b'1', PartitionKey='k', SequenceNumberForOrdering='0')


class PutRecordsTest(EmulatorTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.name = unique_name('batch')
        create_stream(cls.kinesis, cls.name, shard_count=3)
        cls.shards = list_all_shards(cls.kinesis, cls.name)

    def test_500_records(self):
        name = unique_name('batch500')
        create_stream(self.kinesis, name, shard_count=3)
        shards = list_all_shards(self.kinesis, name)
        entries = [{'Data': ('payload-%03d' % i).encode(), 'PartitionKey': 'pk-%03d' % i} for i in range(500)]
        resp = self.kinesis.put_records(StreamName=name, Records=entries)
        self.assertEqual(resp['FailedRecordCount'], 0)
        self.assertEqual(len(resp['Records']), 500)
        for i, (entry, result) in enumerate(zip(entries, resp['Records'])):
            self.assertNotIn('ErrorCode', result)
            self.assertNotIn('ErrorMessage', result)
            self.assertRegex(result['SequenceNumber'], SEQ_RE)
            # results are in request order: each result's shard is the one its own partition key hashes to
            self.assertEqual(result['ShardId'], shard_for_hash(shards, md5_hash_key(entry['PartitionKey'])),
                             'result %d' % i)
        self.assertEqual(len({r['SequenceNumber'] for r in resp['Records']}), 500)
        # read everything back: each sequence number maps to the data of its request entry
        stored = {}
        for s in shards:
            for rec in read_shard(self.kinesis, name, s['ShardId']):
                stored[rec['SequenceNumber']] = (rec['Data'], rec['PartitionKey'], s['ShardId'])
        self.assertEqual(len(stored), 500)
        for entry, result in zip(entries, resp['Records']):
            self.assertEqual(stored[result['SequenceNumber']],
                             (entry['Data'], entry['PartitionKey'], result['ShardId']))

    def test_in_order_within_shard(self):
        name = unique_name('batch-order')
        create_stream(self.kinesis, name, shard_count=1)
        entries = [{'Data': b'%d' % i, 'PartitionKey': 'k%d' % i} for i in range(100)]
        resp = self.kinesis.put_records(StreamName=name, Records=entries)
        seqs = [int(r['SequenceNumber']) for r in resp['Records']]
        self.assertEqual(seqs, sorted(seqs))
        self.assertEqual(len(set(seqs)), 100)
        data = [r['Data'] for r in read_shard(self.kinesis, name, shard_id(0))]
        self.assertEqual(data, [e['Data'] for e in entries])

    def test_explicit_hash_keys(self):
        entries = []
        for s in reversed(self.shards):
            entries.append({'Data': b'e', 'PartitionKey': 'same-key',
                            'ExplicitHashKey': s['HashKeyRange']['StartingHashKey']})
        resp = self.kinesis.put_records(StreamName=self.name, Records=entries)
        self.assertEqual(resp['FailedRecordCount'], 0)
        self.assertEqual([r['ShardId'] for r in resp['Records']], [s['ShardId'] for s in reversed(self.shards)])

    def test_501_records(self):
        entries = [{'Data': b'x', 'PartitionKey': 'k'} for _ in range(501)]
        e = self.assertAwsError(self.kinesis_unvalidated.put_records, 'ValidationException',
                                StreamName=self.name, Records=entries)
        msg = e.response['Error']['Message']
        self.assertTrue(msg.startswith('1 validation error detected: Value '), msg)
        self.assertIn("at 'records' failed to satisfy constraint: Member must have length less than or equal to 500",
                      msg)

    def test_zero_records(self):
        e = self.assertAwsError(self.kinesis_unvalidated.put_records, 'ValidationException',
                                StreamName=self.name, Records=[])
        self.assertIn("at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1",
                      e.response['Error']['Message'])

    def test_unknown_stream(self):
        name = unique_name('missing')
        self.assertAwsError(self.kinesis.put_records, 'ResourceNotFoundException', self.not_found_message(name),
                            StreamName=name, Records=[{'Data': b'x', 'PartitionKey': 'k'}])

    def test_empty_data_allowed(self):
        name = unique_name('empty')
        create_stream(self.kinesis, name, shard_count=1)
        r1 = self.kinesis.put_record(StreamName=name, Data=b'', PartitionKey='k')
        r2 = self.kinesis.put_records(StreamName=name, Records=[{'Data': b'', 'PartitionKey': 'k'},
                                                                 {'Data': b'not-empty', 'PartitionKey': 'k'}])
        self.assertEqual(r2['FailedRecordCount'], 0)
        recs = read_shard(self.kinesis, name, shard_id(0))
        self.assertEqual([r['Data'] for r in recs], [b'', b'', b'not-empty'])
        self.assertEqual(recs[0]['SequenceNumber'], r1['SequenceNumber'])

    def test_record_too_large(self):
        data = b'\x01' * (1024 * 1024 + 1)
        with self.assertRaises(ClientError) as cm:
            self.kinesis.put_record(StreamName=self.name, Data=data, PartitionKey='k')
        err = cm.exception.response
        self.assertIn(err['Error']['Code'], ('ValidationException', 'InvalidArgumentException'), err['Error'])
        self.assertEqual(err['ResponseMetadata']['HTTPStatusCode'], 400)

    def test_record_too_large_in_batch(self):
        data = b'\x01' * (1024 * 1024 + 1)
        with self.assertRaises(ClientError) as cm:
            self.kinesis.put_records(StreamName=self.name, Records=[{'Data': b'small', 'PartitionKey': 'k'},
                                                                    {'Data': data, 'PartitionKey': 'k'}])
        err = cm.exception.response
        self.assertIn(err['Error']['Code'], ('ValidationException', 'InvalidArgumentException'), err['Error'])
        self.assertEqual(err['ResponseMetadata']['HTTPStatusCode'], 400)

    def test_record_at_size_limit(self):
        name = unique_name('big')
        create_stream(self.kinesis, name, shard_count=1)
        data = bytes(range(256)) * 4096  # 1 MiB
        data = data[:1024 * 1024 - 1]    # + 1-byte partition key = exactly 1 MiB
        r = self.kinesis.put_record(StreamName=name, Data=data, PartitionKey='k')
        it = self.kinesis.get_shard_iterator(StreamName=name, ShardId=r['ShardId'],
                                             ShardIteratorType='AT_SEQUENCE_NUMBER',
                                             StartingSequenceNumber=r['SequenceNumber'])['ShardIterator']
        recs = self.kinesis.get_records(ShardIterator=it, Limit=1)['Records']
        self.assertEqual(len(recs), 1)
        self.assertEqual(recs[0]['Data'], data)


class GetShardIteratorTest(EmulatorTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.name = unique_name('iter')
        create_stream(cls.kinesis, cls.name, shard_count=1)
        cls.data = [('record-%d' % i).encode() for i in range(10)]
        cls.seqs = [cls.kinesis.put_record(StreamName=cls.name, Data=d, PartitionKey='k')['SequenceNumber']
                    for d in cls.data]

    def iterator(self, itype, name=None, shard=None, **kw):
        return self.kinesis.get_shard_iterator(StreamName=name or self.name, ShardId=shard or shard_id(0),
                                               ShardIteratorType=itype, **kw)['ShardIterator']

    def test_iterator_shape(self):
        it = self.iterator('TRIM_HORIZON')
        self.assertIsInstance(it, str)
        self.assertGreaterEqual(len(it), 1)
        self.assertLessEqual(len(it), 512)

    def test_trim_horizon_reads_everything_in_order(self):
        recs = self.kinesis.get_records(ShardIterator=self.iterator('TRIM_HORIZON'))['Records']
        self.assertEqual([r['Data'] for r in recs], self.data)
        self.assertEqual([r['SequenceNumber'] for r in recs], self.seqs)
        self.assertEqual({r['PartitionKey'] for r in recs}, {'k'})

    def test_latest_reads_only_new_records(self):
        name = unique_name('latest')
        create_stream(self.kinesis, name, shard_count=1)
        for i in range(3):
            self.kinesis.put_record(StreamName=name, Data=b'old-%d' % i, PartitionKey='k')
        it = self.iterator('LATEST', name=name)
        empty = self.kinesis.get_records(ShardIterator=it)
        self.assertEqual(empty['Records'], [])
        self.assertIn('NextShardIterator', empty)
        new = [b'new-%d' % i for i in range(3)]
        for d in new:
            self.kinesis.put_record(StreamName=name, Data=d, PartitionKey='k')
        # the original LATEST iterator is a fixed position: it sees the records put after it was issued
        self.assertEqual([r['Data'] for r in self.kinesis.get_records(ShardIterator=it)['Records']], new)
        self.assertEqual([r['Data'] for r in
                          self.kinesis.get_records(ShardIterator=empty['NextShardIterator'])['Records']], new)

    def test_latest_on_empty_shard(self):
        name = unique_name('latest-empty')
        create_stream(self.kinesis, name, shard_count=1)
        it = self.iterator('LATEST', name=name)
        self.kinesis.put_record(StreamName=name, Data=b'first', PartitionKey='k')
        self.assertEqual([r['Data'] for r in self.kinesis.get_records(ShardIterator=it)['Records']], [b'first'])

    def test_at_sequence_number(self):
        it = self.iterator('AT_SEQUENCE_NUMBER', StartingSequenceNumber=self.seqs[3])
        recs = self.kinesis.get_records(ShardIterator=it)['Records']
        self.assertEqual([r['SequenceNumber'] for r in recs], self.seqs[3:])

    def test_after_sequence_number(self):
        it = self.iterator('AFTER_SEQUENCE_NUMBER', StartingSequenceNumber=self.seqs[3])
        recs = self.kinesis.get_records(ShardIterator=it)['Records']
        self.assertEqual([r['SequenceNumber'] for r in recs], self.seqs[4:])

    def test_after_last_sequence_number_is_empty(self):
        it = self.iterator('AFTER_SEQUENCE_NUMBER', StartingSequenceNumber=self.seqs[-1])
        resp = self.kinesis.get_records(ShardIterator=it)
        self.assertEqual(resp['Records'], [])
        self.assertIn('NextShardIterator', resp)

    def test_at_first_sequence_number(self):
        it = self.iterator('AT_SEQUENCE_NUMBER', StartingSequenceNumber=self.seqs[0])
        recs = self.kinesis.get_records(ShardIterator=it)['Records']
        self.assertEqual([r['Data'] for r in recs], self.data)

    def test_at_timestamp_between_batches(self):
        name = unique_name('ts')
        create_stream(self.kinesis, name, shard_count=1)
        for i in range(3):
            self.kinesis.put_record(StreamName=name, Data=b'before-%d' % i, PartitionKey='k')
        # botocore sends whole seconds: put the boundary between the two batches on a second boundary
        boundary = sleep_past_second_boundary()
        after = [b'after-%d' % i for i in range(3)]
        for d in after:
            self.kinesis.put_record(StreamName=name, Data=d, PartitionKey='k')
        it = self.iterator('AT_TIMESTAMP', name=name, Timestamp=from_epoch(boundary))
        recs = self.kinesis.get_records(ShardIterator=it)['Records']
        self.assertEqual([r['Data'] for r in recs], after)

    def test_at_timestamp_millisecond_precision(self):
        # raw JSON request so the timestamp carries milliseconds (botocore truncates to seconds)
        name = unique_name('tsms')
        create_stream(self.kinesis, name, shard_count=1)
        self.kinesis.put_record(StreamName=name, Data=b'a', PartitionKey='k')
        time.sleep(0.05)
        middle = round(time.time(), 3)
        time.sleep(0.05)
        self.kinesis.put_record(StreamName=name, Data=b'b', PartitionKey='k')
        resp = self.emu.raw(operation='GetShardIterator', body={
            'StreamName': name, 'ShardId': shard_id(0), 'ShardIteratorType': 'AT_TIMESTAMP', 'Timestamp': middle})
        self.assertEqual(resp.status, 200, resp)
        recs = self.kinesis.get_records(ShardIterator=resp.json()['ShardIterator'])['Records']
        self.assertEqual([r['Data'] for r in recs], [b'b'])

    def test_at_timestamp_equal_to_arrival_includes_record(self):
        recs = self.kinesis.get_records(ShardIterator=self.iterator('TRIM_HORIZON'))['Records']
        target = recs[5]
        ts = round(target['ApproximateArrivalTimestamp'].timestamp(), 3)
        resp = self.emu.raw(operation='GetShardIterator', body={
            'StreamName': self.name, 'ShardId': shard_id(0), 'ShardIteratorType': 'AT_TIMESTAMP', 'Timestamp': ts})
        self.assertEqual(resp.status, 200, resp)
        got = self.kinesis.get_records(ShardIterator=resp.json()['ShardIterator'])['Records']
        got_seqs = [r['SequenceNumber'] for r in got]
        self.assertIn(target['SequenceNumber'], got_seqs)
        self.assertEqual(got_seqs, self.seqs[self.seqs.index(got_seqs[0]):])
        # only records that arrived within the same millisecond (+/- float rounding) may precede it
        for r in got[:got_seqs.index(target['SequenceNumber'])]:
            self.assertLessEqual(abs(r['ApproximateArrivalTimestamp'].timestamp() - ts), 0.0015)

    def test_at_timestamp_before_stream_returns_everything(self):
        it = self.iterator('AT_TIMESTAMP', Timestamp=utcnow() - datetime.timedelta(hours=1))
        recs = self.kinesis.get_records(ShardIterator=it)['Records']
        self.assertEqual([r['SequenceNumber'] for r in recs], self.seqs)

    def test_at_timestamp_in_future(self):
        future = int(time.time()) + 3600
        e = self.assertAwsError(self.kinesis.get_shard_iterator, 'InvalidArgumentException',
                                StreamName=self.name, ShardId=shard_id(0), ShardIteratorType='AT_TIMESTAMP',
                                Timestamp=from_epoch(future))
        m = re.match(r'^The timestampInMillis parameter cannot be greater than the currentTimestampInMillis\. '
                     r'timestampInMillis: (\d+), currentTimestampInMillis: (\d+)$', e.response['Error']['Message'])
        self.assertIsNotNone(m, e.response['Error']['Message'])
        self.assertEqual(int(m.group(1)), future * 1000)
        self.assertLess(abs(int(m.group(2)) - time.time() * 1000), 60000)

    def test_at_timestamp_after_last_record_is_at_tip(self):
        name = unique_name('tstip')
        create_stream(self.kinesis, name, shard_count=1)
        for i in range(3):
            self.kinesis.put_record(StreamName=name, Data=b'%d' % i, PartitionKey='k')
        boundary = sleep_past_second_boundary()
        it = self.iterator('AT_TIMESTAMP', name=name, Timestamp=from_epoch(boundary))
        started = time.monotonic()
        resp = self.kinesis.get_records(ShardIterator=it)
        self.assertLess(time.monotonic() - started, 3.0, 'GetRecords at the tip must not block')
        self.assertEqual(resp['Records'], [])
        self.assertIn('NextShardIterator', resp)
        self.assertEqual(resp['MillisBehindLatest'], 0)
        self.kinesis.put_record(StreamName=name, Data=b'later', PartitionKey='k')
        resp2 = self.kinesis.get_records(ShardIterator=resp['NextShardIterator'])
        self.assertEqual([r['Data'] for r in resp2['Records']], [b'later'])

    def test_at_sequence_number_without_sequence_number(self):
        self.assertAwsError(self.kinesis.get_shard_iterator, 'InvalidArgumentException',
                            'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and '
                            'StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. '
                            'Request specified AT_SEQUENCE_NUMBER and no StartingSequenceNumber.',
                            StreamName=self.name, ShardId=shard_id(0), ShardIteratorType='AT_SEQUENCE_NUMBER')

    def test_after_sequence_number_without_sequence_number(self):
        self.assertAwsError(self.kinesis.get_shard_iterator, 'InvalidArgumentException',
                            'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and '
                            'StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. '
                            'Request specified AFTER_SEQUENCE_NUMBER and no StartingSequenceNumber.',
                            StreamName=self.name, ShardId=shard_id(0), ShardIteratorType='AFTER_SEQUENCE_NUMBER')

    def test_trim_horizon_with_sequence_number(self):
        self.assertAwsError(self.kinesis.get_shard_iterator, 'InvalidArgumentException',
                            'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and '
                            'StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. '
                            'Request specified TRIM_HORIZON and also a StartingSequenceNumber.',
                            StreamName=self.name, ShardId=shard_id(0), ShardIteratorType='TRIM_HORIZON',
                            StartingSequenceNumber=self.seqs[0])

    def test_latest_with_sequence_number(self):
        self.assertAwsError(self.kinesis.get_shard_iterator, 'InvalidArgumentException',
                            'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and '
                            'StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. '
                            'Request specified LATEST and also a StartingSequenceNumber.',
                            StreamName=self.name, ShardId=shard_id(0), ShardIteratorType='LATEST',
                            StartingSequenceNumber=self.seqs[0])

    def test_at_timestamp_without_timestamp(self):
        self.assertAwsError(self.kinesis.get_shard_iterator, 'InvalidArgumentException',
                            'Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. '
                            'Current request has no timestamp parameter.',
                            StreamName=self.name, ShardId=shard_id(0), ShardIteratorType='AT_TIMESTAMP')

    def test_invalid_iterator_type(self):
        e = self.assertAwsError(self.kinesis_unvalidated.get_shard_iterator, 'ValidationException',
                                StreamName=self.name, ShardId=shard_id(0), ShardIteratorType='SOMEWHERE')
        msg = e.response['Error']['Message']
        self.assertTrue(msg.startswith("1 validation error detected: Value 'SOMEWHERE' at 'shardIteratorType' failed "
                                       "to satisfy constraint: Member must satisfy enum value set: ["), msg)
        for t in ('AFTER_SEQUENCE_NUMBER', 'LATEST', 'AT_TIMESTAMP', 'AT_SEQUENCE_NUMBER', 'TRIM_HORIZON'):
            self.assertIn(t, msg)

    def test_unknown_shard(self):
        # a well-formed shard id the stream does not have (kinesalite, recorded against AWS)
        self.assertAwsError(self.kinesis.get_shard_iterator, 'ResourceNotFoundException',
                            'Shard shardId-000000000009 in stream %s under account %s does not exist'
                            % (self.name, DEFAULT_ACCOUNT),
                            StreamName=self.name, ShardId=shard_id(9), ShardIteratorType='TRIM_HORIZON')

    def test_malformed_shard_id(self):
        self.assertAwsError(self.kinesis.get_shard_iterator, 'ResourceNotFoundException',
                            'Could not find shard shardId-abc in stream %s under account %s.'
                            % (self.name, DEFAULT_ACCOUNT),
                            StreamName=self.name, ShardId='shardId-abc', ShardIteratorType='TRIM_HORIZON')

    def test_unknown_stream(self):
        # kinesalite's tests against AWS: a missing stream is reported as the missing shard, its id normalised
        name = unique_name('missing')
        for sent, shown in ((shard_id(0), shard_id(0)), ('2147483647', 'shardId-002147483647'),
                            ('a-00002147483647', 'shardId-002147483647'), ('-5', shard_id(5))):
            self.assertAwsError(self.kinesis.get_shard_iterator, 'ResourceNotFoundException',
                                'Shard %s in stream %s under account %s does not exist' % (shown, name, DEFAULT_ACCOUNT),
                                StreamName=name, ShardId=sent, ShardIteratorType='TRIM_HORIZON')

    def test_unparseable_shard_id_is_reported_before_a_missing_stream(self):
        name = unique_name('missing')
        for sent in ('2147483648', 'shardId-002147483648', 'ABKLFD8', '2.14E4'):
            self.assertAwsError(self.kinesis.get_shard_iterator, 'ResourceNotFoundException',
                                'Could not find shard %s in stream %s under account %s.' % (sent, name, DEFAULT_ACCOUNT),
                                StreamName=name, ShardId=sent, ShardIteratorType='LATEST')

    def test_short_shard_id_is_echoed_normalised(self):
        self.assertAwsError(self.kinesis.get_shard_iterator, 'ResourceNotFoundException',
                            'Shard shardId-000000000005 in stream %s under account %s does not exist'
                            % (self.name, DEFAULT_ACCOUNT),
                            StreamName=self.name, ShardId='shardId-5', ShardIteratorType='AT_SEQUENCE_NUMBER',
                            StartingSequenceNumber='5')

    def test_bogus_sequence_number(self):
        self.assertAwsError(self.kinesis.get_shard_iterator, 'InvalidArgumentException',
                            'StartingSequenceNumber 12345 used in GetShardIterator on shard shardId-000000000000 '
                            'in stream %s under account %s is invalid.' % (self.name, DEFAULT_ACCOUNT),
                            StreamName=self.name, ShardId=shard_id(0), ShardIteratorType='AT_SEQUENCE_NUMBER',
                            StartingSequenceNumber='12345')

    def test_sequence_number_of_other_stream(self):
        name = unique_name('other')
        create_stream(self.kinesis, name, shard_count=1)
        time.sleep(1.1)  # the shard creation time (whole seconds) is part of the sequence number
        other = unique_name('other2')
        create_stream(self.kinesis, other, shard_count=1)
        seq = self.kinesis.put_record(StreamName=name, Data=b'x', PartitionKey='k')['SequenceNumber']
        self.assertAwsError(self.kinesis.get_shard_iterator, 'InvalidArgumentException',
                            'StartingSequenceNumber %s used in GetShardIterator on shard shardId-000000000000 '
                            'in stream %s under account %s is invalid because it did not come from this stream.'
                            % (seq, other, DEFAULT_ACCOUNT),
                            StreamName=other, ShardId=shard_id(0), ShardIteratorType='AT_SEQUENCE_NUMBER',
                            StartingSequenceNumber=seq)

    def test_sequence_number_of_other_shard(self):
        name = unique_name('two')
        create_stream(self.kinesis, name, shard_count=2)
        r = self.kinesis.put_record(StreamName=name, Data=b'x', PartitionKey='k', ExplicitHashKey='0')
        self.assertEqual(r['ShardId'], shard_id(0))
        self.assertAwsError(self.kinesis.get_shard_iterator, 'InvalidArgumentException',
                            'Invalid StartingSequenceNumber. It encodes shardId-000000000000, while it was used in '
                            'a call to a shard with shardId-000000000001',
                            StreamName=name, ShardId=shard_id(1), ShardIteratorType='AT_SEQUENCE_NUMBER',
                            StartingSequenceNumber=r['SequenceNumber'])


class GetRecordsTest(EmulatorTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.name = unique_name('get')
        create_stream(cls.kinesis, cls.name, shard_count=1)
        cls.data = [b'rec-%02d' % i for i in range(20)]
        cls.put_time = utcnow()
        resp = cls.kinesis.put_records(StreamName=cls.name, Records=[{'Data': d, 'PartitionKey': 'pk-%d' % i}
                                                                     for i, d in enumerate(cls.data)])
        cls.seqs = [r['SequenceNumber'] for r in resp['Records']]

    def trim_horizon(self, name=None):
        return self.kinesis.get_shard_iterator(StreamName=name or self.name, ShardId=shard_id(0),
                                               ShardIteratorType='TRIM_HORIZON')['ShardIterator']

    def test_record_fields(self):
        recs = self.kinesis.get_records(ShardIterator=self.trim_horizon())['Records']
        self.assertEqual(len(recs), 20)
        for i, r in enumerate(recs):
            self.assertEqual(r['SequenceNumber'], self.seqs[i])
            self.assertEqual(r['Data'], self.data[i])
            self.assertEqual(r['PartitionKey'], 'pk-%d' % i)
            self.assertIsInstance(r['ApproximateArrivalTimestamp'], datetime.datetime)
            self.assertLess(abs((r['ApproximateArrivalTimestamp'] - self.put_time).total_seconds()), 30)
            self.assertIn(r.get('EncryptionType', 'NONE'), ('NONE',))

    def test_limit(self):
        resp = self.kinesis.get_records(ShardIterator=self.trim_horizon(), Limit=3)
        self.assertEqual([r['Data'] for r in resp['Records']], self.data[:3])
        self.assertGreater(resp['MillisBehindLatest'], -1)
        resp2 = self.kinesis.get_records(ShardIterator=resp['NextShardIterator'], Limit=5)
        self.assertEqual([r['Data'] for r in resp2['Records']], self.data[3:8])
        resp3 = self.kinesis.get_records(ShardIterator=resp2['NextShardIterator'])
        self.assertEqual([r['Data'] for r in resp3['Records']], self.data[8:])

    def test_limit_over_max(self):
        with self.assertRaises(ClientError) as cm:
            self.kinesis_unvalidated.get_records(ShardIterator=self.trim_horizon(), Limit=10001)
        err = cm.exception.response
        self.assertIn(err['Error']['Code'], ('InvalidArgumentException', 'ValidationException'), err['Error'])
        self.assertEqual(err['ResponseMetadata']['HTTPStatusCode'], 400)

    def test_limit_zero(self):
        with self.assertRaises(ClientError) as cm:
            self.kinesis_unvalidated.get_records(ShardIterator=self.trim_horizon(), Limit=0)
        err = cm.exception.response
        self.assertIn(err['Error']['Code'], ('InvalidArgumentException', 'ValidationException'), err['Error'])
        self.assertEqual(err['ResponseMetadata']['HTTPStatusCode'], 400)

    def test_next_shard_iterator_always_present(self):
        resp = self.kinesis.get_records(ShardIterator=self.trim_horizon())
        self.assertIn('NextShardIterator', resp)
        for _ in range(3):
            resp = self.kinesis.get_records(ShardIterator=resp['NextShardIterator'])
            self.assertEqual(resp['Records'], [])
            self.assertTrue(resp.get('NextShardIterator'))
            self.assertNotIn('ChildShards', resp)

    def test_millis_behind_latest_zero_at_tip(self):
        resp = self.kinesis.get_records(ShardIterator=self.trim_horizon())
        self.assertEqual(len(resp['Records']), 20)
        self.assertEqual(resp['MillisBehindLatest'], 0)
        resp = self.kinesis.get_records(ShardIterator=resp['NextShardIterator'])
        self.assertEqual(resp['MillisBehindLatest'], 0)

    def test_millis_behind_latest_when_behind(self):
        time.sleep(0.3)
        resp = self.kinesis.get_records(ShardIterator=self.trim_horizon(), Limit=1)
        self.assertIsInstance(resp['MillisBehindLatest'], int)
        self.assertGreaterEqual(resp['MillisBehindLatest'], 0)

    def test_iterator_reusable(self):
        it = self.trim_horizon()
        first = self.kinesis.get_records(ShardIterator=it, Limit=4)['Records']
        again = self.kinesis.get_records(ShardIterator=it, Limit=4)['Records']
        self.assertEqual([r['SequenceNumber'] for r in first], [r['SequenceNumber'] for r in again])
        self.assertEqual(len(first), 4)

    def test_reads_new_records_after_tip(self):
        name = unique_name('follow')
        create_stream(self.kinesis, name, shard_count=1)
        resp = self.kinesis.get_records(ShardIterator=self.trim_horizon(name))
        self.assertEqual(resp['Records'], [])
        it = resp['NextShardIterator']
        for i in range(3):
            self.kinesis.put_record(StreamName=name, Data=b'live-%d' % i, PartitionKey='k')
            resp = self.kinesis.get_records(ShardIterator=it)
            self.assertEqual([r['Data'] for r in resp['Records']], [b'live-%d' % i])
            it = resp['NextShardIterator']

    def test_binary_round_trip(self):
        name = unique_name('bin')
        create_stream(self.kinesis, name, shard_count=1)
        payloads = [bytes(range(256)), b'\x00', b'\x00\x00\x00', b'\xff\xfe\x00\x01' * 100,
                    b'{"json": "\\u0000"}', '\u00e9\u4e2d'.encode('utf-8') + b'\x00\x80']
        for p in payloads:
            self.kinesis.put_record(StreamName=name, Data=p, PartitionKey='k')
        self.kinesis.put_records(StreamName=name, Records=[{'Data': p, 'PartitionKey': 'k'} for p in payloads])
        recs = read_shard(self.kinesis, name, shard_id(0))
        self.assertEqual([r['Data'] for r in recs], payloads + payloads)

    def test_garbage_iterator(self):
        self.assertAwsError(self.kinesis.get_records, 'InvalidArgumentException', 'Invalid ShardIterator.',
                            ShardIterator='AAAA')

    def test_iterator_in_double_quotes(self):
        # AWS accepts it (LocalStack's AWS-validated test, localstack/localstack#9884): what the CLI prints for
        # `--query ShardIterator` without `--output text`
        resp = self.kinesis.get_records(ShardIterator='"%s"' % self.trim_horizon(), Limit=2)
        self.assertEqual([r['Data'] for r in resp['Records']], self.data[:2])
        self.assertFalse(resp['NextShardIterator'].startswith('"'))
        resp = self.kinesis.get_records(ShardIterator='"%s"' % resp['NextShardIterator'], Limit=1)
        self.assertEqual([r['Data'] for r in resp['Records']], self.data[2:3])
        # only a pair of quotes around it
        for bad in ('"' + self.trim_horizon(), self.trim_horizon() + '"', '""'):
            self.assertAwsError(self.kinesis.get_records, 'InvalidArgumentException', 'Invalid ShardIterator.',
                                ShardIterator=bad)

    def test_tampered_iterator(self):
        it = self.trim_horizon()
        self.assertGreater(len(it), 16)
        for pos in (len(it) // 4, len(it) // 2, (3 * len(it)) // 4, 0):
            replacement = 'A' if it[pos] != 'A' else 'B'
            bad = it[:pos] + replacement + it[pos + 1:]
            with self.assertRaises(ClientError, msg='tampered at %d: %r' % (pos, bad)) as cm:
                self.kinesis.get_records(ShardIterator=bad)
            err = cm.exception.response
            self.assertEqual(err['Error']['Code'], 'InvalidArgumentException', (pos, err))
            self.assertEqual(err['ResponseMetadata']['HTTPStatusCode'], 400)

    def test_iterator_of_deleted_stream(self):
        name = unique_name('gone')
        create_stream(self.kinesis, name, shard_count=1)
        it = self.trim_horizon(name)
        self.kinesis.delete_stream(StreamName=name)
        wait_until_gone(self.kinesis, name)
        self.assertAwsError(self.kinesis.get_records, 'ResourceNotFoundException',
                            'Shard shardId-000000000000 in stream %s under account %s does not exist'
                            % (name, DEFAULT_ACCOUNT), ShardIterator=it)


class ManyRecordsTest(EmulatorTestCase):
    """10,500 records on one shard, read back with a Limit loop and with the default limit."""

    TOTAL = 10500

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.name = unique_name('many')
        create_stream(cls.kinesis, cls.name, shard_count=1)
        cls.seqs = []
        for start in range(0, cls.TOTAL, 500):
            resp = cls.kinesis.put_records(StreamName=cls.name, Records=[
                {'Data': b'm%05d' % i, 'PartitionKey': 'k%d' % (i % 7)} for i in range(start, start + 500)])
            if resp['FailedRecordCount']:
                raise AssertionError('PutRecords failed entries: %r' % [r for r in resp['Records']
                                                                        if 'ErrorCode' in r][:3])
            cls.seqs += [r['SequenceNumber'] for r in resp['Records']]

    def iterator(self):
        return self.kinesis.get_shard_iterator(StreamName=self.name, ShardId=shard_id(0),
                                               ShardIteratorType='TRIM_HORIZON')['ShardIterator']

    def test_limit_loop(self):
        it = self.iterator()
        pages = []
        got = []
        for _ in range(50):
            resp = self.kinesis.get_records(ShardIterator=it, Limit=1000)
            if not resp['Records']:
                self.assertEqual(resp['MillisBehindLatest'], 0)
                break
            pages.append(len(resp['Records']))
            got += resp['Records']
            it = resp['NextShardIterator']
        self.assertEqual(pages, [1000] * 10 + [500])
        self.assertEqual(len(got), self.TOTAL)
        self.assertEqual([r['SequenceNumber'] for r in got], self.seqs)
        self.assertEqual([r['Data'] for r in got], [b'm%05d' % i for i in range(self.TOTAL)])

    def test_default_limit_is_10000(self):
        resp = self.kinesis.get_records(ShardIterator=self.iterator())
        self.assertEqual(len(resp['Records']), 10000)
        self.assertEqual(resp['Records'][-1]['SequenceNumber'], self.seqs[9999])
        rest = self.kinesis.get_records(ShardIterator=resp['NextShardIterator'])
        self.assertEqual([r['SequenceNumber'] for r in rest['Records']], self.seqs[10000:])

    def test_limit_10000(self):
        resp = self.kinesis.get_records(ShardIterator=self.iterator(), Limit=10000)
        self.assertEqual(len(resp['Records']), 10000)


if __name__ == '__main__':
    unittest.main()
