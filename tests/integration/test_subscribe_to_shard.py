"""SubscribeToShard (enhanced fan-out push) through boto3 over HTTP/1.1, and through a raw CBOR client.

boto3's subscribe_to_shard returns an EventStream that it decodes from the chunked
application/vnd.amazon.eventstream body; each test reads it on a thread so that a hang is a failure, not a
stuck suite."""

import base64
import http.client
import json
import os
import queue
import shutil
import struct
import subprocess
import threading
import time
import unittest
import zlib

from botocore.exceptions import ClientError, EventStreamError

import cbor_codec
from emulator_process import (EmulatorProcess, EmulatorTestCase, create_stream, shard_id, sleep_past_second_boundary,
                              stream_arn, unique_name)

MID_HASH_KEY = str(2 ** 127)


class Subscriber:
    """One SubscribeToShard call; a thread moves its events (or its end, or its error) onto a queue."""

    def __init__(self, client, **kwargs):
        self.response = client.subscribe_to_shard(**kwargs)
        self.stream = self.response['EventStream']
        self.items = queue.Queue()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        try:
            for event in self.stream:
                self.items.put(('event', event))
            self.items.put(('end', None))
        except Exception as e:  # noqa: BLE001 - handed to the test
            self.items.put(('error', e))

    def next(self, timeout=10):
        """('event', {...SubscribeToShardEvent...}) / ('end', None) / ('error', exception)."""
        try:
            kind, value = self.items.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError('no event within %s s' % timeout)
        if kind == 'event':
            return kind, value['SubscribeToShardEvent']
        return kind, value

    def event(self, timeout=10):
        kind, value = self.next(timeout)
        if kind != 'event':
            raise AssertionError('expected an event, got %s %r' % (kind, value))
        return value

    def records(self, n, timeout=10):
        """Events until n records arrived; returns (records, last event)."""
        got, event = [], None
        deadline = time.monotonic() + timeout
        while len(got) < n:
            event = self.event(max(0.1, deadline - time.monotonic()))
            got += event['Records']
        return got, event

    def close(self):
        self.stream.close()
        self.thread.join(timeout=10)


