"""The web console's HTTP side: its embedded files (content types, CSP, ETag revalidation, HEAD), the admin reads it
is built on (/_emulator/streams, one stream with per-shard counts, record pages, /calls/rate), the journal
filters it uses (status, fault, before, order), and how --admin-token and --no-admin apply to it."""

import base64
import json
import time

from emulator_process import (DEFAULT_ACCOUNT, DEFAULT_REGION, MAX_HASH, EmulatorTestCase, create_stream, shard_id,
                              unique_name)

OTHER_ACCOUNT = '222222222222'
HALF = 2 ** 127


class ConsoleBase(EmulatorTestCase):

    def get(self, path, expect=200, **kw):
        resp = self.emu.admin('GET', path, **kw)
        self.assertEqual(resp.status, expect, resp)
        return resp

    def get_json(self, path, expect=200, **kw):
        return self.get(path, expect, **kw).json()

    def assertError(self, path, status, error, contains=None):
        resp = self.emu.admin('GET', path)
        self.assertEqual(resp.status, status, resp)
        body = resp.json()
        self.assertEqual(body['error'], error, resp)
        if contains:
            self.assertIn(contains, body['message'])


class ConsoleFilesTest(ConsoleBase):

    def test_page_script_and_style(self):
        for path, ctype, marker in (('/_emulator/ui', 'text/html; charset=utf-8', b'<!doctype html>'),
                                    ('/_emulator/ui/', 'text/html; charset=utf-8', b'<!doctype html>'),
                                    ('/_emulator/ui/console.js', 'text/javascript; charset=utf-8', b"'use strict'"),
                                    ('/_emulator/ui/console.css', 'text/css; charset=utf-8', b':root')):
            with self.subTest(path=path):
                resp = self.get(path)
                self.assertEqual(resp.headers['Content-Type'], ctype)
                self.assertIn(marker, resp.body)
                csp = resp.headers['Content-Security-Policy']
                self.assertIn("default-src 'none'", csp)
                self.assertIn("script-src 'self'", csp)
                self.assertNotIn('unsafe-inline', csp)
                self.assertIn("frame-ancestors 'none'", csp)
                self.assertEqual(resp.headers['X-Content-Type-Options'], 'nosniff')
                self.assertEqual(resp.headers['Cache-Control'], 'no-cache')
                self.assertRegex(resp.headers['ETag'], r'^"[0-9a-f]{16}"$')

    def test_page_has_no_inline_code_or_remote_references(self):
        html = self.get('/_emulator/ui').body.decode()
        self.assertNotRegex(html, r'<script>|<script [^>]*>[^<]|\sstyle=|\son[a-z]+=|https?://')
        for asset in ('console.js', 'console.css'):
            body = self.get('/_emulator/ui/' + asset).body.decode()
            self.assertNotRegex(body, r'https?://(?!www\.w3\.org/2000/svg)', asset)

    def test_etag_revalidation_and_head(self):
        first = self.get('/_emulator/ui/console.js')
        etag = first.headers['ETag']
        again = self.emu.admin('GET', '/_emulator/ui/console.js', headers={'If-None-Match': etag})
        self.assertEqual(again.status, 304, again)
        self.assertEqual(again.body, b'')
        self.assertEqual(again.headers['ETag'], etag)
        stale = self.emu.admin('GET', '/_emulator/ui/console.js', headers={'If-None-Match': '"0000000000000000"'})
        self.assertEqual(stale.status, 200)
        self.assertEqual(stale.body, first.body)
        head = self.emu.admin('HEAD', '/_emulator/ui')
        self.assertEqual(head.status, 200)
        self.assertEqual(head.body, b'')

    def test_unknown_file_and_wrong_method(self):
        self.assertError('/_emulator/ui/nope.js', 404, 'NotFound')
        self.assertError('/_emulator/ui/console.js/x', 404, 'NotFound')
        resp = self.emu.admin('POST', '/_emulator/ui', {})
        self.assertEqual(resp.status, 405, resp)
        self.assertEqual(resp.headers['Allow'], 'GET, HEAD')

    def test_config(self):
        config = self.get_json('/_emulator/ui/config')
        self.assertEqual(config, {'version': config['version'], 'admin_token_required': False, 'auth': 'lenient',
                                  'account': DEFAULT_ACCOUNT, 'region': DEFAULT_REGION, 'tls': False})


