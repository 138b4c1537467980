"""Fault injection seen through boto3: each plugin's effect, retries, rule matching and lifetime, the emulator
clock (iterator and NextToken expiry) and --enforce-limits throughput limits."""

import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError, ConnectionError, HTTPClientError

from emulator_process import (DEFAULT_ACCESS_KEY, DEFAULT_ACCOUNT, SECRET_KEY, EmulatorTestCase, create_stream,
                              list_all_shards, md5_hash_key, read_shard, shard_for_hash, shard_id, unique_name)

ACCT = DEFAULT_ACCOUNT
EXPIRED_ITERATOR_RE = (r'^Iterator expired\. The iterator was created at time \w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC '
                       r'\d{4} while right now it is \w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4} which is further in '
                       r'the future than the tolerated delay of 300000 milliseconds\.$')
KMS_ERRORS = ('KMSAccessDeniedException', 'KMSDisabledException', 'KMSInvalidStateException', 'KMSNotFoundException',
              'KMSOptInRequired', 'KMSThrottlingException')


def put_text(shard, name):
    return 'Rate exceeded for shard %s in stream %s under account %s.' % (shard, name, ACCT)


class FaultTestBase(EmulatorTestCase):
    """Admin helpers; every test starts and ends with no fault rule."""

    def setUp(self):
        super().setUp()
        self.clear_faults()
        self.addCleanup(self.clear_faults)

    # -- admin API -------------------------------------------------------------

    def admin_json(self, method, path, body=None, expect=200):
        resp = self.emu.admin(method, path, body)
        self.assertEqual(resp.status, expect, '%s %s %r -> %r' % (method, path, body, resp))
        return resp.json() if resp.body else None

    def clear_faults(self):
        self.admin_json('DELETE', 'faults', expect=204)

    def add_rule(self, plugin, **fields):
        body = dict(fields, plugin=plugin)
        rule = self.admin_json('POST', 'faults', body, expect=201)
        self.assertRegex(rule['id'], r'^fault-\d+$')
        return rule

    def rule(self, rule_id):
        return self.admin_json('GET', 'faults/' + rule_id)

    def assertRuleCounts(self, rule_id, hits=None, fired=None, remaining='unset'):
        r = self.rule(rule_id)
        if hits is not None:
            self.assertEqual(r['hits'], hits, r)
        if fired is not None:
            self.assertEqual(r['fired'], fired, r)
        if remaining != 'unset':
            self.assertEqual(r['remaining'], remaining, r)
        return r

    def clock(self, **body):
        if body:
            return self.admin_json('POST', 'clock', body)
        return self.admin_json('GET', 'clock')

    # -- clients and streams ------------------------------------------------------

    def make_client(self, region='us-east-1', attempts=1):
        """A boto3 client with botocore's standard retry mode and total_max_attempts=attempts."""
        cfg = Config(retries={'total_max_attempts': attempts, 'mode': 'standard'}, connect_timeout=10,
                     read_timeout=10)
        client = boto3.session.Session().client('kinesis', region_name=region, endpoint_url=self.emu.endpoint,
                                                aws_access_key_id=DEFAULT_ACCESS_KEY,
                                                aws_secret_access_key=SECRET_KEY, config=cfg)
        self.addCleanup(client.close)
        return client

    def new_stream(self, shards=1, client=None, prefix='flt', name=None):
        name = name or unique_name(prefix)
        create_stream(client or self.kinesis, name, shard_count=shards)
        return name

    def put(self, name, data=b'x', pk='pk', client=None, **kw):
        return (client or self.kinesis).put_record(StreamName=name, Data=data, PartitionKey=pk, **kw)

    def read_all(self, name, client=None):
        """{SequenceNumber: (ShardId, Data)} of every record in the stream."""
        client = client or self.kinesis
        out = {}
        for s in list_all_shards(client, name):
            for r in read_shard(client, name, s['ShardId']):
                out[r['SequenceNumber']] = (s['ShardId'], r['Data'])
        return out

    def check_put_records(self, name, entries, resp, failed_expected, error_code, error_message_fn):
        """PutRecords answer consistency: request order, FailedRecordCount, entries, and what is stored."""
        self.assertEqual(resp['ResponseMetadata']['HTTPStatusCode'], 200)
        recs = resp['Records']
        self.assertEqual(len(recs), len(entries))
        failed = [i for i, r in enumerate(recs) if 'ErrorCode' in r]
        self.assertEqual(len(failed), failed_expected, recs)
        self.assertEqual(resp['FailedRecordCount'], failed_expected)
        for i, r in enumerate(recs):
            if i in failed:
                self.assertEqual(r['ErrorCode'], error_code, r)
                self.assertNotIn('SequenceNumber', r)
                self.assertNotIn('ShardId', r)
                self.assertEqual(r['ErrorMessage'], error_message_fn(i), r)
            else:
                self.assertIn('SequenceNumber', r)
                self.assertIn('ShardId', r)
                self.assertNotIn('ErrorMessage', r)
        stored = self.read_all(name)
        self.assertEqual(len(stored), len(entries) - failed_expected)
        for i, r in enumerate(recs):
            if i not in failed:
                self.assertEqual(stored[r['SequenceNumber']], (r['ShardId'], entries[i]['Data']),
                                 'record %d not stored where its result entry says' % i)
        return failed