class SubscribeToShardTest(EmulatorTestCase):

    def setUp(self):
        self.name = unique_name('sub')
        create_stream(self.kinesis, self.name, shard_count=1)
        self.arn = stream_arn(self.name)
        self.consumer = self.register('app')
        self.client = self.emu.client()  # subscriptions hold their connection for minutes

    def register(self, name):
        return self.kinesis.register_stream_consumer(StreamARN=self.arn, ConsumerName=name)['Consumer']['ConsumerARN']

    def subscribe(self, position, consumer=None, shard=None, **extra):
        if isinstance(position, str):
            position = {'Type': position}
        sub = Subscriber(self.client, ConsumerARN=consumer or self.consumer, ShardId=shard or shard_id(0),
                         StartingPosition=dict(position, **extra))
        self.addCleanup(sub.close)
        return sub

    def put(self, data, key='k', **kw):
        return self.kinesis.put_record(StreamName=self.name, Data=data, PartitionKey=key, **kw)

    def admin_json(self, method, path, body=None, expect=200):
        resp = self.emu.admin(method, path, body)
        self.assertEqual(resp.status, expect, '%s %s %r -> %r' % (method, path, body, resp))
        return resp.json() if resp.body else None

    def add_fault(self, plugin, **fields):
        self.addCleanup(self.admin_json, 'DELETE', 'faults', None, 204)
        return self.admin_json('POST', 'faults', dict(fields, plugin=plugin), expect=201)

    # -- delivery ------------------------------------------------------------------------------

    def test_records_before_and_after_subscribing_arrive_in_order(self):
        before = [self.put(b'before-%d' % i)['SequenceNumber'] for i in range(3)]
        sub = self.subscribe('TRIM_HORIZON')
        first, _ = sub.records(3)
        self.assertEqual([r['Data'] for r in first], [b'before-0', b'before-1', b'before-2'])
        self.assertEqual([r['SequenceNumber'] for r in first], before)
        after = [self.put(b'after-%d' % i)['SequenceNumber'] for i in range(3)]
        second, last = sub.records(3)
        self.assertEqual([r['Data'] for r in second], [b'after-0', b'after-1', b'after-2'])
        self.assertEqual([r['SequenceNumber'] for r in second], after)
        self.assertEqual(last['ContinuationSequenceNumber'], after[-1])
        self.assertEqual(last['MillisBehindLatest'], 0)
        self.assertEqual(second[0]['PartitionKey'], 'k')
        self.assertIn('ApproximateArrivalTimestamp', second[0])
        self.assertNotIn('ChildShards', last)

    def test_every_starting_position(self):
        seqs = [self.put(b'r0')['SequenceNumber']]
        boundary = sleep_past_second_boundary()
        seqs += [self.put(b'r%d' % i)['SequenceNumber'] for i in (1, 2)]
        cases = [
            ('TRIM_HORIZON', {}, [b'r0', b'r1', b'r2']),
            ('AT_SEQUENCE_NUMBER', {'SequenceNumber': seqs[1]}, [b'r1', b'r2']),
            ('AFTER_SEQUENCE_NUMBER', {'SequenceNumber': seqs[1]}, [b'r2']),
            ('AT_TIMESTAMP', {'Timestamp': boundary}, [b'r1', b'r2']),
        ]
        for i, (kind, extra, expected) in enumerate(cases):
            with self.subTest(kind=kind):
                sub = self.subscribe(kind, consumer=self.register('pos%d' % i), **extra)
                got, _ = sub.records(len(expected))
                self.assertEqual([r['Data'] for r in got], expected)
        latest = self.subscribe('LATEST', consumer=self.register('latest'))
        self.assertEqual(latest.event()['Records'], [])  # the first event comes at once, empty
        self.put(b'r3')
        got, _ = latest.records(1)
        self.assertEqual([r['Data'] for r in got], [b'r3'])

    def test_resubscribing_after_the_continuation_number_misses_nothing(self):
        self.put(b'a')
        sub = self.subscribe('TRIM_HORIZON')
        _, event = sub.records(1)
        sub.close()
        self.put(b'b')
        again = self.subscribe('AFTER_SEQUENCE_NUMBER', SequenceNumber=event['ContinuationSequenceNumber'])
        got, _ = again.records(1)
        self.assertEqual([r['Data'] for r in got], [b'b'])

    def test_idle_subscription_gets_an_empty_event_about_every_five_seconds(self):
        sub = self.subscribe('LATEST')
        first = sub.event()
        self.assertEqual(first['Records'], [])
        start = time.monotonic()
        heartbeat = sub.event(timeout=8)
        elapsed = time.monotonic() - start
        self.assertEqual(heartbeat['Records'], [])
        self.assertGreater(elapsed, 3.5)
        self.assertLess(elapsed, 7.0)
        # The continuation number moves on with time even without records, and resuming after it misses nothing.
        self.assertRegex(heartbeat['ContinuationSequenceNumber'], r'^\d+$')
        resumed = self.subscribe('AFTER_SEQUENCE_NUMBER', consumer=self.register('resume'),
                                 SequenceNumber=heartbeat['ContinuationSequenceNumber'])
        self.put(b'later')
        got, _ = resumed.records(1)
        self.assertEqual([r['Data'] for r in got], [b'later'])

    # -- shard end -----------------------------------------------------------------------------

    def test_split_shard_ends_the_subscription_with_child_shards(self):
        self.put(b'a')
        sub = self.subscribe('TRIM_HORIZON')
        sub.records(1)
        self.kinesis.split_shard(StreamName=self.name, ShardToSplit=shard_id(0), NewStartingHashKey=MID_HASH_KEY)
        kind, event = sub.next()
        while kind == 'event' and 'ChildShards' not in event:
            kind, event = sub.next()
        self.assertEqual(kind, 'event', event)
        self.assertNotIn('ContinuationSequenceNumber', event)
        self.assertEqual(sorted(c['ShardId'] for c in event['ChildShards']), [shard_id(1), shard_id(2)])
        self.assertEqual(event['ChildShards'][0]['ParentShards'], [shard_id(0)])
        self.assertEqual(sub.next(), ('end', None))
        # LATEST on the closed shard gets the shard-end event again.
        again = self.subscribe('LATEST', consumer=self.register('restart'))
        self.assertIn('ChildShards', again.event())
        self.assertEqual(again.next(), ('end', None))

    def test_split_shard_fault_reaches_the_subscriber_as_shard_end(self):
        self.put(b'a')
        self.add_fault('split-shard', match={'stream': self.name, 'operation': 'SubscribeToShard'}, count=1)
        sub = self.subscribe('TRIM_HORIZON')
        got, event = sub.records(1)
        self.assertEqual([r['Data'] for r in got], [b'a'])
        self.assertEqual(len(event['ChildShards']), 2)
        self.assertNotIn('ContinuationSequenceNumber', event)
        self.assertEqual(sub.next(), ('end', None))
        self.assertEqual(len(self.kinesis.list_shards(StreamName=self.name)['Shards']), 3)

    # -- errors --------------------------------------------------------------------------------

    def test_second_subscription_for_the_same_consumer_and_shard_is_in_use(self):
        sub = self.subscribe('LATEST')
        sub.event()
        self.assertAwsError(self.client.subscribe_to_shard, 'ResourceInUseException', ConsumerARN=self.consumer,
                            ShardId=shard_id(0), StartingPosition={'Type': 'LATEST'})
        # Another consumer of the same shard is independent.
        other = self.subscribe('LATEST', consumer=self.register('other'))
        other.event()
        # Once the first one is closed, the consumer may subscribe again.
        sub.close()
        deadline = time.monotonic() + 5
        while True:
            try:
                again = Subscriber(self.client, ConsumerARN=self.consumer, ShardId=shard_id(0),
                                   StartingPosition={'Type': 'LATEST'})
                break
            except ClientError as e:
                if e.response['Error']['Code'] != 'ResourceInUseException' or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.addCleanup(again.close)
        again.event()

    def test_unknown_consumer_shard_and_bad_positions(self):
        self.assertAwsError(self.client.subscribe_to_shard, 'ResourceNotFoundException',
                            ConsumerARN=self.arn + '/consumer/nobody:1', ShardId=shard_id(0),
                            StartingPosition={'Type': 'LATEST'})
        self.assertAwsError(self.client.subscribe_to_shard, 'ResourceNotFoundException',
                            ConsumerARN=self.consumer, ShardId=shard_id(7), StartingPosition={'Type': 'LATEST'})
        self.assertAwsError(self.client.subscribe_to_shard, 'InvalidArgumentException', ConsumerARN=self.consumer,
                            ShardId=shard_id(0), StartingPosition={'Type': 'AT_SEQUENCE_NUMBER'})
        self.assertAwsError(self.client.subscribe_to_shard, 'InvalidArgumentException', ConsumerARN=self.consumer,
                            ShardId=shard_id(0),
                            StartingPosition={'Type': 'AT_TIMESTAMP', 'Timestamp': time.time() + 3600})
        self.assertAwsError(self.emu.client(validate=False).subscribe_to_shard, 'ValidationException',
                            ConsumerARN=self.consumer, ShardId='bad shard', StartingPosition={'Type': 'LATEST'})

    def test_kms_failure_reaches_the_subscriber_as_an_exception_event(self):
        self.kinesis.start_stream_encryption(StreamName=self.name, EncryptionType='KMS', KeyId='alias/aws/kinesis')
        self.put(b'secret')
        rule = self.add_fault('kms-failure', match={'stream': self.name, 'operation': 'SubscribeToShard'},
                              params={'error': 'KMSThrottlingException'})
        sub = self.subscribe('TRIM_HORIZON')
        kind, error = sub.next()
        self.assertEqual(kind, 'error', error)
        self.assertIsInstance(error, EventStreamError)
        self.assertEqual(error.response['Error']['Code'], 'KMSThrottlingException')
        self.assertIn('throttling', error.response['Error']['Message'])
        self.assertGreaterEqual(self.admin_json('GET', 'faults/' + rule['id'])['fired'], 1)
        # Without the fault the encrypted records arrive decrypted.
        self.admin_json('DELETE', 'faults', None, 204)
        deadline = time.monotonic() + 5
        while True:
            try:
                ok = self.subscribe('TRIM_HORIZON')
                break
            except ClientError as e:
                if e.response['Error']['Code'] != 'ResourceInUseException' or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        got, _ = ok.records(1)
        self.assertEqual(got[0]['Data'], b'secret')
        self.assertEqual(got[0]['EncryptionType'], 'KMS')

    def test_unmodeled_fault_arrives_as_an_error_message(self):
        # LimitExceededException is not an exception of the event stream's model: an `error` message carries it.
        self.add_fault('throttle', match={'stream': self.name, 'operation': 'SubscribeToShard'})
        sub = self.subscribe('LATEST')
        kind, error = sub.next()
        self.assertEqual(kind, 'error', error)
        self.assertIsInstance(error, EventStreamError)
        self.assertEqual(error.response['Error']['Code'], 'LimitExceededException')
        self.assertIn('Rate exceeded', error.response['Error']['Message'])

    def test_deleting_the_stream_ends_the_subscription_with_resource_not_found(self):
        sub = self.subscribe('LATEST')
        sub.event()
        self.kinesis.delete_stream(StreamName=self.name, EnforceConsumerDeletion=True)
        kind, error = sub.next()
        self.assertEqual(kind, 'error', error)
        self.assertEqual(error.response['Error']['Code'], 'ResourceNotFoundException')

    # -- the subscription's end ----------------------------------------------------------------

    def test_subscription_ends_after_five_minutes_of_clock_time(self):
        sub = self.subscribe('LATEST')
        sub.event()
        self.admin_json('POST', 'clock', {'advance_ms': 5 * 60 * 1000})
        start = time.monotonic()
        kind, value = sub.next(timeout=5)
        while kind == 'event':
            kind, value = sub.next(timeout=5)
        self.assertEqual(kind, 'end', value)
        self.assertLess(time.monotonic() - start, 2.0)
        # The consumer may subscribe again at once.
        self.subscribe('LATEST').event()


