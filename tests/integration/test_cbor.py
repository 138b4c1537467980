"""CBOR 1.1 (application/x-amz-cbor-1.1), as the Java SDKs and KCL send it, through a raw client.

The requests use the small codec in cbor_codec.py (the standard library has none); requests and answers are also checked
against hand-made byte sequences.
"""
import http.client
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cbor_codec import CBOR_CONTENT_TYPE as CBOR, Tag, decode, encode  # noqa: E402
from emulator_process import EmulatorTestCase  # noqa: E402


class CborTest(EmulatorTestCase):
    def call(self, operation, body, raw=None):
        payload = raw if raw is not None else encode(body)
        conn = http.client.HTTPConnection('127.0.0.1', self.emu.port, timeout=10)
        try:
            conn.request('POST', '/', body=payload, headers={
                'Content-Type': CBOR, 'X-Amz-Target': 'Kinesis_20131202.' + operation,
                'X-Amz-Date': '20260101T000000Z',
                'Authorization': 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/us-east-1/kinesis/aws4_request, '
                                 'SignedHeaders=host;x-amz-date, Signature=00'})
            resp = conn.getresponse()
            data = resp.read()
            self.assertEqual(resp.getheader('Content-Type'), CBOR)
            return resp.status, (decode(data) if data else None)
        finally:
            conn.close()

    def test_codec_matches_hand_made_bytes(self):
        # {"StreamName": "s"} definite and indefinite, and a tag-1 timestamp of 1787036486712 ms.
        self.assertEqual(encode({'StreamName': 's'}), bytes.fromhex('a16a53747265616d4e616d656173'))
        self.assertEqual(encode({'StreamName': 's'}, indefinite=True), bytes.fromhex('bf6a53747265616d4e616d656173ff'))
        self.assertEqual(encode(Tag(1, 1787036486712)), bytes.fromhex('c11b000001a013accc38'))

    def test_round_trip_of_records_with_byte_strings_and_millisecond_timestamps(self):
        status, _ = self.call('CreateStream', {'StreamName': 'cbor', 'ShardCount': 1})
        self.assertEqual(status, 200)
        before_ms = int(time.time() * 1000) - 5
        status, put = self.call('PutRecord', {'StreamName': 'cbor', 'PartitionKey': 'k', 'Data': b'\x00\x01\xff'})
        self.assertEqual(status, 200)
        self.assertEqual(put['ShardId'], 'shardId-000000000000')
        # A Java-style request: indefinite-length map, tag-1 timestamp in milliseconds.
        raw = encode({'StreamName': 'cbor', 'ShardId': 'shardId-000000000000', 'ShardIteratorType': 'AT_TIMESTAMP',
                      'Timestamp': Tag(1, before_ms)}, indefinite=True)
        status, it = self.call('GetShardIterator', None, raw=raw)
        self.assertEqual(status, 200, it)
        status, got = self.call('GetRecords', {'ShardIterator': it['ShardIterator']})
        self.assertEqual(status, 200)
        self.assertEqual(len(got['Records']), 1)
        record = got['Records'][0]
        self.assertEqual(record['Data'], b'\x00\x01\xff')  # a byte string, not base64
        ts = record['ApproximateArrivalTimestamp']
        self.assertIsInstance(ts, Tag)
        self.assertEqual(ts.tag, 1)
        self.assertIsInstance(ts.value, int)  # integer milliseconds, as the Java SDK parses it
        self.assertLess(abs(ts.value - time.time() * 1000), 60000)
        self.assertEqual(got['MillisBehindLatest'], 0)

    def test_summary_timestamps_are_tag_1_integers(self):
        self.call('CreateStream', {'StreamName': 'cbor-summary', 'ShardCount': 1})
        status, d = self.call('DescribeStreamSummary', {'StreamName': 'cbor-summary'})
        self.assertEqual(status, 200)
        ts = d['StreamDescriptionSummary']['StreamCreationTimestamp']
        self.assertEqual((ts.tag, type(ts.value)), (1, int))

    def test_errors_are_cbor_maps_with_the_same_status(self):
        status, err = self.call('DescribeStream', {'StreamName': 'wrong-stream-name'})
        self.assertEqual(status, 400)
        self.assertEqual(err, {'__type': 'ResourceNotFoundException',
                               'message': 'Stream wrong-stream-name under account 000000000000 not found.'})
        status, err = self.call('DescribeStream', {'StreamName': 'a b'})
        self.assertEqual(err['__type'], 'ValidationException')
        status, err = self.call('ListStreams', None, raw=b'\xbf\x61')  # truncated
        self.assertEqual((status, err), (400, {'__type': 'SerializationException'}))

    def test_unit_outputs_have_an_empty_body(self):
        status, body = self.call('CreateStream', {'StreamName': 'cbor-unit', 'ShardCount': 1})
        self.assertEqual((status, body), (200, None))