class PluginEffectTest(FaultTestBase):
    """Each plugin as a boto3 client with retries off observes it."""

    # -- throttle ----------------------------------------------------------------

    def test_throttle_put_record(self):
        name = self.new_stream()
        r = self.add_rule('throttle', match={'stream': name})
        self.assertAwsError(self.put, 'ProvisionedThroughputExceededException', status=400,
                            message=put_text(shard_id(0), name), name=name)
        self.assertRuleCounts(r['id'], hits=1, fired=1, remaining=None)

    def test_throttle_get_records(self):
        name = self.new_stream()
        it = self.kinesis.get_shard_iterator(StreamName=name, ShardId=shard_id(0),
                                             ShardIteratorType='TRIM_HORIZON')['ShardIterator']
        r = self.add_rule('throttle', match={'stream': name, 'operation': 'GetRecords'})
        self.assertAwsError(self.kinesis.get_records, 'ProvisionedThroughputExceededException', status=400,
                            message='Rate exceeded for Shard - %s/%s/%s' % (ACCT, name, shard_id(0)),
                            ShardIterator=it)
        self.assertRuleCounts(r['id'], hits=1, fired=1)

    def test_throttle_get_shard_iterator(self):
        name = self.new_stream()
        self.add_rule('throttle', match={'stream': name})
        self.assertAwsError(self.kinesis.get_shard_iterator, 'ProvisionedThroughputExceededException', status=400,
                            message='Rate exceeded for stream %s under account %s.' % (name, ACCT),
                            StreamName=name, ShardId=shard_id(0), ShardIteratorType='LATEST')

    def test_throttle_control_plane_calls(self):
        name = self.new_stream()
        self.add_rule('throttle', match={'operation': 'DescribeStreamSummary'})
        self.add_rule('throttle', match={'operation': 'ListStreams'})
        self.assertAwsError(self.kinesis.describe_stream_summary, 'LimitExceededException', status=400,
                            message='Rate exceeded for stream %s under account %s.' % (name, ACCT),
                            StreamName=name)
        self.assertAwsError(self.kinesis.list_streams, 'LimitExceededException', status=400,
                            message='Rate exceeded for account %s.' % ACCT)

    def test_throttle_put_records_fraction(self):
        name = self.new_stream(shards=2)
        r = self.add_rule('throttle', match={'stream': name, 'operation': 'PutRecords'}, seed=7,
                          params={'fraction': 0.3})
        entries = [{'Data': b'rec-%d' % i, 'PartitionKey': 'pk-%d' % i} for i in range(10)]
        resp = self.kinesis.put_records(StreamName=name, Records=entries)
        # a failed entry names the shard its partition key maps to
        shards = list_all_shards(self.kinesis, name)
        self.check_put_records(name, entries, resp, 3, 'ProvisionedThroughputExceededException',
                               lambda i: put_text(shard_for_hash(shards, md5_hash_key('pk-%d' % i)), name))
        self.assertRuleCounts(r['id'], hits=1, fired=1)

    def test_throttle_put_records_default_fraction_fails_all(self):
        name = self.new_stream()
        self.add_rule('throttle', match={'stream': name, 'operation': 'PutRecords'})
        entries = [{'Data': b'all-%d' % i, 'PartitionKey': 'k%d' % i} for i in range(4)]
        resp = self.kinesis.put_records(StreamName=name, Records=entries)
        self.check_put_records(name, entries, resp, 4, 'ProvisionedThroughputExceededException',
                               lambda i: put_text(shard_id(0), name))

    def test_throttle_put_records_at_least_one(self):
        name = self.new_stream()
        self.add_rule('throttle', match={'stream': name, 'operation': 'PutRecords'}, params={'fraction': 0.01})
        entries = [{'Data': b'one-%d' % i, 'PartitionKey': 'k%d' % i} for i in range(10)]
        resp = self.kinesis.put_records(StreamName=name, Records=entries)
        self.check_put_records(name, entries, resp, 1, 'ProvisionedThroughputExceededException',
                               lambda i: put_text(shard_id(0), name))

    # -- partial-failure -----------------------------------------------------------

    def test_partial_failure_default(self):
        name = self.new_stream()
        r = self.add_rule('partial-failure', match={'stream': name}, seed=3)
        entries = [{'Data': b'pf-%d' % i, 'PartitionKey': 'k%d' % i} for i in range(10)]
        resp = self.kinesis.put_records(StreamName=name, Records=entries)
        self.assertRuleCounts(r['id'], hits=1, fired=1)
        self.check_put_records(name, entries, resp, 5, 'ProvisionedThroughputExceededException',
                               lambda i: put_text(shard_id(0), name))
        # the read-back calls matched (stream only) but partial-failure does not apply to them
        self.assertEqual(self.rule(r['id'])['fired'], 1)

    def test_partial_failure_internal_failure(self):
        name = self.new_stream()
        self.add_rule('partial-failure', match={'stream': name},
                      params={'fraction': 0.25, 'error': 'InternalFailure'})
        entries = [{'Data': b'if-%d' % i, 'PartitionKey': 'k%d' % i} for i in range(8)]
        resp = self.kinesis.put_records(StreamName=name, Records=entries)
        self.check_put_records(name, entries, resp, 2, 'InternalFailure', lambda i: 'Internal service failure.')

    def test_partial_failure_ignores_put_record(self):
        name = self.new_stream()
        r = self.add_rule('partial-failure', match={'stream': name})
        self.put(name)
        self.assertRuleCounts(r['id'], hits=1, fired=0)

    # -- expired-iterator --------------------------------------------------------------

    def test_expired_iterator(self):
        name = self.new_stream()
        r = self.add_rule('expired-iterator', match={'stream': name})
        self.put(name)  # does not apply to PutRecord
        self.assertRuleCounts(r['id'], hits=1, fired=0)
        it = self.kinesis.get_shard_iterator(StreamName=name, ShardId=shard_id(0),
                                             ShardIteratorType='TRIM_HORIZON')['ShardIterator']
        self.assertAwsError(self.kinesis.get_records, 'ExpiredIteratorException', status=400,
                            message_regex=EXPIRED_ITERATOR_RE, ShardIterator=it)
        self.assertRuleCounts(r['id'], hits=3, fired=1)

    # -- kms-failure ----------------------------------------------------------------

    def test_kms_failure_rules_accepted(self):
        for err in KMS_ERRORS:
            with self.subTest(error=err):
                r = self.add_rule('kms-failure', params={'error': err, 'message': 'custom'})
                self.assertEqual(r['params'], {'error': err, 'message': 'custom'})
        self.add_rule('kms-failure')  # default error
        resp = self.emu.admin('POST', 'faults', {'plugin': 'kms-failure', 'params': {'error': 'KMSBogusException'}})
        self.assertEqual(resp.status, 400, resp)
        self.assertEqual(resp.json()['error'], 'InvalidRule')
        self.assertIn('params.error', resp.json()['message'])

    def test_kms_failure_passes_on_unencrypted_stream(self):
        name = self.new_stream()
        r = self.add_rule('kms-failure', match={'stream': name})
        put = self.put(name, data=b'plain')
        self.assertEqual(put['ShardId'], shard_id(0))
        recs = read_shard(self.kinesis, name, shard_id(0))
        self.assertEqual([x['Data'] for x in recs], [b'plain'])
        rule = self.rule(r['id'])
        self.assertEqual(rule['fired'], 0)
        self.assertGreaterEqual(rule['hits'], 1)

    # -- latency ------------------------------------------------------------------

    def test_latency(self):
        name = self.new_stream()
        r = self.add_rule('latency', match={'stream': name, 'operation': 'PutRecord'}, params={'ms': 300})
        t0 = time.monotonic()
        resp = self.put(name, data=b'slow')
        elapsed = time.monotonic() - t0
        self.assertEqual(resp['ResponseMetadata']['HTTPStatusCode'], 200)
        self.assertGreaterEqual(elapsed, 0.3)
        self.assertLess(elapsed, 5.0)
        self.assertRuleCounts(r['id'], hits=1, fired=1)
        self.assertEqual([x['Data'] for x in read_shard(self.kinesis, name, shard_id(0))], [b'slow'])

    # -- error --------------------------------------------------------------------

    def test_error_types_and_statuses(self):
        name = self.new_stream()
        cases = [
            ({'type': 'ServiceUnavailable'}, 'ServiceUnavailable', 503, None),
            ({'type': 'ThrottlingException', 'message': 'slow down'}, 'ThrottlingException', 400, 'slow down'),
            ({}, 'InternalFailure', 500, None),
            ({'type': 'InternalFailure', 'message': 'boom'}, 'InternalFailure', 500, 'boom'),
            ({'type': 'CustomFault', 'status': 599, 'message': 'odd'}, 'CustomFault', 599, 'odd'),
            ({'type': 'ServiceUnavailable', 'status': 502}, 'ServiceUnavailable', 502, None),
        ]
        for params, code, status, message in cases:
            with self.subTest(params=params):
                self.clear_faults()
                r = self.add_rule('error', match={'stream': name}, params=params)
                self.assertAwsError(self.kinesis.describe_stream_summary, code, status=status, message=message,
                                    StreamName=name)
                self.assertAwsError(self.put, code, status=status, message=message, name=name)
                self.assertRuleCounts(r['id'], hits=2, fired=2)

    # -- connection-reset -----------------------------------------------------------

    def test_connection_reset_without_retries(self):
        name = self.new_stream()
        r = self.add_rule('connection-reset', match={'stream': name, 'operation': 'PutRecord'})
        with self.assertRaises((ConnectionError, HTTPClientError)) as cm:
            self.put(name)
        self.assertIsInstance(cm.exception, (ConnectionClosedError, ConnectionError), repr(cm.exception))
        self.assertRuleCounts(r['id'], hits=1, fired=1)
        # the server keeps serving; nothing was stored by the dropped call
        self.assertEqual(read_shard(self.kinesis, name, shard_id(0)), [])