class PendingSplitSubscribeTest(EmulatorTestCase):
    """With --update-stream-ms, a subscriber of the parent keeps getting its records while the stream is UPDATING
    and gets the shard end (ChildShards) when the update completes, with nothing else happening on the stream."""

    emulator_args = ('--update-stream-ms', '60000')

    def test_the_shard_end_comes_when_the_update_completes(self):
        name = unique_name('pending')
        create_stream(self.kinesis, name, shard_count=1)
        arn = stream_arn(name)
        consumer = self.kinesis.register_stream_consumer(StreamARN=arn, ConsumerName='c')['Consumer']['ConsumerARN']
        client = self.emu.client()
        sub = Subscriber(client, ConsumerARN=consumer, ShardId=shard_id(0), StartingPosition={'Type': 'LATEST'})
        self.addCleanup(sub.close)
        sub.event()  # the first (empty) event: the subscription is live
        self.kinesis.split_shard(StreamName=name, ShardToSplit=shard_id(0), NewStartingHashKey=MID_HASH_KEY)
        self.kinesis.put_record(StreamName=name, Data=b'while updating', PartitionKey='k')
        got, event = sub.records(1)
        self.assertEqual([r['Data'] for r in got], [b'while updating'])
        self.assertNotIn('ChildShards', event)
        self.assertEqual(self.emu.admin('POST', '/_emulator/clock', {'advance_ms': 60000}).status, 200)
        # well before the 5 s heartbeat would look again
        kind, event = sub.next(timeout=2.5)
        while kind == 'event' and 'ChildShards' not in event:
            kind, event = sub.next(timeout=2.5)
        self.assertEqual(kind, 'event', event)
        self.assertEqual(sorted(c['ShardId'] for c in event['ChildShards']), [shard_id(1), shard_id(2)])
        self.assertNotIn('ContinuationSequenceNumber', event)
        self.assertEqual(sub.next(), ('end', None))


