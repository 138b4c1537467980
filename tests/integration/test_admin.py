"""The admin API under /_emulator/: health, plugins, fault-rule CRUD and validation, reset, the call journal,
the clock, and --admin-token."""

import http.client
import json
import shutil
import subprocess
import time
import unittest

from botocore.exceptions import ConnectionClosedError, ConnectionError, HTTPClientError

from emulator_process import EmulatorTestCase, create_stream, read_shard, shard_id, unique_name

PLUGIN_PARAMS = {
    'bandwidth': {'bytes_per_second'},
    'connection-reset': {'when', 'after_bytes', 'http2'},
    'error': {'type', 'status', 'message'},
    'expired-iterator': set(),
    'kms-failure': {'error', 'message'},
    'latency': {'ms', 'jitter_ms'},
    'partial-failure': {'fraction', 'error'},
    'slicer': {'bytes', 'delay_ms'},
    'slow-close': {'ms'},
    'stall': {'ms', 'after_bytes'},
    'throttle': {'fraction', 'whole_call'},
}
RULE_FIELDS = {'id', 'plugin', 'match', 'probability', 'count', 'after', 'start_in_ms', 'duration_ms', 'seed', 'params',
               'hits', 'fired', 'remaining', 'created_ms', 'starts_ms', 'started', 'expired'}
CALL_FIELDS = {'seq', 'time_ms', 'operation', 'stream', 'shard', 'status', 'error', 'fault_id', 'http_version'}

# (rule body, text the 400 message must contain)
INVALID_RULES = [
    ({'plugin': 'no-such-plugin'}, 'no-such-plugin'),
    ({}, 'plugin'),
    ({'plugin': 7}, 'plugin'),
    ({'plugin': 'throttle', 'params': {'fraction': 'half'}}, 'params.fraction'),
    ({'plugin': 'throttle', 'params': {'fraction': 1.5}}, 'params.fraction'),
    ({'plugin': 'throttle', 'params': {'fraction': -0.1}}, 'params.fraction'),
    ({'plugin': 'throttle', 'params': {'bogus': 1}}, 'params.bogus'),
    ({'plugin': 'throttle', 'params': [1]}, 'params'),
    ({'plugin': 'latency'}, 'params.ms'),
    ({'plugin': 'latency', 'params': {'ms': -1}}, 'params.ms'),
    ({'plugin': 'latency', 'params': {'ms': 600001}}, 'params.ms'),
    ({'plugin': 'latency', 'params': {'ms': '300'}}, 'params.ms'),
    ({'plugin': 'latency', 'params': {'ms': 10, 'jitter_ms': -5}}, 'params.jitter_ms'),
    ({'plugin': 'error', 'params': {'status': 399}}, 'params.status'),
    ({'plugin': 'error', 'params': {'status': 600}}, 'params.status'),
    ({'plugin': 'error', 'params': {'type': 5}}, 'params.type'),
    ({'plugin': 'error', 'params': {'message': False}}, 'params.message'),
    ({'plugin': 'kms-failure', 'params': {'error': 'KMSBogusException'}}, 'params.error'),
    ({'plugin': 'kms-failure', 'params': {'error': 'KMSAccessDeniedException', 'x': 1}}, 'params.x'),
    ({'plugin': 'partial-failure', 'params': {'error': 'ResourceNotFoundException'}}, 'params.error'),
    ({'plugin': 'partial-failure', 'params': {'fraction': 2}}, 'params.fraction'),
    ({'plugin': 'connection-reset', 'params': {'ms': 1}}, 'params.ms'),
    ({'plugin': 'expired-iterator', 'params': {'x': 1}}, 'params.x'),
    ({'plugin': 'throttle', 'match': 'stream-a'}, 'match'),
    ({'plugin': 'throttle', 'match': ['stream-a']}, 'match'),
    ({'plugin': 'throttle', 'match': {'stream': 1}}, 'match.stream'),
    ({'plugin': 'throttle', 'match': {'shard': None}}, 'match.shard'),
    ({'plugin': 'throttle', 'match': {'streamName': 'a'}}, 'match.streamName'),
    ({'plugin': 'throttle', 'bogus': 1}, 'bogus'),
    ({'plugin': 'throttle', 'Probability': 1}, 'Probability'),
    ({'plugin': 'throttle', 'probability': 1.01}, 'probability'),
    ({'plugin': 'throttle', 'probability': -0.01}, 'probability'),
    ({'plugin': 'throttle', 'probability': '0.5'}, 'probability'),
    ({'plugin': 'throttle', 'count': -1}, 'count'),
    ({'plugin': 'throttle', 'count': 1.5}, 'count'),
    ({'plugin': 'throttle', 'after': -1}, 'after'),
    ({'plugin': 'throttle', 'duration_ms': -1}, 'duration_ms'),
    ({'plugin': 'throttle', 'seed': 'abc'}, 'seed'),
]