class StreamsReadTest(ConsoleBase):

    def test_every_account_and_region(self):
        a, b = unique_name('ca'), unique_name('cb')
        create_stream(self.kinesis, a, shard_count=2)
        self.kinesis.add_tags_to_stream(StreamName=a, Tags={'team': 'x'})
        other = self.emu.client(region='eu-west-1', access_key=OTHER_ACCOUNT)
        create_stream(other, b, shard_count=1)
        other.register_stream_consumer(StreamARN=other.describe_stream_summary(StreamName=b)[
            'StreamDescriptionSummary']['StreamARN'], ConsumerName='reader')
        listed = {(s['account'], s['region'], s['name']): s for s in self.get_json('streams')['streams']}
        sa = listed[(DEFAULT_ACCOUNT, DEFAULT_REGION, a)]
        sb = listed[(OTHER_ACCOUNT, 'eu-west-1', b)]
        self.assertEqual((sa['status'], sa['mode'], sa['open_shards'], sa['shards'], sa['retention_hours']),
                         ('ACTIVE', 'PROVISIONED', 2, 2, 24))
        self.assertEqual(sa['tags'], {'team': 'x'})
        self.assertEqual(sa['arn'], 'arn:aws:kinesis:us-east-1:000000000000:stream/' + a)
        self.assertEqual(sa['encryption_type'], 'NONE')
        self.assertEqual([c['name'] for c in sb['consumers']], ['reader'])
        # ordered by account, region, name; filters narrow
        keys = [(s['account'], s['region'], s['name']) for s in self.get_json('streams')['streams']]
        self.assertEqual(keys, sorted(keys))
        only = self.get_json('streams?account=%s&region=eu-west-1' % OTHER_ACCOUNT)['streams']
        self.assertEqual([s['name'] for s in only], [b])
        self.assertEqual(self.get_json('streams?region=ap-south-1')['streams'], [])

    def test_deleted_stream_disappears(self):
        name = unique_name('cdel')
        create_stream(self.kinesis, name, shard_count=1)
        self.kinesis.delete_stream(StreamName=name)
        self.assertNotIn(name, [s['name'] for s in self.get_json('streams')['streams']])
        self.assertError('streams/%s/%s/%s' % (DEFAULT_ACCOUNT, DEFAULT_REGION, name), 404, 'NotFound', name)

    def test_shards_counts_and_latest_sequence_numbers(self):
        name = unique_name('cshard')
        create_stream(self.kinesis, name, shard_count=2)
        puts = [self.kinesis.put_record(StreamName=name, PartitionKey='p', Data=b'x%d' % i,
                                        ExplicitHashKey=str(HALF + i)) for i in range(3)]
        self.kinesis.split_shard(StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey=str(HALF // 2))
        d = self.get_json('streams/%s/%s/%s' % (DEFAULT_ACCOUNT, DEFAULT_REGION, name))
        self.assertEqual(d['open_shards'], 3)
        shards = {s['shard_id']: s for s in d['shards']}
        self.assertEqual(sorted(shards), [shard_id(i) for i in range(4)])
        s0, s1, s2, s3 = (shards[shard_id(i)] for i in range(4))
        self.assertEqual((s0['open'], s0['record_count'], s0['latest_sequence_number']), (False, 0, None))
        self.assertIsNotNone(s0['ending_sequence_number'])
        self.assertEqual((s1['open'], s1['record_count']), (True, 3))
        self.assertEqual(s1['latest_sequence_number'], puts[-1]['SequenceNumber'])
        self.assertEqual((s1['starting_hash_key'], s1['ending_hash_key']), (str(HALF), str(MAX_HASH)))
        self.assertEqual((s2['parent_shard_id'], s3['parent_shard_id']), (shard_id(0), shard_id(0)))
        self.assertEqual((s2['starting_hash_key'], s2['ending_hash_key']), ('0', str(HALF // 2 - 1)))
        self.assertEqual(s3['starting_hash_key'], str(HALF // 2))
        described = {s['ShardId']: s for s in self.kinesis.list_shards(StreamName=name)['Shards']}
        for sid, s in shards.items():
            self.assertEqual(s['starting_sequence_number'],
                             described[sid]['SequenceNumberRange']['StartingSequenceNumber'], sid)
        # a merge names both parents
        self.kinesis.merge_shards(StreamName=name, ShardToMerge=shard_id(2), AdjacentShardToMerge=shard_id(3))
        d = self.get_json('streams/%s/%s/%s' % (DEFAULT_ACCOUNT, DEFAULT_REGION, name))
        merged = d['shards'][-1]
        self.assertEqual((merged['parent_shard_id'], merged['adjacent_parent_shard_id']), (shard_id(2), shard_id(3)))

    def test_counts_skip_records_past_retention(self):
        name = unique_name('cret')
        create_stream(self.kinesis, name, shard_count=1)
        self.kinesis.put_record(StreamName=name, PartitionKey='p', Data=b'old')
        self.emu.admin('POST', 'clock', {'advance_ms': 23 * 3600 * 1000})
        try:
            self.kinesis.put_record(StreamName=name, PartitionKey='p', Data=b'new')
            path = 'streams/%s/%s/%s' % (DEFAULT_ACCOUNT, DEFAULT_REGION, name)
            self.assertEqual(self.get_json(path)['shards'][0]['record_count'], 2)
            self.emu.admin('POST', 'clock', {'advance_ms': 2 * 3600 * 1000})
            self.assertEqual(self.get_json(path)['shards'][0]['record_count'], 1)
            page = self.get_json(path + '/shards/%s/records' % shard_id(0))
            self.assertEqual([base64.b64decode(r['data']) for r in page['records']], [b'new'])
        finally:
            self.emu.admin('POST', 'clock', {'set_ms': int(time.time() * 1000)})


class RecordPagesTest(ConsoleBase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.name = unique_name('crec')
        create_stream(cls.kinesis, cls.name, shard_count=1)
        cls.puts = []
        for i in range(7):
            data = json.dumps({'n': i}).encode() if i % 2 == 0 else bytes([0, 1, 2, 255 - i])
            cls.puts.append(cls.kinesis.put_record(StreamName=cls.name, PartitionKey='key-%d' % i, Data=data))
            if i == 3:
                time.sleep(0.02)
        cls.base = 'streams/%s/%s/%s/shards/%s/records' % (DEFAULT_ACCOUNT, DEFAULT_REGION, cls.name, shard_id(0))

    def page(self, query='', expect=200):
        return self.get_json(self.base + ('?' + query if query else ''), expect)

    def seqs(self, page):
        return [r['sequence_number'] for r in page['records']]

    def test_trim_horizon_pages_follow_on(self):
        all_seqs = [p['SequenceNumber'] for p in self.puts]
        first = self.page('limit=3')
        self.assertEqual(self.seqs(first), all_seqs[:3])
        self.assertFalse(first['at_tip'])
        second = self.page('start=AT_POSITION&limit=3&position=' + first['next_position'])
        self.assertEqual(self.seqs(second), all_seqs[3:6])
        third = self.page('start=AT_POSITION&position=' + second['next_position'])
        self.assertEqual(self.seqs(third), all_seqs[6:])
        self.assertTrue(third['at_tip'])
        self.assertEqual(third['millis_behind_latest'], 0)
        empty = self.page('start=AT_POSITION&position=' + third['next_position'])
        self.assertEqual((empty['records'], empty['next_position']), ([], third['next_position']))
        r = first['records'][0]
        self.assertEqual((r['partition_key'], base64.b64decode(r['data']), r['size'], r['encrypted']),
                         ('key-0', b'{"n": 0}', 8, False))
        self.assertIsInstance(r['arrival_ms'], int)
        self.assertEqual(self.page()['records'], self.page('start=TRIM_HORIZON&limit=100')['records'])

    def test_latest_then_new_records(self):
        latest = self.page('start=LATEST')
        self.assertEqual(latest['records'], [])
        self.assertTrue(latest['at_tip'])
        put = self.kinesis.put_record(StreamName=self.name, PartitionKey='late', Data=b'late')
        try:
            after = self.page('start=AT_POSITION&position=' + latest['next_position'])
            self.assertEqual(self.seqs(after), [put['SequenceNumber']])
        finally:
            type(self).puts.append(put)

    def test_at_and_after_sequence_number_and_timestamp(self):
        seqs = [p['SequenceNumber'] for p in self.puts[:7]]
        self.assertEqual(self.seqs(self.page('start=AT_SEQUENCE_NUMBER&limit=2&sequence_number=' + seqs[2])),
                         seqs[2:4])
        self.assertEqual(self.seqs(self.page('start=AFTER_SEQUENCE_NUMBER&limit=2&sequence_number=' + seqs[2])),
                         seqs[3:5])
        all_records = self.page('limit=7')['records']
        ts = all_records[4]['arrival_ms']
        at = self.page('start=AT_TIMESTAMP&limit=1&timestamp_ms=%d' % ts)
        first_at_ts = next(r for r in all_records if r['arrival_ms'] >= ts)
        self.assertEqual(self.seqs(at), [first_at_ts['sequence_number']])
        self.assertEqual(self.page('start=AT_TIMESTAMP&timestamp_ms=%d' % (ts + 10 ** 9))['records'], [])

    def test_bad_requests(self):
        for query, contains in (('start=SOMETIMES', 'start'), ('limit=0', 'limit'), ('limit=1001', 'limit'),
                                ('limit=x', 'limit'), ('start=AT_SEQUENCE_NUMBER&sequence_number=12', 'sequence'),
                                ('start=AT_SEQUENCE_NUMBER', 'sequence'), ('start=AT_TIMESTAMP', 'timestamp'),
                                ('start=AT_TIMESTAMP&timestamp_ms=-5', 'timestamp'),
                                ('start=AT_POSITION&position=abc', 'position')):
            with self.subTest(query=query):
                self.assertError(self.base + '?' + query, 400, 'InvalidRequest', contains)
        other = unique_name('cother')
        create_stream(self.kinesis, other, shard_count=2)
        seq = self.kinesis.put_record(StreamName=other, PartitionKey='p', Data=b'x',
                                      ExplicitHashKey=str(MAX_HASH))['SequenceNumber']
        path = 'streams/%s/%s/%s/shards/%s/records' % (DEFAULT_ACCOUNT, DEFAULT_REGION, other, shard_id(0))
        self.assertError(path + '?start=AT_SEQUENCE_NUMBER&sequence_number=' + seq, 400, 'InvalidRequest',
                         shard_id(1))
        self.assertError(path.replace(shard_id(0), shard_id(9)), 404, 'NotFound', shard_id(9))
        self.assertError(path.replace(shard_id(0), 'bogus'), 404, 'NotFound')
        self.assertError(path.replace(other, 'no-such-stream'), 404, 'NotFound')
        self.assertError('streams/%s/%s/%s/shards/%s' % (DEFAULT_ACCOUNT, DEFAULT_REGION, other, shard_id(0)),
                         404, 'NotFound')
        self.assertError('streams/%s//%s' % (DEFAULT_ACCOUNT, other), 404, 'NotFound')

    def test_encrypted_stream_reads_plaintext(self):
        name = unique_name('cenc')
        create_stream(self.kinesis, name, shard_count=1)
        self.kinesis.start_stream_encryption(StreamName=name, EncryptionType='KMS', KeyId='alias/aws/kinesis')
        self.kinesis.put_record(StreamName=name, PartitionKey='p', Data=b'secret text')
        page = self.get_json('streams/%s/%s/%s/shards/%s/records' % (DEFAULT_ACCOUNT, DEFAULT_REGION, name,
                                                                     shard_id(0)))
        self.assertEqual([(base64.b64decode(r['data']), r['encrypted']) for r in page['records']],
                         [(b'secret text', True)])

    def test_reads_are_not_journaled_and_do_not_consume_faults(self):
        rule = self.emu.admin('POST', 'faults', {'plugin': 'throttle', 'count': 1}).json()
        try:
            before = self.get_json('calls?limit=100000')['calls']
            self.page()
            self.get_json('streams')
            self.get_json('streams/%s/%s/%s' % (DEFAULT_ACCOUNT, DEFAULT_REGION, self.name))
            self.assertEqual(self.get_json('calls?limit=100000')['calls'], before)
            self.assertEqual(self.get_json('faults/' + rule['id'])['hits'], 0)
        finally:
            self.emu.admin('DELETE', 'faults')


class CallFiltersTest(ConsoleBase):

    def test_status_fault_order_before_and_rate(self):
        name = unique_name('ccall')
        create_stream(self.kinesis, name, shard_count=1)
        rule = self.emu.admin('POST', 'faults', {'plugin': 'throttle', 'match': {'stream': name,
                                                                                  'operation': 'PutRecord'},
                                                 'count': 1}).json()
        with self.assertRaises(self.kinesis.exceptions.ProvisionedThroughputExceededException):
            self.kinesis.put_record(StreamName=name, PartitionKey='p', Data=b'x')
        self.kinesis.put_record(StreamName=name, PartitionKey='p', Data=b'x')
        with self.assertRaises(self.kinesis.exceptions.ResourceNotFoundException):
            self.kinesis.describe_stream_summary(StreamName=name + '-missing')

        mine = self.get_json('calls?stream=%s&order=newest' % name)['calls']
        self.assertEqual([c['operation'] for c in mine][:2], ['PutRecord', 'PutRecord'])
        self.assertEqual([c['seq'] for c in mine], sorted((c['seq'] for c in mine), reverse=True))
        oldest = self.get_json('calls?stream=%s' % name)['calls']
        self.assertEqual(oldest, list(reversed(mine)))
        faulted = self.get_json('calls?fault=any&stream=%s' % name)['calls']
        self.assertEqual([(c['status'], c['fault_id']) for c in faulted], [(400, rule['id'])])
        self.assertEqual(self.get_json('calls?fault=%s' % rule['id'])['calls'], faulted)
        self.assertTrue(all(c['fault_id'] is None for c in self.get_json('calls?fault=none&limit=1000')['calls']))
        errors = self.get_json('calls?status=error&limit=1000')['calls']
        self.assertTrue(errors and all(c['status'] != 200 for c in errors))
        fours = self.get_json('calls?status=4xx&stream=%s' % name)['calls']
        self.assertEqual([c['error'] for c in fours], ['ProvisionedThroughputExceededException'])
        self.assertEqual(self.get_json('calls?status=400&stream=%s' % name)['calls'], fours)
        self.assertEqual(self.get_json('calls?status=5xx&stream=%s' % name)['calls'], [])
        oks = self.get_json('calls?status=200&stream=%s&order=newest' % name)['calls']
        self.assertTrue(all(c['status'] == 200 for c in oks))
        # before pages back through the journal
        newest = mine[0]['seq']
        older = self.get_json('calls?stream=%s&order=newest&before=%d' % (name, newest))['calls']
        self.assertEqual(older, mine[1:])
        for query in ('status=abc', 'status=6xx', 'status=1234', 'before=x', 'order=sideways'):
            with self.subTest(query=query):
                self.assertError('calls?' + query, 400, 'InvalidRequest')

        rate = self.get_json('calls/rate?seconds=60')
        for series in ('ok', 'client_error', 'server_error', 'dropped', 'faulted'):
            self.assertEqual(len(rate[series]), 60, series)
        self.assertEqual(rate['from_second'], rate['now_ms'] // 1000 - 59)
        self.assertGreaterEqual(sum(rate['ok']), 2)
        self.assertGreaterEqual(sum(rate['client_error']), 2)
        self.assertGreaterEqual(sum(rate['faulted']), 1)
        self.assertEqual(len(self.get_json('calls/rate')['ok']), 300)
        for bad in ('0', '3601', 'x'):
            self.assertError('calls/rate?seconds=' + bad, 400, 'InvalidRequest', 'seconds')
        # a clock moved on leaves the old calls out of the window
        self.emu.admin('POST', 'clock', {'advance_ms': 3600 * 1000})
        try:
            self.assertEqual(sum(self.get_json('calls/rate?seconds=60')['ok']), 0)
        finally:
            self.emu.admin('POST', 'clock', {'set_ms': int(time.time() * 1000)})
            self.emu.admin('DELETE', 'faults')


class ConsoleTokenTest(ConsoleBase):
    emulator_args = ('--admin-token', 'tok3n', '--auth', 'strict', '--credentials', 'AKIDX:sec')

    def test_files_are_public_state_is_not(self):
        self.assertEqual(self.get('/_emulator/ui').status, 200)
        self.assertEqual(self.get('/_emulator/ui/console.js').status, 200)
        config = self.get_json('/_emulator/ui/config')
        self.assertEqual((config['admin_token_required'], config['auth']), (True, 'strict'))
        for path in ('streams', 'streams/%s/%s/x' % (DEFAULT_ACCOUNT, DEFAULT_REGION), 'calls/rate',
                     'streams/%s/%s/x/shards/%s/records' % (DEFAULT_ACCOUNT, DEFAULT_REGION, shard_id(0))):
            with self.subTest(path=path):
                self.assertEqual(self.emu.admin('GET', path).status, 401)
        self.assertEqual(self.get_json('streams', token='tok3n')['streams'], [])


class ConsoleOffTest(ConsoleBase):
    emulator_args = ('--no-admin',)

    def test_no_admin_turns_the_console_off(self):
        for path in ('/_emulator/ui', '/_emulator/ui/', '/_emulator/ui/console.js', '/_emulator/ui/config',
                     'streams', 'calls/rate'):
            with self.subTest(path=path):
                self.assertError(path, 404, 'AdminDisabled')
