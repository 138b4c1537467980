"""Wire protocol checks with raw HTTP (http.client): routing, envelopes, headers, auth, JSON encoding."""

import base64
import email.utils
import http.client
import json
import re
import shutil
import socket
import subprocess
import time
import unittest

import test_cbor
from emulator_process import (DEFAULT_ACCOUNT, JSON_CT, TARGET_PREFIX, EmulatorTestCase, create_stream, shard_id,
                              sign_headers, unique_name)

UUID_RE = r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
ACCESS_DENIED_TEXT = 'Unable to determine service/operation name to be authorized'
CBOR_CT = 'application/x-amz-cbor-1.1'
ACCESS_DENIED_XML = (b'<AccessDeniedException>\n  <Message>' + ACCESS_DENIED_TEXT.encode() +
                     b'</Message>\n</AccessDeniedException>\n')
EXPOSED_HEADERS = 'x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date'


class ProtocolTest(EmulatorTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.name = unique_name('proto')
        create_stream(cls.kinesis, cls.name, shard_count=1)
        cls.kinesis.put_record(StreamName=cls.name, Data=b'hello', PartitionKey='k')

    def raw(self, **kw):
        return self.emu.raw(**kw)

    def assertJsonError(self, resp, error_type, status=400, message=None):
        self.assertEqual(resp.status, status, resp)
        self.assertEqual(resp.headers.get('Content-Type', '').split(';')[0].strip(), JSON_CT, resp)
        body = resp.json()
        self.assertEqual(body.get('__type'), error_type, resp)
        if message is not None:
            self.assertEqual(body.get('message'), message, resp)
        return body

    # -- routing and envelope errors ---------------------------------------------

    def test_missing_target_with_json_content_type(self):
        # step 5 of the request checks: no/unknown service prefix -> 400 UnknownOperationException
        resp = self.raw(target=None, body={})
        self.assertJsonError(resp, 'UnknownOperationException')

    def test_missing_target_with_other_content_type(self):
        # step 3: Content-Type not JSON/CBOR and no target -> 403 AccessDenied XML
        resp = self.raw(target=None, body='{}', content_type='text/plain')
        self.assertEqual(resp.status, 403, resp)
        self.assertIn(b'AccessDeniedException', resp.body)
        self.assertIn(ACCESS_DENIED_TEXT.encode(), resp.body)

    def test_unknown_operation(self):
        resp = self.raw(target=TARGET_PREFIX + 'Foo', body={})
        self.assertJsonError(resp, 'UnknownOperationException')

    def test_wrong_service_prefix(self):
        resp = self.raw(target='DynamoDB_20120810.ListStreams', body={})
        self.assertJsonError(resp, 'UnknownOperationException')

    def test_target_without_operation(self):
        resp = self.raw(target='Kinesis_20131202', body={})
        self.assertJsonError(resp, 'UnknownOperationException')

    def test_subscribe_to_shard_errors_before_streaming_are_plain_json(self):
        # Errors found before the event stream starts (here: no such consumer) are ordinary 400 answers.
        resp = self.raw(operation='SubscribeToShard',
                        body={'ConsumerARN': 'arn:aws:kinesis:us-east-1:000000000000:stream/%s/consumer/c:1' % self.name,
                              'ShardId': 'shardId-000000000000',
                              'StartingPosition': {'Type': 'LATEST'}})
        self.assertJsonError(resp, 'ResourceNotFoundException')

    def test_wrong_content_type(self):
        resp = self.raw(operation='ListStreams', body='{}', content_type='text/plain')
        self.assertEqual(resp.status, 404, resp)
        self.assertIn(b'<UnknownOperationException/>', resp.body)

    def test_content_type_with_parameters_accepted(self):
        resp = self.raw(operation='ListStreams', body={}, content_type=JSON_CT + '; charset=utf-8')
        self.assertEqual(resp.status, 200, resp)
        self.assertIn(self.name, resp.json()['StreamNames'])

    def test_body_not_json(self):
        resp = self.raw(operation='ListStreams', body='this is not json')
        self.assertJsonError(resp, 'SerializationException')

    def test_body_truncated_json(self):
        resp = self.raw(operation='DescribeStreamSummary', body='{"StreamName": "abc"')
        self.assertJsonError(resp, 'SerializationException')

    def test_body_json_but_not_object(self):
        resp = self.raw(operation='ListStreams', body='"a string"')
        self.assertJsonError(resp, 'SerializationException')

    def test_wrong_json_type_string_member(self):
        resp = self.raw(operation='DescribeStreamSummary', body={'StreamName': 5})
        self.assertJsonError(resp, 'SerializationException')

    def test_wrong_json_type_integer_member(self):
        resp = self.raw(operation='ListStreams', body={'Limit': 'ten'})
        self.assertJsonError(resp, 'SerializationException')

    def test_wrong_json_type_list_member(self):
        resp = self.raw(operation='PutRecords', body={'StreamName': self.name, 'Records': {'Data': 'AA=='}})
        self.assertJsonError(resp, 'SerializationException')

    def test_get_root_signed(self):
        resp = self.raw(method='GET', path='/', body=b'', target=None, content_type=None)
        self.assertEqual(resp.status, 403, resp)
        self.assertIn(b'AccessDeniedException', resp.body)
        self.assertIn(ACCESS_DENIED_TEXT.encode(), resp.body)

    def test_get_root_unsigned(self):
        # what a browser or curl sends; the spec fixes only the status here
        resp = self.raw(method='GET', path='/', body=b'', target=None, content_type=None, sign=False)
        self.assertEqual(resp.status, 403, resp)
        self.assertTrue(resp.body.lstrip().startswith(b'<'), resp)

    def test_put_method(self):
        resp = self.raw(method='PUT', operation='ListStreams', body='{}')
        self.assertEqual(resp.status, 403, resp)
        self.assertIn(b'AccessDeniedException', resp.body)

    # -- requests that are not Kinesis requests (kinesalite's connection tests, brought up to date with AWS
    # production in December 2019) ------------------------------------------------

    def assertRequestIds(self, resp):
        self.assertRegex(resp.headers.get('x-amzn-RequestId', ''), UUID_RE, resp)
        self.assertEqual(len(base64.b64decode(resp.headers.get('x-amz-id-2', ''), validate=True)), 72, resp)

    def assertCborError(self, resp, error_type):
        self.assertEqual(resp.status, 400, resp)
        self.assertEqual(resp.headers.get('Content-Type'), CBOR_CT, resp)
        self.assertEqual(test_cbor.decode(resp.body), {'__type': error_type}, resp)
        self.assertEqual(int(resp.headers.get('Content-Length')), len(resp.body))
        self.assertRequestIds(resp)

    def assertXml(self, resp, status, body):
        self.assertEqual((resp.status, resp.body), (status, body), resp)
        self.assertIsNone(resp.headers.get('Content-Type'), resp)
        self.assertRequestIds(resp)

    def test_post_without_body_is_answered_in_cbor(self):
        # whatever the content type (none, an unknown one, JSON 1.0, the legacy application/json) and signed or
        # not: UnknownOperationException, or SerializationException when the target names an operation
        for content_type in (None, 'application/x-amz-json-1.0', 'application/x-amz-json-1.1asdf',
                             'application/json', CBOR_CT):
            for sign in (True, False):
                self.assertCborError(self.raw(target=None, content_type=content_type, sign=sign),
                                     'UnknownOperationException')
            for target in ('Whatever', 'Kinesis_20131202.', 'Kinesis_20131202.Whatever', 'Whatever.Whatever',
                           'Kinesis_20131202.ListStream'):
                self.assertCborError(self.raw(target=target, content_type=content_type),
                                     'UnknownOperationException')
            self.assertCborError(self.raw(operation='ListStreams', content_type=content_type),
                                 'SerializationException')
        # asked in JSON 1.1, answered in JSON 1.1
        resp = self.raw(target=None, body=b'')
        self.assertEqual((resp.status, resp.json()), (400, {'__type': 'UnknownOperationException'}))
        self.assertRequestIds(resp)

    def test_body_with_another_content_type_is_answered_in_xml(self):
        # no (or an incomplete) target: 403 AccessDeniedException; a target with service and operation: 404
        for content_type in (None, 'text/plain', 'application/x-amz-json-1.0'):
            for target in (None, 'Whatever', 'Kinesis_20131202.', '.ListStreams'):
                self.assertXml(self.raw(target=target, body='{}', content_type=content_type), 403, ACCESS_DENIED_XML)
            for target in ('Kinesis_20131202.ListStreams', 'whatever.ListStreams', 'Kinesis_20131202.whatever'):
                self.assertXml(self.raw(target=target, body='{}', content_type=content_type), 404,
                               b'<UnknownOperationException/>\n')

    def test_legacy_application_json_gets_the_coral_envelope(self):
        def assertLegacy(resp, status, error_type):
            self.assertEqual(resp.status, status, resp)
            self.assertEqual(resp.headers.get('Content-Type'), 'application/json', resp)
            self.assertEqual(resp.json(), {'Output': {'__type': 'com.amazon.coral.service#' + error_type},
                                           'Version': '1.0'})
            self.assertRequestIds(resp)
        for target in ('Kinesis_20131202.ListStreams', None):
            assertLegacy(self.raw(target=target, body='{}', content_type='application/json', sign=False), 404,
                         'UnknownOperationException')
            assertLegacy(self.raw(target=target, body='hello', content_type='application/json'), 400,
                         'SerializationException')
        assertLegacy(self.raw(operation='ListStreams', body='hello', content_type='     application/json     ;'),
                     400, 'SerializationException')

    def test_body_syntax_is_checked_before_the_target(self):
        for body in ('hello', 'true', 'null'):
            resp = self.raw(target='Kinesis_20131202.Whatever', body=body, sign=False)
            self.assertJsonError(resp, 'SerializationException')
            self.assertEqual(resp.json(), {'__type': 'SerializationException'})

    def test_non_post_answers_carry_request_ids(self):
        for method in ('GET', 'PUT', 'DELETE'):
            self.assertXml(self.raw(method=method, target=None, content_type=None), 403, ACCESS_DENIED_XML)
        self.assertXml(self.raw(method='OPTIONS', target=None, content_type=None), 403, ACCESS_DENIED_XML)

    # -- CORS -------------------------------------------------------------------

    def assertPreflight(self, resp, **expected):
        self.assertEqual((resp.status, resp.body), (200, b''), resp)
        self.assertEqual(resp.headers.get('Access-Control-Allow-Origin'), '*')
        self.assertEqual(resp.headers.get('Access-Control-Max-Age'), '172800')
        self.assertEqual(resp.headers.get('Content-Length'), '0')
        self.assertRegex(resp.headers.get('x-amzn-RequestId', ''), UUID_RE)
        self.assertIsNone(resp.headers.get('x-amz-id-2'), resp)
        self.assertIsNone(resp.headers.get('Content-Type'), resp)
        for name in ('Access-Control-Allow-Headers', 'Access-Control-Allow-Methods'):
            self.assertEqual(resp.headers.get(name), expected.get(name), name)

    def test_cors_preflight(self):
        for sign in (True, False):
            self.assertPreflight(self.raw(method='OPTIONS', target=None, content_type=None, sign=sign,
                                          headers={'Origin': 'http://localhost:3000'}))
        asked = {'Origin': 'http://localhost:3000',
                 'Access-Control-Request-Method': 'POST',
                 'Access-Control-Request-Headers': 'authorization,content-type,x-amz-date,x-amz-target,'
                                                   'x-amz-user-agent'}
        self.assertPreflight(self.raw(method='OPTIONS', target=None, content_type=None, sign=False, headers=asked),
                             **{'Access-Control-Allow-Methods': 'POST',
                                'Access-Control-Allow-Headers': asked['Access-Control-Request-Headers']})

    def test_cors_headers_on_answers_to_requests_with_origin(self):
        origin = {'Origin': 'http://localhost:3000'}
        answers = [self.raw(operation='ListStreams', body={}, headers=origin),
                   self.raw(operation='DescribeStreamSummary', body={'StreamName': 'nope'}, headers=origin),
                   self.raw(target=None, content_type=None, headers=origin),
                   self.raw(method='GET', target=None, content_type=None, headers=origin)]
        self.assertEqual([r.status for r in answers], [200, 400, 400, 403])
        for resp in answers:
            self.assertEqual(resp.headers.get('Access-Control-Allow-Origin'), '*', resp)
            self.assertEqual(resp.headers.get('Access-Control-Expose-Headers'), EXPOSED_HEADERS, resp)
            self.assertRequestIds(resp)
        # without Origin, no CORS headers
        resp = self.raw(operation='ListStreams', body={})
        self.assertIsNone(resp.headers.get('Access-Control-Allow-Origin'))
        self.assertIsNone(resp.headers.get('Access-Control-Expose-Headers'))

    @unittest.skipUnless(shutil.which('curl'), 'curl not on PATH')
    def test_cors_preflight_over_http2(self):
        out = subprocess.run(['curl', '-sS', '-i', '--http2-prior-knowledge', '-X', 'OPTIONS',
                              '-H', 'Origin: http://localhost:3000', '-H', 'Access-Control-Request-Method: POST',
                              'http://127.0.0.1:%d/' % self.emu.port], capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        head = out.stdout.lower()
        self.assertTrue(head.startswith('http/2 200'), out.stdout)
        self.assertIn('access-control-allow-origin: *', head)
        self.assertIn('access-control-allow-methods: post', head)
        self.assertIn('access-control-max-age: 172800', head)

    def test_admin_endpoint_does_not_take_part_in_cors(self):
        # deliberate: a page a developer happens to visit must not drive the fault-injection endpoint
        origin = {'Origin': 'http://localhost:3000'}
        health = self.emu.admin('GET', 'health', headers=origin)
        self.assertEqual(health.status, 200)
        self.assertIsNone(health.headers.get('Access-Control-Allow-Origin'))
        preflight = self.emu.admin('OPTIONS', 'faults', headers=dict(origin, **{
            'Access-Control-Request-Method': 'POST'}))
        self.assertNotEqual(preflight.status, 200, preflight)
        self.assertIsNone(preflight.headers.get('Access-Control-Allow-Origin'))

    # -- successful responses ----------------------------------------------------

    def test_success_headers(self):
        resp = self.raw(operation='ListStreams', body={})
        self.assertEqual(resp.status, 200, resp)
        self.assertRegex(resp.headers.get('x-amzn-RequestId', ''), UUID_RE)
        id2 = resp.headers.get('x-amz-id-2')
        self.assertTrue(id2, resp)
        self.assertEqual(len(base64.b64decode(id2, validate=True)), 72)
        date = resp.headers.get('Date')
        self.assertTrue(date, resp)
        parsed = email.utils.parsedate_to_datetime(date)
        self.assertLess(abs(parsed.timestamp() - time.time()), 300)
        self.assertEqual(resp.headers.get('Content-Type', '').split(';')[0].strip(), JSON_CT)
        self.assertEqual(int(resp.headers.get('Content-Length')), len(resp.body))

    def test_request_ids_unique(self):
        ids = {self.raw(operation='ListStreams', body={}).headers.get('x-amzn-RequestId') for _ in range(5)}
        self.assertEqual(len(ids), 5)

    def test_error_headers(self):
        resp = self.raw(operation='DescribeStreamSummary', body={'StreamName': 'does-not-exist'})
        self.assertRegex(resp.headers.get('x-amzn-RequestId', ''), UUID_RE)
        self.assertTrue(resp.headers.get('x-amz-id-2'))
        self.assertTrue(resp.headers.get('Date'))

    def test_error_envelope(self):
        name = unique_name('missing')
        resp = self.raw(operation='DescribeStreamSummary', body={'StreamName': name})
        body = self.assertJsonError(resp, 'ResourceNotFoundException',
                                    message='Stream %s under account %s not found.' % (name, DEFAULT_ACCOUNT))
        self.assertEqual(set(body), {'__type', 'message'})

    def test_unit_operation_body(self):
        resp = self.raw(operation='CreateStream', body={'StreamName': unique_name('unit'), 'ShardCount': 1})
        self.assertEqual(resp.status, 200, resp)
        self.assertIn(resp.body, (b'', b'{}'))
        self.assertEqual(resp.headers.get('Content-Type', '').split(';')[0].strip(), JSON_CT)

    def test_empty_body_is_a_serialization_error(self):
        # AWS answers a recognised target with no body with a bare SerializationException (kinesalite's record of
        # live Kinesis); SDKs always send at least {}.
        resp = self.raw(operation='ListStreams', body=b'')
        self.assertEqual(resp.status, 400, resp)
        self.assertEqual(resp.json(), {'__type': 'SerializationException'})

    def test_unknown_members_ignored(self):
        resp = self.raw(operation='DescribeStreamSummary', body={'StreamName': self.name, 'NoSuchMember': [1, 2]})
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.json()['StreamDescriptionSummary']['StreamName'], self.name)

    def test_null_members_are_absent(self):
        resp = self.raw(operation='ListStreams', body={'Limit': None, 'ExclusiveStartStreamName': None})
        self.assertEqual(resp.status, 200, resp)
        self.assertIn(self.name, resp.json()['StreamNames'])

    def test_lowercase_header_names(self):
        body = b'{}'
        hdrs = {k.lower(): v for k, v in sign_headers(self.emu.port, body, target=TARGET_PREFIX + 'ListStreams')
                .items()}
        conn = http.client.HTTPConnection('127.0.0.1', self.emu.port, timeout=10)
        try:
            conn.request('POST', '/', body=body, headers=hdrs)
            resp = conn.getresponse()
            data = resp.read()
        finally:
            conn.close()
        self.assertEqual(resp.status, 200, data)
        self.assertIn(self.name, json.loads(data)['StreamNames'])

    def test_any_path_accepted(self):
        resp = self.raw(operation='ListStreams', body={}, path='/some/other/path')
        self.assertEqual(resp.status, 200, resp)
        self.assertIn(self.name, resp.json()['StreamNames'])

    def test_keep_alive_connection_reused(self):
        conn = http.client.HTTPConnection('127.0.0.1', self.emu.port, timeout=10)
        try:
            for _ in range(5):
                resp = self.raw(operation='ListStreams', body={}, connection=conn)
                self.assertEqual(resp.status, 200, resp)
            resp = self.raw(operation='DescribeStreamSummary', body={'StreamName': 'nope'}, connection=conn)
            self.assertEqual(resp.status, 400, resp)
            resp = self.raw(operation='ListStreams', body={}, connection=conn)
            self.assertEqual(resp.status, 200, resp)
        finally:
            conn.close()

    # -- HTTP/1.1 framing, as real clients use it --------------------------------

    def signed(self, operation, body):
        headers = sign_headers(self.emu.port, body, target=TARGET_PREFIX + operation)
        headers.pop('Content-Length', None)
        return headers

    def test_chunked_request_body(self):
        # A client that streams its body (Transfer-Encoding: chunked) is read the same as one with Content-Length.
        data = base64.b64encode(b'chunked body').decode()
        body = json.dumps({'StreamName': self.name, 'PartitionKey': 'c', 'Data': data}).encode()
        conn = http.client.HTTPConnection('127.0.0.1', self.emu.port, timeout=10)
        try:
            pieces = iter([body[:10], body[10:25], body[25:]])
            conn.request('POST', '/', body=pieces, headers=self.signed('PutRecord', body), encode_chunked=True)
            resp = conn.getresponse()
            payload = resp.read()
            self.assertEqual(resp.status, 200, payload)
            self.assertIn('SequenceNumber', json.loads(payload))
            # the connection stays usable after a chunked request
            conn.request('POST', '/', body=b'{}', headers=self.signed('ListStreams', b'{}'))
            resp = conn.getresponse()
            self.assertEqual(resp.status, 200, resp.read())
        finally:
            conn.close()

    @unittest.skipUnless(shutil.which('curl'), 'curl not on PATH')
    def test_expect_100_continue_from_curl(self):
        # curl asks "Expect: 100-continue" before a body over 1 MiB and waits for the interim answer.
        records = [{'Data': base64.b64encode(bytes([i % 256]) * 3000).decode(), 'PartitionKey': 'p%d' % i}
                   for i in range(400)]
        body = json.dumps({'StreamName': self.name, 'Records': records}).encode()
        self.assertGreater(len(body), 1024 * 1024)
        cmd = ['curl', '-sS', '--http1.1', '-v', '-o', '-', '-w', '\n%{http_code}', '--data-binary', '@-']
        for k, v in self.signed('PutRecords', body).items():
            cmd += ['-H', '%s: %s' % (k, v)]
        cmd.append('http://127.0.0.1:%d/' % self.emu.port)
        started = time.monotonic()
        out = subprocess.run(cmd, input=body, capture_output=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr[-2000:])
        self.assertIn(b'Expect: 100-continue', out.stderr)
        self.assertIn(b'HTTP/1.1 100 Continue', out.stderr)
        payload, status = out.stdout.rsplit(b'\n', 1)
        self.assertEqual(status, b'200', payload[:500])
        self.assertEqual(json.loads(payload)['FailedRecordCount'], 0)
        self.assertLess(time.monotonic() - started, 5, 'curl waited for its 1 s Expect timeout instead')

    def test_pipelined_requests_are_answered_in_order(self):
        one = json.dumps({'StreamName': self.name}).encode()
        two = b'{}'
        raw = b''
        for operation, body in (('DescribeStreamSummary', one), ('ListStreams', two)):
            headers = self.signed(operation, body)
            raw += b'POST / HTTP/1.1\r\n' + b''.join(
                ('%s: %s\r\n' % (k, v)).encode() for k, v in headers.items())
            raw += b'Content-Length: %d\r\n\r\n' % len(body) + body
        with socket.create_connection(('127.0.0.1', self.emu.port), timeout=10) as sock:
            sock.sendall(raw)
            sock.shutdown(socket.SHUT_WR)
            data = b''
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        self.assertEqual(data.count(b'HTTP/1.1 200 OK'), 2, data)
        self.assertLess(data.index(b'StreamDescriptionSummary'), data.index(b'StreamNames'))

    def test_http_1_0_client(self):
        body = b'{}'
        headers = self.signed('ListStreams', body)
        raw = b'POST / HTTP/1.0\r\n' + b''.join(('%s: %s\r\n' % (k, v)).encode() for k, v in headers.items())
        raw += b'Content-Length: 2\r\n\r\n{}'
        with socket.create_connection(('127.0.0.1', self.emu.port), timeout=10) as sock:
            sock.sendall(raw)
            data = b''
            while True:  # HTTP/1.0 without keep-alive: the server closes after the answer
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        self.assertTrue(data.startswith(b'HTTP/1.1 200 OK\r\n'), data[:200])
        self.assertIn(b'Connection: close\r\n', data)
        self.assertIn(b'StreamNames', data)

    # -- JSON value encodings ----------------------------------------------------

    def timestamp_tokens(self, raw_body, member):
        tokens = re.findall(r'"%s"\s*:\s*([^,}\]\s]+)' % member, raw_body.decode('utf-8'))
        self.assertTrue(tokens, 'no %s in %r' % (member, raw_body[:300]))
        for tok in tokens:
            self.assertNotRegex(tok, r'[eE]', 'exponent notation in %s: %s' % (member, tok))
            self.assertRegex(tok, r'^\d+(\.\d{1,3})?$', '%s is not epoch seconds with <= 3 decimals' % member)
            self.assertLess(abs(float(tok) - time.time()), 3600, tok)
        return tokens

    def test_timestamps_describe_stream_summary(self):
        resp = self.raw(operation='DescribeStreamSummary', body={'StreamName': self.name})
        self.assertEqual(resp.status, 200, resp)
        self.timestamp_tokens(resp.body, 'StreamCreationTimestamp')

    def test_timestamps_describe_stream(self):
        resp = self.raw(operation='DescribeStream', body={'StreamName': self.name})
        self.assertEqual(resp.status, 200, resp)
        self.timestamp_tokens(resp.body, 'StreamCreationTimestamp')

    def test_timestamps_list_streams(self):
        resp = self.raw(operation='ListStreams', body={})
        self.assertEqual(resp.status, 200, resp)
        self.timestamp_tokens(resp.body, 'StreamCreationTimestamp')

    def test_timestamps_and_blobs_get_records(self):
        it = self.raw(operation='GetShardIterator', body={'StreamName': self.name, 'ShardId': shard_id(0),
                                                          'ShardIteratorType': 'TRIM_HORIZON'}).json()['ShardIterator']
        resp = self.raw(operation='GetRecords', body={'ShardIterator': it})
        self.assertEqual(resp.status, 200, resp)
        self.timestamp_tokens(resp.body, 'ApproximateArrivalTimestamp')
        body = resp.json()
        rec = body['Records'][0]
        self.assertEqual(rec['Data'], base64.b64encode(b'hello').decode())  # standard base64 with padding
        self.assertIsInstance(rec['SequenceNumber'], str)
        self.assertIsInstance(body['MillisBehindLatest'], int)

    def test_put_record_with_base64_data(self):
        resp = self.raw(operation='PutRecord', body={'StreamName': self.name, 'PartitionKey': 'p',
                                                     'Data': base64.b64encode(b'\x00\x01raw').decode()})
        self.assertEqual(resp.status, 200, resp)
        out = resp.json()
        self.assertEqual(out['ShardId'], shard_id(0))
        self.assertRegex(out['SequenceNumber'], r'^\d+$')

    def test_validation_limit_list_streams(self):
        resp = self.raw(operation='ListStreams', body={'Limit': 0})
        self.assertJsonError(resp, 'ValidationException', message=(
            "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1"))
        resp = self.raw(operation='ListStreams', body={'Limit': 10001})
        self.assertJsonError(resp, 'ValidationException', message=(
            "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: "
            "Member must have value less than or equal to 10000"))

    # -- authentication ----------------------------------------------------------

    def test_no_authorization(self):
        resp = self.raw(operation='ListStreams', body={}, sign=False)
        self.assertJsonError(resp, 'MissingAuthenticationTokenException', message='Missing Authentication Token')

    def test_authorization_without_signature(self):
        auth = ('AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20250101/us-east-1/kinesis/aws4_request, '
                'SignedHeaders=content-type;host;x-amz-date;x-amz-target')
        resp = self.raw(operation='ListStreams', body={}, headers={'Authorization': auth})
        body = self.assertJsonError(resp, 'IncompleteSignatureException')
        self.assertIn("Authorization header requires 'Signature' parameter.", body['message'])
        self.assertNotIn("requires 'Credential'", body['message'])
        self.assertTrue(body['message'].endswith('Authorization=' + auth), body['message'])

    def test_authorization_without_credential(self):
        auth = 'AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=' + '0' * 64
        resp = self.raw(operation='ListStreams', body={}, headers={'Authorization': auth})
        body = self.assertJsonError(resp, 'IncompleteSignatureException')
        self.assertIn("Authorization header requires 'Credential' parameter.", body['message'])

    def test_authorization_without_date(self):
        resp = self.raw(operation='ListStreams', body={}, headers={'X-Amz-Date': None, 'Date': None})
        body = self.assertJsonError(resp, 'IncompleteSignatureException')
        self.assertIn("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
                      body['message'])

    def test_authorization_header_and_query(self):
        resp = self.raw(operation='ListStreams', body={}, path='/?X-Amz-Algorithm=AWS4-HMAC-SHA256')
        self.assertJsonError(resp, 'InvalidSignatureException', message=(
            "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."))

    def test_bad_signature_accepted_by_default(self):
        # signature verification is off unless strict mode is configured
        hdrs = sign_headers(self.emu.port, b'{}', target=TARGET_PREFIX + 'ListStreams')
        hdrs['Authorization'] = re.sub(r'Signature=[0-9a-f]+', 'Signature=' + 'f' * 64, hdrs['Authorization'])
        resp = self.raw(operation='ListStreams', body={}, headers={'Authorization': hdrs['Authorization']})
        self.assertEqual(resp.status, 200, resp)


if __name__ == '__main__':
    unittest.main()