class AdminBase(EmulatorTestCase):

    def admin(self, method, path, body=None, **kw):
        return self.emu.admin(method, path, body, **kw)

    def admin_json(self, method, path, body=None, expect=200):
        resp = self.admin(method, path, body)
        self.assertEqual(resp.status, expect, '%s %s %r -> %r' % (method, path, body, resp))
        return resp.json() if resp.body else None

    def assertAdminError(self, resp, status, error, message_contains=None):
        self.assertEqual(resp.status, status, resp)
        self.assertTrue(resp.headers.get('Content-Type', '').startswith('application/json'), resp)
        body = resp.json()
        self.assertEqual(body.get('error'), error, resp)
        self.assertIsInstance(body.get('message'), str, resp)
        if message_contains is not None:
            self.assertIn(message_contains, body['message'])
        return body

    def add_rule(self, plugin, **fields):
        return self.admin_json('POST', 'faults', dict(fields, plugin=plugin), expect=201)

    def calls(self, **params):
        query = '&'.join('%s=%s' % kv for kv in params.items())
        return self.admin_json('GET', 'calls' + ('?' + query if query else ''))['calls']

    def clock(self, **body):
        if body:
            return self.admin_json('POST', 'clock', body)
        return self.admin_json('GET', 'clock')


class AdminApiTest(AdminBase):

    def setUp(self):
        super().setUp()
        self.admin_json('DELETE', 'faults', expect=204)
        self.addCleanup(self.admin_json, 'DELETE', 'faults', expect=204)
        self.addCleanup(self.clock, freeze=False)

    # -- health and plugins ------------------------------------------------------------

    def test_health(self):
        resp = self.admin('GET', 'health')
        self.assertEqual(resp.status, 200)
        self.assertTrue(resp.headers.get('Content-Type', '').startswith('application/json'))
        body = resp.json()
        self.assertEqual(set(body), {'status', 'version', 'uptime_ms'})
        self.assertEqual(body['status'], 'ok')
        self.assertIsInstance(body['version'], str)
        self.assertRegex(body['version'], r'^\d+\.\d+\.\d+')
        self.assertIsInstance(body['uptime_ms'], int)
        self.assertGreaterEqual(body['uptime_ms'], 0)
        again = self.admin_json('GET', 'health')
        self.assertGreaterEqual(again['uptime_ms'], body['uptime_ms'])

    @unittest.skipUnless(shutil.which('curl'), 'curl not on PATH')
    def test_admin_over_http2_cleartext(self):
        # h2c with prior knowledge (what the JS SDK's own HTTP/2 client does): same routes, same answers.
        base = 'http://127.0.0.1:%d/_emulator/' % self.emu.port

        def curl(*args):
            out = subprocess.run(['curl', '-sS', '--http2-prior-knowledge', '-w', '\n%{http_code} %{http_version}']
                                 + list(args), capture_output=True, text=True, timeout=30)
            self.assertEqual(out.returncode, 0, out.stderr)
            payload, status = out.stdout.rsplit('\n', 1)
            return status, payload

        status, payload = curl(base + 'health')
        self.assertEqual(status, '200 2')
        self.assertEqual(json.loads(payload)['status'], 'ok')
        status, payload = curl('-X', 'POST', '-d', '{"advance_ms": 1000}', base + 'clock')
        self.assertEqual(status, '200 2', payload)
        self.assertIn('now_ms', json.loads(payload))
        status, payload = curl(base + 'calls?limit=1')
        self.assertEqual(status, '200 2', payload)
        status, payload = curl(base + 'nothing-here')
        self.assertEqual(status, '404 2', payload)
        self.assertEqual(json.loads(payload)['error'], 'NotFound')

    def test_plugins(self):
        plugins = self.admin_json('GET', 'plugins')['plugins']
        by_name = {p['name']: p for p in plugins}
        self.assertEqual(len(by_name), len(plugins), 'duplicate plugin names')
        self.assertLessEqual(set(PLUGIN_PARAMS), set(by_name))
        for name, params in PLUGIN_PARAMS.items():
            with self.subTest(plugin=name):
                p = by_name[name]
                self.assertIsInstance(p['description'], str)
                self.assertGreater(len(p['description']), 10)
                self.assertIsInstance(p['params'], list)
                self.assertEqual({q['name'] for q in p['params']}, params)
                for q in p['params']:
                    self.assertIn(q['type'], ('number', 'integer', 'string', 'boolean'), q)
                    self.assertIsInstance(q['required'], bool, q)
                    self.assertTrue(q['description'], q)
        # The descriptions say what the engine enforces: a value outside the range is refused with the range.
        fraction = next(q for q in by_name['throttle']['params'] if q['name'] == 'fraction')
        self.assertEqual((fraction['type'], fraction['min'], fraction['max'], fraction['default']), ('number', 0, 1, 1))
        resp = self.admin('POST', 'faults', {'plugin': 'throttle', 'params': {'fraction': 2}})
        self.assertEqual((resp.status, resp.json()['message']), (400, 'params.fraction must be between 0 and 1'))
        ms = next(q for q in by_name['latency']['params'] if q['name'] == 'ms')
        self.assertEqual((ms['type'], ms['required'], ms['max']), ('integer', True, 600000))
        self.assertIsInstance(ms['max'], int)

    # -- fault rules: create, read, delete ----------------------------------------------------

    def test_rule_defaults(self):
        now = self.clock(freeze=True)['now_ms']
        rule = self.add_rule('throttle')
        self.assertEqual(set(rule), RULE_FIELDS)
        self.assertRegex(rule['id'], r'^fault-\d+$')
        expected = {'plugin': 'throttle', 'match': {}, 'probability': 1.0, 'count': None, 'after': 0,
                    'duration_ms': None, 'params': {'fraction': 1.0}, 'hits': 0, 'fired': 0, 'remaining': None,
                    'created_ms': now, 'expired': False}  # params shows the defaults in effect
        self.assertEqual({k: rule[k] for k in expected}, expected)
        self.assertIsInstance(rule['seed'], int)
        self.assertEqual(self.admin_json('GET', 'faults/' + rule['id']), rule)

    def test_rule_round_trip(self):
        match = {'operation': 'PutRecord', 'stream': 's', 'shard': shard_id(3), 'region': 'eu-west-1',
                 'account': '123456789012', 'consumer': 'c1'}
        rule = self.add_rule('latency', match=match, probability=0.25, count=3, after=1, duration_ms=5000, seed=17,
                             params={'ms': 5, 'jitter_ms': 2})
        self.assertEqual(set(rule), RULE_FIELDS)
        self.assertEqual((rule['plugin'], rule['match'], rule['probability'], rule['count'], rule['after'],
                          rule['duration_ms'], rule['seed'], rule['params'], rule['remaining'], rule['expired']),
                         ('latency', match, 0.25, 3, 1, 5000, 17, {'ms': 5, 'jitter_ms': 2}, 3, False))
        self.assertEqual(self.admin_json('GET', 'faults/' + rule['id']), rule)
        # null count and duration_ms mean unlimited
        other = self.add_rule('error', count=None, duration_ms=None)
        self.assertEqual((other['count'], other['remaining'], other['duration_ms']), (None, None, None))
        listed = self.admin_json('GET', 'faults')['faults']
        self.assertEqual([r['id'] for r in listed], [rule['id'], other['id']])
        self.assertGreater(int(other['id'].split('-')[1]), int(rule['id'].split('-')[1]))

    def test_invalid_rules(self):
        for body, field in INVALID_RULES:
            with self.subTest(body=body):
                self.assertAdminError(self.admin('POST', 'faults', body), 400, 'InvalidRule', field)
        for raw in ('not json', '[1, 2]', '"throttle"', '42', ''):
            with self.subTest(raw=raw):
                self.assertAdminError(self.admin('POST', 'faults', raw), 400, 'InvalidRule')
        self.assertEqual(self.admin_json('GET', 'faults')['faults'], [])

    def test_unknown_rule_id(self):
        for rid in ('fault-999999', 'nonsense'):
            with self.subTest(id=rid):
                self.assertAdminError(self.admin('GET', 'faults/' + rid), 404, 'NotFound')
                self.assertAdminError(self.admin('DELETE', 'faults/' + rid), 404, 'NotFound')

    def test_unknown_admin_path(self):
        for method, path in (('GET', '/_emulator/nope'), ('POST', '/_emulator/nope'), ('DELETE', '/_emulator/x'),
                             ('GET', '/_emulator/faults/fault-1/extra')):
            with self.subTest(method=method, path=path):
                self.assertAdminError(self.admin(method, path, {} if method == 'POST' else None), 404, 'NotFound')

    def test_known_path_with_another_method_is_405_with_allow(self):
        resp = self.admin('PUT', '/_emulator/faults', {})
        self.assertAdminError(resp, 405, 'MethodNotAllowed')
        self.assertEqual(resp.headers.get('Allow'), 'GET, POST, DELETE')

    def test_delete_one_rule(self):
        a = self.add_rule('throttle')
        b = self.add_rule('latency', params={'ms': 1})
        resp = self.admin('DELETE', 'faults/' + a['id'])
        self.assertEqual(resp.status, 204)
        self.assertEqual(resp.body, b'')
        self.assertAdminError(self.admin('GET', 'faults/' + a['id']), 404, 'NotFound')
        self.assertAdminError(self.admin('DELETE', 'faults/' + a['id']), 404, 'NotFound')
        self.assertEqual([r['id'] for r in self.admin_json('GET', 'faults')['faults']], [b['id']])
        self.assertEqual(self.admin_json('GET', 'faults/' + b['id'])['plugin'], 'latency')

    def test_delete_all_rules(self):
        ids = [self.add_rule('throttle', count=i)['id'] for i in range(3)]
        self.assertEqual([r['id'] for r in self.admin_json('GET', 'faults')['faults']], ids)
        resp = self.admin('DELETE', 'faults')
        self.assertEqual(resp.status, 204)
        self.assertEqual(resp.body, b'')
        self.assertEqual(self.admin_json('GET', 'faults'), {'faults': []})
        for rid in ids:
            self.assertAdminError(self.admin('GET', 'faults/' + rid), 404, 'NotFound')

    # -- reset ------------------------------------------------------------------------

    def test_reset(self):
        name = unique_name('rst')
        create_stream(self.kinesis, name, shard_count=2)
        self.kinesis.put_record(StreamName=name, Data=b'before', PartitionKey='pk', ExplicitHashKey='0')
        self.add_rule('latency', match={'operation': 'NoSuchOperation'}, params={'ms': 0})
        self.assertTrue(self.calls())
        self.assertEqual(self.admin_json('POST', 'reset'), {'status': 'reset'})
        self.assertEqual(self.admin_json('GET', 'faults'), {'faults': []})
        self.assertEqual(self.calls(), [])
        self.assertEqual(self.kinesis.list_streams()['StreamNames'], [])
        self.assertAwsError(self.kinesis.describe_stream_summary, 'ResourceNotFoundException',
                            message=self.not_found_message(name), StreamName=name)
        # the server keeps working: the same name can be created again, and holds only new records
        create_stream(self.kinesis, name, shard_count=1)
        self.kinesis.put_record(StreamName=name, Data=b'after', PartitionKey='pk')
        self.assertEqual([r['Data'] for r in read_shard(self.kinesis, name, shard_id(0))], [b'after'])
        self.assertEqual(self.kinesis.list_streams()['StreamNames'], [name])
        self.assertEqual([c['operation'] for c in self.calls(operation='CreateStream')], ['CreateStream'])

    def test_reset_is_fast(self):
        self.admin_json('POST', 'reset')
        conn = http.client.HTTPConnection(self.emu.host, self.emu.port, timeout=10)
        self.addCleanup(conn.close)
        times = []
        for _ in range(20):
            t0 = time.perf_counter()
            resp = self.emu.admin('POST', 'reset', connection=conn)
            times.append(time.perf_counter() - t0)
            self.assertEqual(resp.status, 200)
            self.assertEqual(resp.json(), {'status': 'reset'})
        self.assertLess(max(times), 0.05, 'reset wall times: %s' % ['%.4f' % t for t in times])

    # -- call journal -----------------------------------------------------------------------

    def test_calls_journal(self):
        self.admin_json('POST', 'reset')
        a, b = unique_name('jA'), unique_name('jB')
        create_stream(self.kinesis, a, shard_count=1)
        create_stream(self.kinesis, b, shard_count=1)
        frozen = self.clock(freeze=True)['now_ms']
        self.kinesis.put_record(StreamName=a, Data=b'1', PartitionKey='pk')
        self.kinesis.put_record(StreamName=a, Data=b'2', PartitionKey='pk')
        self.kinesis.put_record(StreamName=b, Data=b'3', PartitionKey='pk')
        self.assertAwsError(self.kinesis.describe_stream_summary, 'ResourceNotFoundException',
                            StreamName='no-such-stream')
        err_rule = self.add_rule('error', count=1, match={'stream': a, 'operation': 'DescribeStreamSummary'},
                                 params={'type': 'ServiceUnavailable'})
        self.assertAwsError(self.kinesis.describe_stream_summary, 'ServiceUnavailable', status=503, StreamName=a)
        drop_rule = self.add_rule('connection-reset', count=1, match={'stream': b, 'operation': 'ListShards'})
        with self.assertRaises((ConnectionError, HTTPClientError)) as cm:
            self.kinesis.list_shards(StreamName=b)
        self.assertIsInstance(cm.exception, (ConnectionClosedError, ConnectionError))
        self.kinesis.list_streams()

        everything = self.calls(limit=1000)
        for c in everything:
            self.assertEqual(set(c), CALL_FIELDS, c)
            self.assertEqual(c['http_version'], '1.1', c)  # boto3 speaks HTTP/1.1
        seqs = [c['seq'] for c in everything]
        self.assertEqual(seqs, sorted(seqs))
        self.assertEqual(len(set(seqs)), len(seqs))

        puts = self.calls(operation='PutRecord')
        self.assertEqual([(c['operation'], c['stream'], c['shard'], c['status'], c['error'], c['fault_id'])
                          for c in puts],
                         [('PutRecord', a, shard_id(0), 200, None, None),
                          ('PutRecord', a, shard_id(0), 200, None, None),
                          ('PutRecord', b, shard_id(0), 200, None, None)])
        self.assertEqual([c['time_ms'] for c in puts], [frozen] * 3)
        self.assertEqual(len(self.calls(operation='PutRecord', stream=a)), 2)
        self.assertEqual(self.calls(operation='PutRecord', stream='no-such-stream'), [])

        missing = self.calls(stream='no-such-stream')
        self.assertEqual([(c['operation'], c['status'], c['error'], c['fault_id']) for c in missing],
                         [('DescribeStreamSummary', 400, 'ResourceNotFoundException', None)])

        faulted = self.calls(operation='DescribeStreamSummary', stream=a)[-1]
        self.assertEqual((faulted['status'], faulted['error'], faulted['fault_id']),
                         (503, 'ServiceUnavailable', err_rule['id']))

        dropped = self.calls(stream=b)[-1]
        self.assertEqual((dropped['operation'], dropped['status'], dropped['fault_id']),
                         ('ListShards', 0, drop_rule['id']))

        listed = self.calls(operation='ListStreams')
        self.assertEqual(len(listed), 1)
        self.assertIsNone(listed[0]['stream'])
        self.assertEqual(listed[0]['status'], 200)

        # limit keeps the most recent calls, oldest first
        last_two = self.calls(limit=2)
        self.assertEqual(last_two, everything[-2:])
        self.assertEqual([c['operation'] for c in last_two], ['ListShards', 'ListStreams'])
        self.assertEqual(self.calls(operation='PutRecord', limit=1), puts[-1:])

        # the default limit is 100
        for _ in range(100 - len(everything) + 5):
            self.kinesis.list_streams()
        default = self.calls()
        self.assertEqual(len(default), 100)
        self.assertEqual(default, self.calls(limit=100000)[-100:])

    def test_calls_bad_limit(self):
        for bad in ('0', '-1', 'abc', '1.5', ''):
            with self.subTest(limit=bad):
                resp = self.admin('GET', 'calls?limit=' + bad)
                self.assertEqual(resp.status, 400, resp)
                self.assertIn('limit', resp.json().get('message', ''))

    # -- clock -------------------------------------------------------------------------

    def test_clock_semantics(self):
        wall = int(time.time() * 1000)
        c = self.clock(set_ms=wall)
        self.assertEqual(set(c), {'now_ms', 'frozen'})
        self.assertFalse(c['frozen'])
        self.assertGreaterEqual(c['now_ms'], wall)
        self.assertLess(c['now_ms'], wall + 5000)

        frozen = self.clock(freeze=True)
        self.assertTrue(frozen['frozen'])
        time.sleep(0.05)
        self.assertEqual(self.clock(), frozen)

        target = 1900000000123
        self.assertEqual(self.clock(set_ms=target), {'now_ms': target, 'frozen': True})
        self.assertEqual(self.clock(), {'now_ms': target, 'frozen': True})
        self.assertEqual(self.clock(advance_ms=1500), {'now_ms': target + 1500, 'frozen': True})
        self.assertEqual(self.clock(freeze=True), {'now_ms': target + 1500, 'frozen': True})

        # unfreezing resumes from the frozen instant
        thawed = self.clock(freeze=False)
        self.assertFalse(thawed['frozen'])
        self.assertGreaterEqual(thawed['now_ms'], target + 1500)
        self.assertLess(thawed['now_ms'], target + 1500 + 5000)
        time.sleep(0.02)
        later = self.clock()
        self.assertGreater(later['now_ms'], thawed['now_ms'])
        advanced = self.clock(advance_ms=60000)
        self.assertGreaterEqual(advanced['now_ms'], later['now_ms'] + 60000)
        self.assertLess(advanced['now_ms'], later['now_ms'] + 60000 + 5000)

        # back to wall time for the other tests
        wall = int(time.time() * 1000)
        c = self.clock(set_ms=wall)
        self.assertGreaterEqual(c['now_ms'], wall)
        self.assertLess(c['now_ms'], wall + 5000)

    def test_clock_bad_requests(self):
        before = self.clock(freeze=True)
        for body in ({}, {'advance_ms': '5'}, {'advance_ms': 1.5}, {'set_ms': -1}, {'set_ms': 'x'},
                     {'set_ms': None}, {'freeze': 'yes'}, {'freeze': 1}, {'bogus': 1},
                     {'advance_ms': 1000, 'bogus': 1}, {'advance_ms': 1000, 'freeze': 'no'}):
            with self.subTest(body=body):
                self.assertAdminError(self.admin('POST', 'clock', body), 400, 'InvalidClockRequest')
        # nothing was applied
        self.assertEqual(self.clock(), before)

    def test_clock_bad_request_bodies_not_objects(self):
        for raw in ('not json', '[1]', '5'):
            with self.subTest(raw=raw):
                self.assertAdminError(self.admin('POST', 'clock', raw), 400, 'InvalidClockRequest')

    def test_arrival_timestamp_of_frozen_clock(self):
        name = unique_name('arr')
        create_stream(self.kinesis, name, shard_count=1)
        now = self.clock()['now_ms']
        target = (now // 1000) * 1000 + 3600 * 1000 + 123  # an hour ahead, with milliseconds
        self.clock(freeze=True)
        self.assertEqual(self.clock(set_ms=target)['now_ms'], target)
        self.kinesis.put_record(StreamName=name, Data=b'a', PartitionKey='pk')
        self.clock(advance_ms=250)
        self.kinesis.put_record(StreamName=name, Data=b'b', PartitionKey='pk')
        recs = read_shard(self.kinesis, name, shard_id(0))
        self.assertEqual([r['Data'] for r in recs], [b'a', b'b'])
        self.assertEqual([round(r['ApproximateArrivalTimestamp'].timestamp() * 1000) for r in recs],
                         [target, target + 250])
        # the wire value itself: epoch seconds with millisecond precision
        it = self.kinesis.get_shard_iterator(StreamName=name, ShardId=shard_id(0),
                                             ShardIteratorType='TRIM_HORIZON')['ShardIterator']
        raw = self.emu.raw(operation='GetRecords', body={'ShardIterator': it})
        self.assertEqual(raw.status, 200, raw)
        self.assertEqual([r['ApproximateArrivalTimestamp'] for r in raw.json()['Records']],
                         [target / 1000.0, (target + 250) / 1000.0])


class AdminTokenTest(AdminBase):
    emulator_args = ('--admin-token', 's3cret')

    PROTECTED = (('GET', 'faults'), ('POST', 'faults'), ('DELETE', 'faults'), ('GET', 'faults/fault-1'),
                 ('DELETE', 'faults/fault-1'), ('GET', 'plugins'), ('GET', 'clock'), ('POST', 'clock'),
                 ('GET', 'calls'), ('POST', 'reset'))

    def body_for(self, method, path):
        if method != 'POST':
            return None
        return {'faults': {'plugin': 'throttle'}, 'clock': {'advance_ms': 0}}.get(path, {})

    def test_health_needs_no_token(self):
        self.assertEqual(self.admin_json('GET', 'health')['status'], 'ok')
        self.assertEqual(self.admin('GET', 'health', token='wrong').status, 200)

    def test_missing_or_wrong_token_is_401(self):
        name = unique_name('tok')
        create_stream(self.kinesis, name, shard_count=1)
        bad_headers = (None, {'Authorization': 'Bearer wrong'}, {'Authorization': 'Bearer S3CRET'},
                       {'Authorization': 's3cret'}, {'Authorization': 'Basic s3cret'},
                       {'Authorization': 'Bearer s3cre'}, {'Authorization': 'Bearer s3cretX'})
        for method, path in self.PROTECTED:
            for headers in bad_headers:
                with self.subTest(method=method, path=path, headers=headers):
                    resp = self.admin(method, path, self.body_for(method, path), headers=headers)
                    self.assertAdminError(resp, 401, 'Unauthorized')
        # none of those requests took effect
        self.assertEqual(self.admin_json_token('GET', 'faults'), {'faults': []})
        self.assertIn(name, self.kinesis.list_streams()['StreamNames'])

    def admin_json_token(self, method, path, body=None, expect=200):
        resp = self.admin(method, path, body, token='s3cret')
        self.assertEqual(resp.status, expect, resp)
        return resp.json() if resp.body else None

    def test_right_token(self):
        self.assertIn('plugins', self.admin_json_token('GET', 'plugins'))
        rule = self.admin_json_token('POST', 'faults', {'plugin': 'throttle', 'match': {'operation': 'Nothing'}},
                                     expect=201)
        self.assertEqual(self.admin_json_token('GET', 'faults/' + rule['id'])['id'], rule['id'])
        self.assertEqual(set(self.admin_json_token('GET', 'clock')), {'now_ms', 'frozen'})
        self.assertIsInstance(self.admin_json_token('GET', 'calls')['calls'], list)
        self.admin_json_token('DELETE', 'faults', expect=204)
        self.assertEqual(self.admin_json_token('POST', 'reset'), {'status': 'reset'})
        self.assertAdminError(self.admin('GET', 'nope', token='s3cret'), 404, 'NotFound')

    def test_unknown_admin_path_needs_token(self):
        self.assertAdminError(self.admin('GET', 'nope'), 401, 'Unauthorized')

    def test_kinesis_api_unaffected(self):
        name = unique_name('tokk')
        create_stream(self.kinesis, name, shard_count=1)
        put = self.kinesis.put_record(StreamName=name, Data=b'd', PartitionKey='pk')
        self.assertEqual(put['ShardId'], shard_id(0))
        self.assertEqual([r['Data'] for r in read_shard(self.kinesis, name, shard_id(0))], [b'd'])
        self.assertIn(name, self.kinesis.list_streams()['StreamNames'])


if __name__ == '__main__':
    import unittest
    unittest.main()
