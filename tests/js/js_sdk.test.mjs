// The AWS SDK for JavaScript v3 against kinesis-emulator. The Kinesis client sends every call over HTTP/2
// (h2c with prior knowledge on an http:// endpoint), which is why kinesalite cannot serve it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import http2 from 'node:http2';
import {
  KinesisClient, CreateStreamCommand, DescribeStreamSummaryCommand, PutRecordCommand, PutRecordsCommand,
  ListShardsCommand, GetShardIteratorCommand, GetRecordsCommand, ResourceNotFoundException,
  RegisterStreamConsumerCommand, SubscribeToShardCommand,
} from '@aws-sdk/client-kinesis';

let emulator;
let endpoint;
let client;

before(async () => {
  emulator = spawn(process.env.KEMU_BINARY, ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: emulator.stdout });
  endpoint = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('emulator did not start')), 10000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line.match(/ready on (http:\/\/\S+)/)[1]);
    });
  });
  client = new KinesisClient({
    endpoint, region: 'us-east-1', maxAttempts: 1,
    credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' },
  });
});

after(() => {
  client?.destroy();
  emulator?.kill('SIGTERM');
});

async function calls() {
  const res = await fetch(`${endpoint}/_emulator/calls?limit=1000`);
  return (await res.json()).calls;
}

test('create, put, list shards and read back over HTTP/2', async () => {
  await client.send(new CreateStreamCommand({ StreamName: 'js', ShardCount: 2 }));
  const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'js' }));
  assert.equal(summary.StreamDescriptionSummary.StreamStatus, 'ACTIVE');
  assert.equal(summary.StreamDescriptionSummary.OpenShardCount, 2);
  assert.ok(summary.StreamDescriptionSummary.StreamCreationTimestamp instanceof Date);

  const put = await client.send(new PutRecordCommand({
    StreamName: 'js', PartitionKey: 'k', Data: new TextEncoder().encode('hello from js'),
  }));
  assert.match(put.ShardId, /^shardId-00000000000[01]$/);
  const batch = await client.send(new PutRecordsCommand({
    StreamName: 'js',
    Records: Array.from({ length: 50 }, (_, i) => ({ PartitionKey: `p${i}`, Data: new Uint8Array([i, 0, 255]) })),
  }));
  assert.equal(batch.FailedRecordCount, 0);
  assert.equal(batch.Records.length, 50);

  const { Shards } = await client.send(new ListShardsCommand({ StreamName: 'js' }));
  assert.equal(Shards.length, 2);
  let total = 0;
  let found = false;
  for (const shard of Shards) {
    const { ShardIterator } = await client.send(new GetShardIteratorCommand({
      StreamName: 'js', ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON',
    }));
    const got = await client.send(new GetRecordsCommand({ ShardIterator }));
    total += got.Records.length;
    assert.ok(got.NextShardIterator);
    for (const r of got.Records) {
      assert.ok(r.ApproximateArrivalTimestamp instanceof Date);
      if (new TextDecoder().decode(r.Data) === 'hello from js') found = true;
    }
  }
  assert.equal(total, 51);
  assert.ok(found);

  const seen = (await calls()).filter((c) => c.stream === 'js');
  assert.ok(seen.length >= 7);
  for (const c of seen) assert.equal(c.http_version, '2', `${c.operation} went over HTTP/${c.http_version}`);
});

test('errors arrive as the modeled exception over HTTP/2', async () => {
  await assert.rejects(
    client.send(new DescribeStreamSummaryCommand({ StreamName: 'missing' })),
    (e) => e instanceof ResourceNotFoundException && e.$metadata.httpStatusCode === 400 &&
      e.message === 'Stream missing under account 000000000000 not found.',
  );
});