class RetryTest(FaultTestBase):
    """botocore's standard retry mode (total_max_attempts 5) rides out count-limited faults."""

    def retried_put(self, plugin, params, attempts_expected=2):
        client = self.make_client(attempts=5)
        name = self.new_stream(client=client)
        r = self.add_rule(plugin, count=attempts_expected, match={'stream': name, 'operation': 'PutRecord'},
                          params=params)
        self.assertEqual(r['remaining'], attempts_expected)
        resp = client.put_record(StreamName=name, Data=b'retried', PartitionKey='pk')
        self.assertEqual(resp['ResponseMetadata']['HTTPStatusCode'], 200)
        self.assertEqual(resp['ResponseMetadata']['RetryAttempts'], attempts_expected)
        self.assertRuleCounts(r['id'], hits=attempts_expected + 1, fired=attempts_expected, remaining=0)
        self.assertEqual([x['Data'] for x in read_shard(self.kinesis, name, shard_id(0))], [b'retried'])

    def test_throttle_retried(self):
        self.retried_put('throttle', {})

    def test_service_unavailable_retried(self):
        self.retried_put('error', {'type': 'ServiceUnavailable'})

    def test_internal_failure_retried(self):
        self.retried_put('error', {'type': 'InternalFailure'})

    def test_connection_reset_retried(self):
        self.retried_put('connection-reset', {}, attempts_expected=1)

    def test_retries_off_sees_the_error(self):
        client = self.make_client(attempts=1)
        name = self.new_stream(client=client)
        r = self.add_rule('throttle', count=2, match={'stream': name})
        with self.assertRaises(ClientError) as cm:
            client.put_record(StreamName=name, Data=b'x', PartitionKey='pk')
        self.assertEqual(cm.exception.response['Error']['Code'], 'ProvisionedThroughputExceededException')
        self.assertEqual(cm.exception.response['ResponseMetadata']['RetryAttempts'], 0)
        self.assertRuleCounts(r['id'], hits=1, fired=1, remaining=1)