class ConsumerNotActiveTest(EmulatorTestCase):
    emulator_args = ('--register-consumer-ms', '60000')

    def test_creating_consumer_is_in_use(self):
        name = unique_name('sub')
        create_stream(self.kinesis, name, shard_count=1)
        arn = self.kinesis.register_stream_consumer(StreamARN=stream_arn(name), ConsumerName='slow')['Consumer'][
            'ConsumerARN']
        self.assertAwsError(self.kinesis.subscribe_to_shard, 'ResourceInUseException', ConsumerARN=arn,
                            ShardId=shard_id(0), StartingPosition={'Type': 'LATEST'},
                            # AWS's spacing (kinesis-hot-shard-advisor#37); the timestamp is in seconds.
                            message_regex=r'^Consumer slow with creation timestamp \d{10} under stream: %s , account '
                                          r'000000000000 is not in ACTIVE status\.$' % name)


def decode_event_stream(data):
    """Messages of an application/vnd.amazon.eventstream body: [(headers dict, payload)], CRCs checked."""
    out = []
    while data:
        total, headers_len, prelude_crc = struct.unpack('>III', data[:12])
        assert prelude_crc == zlib.crc32(data[:8]), 'prelude CRC'
        assert struct.unpack('>I', data[total - 4:total])[0] == zlib.crc32(data[:total - 4]), 'message CRC'
        h, headers = data[12:12 + headers_len], {}
        while h:
            n = h[0]
            name = h[1:1 + n].decode()
            assert h[1 + n] == 7, 'string header'
            (length,) = struct.unpack('>H', h[2 + n:4 + n])
            headers[name] = h[4 + n:4 + n + length].decode()
            h = h[4 + n + length:]
        out.append((headers, data[12 + headers_len:total - 4]))
        data = data[total:]
    return out