# Keys whose values depend on time or on a random sealing key: compared by type, not by value.
VOLATILE_KEYS = {'ShardIterator', 'NextShardIterator', 'NextToken', 'SequenceNumber', 'StartingSequenceNumber',
                 'EndingSequenceNumber', 'MillisBehindLatest'}
TIMESTAMP_KEYS = {'StreamCreationTimestamp', 'ConsumerCreationTimestamp', 'ApproximateArrivalTimestamp',
                  'StartedAt', 'EndedAt', 'EarliestAllowedEndAt'}


def every_action_scenario():
    """(operation, request builder) for each request/response action, in an order where each can succeed.

    A builder gets the answers so far (by step name) and returns the request. SubscribeToShard, the one streaming
    action, has its own CBOR test in test_subscribe_to_shard."""
    arn = 'arn:aws:kinesis:us-east-1:000000000000:stream/every'
    return [
        ('CreateStream', lambda r: {'StreamName': 'every', 'ShardCount': 2, 'Tags': {'team': 'a'}}),
        ('DescribeStream', lambda r: {'StreamName': 'every'}),
        ('DescribeStreamSummary', lambda r: {'StreamARN': arn}),
        ('ListStreams', lambda r: {'Limit': 10}),
        ('ListShards', lambda r: {'StreamName': 'every', 'MaxResults': 1}),
        ('AddTagsToStream', lambda r: {'StreamName': 'every', 'Tags': {'b': '2'}}),
        ('ListTagsForStream', lambda r: {'StreamName': 'every'}),
        ('RemoveTagsFromStream', lambda r: {'StreamName': 'every', 'TagKeys': ['b']}),
        ('IncreaseStreamRetentionPeriod', lambda r: {'StreamName': 'every', 'RetentionPeriodHours': 48}),
        ('DecreaseStreamRetentionPeriod', lambda r: {'StreamName': 'every', 'RetentionPeriodHours': 24}),
        ('EnableEnhancedMonitoring', lambda r: {'StreamName': 'every', 'ShardLevelMetrics': ['IncomingBytes']}),
        ('DisableEnhancedMonitoring', lambda r: {'StreamName': 'every', 'ShardLevelMetrics': ['IncomingBytes']}),
        ('PutRecord', lambda r: {'StreamName': 'every', 'PartitionKey': 'k', 'Data': b'\x00one\xff'}),
        ('PutRecords', lambda r: {'StreamARN': arn, 'Records': [
            {'PartitionKey': 'k', 'Data': b'two'}, {'PartitionKey': 'k', 'Data': b''},
            {'PartitionKey': 'k', 'Data': b'\x80four'}]}),
        ('GetShardIterator', lambda r: {'StreamName': 'every', 'ShardId': r['PutRecord']['ShardId'],
                                        'ShardIteratorType': 'TRIM_HORIZON'}),
        ('GetRecords', lambda r: {'ShardIterator': r['GetShardIterator']['ShardIterator'], 'Limit': 10}),
        ('StartStreamEncryption', lambda r: {'StreamName': 'every', 'EncryptionType': 'KMS',
                                             'KeyId': 'alias/aws/kinesis'}),
        ('StopStreamEncryption', lambda r: {'StreamName': 'every', 'EncryptionType': 'KMS',
                                            'KeyId': 'alias/aws/kinesis'}),
        ('RegisterStreamConsumer', lambda r: {'StreamARN': arn, 'ConsumerName': 'c1'}),
        ('DescribeStreamConsumer', lambda r: {'ConsumerARN': r['RegisterStreamConsumer']['Consumer']['ConsumerARN']}),
        ('ListStreamConsumers', lambda r: {'StreamARN': arn}),
        ('TagResource', lambda r: {'ResourceARN': arn, 'Tags': {'c': '3'}}),
        ('ListTagsForResource', lambda r: {'ResourceARN': arn}),
        ('UntagResource', lambda r: {'ResourceARN': arn, 'TagKeys': ['c']}),
        ('PutResourcePolicy', lambda r: {'ResourceARN': arn, 'Policy': '{"Version":"2012-10-17","Statement":[]}'}),
        ('GetResourcePolicy', lambda r: {'ResourceARN': arn}),
        ('DeleteResourcePolicy', lambda r: {'ResourceARN': arn}),
        ('DescribeLimits', lambda r: {}),
        ('SplitShard', lambda r: {'StreamName': 'every', 'ShardToSplit': 'shardId-000000000000',
                                  'NewStartingHashKey': str(2 ** 126)}),
        ('MergeShards', lambda r: {'StreamName': 'every', 'ShardToMerge': 'shardId-000000000002',
                                   'AdjacentShardToMerge': 'shardId-000000000003'}),
        ('UpdateShardCount', lambda r: {'StreamName': 'every', 'TargetShardCount': 4,
                                        'ScalingType': 'UNIFORM_SCALING'}),
        ('UpdateMaxRecordSize', lambda r: {'StreamARN': arn, 'MaxRecordSizeInKiB': 2048}),
        ('DescribeAccountSettings', lambda r: {}),
        ('UpdateAccountSettings', lambda r: {'MinimumThroughputBillingCommitment': {'Status': 'ENABLED'}}),
        ('UpdateStreamMode', lambda r: {'StreamARN': arn, 'StreamModeDetails': {'StreamMode': 'ON_DEMAND'}}),
        ('UpdateStreamWarmThroughput', lambda r: {'StreamARN': arn, 'WarmThroughputMiBps': 10}),
        ('DeregisterStreamConsumer', lambda r: {'ConsumerARN': r['RegisterStreamConsumer']['Consumer']['ConsumerARN']}),
        ('DeleteStream', lambda r: {'StreamName': 'every', 'EnforceConsumerDeletion': True}),
    ]