class MatchingTest(FaultTestBase):
    """match, after, probability/seed, count, duration_ms and rule order."""

    def test_stream_match(self):
        a, b = self.new_stream(prefix='a'), self.new_stream(prefix='b')
        r = self.add_rule('throttle', match={'stream': a})
        self.put(b)
        self.put(b)
        self.assertAwsError(self.put, 'ProvisionedThroughputExceededException', message=put_text(shard_id(0), a),
                            name=a)
        self.assertRuleCounts(r['id'], hits=1, fired=1)
        self.clear_faults()
        self.assertEqual(len(read_shard(self.kinesis, b, shard_id(0))), 2)
        self.assertEqual(read_shard(self.kinesis, a, shard_id(0)), [])

    def test_shard_match(self):
        name = self.new_stream(shards=2)
        r = self.add_rule('throttle', match={'stream': name, 'shard': shard_id(1)})
        low = self.put(name, data=b'low', ExplicitHashKey='0')
        self.assertEqual(low['ShardId'], shard_id(0))
        self.assertAwsError(self.put, 'ProvisionedThroughputExceededException', message=put_text(shard_id(1), name),
                            name=name, data=b'high', ExplicitHashKey=str(2 ** 127))
        low2 = self.put(name, data=b'low2', ExplicitHashKey=str(2 ** 127 - 1))
        self.assertEqual(low2['ShardId'], shard_id(0))
        self.assertRuleCounts(r['id'], hits=1, fired=1)
        self.clear_faults()
        self.assertEqual(read_shard(self.kinesis, name, shard_id(1)), [])
        self.assertEqual([x['Data'] for x in read_shard(self.kinesis, name, shard_id(0))], [b'low', b'low2'])

    def test_operation_match(self):
        name = self.new_stream()
        r = self.add_rule('error', match={'operation': 'DescribeStreamSummary'},
                          params={'type': 'ServiceUnavailable'})
        self.put(name)
        self.kinesis.list_shards(StreamName=name)
        self.assertAwsError(self.kinesis.describe_stream_summary, 'ServiceUnavailable', status=503, StreamName=name)
        self.assertRuleCounts(r['id'], hits=1, fired=1)

    def test_region_match(self):
        eu = self.make_client(region='eu-west-1')
        name = unique_name('reg')
        create_stream(self.kinesis, name, shard_count=1)
        create_stream(eu, name, shard_count=1)
        r = self.add_rule('throttle', match={'region': 'eu-west-1', 'stream': name})
        self.put(name)
        self.assertAwsError(self.put, 'ProvisionedThroughputExceededException', message=put_text(shard_id(0), name),
                            name=name, client=eu)
        self.assertRuleCounts(r['id'], hits=1, fired=1)

    def test_after(self):
        name = self.new_stream()
        r = self.add_rule('throttle', after=2, match={'stream': name})
        self.assertEqual(r['after'], 2)
        self.put(name)
        self.put(name)
        self.assertRuleCounts(r['id'], hits=2, fired=0)
        self.assertAwsError(self.put, 'ProvisionedThroughputExceededException', name=name)
        self.assertAwsError(self.put, 'ProvisionedThroughputExceededException', name=name)
        self.assertRuleCounts(r['id'], hits=4, fired=2, remaining=None)

    def test_count(self):
        name = self.new_stream()
        r = self.add_rule('throttle', count=2, match={'stream': name})
        for _ in range(2):
            self.assertAwsError(self.put, 'ProvisionedThroughputExceededException', name=name)
        self.put(name)
        self.put(name)
        self.assertRuleCounts(r['id'], fired=2, remaining=0)

    def outcomes(self, name, n):
        out = []
        for i in range(n):
            try:
                self.put(name, data=b'%d' % i)
                out.append(True)
            except ClientError as e:
                self.assertEqual(e.response['Error']['Code'], 'ProvisionedThroughputExceededException')
                out.append(False)
        return out

    def test_probability_with_seed_is_reproducible(self):
        name = self.new_stream()
        r1 = self.add_rule('throttle', probability=0.5, seed=424242, match={'stream': name})
        self.assertEqual((r1['probability'], r1['seed']), (0.5, 424242))
        first = self.outcomes(name, 40)
        rule = self.assertRuleCounts(r1['id'], hits=40)
        self.assertEqual(rule['fired'], first.count(False))
        self.clear_faults()
        r2 = self.add_rule('throttle', probability=0.5, seed=424242, match={'stream': name})
        second = self.outcomes(name, 40)
        self.assertEqual(first, second)
        self.assertIn(True, first)
        self.assertIn(False, first)
        self.assertRuleCounts(r2['id'], hits=40, fired=first.count(False))
        self.clear_faults()
        # a different seed gives a different pattern (overwhelmingly likely over 40 calls)
        self.add_rule('throttle', probability=0.5, seed=99, match={'stream': name})
        self.assertNotEqual(self.outcomes(name, 40), first)

    def test_probability_zero_never_fires(self):
        name = self.new_stream()
        r = self.add_rule('throttle', probability=0, match={'stream': name})
        self.assertEqual(self.outcomes(name, 20), [True] * 20)
        self.assertRuleCounts(r['id'], hits=20, fired=0)

    def test_duration_ms(self):
        name = self.new_stream()
        r = self.add_rule('throttle', duration_ms=60000, match={'stream': name})
        self.assertEqual((r['duration_ms'], r['expired']), (60000, False))
        self.assertAwsError(self.put, 'ProvisionedThroughputExceededException', name=name)
        self.clock(advance_ms=30000)
        self.assertAwsError(self.put, 'ProvisionedThroughputExceededException', name=name)
        self.assertFalse(self.rule(r['id'])['expired'])
        self.clock(advance_ms=30001)
        self.put(name)
        rule = self.assertRuleCounts(r['id'], fired=2)
        self.assertTrue(rule['expired'])

    def test_first_matching_rule_wins(self):
        name = self.new_stream()
        first = self.add_rule('error', count=1, match={'stream': name}, params={'type': 'ServiceUnavailable'})
        second = self.add_rule('throttle', match={'stream': name})
        self.assertAwsError(self.put, 'ServiceUnavailable', status=503, name=name)
        self.assertRuleCounts(second['id'], hits=0, fired=0)
        # the first rule is exhausted: the second decides now
        self.assertAwsError(self.put, 'ProvisionedThroughputExceededException', name=name)
        self.assertRuleCounts(first['id'], fired=1, remaining=0)
        self.assertRuleCounts(second['id'], hits=1, fired=1)

    def test_non_applying_plugin_lets_the_next_rule_decide(self):
        name = self.new_stream()
        first = self.add_rule('expired-iterator', match={'stream': name})
        self.add_rule('error', match={'stream': name}, params={'type': 'ThrottlingException'})
        self.assertAwsError(self.put, 'ThrottlingException', status=400, name=name)
        self.assertRuleCounts(first['id'], hits=1, fired=0)