class CborSubscribeTest(EmulatorTestCase):

    def test_cbor_request_gets_cbor_events(self):
        name = unique_name('subcbor')
        create_stream(self.kinesis, name, shard_count=1)
        consumer = self.kinesis.register_stream_consumer(StreamARN=stream_arn(name), ConsumerName='java')[
            'Consumer']['ConsumerARN']
        self.kinesis.put_record(StreamName=name, Data=b'\x00\x01\xff', PartitionKey='k')
        body = cbor_codec.encode({'ConsumerARN': consumer, 'ShardId': shard_id(0),
                                 'StartingPosition': {'Type': 'TRIM_HORIZON'}}, indefinite=True)
        conn = http.client.HTTPConnection('127.0.0.1', self.emu.port, timeout=10)
        self.addCleanup(conn.close)
        conn.request('POST', '/', body=body, headers={
            'Content-Type': cbor_codec.CBOR_CONTENT_TYPE, 'X-Amz-Target': 'Kinesis_20131202.SubscribeToShard',
            'X-Amz-Date': '20260101T000000Z',
            'Authorization': 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/us-east-1/kinesis/aws4_request, '
                             'SignedHeaders=host;x-amz-date, Signature=00'})
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader('Content-Type'), 'application/vnd.amazon.eventstream')
        self.assertEqual(resp.getheader('Transfer-Encoding'), 'chunked')
        self.assertTrue(resp.getheader('x-amzn-RequestId'))
        data = b''
        messages = []
        while len(messages) < 2:
            chunk = resp.read1(65536)
            self.assertTrue(chunk, 'stream ended early')
            data += chunk
            try:
                messages = decode_event_stream(data)
            except (AssertionError, struct.error, IndexError):
                continue  # a message is still incomplete
        (h0, p0), (h1, p1) = messages[:2]
        self.assertEqual(h0[':event-type'], 'initial-response')
        self.assertEqual(h1[':message-type'], 'event')
        self.assertEqual(h1[':event-type'], 'SubscribeToShardEvent')
        self.assertEqual(h1[':content-type'], cbor_codec.CBOR_CONTENT_TYPE)
        event = cbor_codec.decode(p1)
        self.assertEqual(len(event['Records']), 1)
        record = event['Records'][0]
        self.assertEqual(record['Data'], b'\x00\x01\xff')  # a byte string, not base64
        self.assertIsInstance(record['ApproximateArrivalTimestamp'], cbor_codec.Tag)
        self.assertEqual(record['ApproximateArrivalTimestamp'].tag, 1)
        self.assertGreater(record['ApproximateArrivalTimestamp'].value, 10 ** 12)  # milliseconds
        self.assertEqual(event['ContinuationSequenceNumber'], record['SequenceNumber'])