test('SubscribeToShard pushes records put after subscribing over one HTTP/2 stream', { timeout: 30000 }, async () => {
  await client.send(new CreateStreamCommand({ StreamName: 'js-efo', ShardCount: 1 }));
  const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'js-efo' }));
  const { Consumer } = await client.send(new RegisterStreamConsumerCommand({
    StreamARN: StreamDescriptionSummary.StreamARN, ConsumerName: 'js',
  }));
  const sub = await client.send(new SubscribeToShardCommand({
    ConsumerARN: Consumer.ConsumerARN, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'LATEST' },
  }));
  const stream = sub.EventStream[Symbol.asyncIterator]();
  // Subscription events only (an SDK that does not consume the initial-response hands it over as $unknown).
  const events = {
    async next() {
      for (;;) {
        const item = await stream.next();
        if (item.done || item.value.SubscribeToShardEvent) return item;
      }
    },
    return: () => stream.return(),
  };
  const first = await events.next();  // the first event comes at once, with no records
  assert.equal(first.done, false);
  assert.deepEqual(first.value.SubscribeToShardEvent.Records, []);

  const sent = ['one', 'two', 'three'];
  for (const text of sent) {
    await client.send(new PutRecordCommand({ StreamName: 'js-efo', PartitionKey: 'k', Data: new TextEncoder().encode(text) }));
  }
  const received = [];
  let last;
  while (received.length < sent.length) {
    const { value, done } = await events.next();
    assert.equal(done, false);
    last = value.SubscribeToShardEvent;
    for (const r of last.Records) received.push(new TextDecoder().decode(r.Data));
  }
  assert.deepEqual(received, sent);
  assert.match(last.ContinuationSequenceNumber, /^\d+$/);
  assert.equal(last.MillisBehindLatest, 0);
  await events.return();

  const subscribe = (await calls()).filter((c) => c.operation === 'SubscribeToShard');
  assert.equal(subscribe.length, 1);
  assert.equal(subscribe[0].http_version, '2');
});

// Messages of an application/vnd.amazon.eventstream buffer: [{ headers, payload }] and the incomplete rest.
function decodeEventStream(buffer) {
  const messages = [];
  while (buffer.length >= 12 && buffer.length >= buffer.readUInt32BE(0)) {
    const total = buffer.readUInt32BE(0);
    const headersEnd = 12 + buffer.readUInt32BE(4);
    const headers = {};
    for (let at = 12; at < headersEnd;) {
      const nameLength = buffer[at];
      const name = buffer.toString('utf8', at + 1, at + 1 + nameLength);
      const valueLength = buffer.readUInt16BE(at + 2 + nameLength);
      headers[name] = buffer.toString('utf8', at + 4 + nameLength, at + 4 + nameLength + valueLength);
      at += 4 + nameLength + valueLength;
    }
    messages.push({ headers, payload: buffer.subarray(headersEnd, total - 4) });
    buffer = buffer.subarray(total);
  }
  return { messages, rest: buffer };
}

test('a subscription does not hold up the other streams of its HTTP/2 connection', { timeout: 30000 }, async () => {
  await client.send(new CreateStreamCommand({ StreamName: 'js-mux', ShardCount: 1 }));
  const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'js-mux' }));
  const { Consumer } = await client.send(new RegisterStreamConsumerCommand({
    StreamARN: StreamDescriptionSummary.StreamARN, ConsumerName: 'mux',
  }));
  const session = http2.connect(endpoint);
  const headers = (operation) => ({
    ':method': 'POST', ':path': '/', 'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `Kinesis_20131202.${operation}`, 'x-amz-date': '20260101T000000Z',
    authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/us-east-1/kinesis/aws4_request, ' +
      'SignedHeaders=host;x-amz-date, Signature=00',
  });
  const call = (operation, body) => new Promise((resolve, reject) => {
    const req = session.request(headers(operation));
    let status;
    let data = '';
    req.setEncoding('utf8');
    req.on('response', (h) => { status = h[':status']; });
    req.on('data', (d) => { data += d; });
    req.on('end', () => resolve({ status, body: data }));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });

  const sub = session.request(headers('SubscribeToShard'));
  sub.end(JSON.stringify({
    ConsumerARN: Consumer.ConsumerARN, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'LATEST' },
  }));
  const received = [];
  let subscribed;
  const started = new Promise((resolve) => { subscribed = resolve; });
  const allReceived = new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    sub.on('error', reject);
    sub.on('data', (chunk) => {
      const { messages, rest } = decodeEventStream(Buffer.concat([buffer, chunk]));
      buffer = rest;
      for (const m of messages) {
        if (m.headers[':event-type'] !== 'SubscribeToShardEvent') continue;
        subscribed();
        for (const r of JSON.parse(m.payload.toString('utf8')).Records) {
          received.push(Buffer.from(r.Data, 'base64').toString('utf8'));
        }
        if (received.length >= 5) resolve();
      }
    });
  });
  await started;
  // Short requests on the same connection are answered while the subscription stream stays open.
  for (let i = 0; i < 5; i++) {
    const put = await call('PutRecord', {
      StreamName: 'js-mux', PartitionKey: 'k', Data: Buffer.from(`m${i}`).toString('base64'),
    });
    assert.equal(put.status, 200, put.body);
    const list = await call('ListShards', { StreamName: 'js-mux' });
    assert.equal(list.status, 200, list.body);
  }
  await allReceived;
  assert.deepEqual(received, ['m0', 'm1', 'm2', 'm3', 'm4']);
  sub.close();
  session.close();
});