class ClockExpiryTest(FaultTestBase):
    """The emulator clock drives iterator and NextToken expiry."""

    def test_iterator_expires_after_300_seconds(self):
        name = self.new_stream()
        self.put(name, data=b'old')
        it = self.kinesis.get_shard_iterator(StreamName=name, ShardId=shard_id(0),
                                             ShardIteratorType='TRIM_HORIZON')['ShardIterator']
        self.clock(advance_ms=300001)
        self.assertAwsError(self.kinesis.get_records, 'ExpiredIteratorException', status=400,
                            message_regex=EXPIRED_ITERATOR_RE, ShardIterator=it)
        fresh = self.kinesis.get_shard_iterator(StreamName=name, ShardId=shard_id(0),
                                                ShardIteratorType='TRIM_HORIZON')['ShardIterator']
        self.assertEqual([r['Data'] for r in self.kinesis.get_records(ShardIterator=fresh)['Records']], [b'old'])

    def test_iterator_still_valid_just_before_expiry(self):
        name = self.new_stream()
        self.put(name, data=b'v')
        self.clock(freeze=True)
        self.addCleanup(self.clock, freeze=False)
        it = self.kinesis.get_shard_iterator(StreamName=name, ShardId=shard_id(0),
                                             ShardIteratorType='TRIM_HORIZON')['ShardIterator']
        self.clock(advance_ms=299000)
        self.assertEqual(len(self.kinesis.get_records(ShardIterator=it)['Records']), 1)

    def test_list_shards_next_token_expires(self):
        name = self.new_stream(shards=3)
        page = self.kinesis.list_shards(StreamName=name, MaxResults=1)
        self.assertEqual([s['ShardId'] for s in page['Shards']], [shard_id(0)])
        token = page['NextToken']
        self.assertEqual([s['ShardId'] for s in self.kinesis.list_shards(NextToken=token, MaxResults=1)['Shards']],
                         [shard_id(1)])
        self.clock(advance_ms=300001)
        self.assertAwsError(self.kinesis.list_shards, 'ExpiredNextTokenException', status=400,
                            message='The NextToken has expired.', NextToken=token, MaxResults=1)