class TlsSubscribeTest(EmulatorTestCase):
    """Over TLS, events must leave at once even though the TLS transport batches small writes."""
    emulator_args = ('--tls',)

    def setUp(self):
        self.name = unique_name('subtls')
        create_stream(self.kinesis, self.name, shard_count=1)
        self.arn = stream_arn(self.name)

    def consumer(self, name):
        return self.kinesis.register_stream_consumer(StreamARN=self.arn, ConsumerName=name)['Consumer']['ConsumerARN']

    def test_boto3_over_https(self):
        sub = Subscriber(self.emu.client(), ConsumerARN=self.consumer('h1'), ShardId=shard_id(0),
                         StartingPosition={'Type': 'LATEST'})
        self.addCleanup(sub.close)
        self.assertEqual(sub.event()['Records'], [])
        for i in range(3):
            start = time.monotonic()
            self.kinesis.put_record(StreamName=self.name, Data=b'tls-%d' % i, PartitionKey='k')
            got, _ = sub.records(1, timeout=5)
            self.assertEqual([r['Data'] for r in got], [b'tls-%d' % i])
            self.assertLess(time.monotonic() - start, 2.0)

    @unittest.skipIf(shutil.which('curl') is None, 'no curl')
    def test_http2_over_tls_with_curl(self):
        body = json.dumps({'ConsumerARN': self.consumer('h2'), 'ShardId': shard_id(0),
                           'StartingPosition': {'Type': 'LATEST'}})
        curl = subprocess.Popen(
            ['curl', '-sS', '-N', '--http2', '--cacert', self.emu.tls_cert, '-X', 'POST', self.emu.endpoint + '/',
             '-H', 'Content-Type: application/x-amz-json-1.1', '-H', 'X-Amz-Target: Kinesis_20131202.SubscribeToShard',
             '-H', 'X-Amz-Date: 20260101T000000Z',
             '-H', 'Authorization: AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/us-east-1/kinesis/aws4_request, '
                   'SignedHeaders=host;x-amz-date, Signature=00',
             '--data-binary', body], stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
        self.addCleanup(lambda: (curl.kill(), curl.wait(5)))
        events = queue.Queue()

        def reader():
            data = b''
            while True:
                chunk = os.read(curl.stdout.fileno(), 65536)
                if not chunk:
                    events.put(None)
                    return
                data += chunk
                while len(data) >= 12 and len(data) >= struct.unpack('>I', data[:4])[0]:
                    total = struct.unpack('>I', data[:4])[0]
                    for headers, payload in decode_event_stream(data[:total]):
                        events.put((headers, payload))
                    data = data[total:]

        threading.Thread(target=reader, daemon=True).start()

        def next_event():
            while True:
                item = events.get(timeout=10)
                self.assertIsNotNone(item, curl.stderr.read() if curl.poll() is not None else 'stream ended')
                if item[0].get(':event-type') == 'SubscribeToShardEvent':
                    return json.loads(item[1])

        self.assertEqual(next_event()['Records'], [])
        start = time.monotonic()
        self.kinesis.put_record(StreamName=self.name, Data=b'over-h2-tls', PartitionKey='k')
        records = []
        while not records:
            records = next_event()['Records']
        self.assertEqual(base64.b64decode(records[0]['Data']), b'over-h2-tls')
        self.assertLess(time.monotonic() - start, 2.0)


class ShutdownTest(unittest.TestCase):

    def test_sigterm_and_reset_end_live_subscriptions(self):
        with EmulatorProcess() as emu:
            client = emu.client()
            name = unique_name('subdown')
            create_stream(client, name, shard_count=1)
            consumer = client.register_stream_consumer(StreamARN=stream_arn(name), ConsumerName='c')['Consumer'][
                'ConsumerARN']
            sub = Subscriber(emu.client(), ConsumerARN=consumer, ShardId=shard_id(0),
                             StartingPosition={'Type': 'LATEST'})
            sub.event()
            self.assertEqual(emu.admin('POST', 'reset').status // 100, 2)
            kind, _ = sub.next(timeout=5)
            self.assertEqual(kind, 'end')

            create_stream(client, name, shard_count=1)
            consumer = client.register_stream_consumer(StreamARN=stream_arn(name), ConsumerName='c')['Consumer'][
                'ConsumerARN']
            subs = [Subscriber(emu.client(), ConsumerARN=consumer, ShardId=shard_id(0),
                               StartingPosition={'Type': 'LATEST'})]
            subs[0].event()
            start = time.monotonic()
            self.assertEqual(emu.stop(timeout=10), 0)
            self.assertLess(time.monotonic() - start, 5.0)
            kind, _ = subs[0].next(timeout=5)
            self.assertIn(kind, ('end', 'error'))


if __name__ == '__main__':
    unittest.main()
