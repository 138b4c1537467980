"""Wire faults (bandwidth, slicer, stall, slow-close, connection-reset mid-body) seen by boto3 over HTTP/1.1, over
TLS, on a SubscribeToShard event stream, and by curl over HTTP/2: what a client receives, how long it takes, and
what boto3's retries make of it. The JS SDK v3 and the Go SDK are in tests/js and tests/interop/go."""

import base64
import http.client
import json
import shutil
import socket
import ssl
import subprocess
import time
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ConnectionClosedError, ReadTimeoutError

from emulator_process import (DEFAULT_ACCESS_KEY, SECRET_KEY, EmulatorTestCase, create_stream, read_shard, shard_id,
                              sign_headers, stream_arn, unique_name)
from test_subscribe_to_shard import Subscriber

CURL = shutil.which('curl')
KIB = 1024


class WireFaultBase(EmulatorTestCase):

    def setUp(self):
        super().setUp()
        self.clear()
        self.addCleanup(self.clear)

    def admin_json(self, method, path, body=None, expect=200):
        resp = self.emu.admin(method, path, body)
        self.assertEqual(resp.status, expect, '%s %s %r -> %r' % (method, path, body, resp))
        return resp.json() if resp.body else None

    def clear(self):
        self.admin_json('DELETE', 'faults', expect=204)

    def add_rule(self, plugin, params=None, **fields):
        body = dict(fields, plugin=plugin, params=params or {})
        return self.admin_json('POST', 'faults', body, expect=201)

    def client(self, attempts=1, read_timeout=10, verify=None):
        cfg = Config(retries={'total_max_attempts': attempts, 'mode': 'standard'}, connect_timeout=5,
                     read_timeout=read_timeout)
        c = boto3.session.Session().client('kinesis', region_name='us-east-1', endpoint_url=self.emu.endpoint,
                                           aws_access_key_id=DEFAULT_ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                                           config=cfg, verify=verify)
        self.addCleanup(c.close)
        return c

    def stream_with_records(self, n=8, size=KIB):
        name = unique_name('wire')
        create_stream(self.kinesis, name, shard_count=1)
        for i in range(n):
            self.kinesis.put_record(StreamName=name, Data=bytes([65 + i % 26]) * size, PartitionKey='k')
        return name

    def iterator(self, name, client=None):
        return (client or self.kinesis).get_shard_iterator(StreamName=name, ShardId=shard_id(0),
                                                           ShardIteratorType='TRIM_HORIZON')['ShardIterator']

    def timed(self, fn):
        start = time.monotonic()
        result = fn()
        return result, time.monotonic() - start

    def attempts(self, operation):
        calls = self.admin_json('GET', 'calls?operation=' + operation)['calls']
        return len(calls)

    def raw_get_records(self, name, timeout=10):
        """One GetRecords over a fresh HTTP/1.1 connection: (status, headers, body bytes, seconds, closed after)."""
        body = json.dumps({'ShardIterator': self.iterator(name)}).encode()
        headers = sign_headers(self.emu.port, body, target='Kinesis_20131202.GetRecords')
        conn = http.client.HTTPConnection('127.0.0.1', self.emu.port, timeout=timeout)
        start = time.monotonic()
        try:
            conn.request('POST', '/', body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, dict(resp.getheaders()), data, time.monotonic() - start
        finally:
            conn.close()


class PlainCallTest(WireFaultBase):
    """A GetRecords answer (8 KiB of records, about 11 KiB of JSON) under each fault, over HTTP/1.1."""

    def test_bandwidth_caps_the_answer_and_delivers_it_whole(self):
        name = self.stream_with_records()
        baseline, fast = self.timed(lambda: self.kinesis.get_records(ShardIterator=self.iterator(name)))
        self.add_rule('bandwidth', {'bytes_per_second': 4000}, match={'operation': 'GetRecords', 'stream': name})
        shaped, slow = self.timed(lambda: self.kinesis.get_records(ShardIterator=self.iterator(name)))
        self.assertEqual([r['Data'] for r in shaped['Records']], [r['Data'] for r in baseline['Records']])
        self.assertGreater(slow, 2.0)  # about 11 KiB at 4,000 bytes/s: close to 3 s
        self.assertLess(fast, 1.0)

    def test_slicer_delivers_pieces_the_parser_reassembles(self):
        name = self.stream_with_records(n=2)
        rule = self.add_rule('slicer', {'bytes': 64, 'delay_ms': 5}, match={'operation': 'GetRecords'})
        status, headers, body, took = self.raw_get_records(name)
        self.assertEqual(status, 200)
        self.assertEqual(int(headers['Content-Length']), len(body))
        self.assertEqual(len(json.loads(body)['Records']), 2)
        self.assertGreater(took, (len(body) // 64 - 1) * 0.005)
        self.assertEqual(self.admin_json('GET', 'faults/' + rule['id'])['fired'], 1)
        # and through boto3, the same records
        out = self.kinesis.get_records(ShardIterator=self.iterator(name))
        self.assertEqual(len(out['Records']), 2)

    def test_slicer_arrives_in_separate_reads(self):
        name = self.stream_with_records(n=1, size=100)
        self.add_rule('slicer', {'bytes': 10, 'delay_ms': 30}, match={'operation': 'GetRecords'})
        body = json.dumps({'ShardIterator': self.iterator(name)}).encode()
        headers = sign_headers(self.emu.port, body, target='Kinesis_20131202.GetRecords')
        request = b'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n' + b''.join(
            ('%s: %s\r\n' % (k, v)).encode() for k, v in headers.items()) + b'Content-Length: %d\r\n\r\n' % len(body)
        with socket.create_connection(('127.0.0.1', self.emu.port), timeout=10) as s:
            s.sendall(request + body)
            reads = []
            data = b''
            while b'\r\n\r\n' not in data or len(data.split(b'\r\n\r\n', 1)[1]) < int(
                    data.split(b'Content-Length: ', 1)[1].split(b'\r\n', 1)[0]):
                chunk = s.recv(65536)
                self.assertTrue(chunk, 'closed early')
                reads.append(len(chunk))
                data += chunk
        body_len = len(data.split(b'\r\n\r\n', 1)[1])
        # the head, then the body 10 bytes at a time, 30 ms apart: each piece its own read
        self.assertGreaterEqual(len(reads), body_len // 10)
        self.assertLessEqual(max(reads[1:]), 10)

    def test_stall_for_a_time_then_the_rest(self):
        name = self.stream_with_records(n=2)
        self.add_rule('stall', {'ms': 1500}, match={'operation': 'GetRecords'}, count=1)
        out, took = self.timed(lambda: self.kinesis.get_records(ShardIterator=self.iterator(name)))
        self.assertEqual(len(out['Records']), 2)
        self.assertGreater(took, 1.4)

    def test_stall_until_removed_times_the_client_out_and_its_retry_succeeds(self):
        name = self.stream_with_records(n=2)
        rule = self.add_rule('stall', match={'operation': 'GetRecords'}, count=1)
        client = self.client(attempts=2, read_timeout=1)
        it = self.iterator(name, client)
        out, took = self.timed(lambda: client.get_records(ShardIterator=it))
        # botocore's read timeout ended the first attempt after 1 s; the rule is spent, the retry got the records
        self.assertEqual(len(out['Records']), 2)
        self.assertGreater(took, 0.9)
        self.assertEqual(out['ResponseMetadata']['RetryAttempts'], 1)
        self.assertEqual(self.admin_json('GET', 'faults/' + rule['id'])['fired'], 1)

    def test_stall_until_removed_without_retries_is_a_read_timeout(self):
        name = self.stream_with_records(n=1)
        rule = self.add_rule('stall', match={'operation': 'GetRecords'})
        client = self.client(attempts=1, read_timeout=1)
        it = self.iterator(name, client)
        with self.assertRaises(ReadTimeoutError):
            client.get_records(ShardIterator=it)
        # while the rule stays, a raw client waits; removing the rule releases the rest of the answer
        result = {}

        def fetch():
            result['answer'] = self.raw_get_records(name, timeout=20)

        import threading
        t = threading.Thread(target=fetch)
        t.start()
        time.sleep(0.5)
        self.assertTrue(t.is_alive())
        self.admin_json('DELETE', 'faults/' + rule['id'], expect=204)
        t.join(10)
        self.assertFalse(t.is_alive())
        status, _, body, took = result['answer']
        self.assertEqual(status, 200)
        self.assertEqual(len(json.loads(body)['Records']), 1)
        self.assertGreater(took, 0.4)

    def test_slow_close_ends_the_body_with_a_late_close(self):
        name = self.stream_with_records(n=1)
        self.add_rule('slow-close', {'ms': 800}, match={'operation': 'GetRecords'})
        status, headers, body, took = self.raw_get_records(name)
        self.assertEqual(status, 200)
        self.assertNotIn('Content-Length', headers)
        self.assertEqual(headers.get('Connection'), 'close')
        self.assertEqual(len(json.loads(body)['Records']), 1)
        self.assertGreater(took, 0.75)
        # boto3 reads to the close: it waits, then has the whole answer; a read timeout shorter than the delay fails
        out, took = self.timed(lambda: self.kinesis.get_records(ShardIterator=self.iterator(name)))
        self.assertEqual(len(out['Records']), 1)
        self.assertGreater(took, 0.75)
        self.clear()
        self.add_rule('slow-close', {'ms': 3000}, match={'operation': 'GetRecords'})
        client = self.client(attempts=1, read_timeout=1)
        it = self.iterator(name, client)
        with self.assertRaises(ReadTimeoutError):
            client.get_records(ShardIterator=it)

    def test_mid_body_reset_after_a_put_stores_the_record_and_the_retry_stores_it_again(self):
        name = unique_name('wire')
        create_stream(self.kinesis, name, shard_count=1)
        self.add_rule('connection-reset', {'when': 'mid-body', 'after_bytes': 10}, count=1,
                      match={'operation': 'PutRecord', 'stream': name})
        client = self.client(attempts=3)
        out = client.put_record(StreamName=name, Data=b'once', PartitionKey='k')
        self.assertEqual(out['ResponseMetadata']['RetryAttempts'], 1)
        # the first attempt ran before its answer was cut: at-least-once, as on AWS after a lost answer
        self.assertEqual([r['Data'] for r in read_shard(self.kinesis, name, shard_id(0))], [b'once', b'once'])

    def test_mid_body_reset_without_retries_is_a_closed_connection(self):
        name = self.stream_with_records(n=2)
        self.add_rule('connection-reset', {'when': 'mid-body'}, match={'operation': 'GetRecords'})
        client = self.client(attempts=1)
        it = self.iterator(name, client)
        with self.assertRaises(ConnectionClosedError):
            client.get_records(ShardIterator=it)
        # on the socket: half an answer, then a TCP RST (not an orderly FIN)
        body = json.dumps({'ShardIterator': self.iterator(name)}).encode()
        headers = sign_headers(self.emu.port, body, target='Kinesis_20131202.GetRecords')
        request = b'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n' + b''.join(
            ('%s: %s\r\n' % (k, v)).encode() for k, v in headers.items()) + b'Content-Length: %d\r\n\r\n' % len(body)
        received = b''
        with socket.create_connection(('127.0.0.1', self.emu.port), timeout=10) as s:
            s.sendall(request + body)
            with self.assertRaises(ConnectionResetError):
                while True:
                    chunk = s.recv(65536)
                    self.assertTrue(chunk, 'an orderly close after %d bytes, not a reset' % len(received))
                    received += chunk
        self.assertIn(b'HTTP/1.1 200', received)
        self.assertLess(len(received.split(b'\r\n\r\n', 1)[1]),
                        int(received.split(b'Content-Length: ', 1)[1].split(b'\r\n', 1)[0]))

    def test_rules_match_like_any_other(self):
        name = self.stream_with_records(n=1)
        other = self.stream_with_records(n=1)
        rule = self.add_rule('stall', {'ms': 1000}, match={'operation': 'GetRecords', 'stream': name}, after=1,
                             count=1)
        _, first = self.timed(lambda: self.kinesis.get_records(ShardIterator=self.iterator(name)))
        _, other_stream = self.timed(lambda: self.kinesis.get_records(ShardIterator=self.iterator(other)))
        _, second = self.timed(lambda: self.kinesis.get_records(ShardIterator=self.iterator(name)))
        _, third = self.timed(lambda: self.kinesis.get_records(ShardIterator=self.iterator(name)))
        self.assertLess(first, 0.5)
        self.assertLess(other_stream, 0.5)
        self.assertGreater(second, 0.9)
        self.assertLess(third, 0.5)
        r = self.admin_json('GET', 'faults/' + rule['id'])
        self.assertEqual((r['hits'], r['fired']), (3, 1))


class TlsTest(WireFaultBase):
    """The same faults over TLS: the shaping is above the transport, the reset is the TCP connection's."""

    emulator_args = ('--tls',)

    def admin_json(self, method, path, body=None, expect=200):
        conn = http.client.HTTPSConnection('127.0.0.1', self.emu.port, timeout=10,
                                           context=ssl.create_default_context(cafile=self.emu.tls_cert))
        resp = self.emu.admin(method, path, body, connection=conn)
        conn.close()
        self.assertEqual(resp.status, expect, '%s %s %r -> %r' % (method, path, body, resp))
        return resp.json() if resp.body else None

    def test_slicer_and_reset_over_tls(self):
        client = self.client(attempts=1, verify=self.emu.tls_cert)
        name = unique_name('wtls')
        create_stream(client, name, shard_count=1)
        client.put_record(StreamName=name, Data=b'z' * 2000, PartitionKey='k')
        it = lambda: self.iterator(name, client)  # noqa: E731
        self.add_rule('slicer', {'bytes': 200, 'delay_ms': 20}, match={'operation': 'GetRecords'}, count=1)
        out, took = self.timed(lambda: client.get_records(ShardIterator=it()))
        self.assertEqual(out['Records'][0]['Data'], b'z' * 2000)
        self.assertGreater(took, 0.2)
        self.add_rule('connection-reset', {'when': 'mid-body'}, match={'operation': 'GetRecords'}, count=1)
        with self.assertRaises(ConnectionClosedError):
            client.get_records(ShardIterator=it())
        self.add_rule('bandwidth', {'bytes_per_second': 2000}, match={'operation': 'GetRecords'}, count=1)
        out, took = self.timed(lambda: client.get_records(ShardIterator=it()))
        self.assertEqual(out['Records'][0]['Data'], b'z' * 2000)
        self.assertGreater(took, 1.0)


@unittest.skipUnless(CURL, 'curl is needed for HTTP/2')
class Http2Test(WireFaultBase):
    """Over HTTP/2 (curl, prior knowledge): the shaping applies to DATA frames; a mid-body reset is RST_STREAM
    INTERNAL_ERROR (curl exit 92) or, with http2=goaway, GOAWAY INTERNAL_ERROR and the connection's end."""

    def curl(self, name, extra=()):
        body = json.dumps({'ShardIterator': self.iterator(name)})
        headers = sign_headers(self.emu.port, body.encode(), target='Kinesis_20131202.GetRecords')
        cmd = [CURL, '-sS', '--http2-prior-knowledge', '-o', '-', '-w', '\n%{http_code} %{http_version}',
               '--max-time', '20', '-X', 'POST', '--data-binary', body] + list(extra)
        for k, v in headers.items():
            cmd += ['-H', '%s: %s' % (k, v)]
        cmd.append(self.emu.endpoint + '/')
        start = time.monotonic()
        out = subprocess.run(cmd, capture_output=True, timeout=30)
        return out, time.monotonic() - start

    def test_shaping_over_http2(self):
        name = self.stream_with_records(n=4)
        cases = [('bandwidth', {'bytes_per_second': 5000}, 0.8), ('slicer', {'bytes': 256, 'delay_ms': 10}, 0.1),
                 ('stall', {'ms': 700}, 0.65), ('slow-close', {'ms': 700}, 0.65)]
        for plugin, params, at_least in cases:
            with self.subTest(plugin):
                self.clear()
                self.add_rule(plugin, params, match={'operation': 'GetRecords'})
                out, took = self.curl(name)
                self.assertEqual(out.returncode, 0, out.stderr)
                payload, status = out.stdout.rsplit(b'\n', 1)
                self.assertEqual(status, b'200 2')
                self.assertEqual(len(json.loads(payload)['Records']), 4)
                self.assertGreater(took, at_least)

    def test_mid_body_reset_is_rst_stream_or_goaway(self):
        name = self.stream_with_records(n=4)
        self.add_rule('connection-reset', {'when': 'mid-body'}, match={'operation': 'GetRecords'})
        out, _ = self.curl(name, ['-v'])
        self.assertEqual(out.returncode, 92, out.stderr[-2000:])  # CURLE_HTTP2_STREAM: the stream was reset
        self.assertRegex(out.stderr, rb'INTERNAL_ERROR|was not closed cleanly|err 2')
        self.clear()
        self.add_rule('connection-reset', {'when': 'mid-body', 'http2': 'goaway'}, match={'operation': 'GetRecords'})
        out, _ = self.curl(name, ['-v'])
        self.assertNotEqual(out.returncode, 0)
        self.assertRegex(out.stderr, rb'GOAWAY|goaway|INTERNAL_ERROR|Connection died|closed|reset')
        with self.assertRaises(ValueError):  # half a body
            json.loads(out.stdout.rsplit(b'\n', 1)[0])
        # the server keeps serving
        self.clear()
        out, _ = self.curl(name)
        self.assertEqual(out.returncode, 0, out.stderr)


class SubscribeToShardTest(WireFaultBase):
    """Per-event wire faults on boto3's SubscribeToShard event stream (HTTP/1.1, chunked): `after` lets events
    pass, the fault applies from the event it fired on."""

    def setUp(self):
        super().setUp()
        self.name = unique_name('wsub')
        create_stream(self.kinesis, self.name, shard_count=1)
        self.consumer = self.kinesis.register_stream_consumer(
            StreamARN=stream_arn(self.name), ConsumerName='c')['Consumer']['ConsumerARN']
        self.sub_client = self.emu.client()

    def subscribe(self, **position):
        sub = Subscriber(self.sub_client, ConsumerARN=self.consumer, ShardId=shard_id(0),
                         StartingPosition=position or {'Type': 'TRIM_HORIZON'})
        self.addCleanup(sub.close)
        return sub

    def put(self, data):
        return self.kinesis.put_record(StreamName=self.name, Data=data, PartitionKey='k')['SequenceNumber']

    def test_slicer_and_bandwidth_deliver_every_event_intact(self):
        for plugin, params in (('slicer', {'bytes': 7, 'delay_ms': 2}), ('bandwidth', {'bytes_per_second': 20000})):
            with self.subTest(plugin):
                self.clear()
                rule = self.add_rule(plugin, params, match={'operation': 'SubscribeToShard', 'stream': self.name},
                                     count=1)
                sub = self.subscribe(Type='LATEST')
                sub.event()
                sent = [b'%s-%d-' % (plugin.encode(), i) + b'p' * 3000 for i in range(4)]
                for d in sent:
                    self.put(d)
                got, _ = sub.records(4, timeout=20)
                self.assertEqual([r['Data'] for r in got], sent)
                self.assertEqual(self.admin_json('GET', 'faults/' + rule['id'])['fired'], 1)
                sub.close()

    def test_reset_mid_event_ends_the_stream_and_resubscribing_loses_nothing(self):
        first = self.put(b'r0')
        self.add_rule('connection-reset', {'when': 'mid-body'}, after=1, count=1,
                      match={'operation': 'SubscribeToShard'})
        sub = self.subscribe(Type='AT_SEQUENCE_NUMBER', SequenceNumber=first)
        got, event = sub.records(1)
        self.assertEqual([r['Data'] for r in got], [b'r0'])
        continuation = event['ContinuationSequenceNumber']
        self.put(b'r1')  # its event is cut in the middle
        kind, value = sub.next(timeout=10)
        self.assertEqual(kind, 'error', value)
        # botocore reports the cut event stream as a protocol error from urllib3
        self.assertRegex(type(value).__name__, 'ProtocolError|IncompleteRead|ConnectionError|ReadTimeout|Response')
        sub2 = self.subscribe(Type='AFTER_SEQUENCE_NUMBER', SequenceNumber=continuation)
        got, _ = sub2.records(1)
        self.assertEqual([r['Data'] for r in got], [b'r1'])

    def test_reset_before_an_event_ends_the_stream(self):
        self.add_rule('connection-reset', after=1, count=1, match={'operation': 'SubscribeToShard'})
        sub = self.subscribe(Type='LATEST')
        sub.event()
        self.put(b'lost-then-found')
        kind, value = sub.next(timeout=10)
        self.assertEqual(kind, 'error', value)

    def test_stall_holds_events_back_until_the_rule_goes(self):
        rule = self.add_rule('stall', {'after_bytes': 0}, after=1, count=1, match={'operation': 'SubscribeToShard'})
        sub = self.subscribe(Type='LATEST')
        sub.event()
        self.put(b'held')
        with self.assertRaises(AssertionError):
            sub.event(timeout=1.5)  # nothing arrives, and the connection stays open
        self.admin_json('DELETE', 'faults/' + rule['id'], expect=204)
        got, _ = sub.records(1, timeout=10)
        self.assertEqual([r['Data'] for r in got], [b'held'])

    def test_slow_close_holds_the_streams_end_back(self):
        self.add_rule('slow-close', {'ms': 1500}, count=1, match={'operation': 'SubscribeToShard'})
        sub = self.subscribe(Type='LATEST')
        sub.event()
        # five minutes of clock time end the subscription; its end comes 1.5 s late
        self.admin_json('POST', 'clock', {'advance_ms': 5 * 60 * 1000 + 1000})
        start = time.monotonic()
        while True:
            kind, _ = sub.next(timeout=10)
            if kind != 'event':
                break
        self.assertEqual(kind, 'end')
        self.assertGreater(time.monotonic() - start, 1.3)


if __name__ == '__main__':
    unittest.main()