class EnforceLimitsTest(EmulatorTestCase):
    """--enforce-limits on a frozen clock: 5 reads/s and 1000 records/s per shard."""

    emulator_args = ('--enforce-limits',)

    def clock(self, **body):
        resp = self.emu.admin('POST', 'clock', body)
        self.assertEqual(resp.status, 200, resp)
        return resp.json()

    def setUp(self):
        super().setUp()
        self.addCleanup(self.clock, freeze=False)

    def test_read_calls_per_second(self):
        name = unique_name('lim-r')
        create_stream(self.kinesis, name, shard_count=1)
        self.kinesis.put_record(StreamName=name, Data=b'r', PartitionKey='pk')
        self.clock(freeze=True)
        it = self.kinesis.get_shard_iterator(StreamName=name, ShardId=shard_id(0),
                                             ShardIteratorType='TRIM_HORIZON')['ShardIterator']
        for i in range(5):
            resp = self.kinesis.get_records(ShardIterator=it)
            self.assertEqual(len(resp['Records']), 1 if i == 0 else 0)
            it = resp['NextShardIterator']
        self.assertAwsError(self.kinesis.get_records, 'ProvisionedThroughputExceededException', status=400,
                            message='Rate exceeded for Shard - %s/%s/%s' % (ACCT, name, shard_id(0)),
                            ShardIterator=it)
        self.clock(advance_ms=1000)
        self.assertEqual(self.kinesis.get_records(ShardIterator=it)['Records'], [])

    def test_write_records_per_second(self):
        name = unique_name('lim-w')
        create_stream(self.kinesis, name, shard_count=1)
        self.clock(freeze=True)
        results = []
        for start, n in ((0, 500), (500, 500), (1000, 1)):
            entries = [{'Data': b'%d' % i, 'PartitionKey': 'p'} for i in range(start, start + n)]
            resp = self.kinesis.put_records(StreamName=name, Records=entries)
            self.assertEqual(resp['ResponseMetadata']['HTTPStatusCode'], 200)
            self.assertEqual(len(resp['Records']), n)
            results += resp['Records']
        ok = [r for r in results if 'SequenceNumber' in r]
        failed = [r for r in results if 'ErrorCode' in r]
        self.assertEqual(len(ok), 1000)
        self.assertEqual(len(failed), 1)
        self.assertEqual(failed[0]['ErrorCode'], 'ProvisionedThroughputExceededException')
        self.assertEqual(failed[0]['ErrorMessage'], put_text(shard_id(0), name))
        self.assertNotIn('SequenceNumber', failed[0])
        self.assertIs(results[1000], failed[0])  # the 1001st record is the one refused
        stored = read_shard(self.kinesis, name, shard_id(0))
        self.assertEqual(len(stored), 1000)
        self.assertEqual([r['Data'] for r in stored], [b'%d' % i for i in range(1000)])
        self.assertAwsError(self.kinesis.put_record, 'ProvisionedThroughputExceededException', status=400,
                            message=put_text(shard_id(0), name), StreamName=name, Data=b'late', PartitionKey='p')
        self.clock(advance_ms=1000)
        self.assertEqual(self.kinesis.put_record(StreamName=name, Data=b'later', PartitionKey='p')['ShardId'],
                         shard_id(0))


if __name__ == '__main__':
    import unittest
    unittest.main()