class EveryActionTest(unittest.TestCase):
    """Every request/response action, once in JSON on one emulator and once in CBOR on another: same statuses and
    the same answers once CBOR's byte strings and tag-1 millisecond timestamps are put in JSON's terms."""

    def test_every_action_answers_the_same_in_cbor_and_json(self):
        from emulator_process import EmulatorProcess, raw_request, JSON_CT  # noqa: E402
        import base64
        import json as jsonlib

        def normalize(value, key=None, cbor=False):
            if key in TIMESTAMP_KEYS:
                if cbor:
                    self.assertIsInstance(value, Tag, key)
                    self.assertEqual(value.tag, 1, key)
                    self.assertIsInstance(value.value, int, key)  # integer milliseconds
                else:
                    self.assertIsInstance(value, (int, float), key)
                return '<timestamp>'
            if key in VOLATILE_KEYS:
                self.assertIsInstance(value, (str, int), key)
                return '<%s>' % type(value).__name__
            if key == 'ConsumerARN' and isinstance(value, str):
                return value.rsplit(':', 1)[0]  # ends in the registration time in seconds
            if isinstance(value, dict):
                return {k: normalize(v, k, cbor) for k, v in value.items()}
            if isinstance(value, list):
                return [normalize(v, None, cbor) for v in value]
            if isinstance(value, bytes):
                self.assertTrue(cbor, 'a byte string in a JSON answer')
                return base64.b64encode(value).decode()
            if isinstance(value, Tag):
                self.fail('unexpected CBOR tag %d under %r' % (value.tag, key))
            return value

        def run(cbor):
            with EmulatorProcess() as emu:
                answers, results = {}, []
                for operation, build in every_action_scenario():
                    body = build(answers)
                    if cbor:
                        resp = raw_request(emu.port, encode(body), operation=operation, content_type=CBOR)
                        self.assertEqual(resp.headers.get('Content-Type'), CBOR, operation)
                        decoded = decode(resp.body) if resp.body else None
                    else:
                        jbody = {k: (base64.b64encode(v).decode() if isinstance(v, bytes) else v)
                                 for k, v in body.items()}
                        if operation == 'PutRecords':
                            jbody['Records'] = [{k: (base64.b64encode(v).decode() if isinstance(v, bytes) else v)
                                                 for k, v in rec.items()} for rec in body['Records']]
                        resp = raw_request(emu.port, jsonlib.dumps(jbody).encode(), operation=operation,
                                           content_type=JSON_CT)
                        decoded = jsonlib.loads(resp.body) if resp.body else None
                    self.assertEqual(resp.status, 200, '%s %s: %r' % ('CBOR' if cbor else 'JSON', operation, decoded))
                    answers[operation] = decoded
                    results.append((operation, resp.status, normalize(decoded or {}, None, cbor)))
                return results

        json_results = run(cbor=False)
        cbor_results = run(cbor=True)
        self.assertEqual(len(json_results), 38)
        for j, c in zip(json_results, cbor_results):
            self.assertEqual(c, j, j[0])
        # the records really came back as byte strings with their exact bytes
        got = dict((op, body) for op, _, body in cbor_results)['GetRecords']
        self.assertEqual([r['Data'] for r in got['Records']],
                         [base64.b64encode(b).decode() for b in (b'\x00one\xff', b'two', b'', b'\x80four')])


if __name__ == '__main__':
    unittest.main()
