// The AWS SDK for JavaScript v3 under the wire faults (bandwidth, slicer, stall, slow-close, connection-reset):
// what a PutRecord or GetRecords does with the SDK's retries on (maxAttempts 3, the default) and off
// (maxAttempts 1), over the Kinesis client's default HTTP/2 handler and over NodeHttpHandler (HTTP/1.1); what a
// SubscribeToShard consumer sees when the fault hits its event stream after a few events, and that resubscribing
// from the last ContinuationSequenceNumber loses nothing; and, with node:http2 directly, the frames a mid-body
// reset sends (RST_STREAM or GOAWAY, INTERNAL_ERROR). The journal (GET /_emulator/calls) counts the attempts.
// docs/wire_faults_sdks.md sums up what these tests show.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import http2 from 'node:http2';
import { NodeHttpHandler, NodeHttp2Handler } from '@smithy/node-http-handler';
import {
  KinesisClient, CreateStreamCommand, DescribeStreamSummaryCommand, PutRecordCommand, GetShardIteratorCommand,
  GetRecordsCommand, RegisterStreamConsumerCommand, SubscribeToShardCommand,
} from '@aws-sdk/client-kinesis';

process.removeAllListeners('warning');  // the SDK's notice about Node 20

let emulator;
let endpoint;
let plain;  // no faults match its calls: set-up and read-back

const credentials = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (bytes) => new TextDecoder().decode(bytes);

before(async () => {
  emulator = spawn(process.env.KEMU_BINARY, ['--port', '0', '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: emulator.stdout });
  endpoint = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('emulator did not start')), 10000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line.match(/ready on (http:\/\/\S+)/)[1]);
    });
  });
  plain = makeClient('h2', 1);
});

after(() => {
  plain?.destroy();
  emulator?.kill('SIGTERM');
});

// transport 'h2': the Kinesis client's default NodeHttp2Handler; 'h1': NodeHttpHandler (HTTP/1.1).
function makeClient(transport, maxAttempts, handlerOptions = {}) {
  const requestHandler = transport === 'h1' ? new NodeHttpHandler(handlerOptions) : new NodeHttp2Handler(handlerOptions);
  return new KinesisClient({ endpoint, region: 'us-east-1', credentials, maxAttempts, requestHandler });
}

async function admin(method, path, body) {
  const res = await fetch(`${endpoint}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.ok(res.status < 300, `${method} ${path}: ${res.status}`);
  return res.status === 204 ? null : res.json();
}

async function addFault(rule) {
  return (await admin('POST', '/_emulator/faults', rule)).id;
}

// The journal's attempts of an operation on a stream: "<status>" and a '*' when a rule decided it.
async function attempts(stream, operation) {
  const { calls } = await admin('GET', `/_emulator/calls?stream=${stream}&operation=${operation}&limit=1000`);
  return calls.map((c) => `${c.status}${c.fault_id ? '*' : ''}`);
}

let streams = 0;
async function newStream(prefix) {
  const name = `${prefix}-${++streams}`;
  await plain.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
  return name;
}

async function storedRecords(stream) {
  const { ShardIterator } = await plain.send(new GetShardIteratorCommand({
    StreamName: stream, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON',
  }));
  return (await plain.send(new GetRecordsCommand({ ShardIterator }))).Records.map((r) => text(r.Data));
}

// One SDK call under a one-shot rule on its operation and stream: its outcome, time, attempts and what is stored.
async function underFault({ transport, maxAttempts, handler, plugin, params, operation = 'PutRecord', records = 0 }) {
  const stream = await newStream(`${transport}-${plugin}`);
  for (let i = 0; i < records; i++) {
    await plain.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'k', Data: Buffer.from(`stored-${i}`) }));
  }
  let iterator;
  if (operation === 'GetRecords') {
    ({ ShardIterator: iterator } = await plain.send(new GetShardIteratorCommand({
      StreamName: stream, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON',
    })));
  }
  const id = await addFault({ plugin, params, count: 1, match: { operation, stream } });
  const client = makeClient(transport, maxAttempts, handler);
  const started = Date.now();
  const outcome = { stream };
  try {
    outcome.output = await client.send(operation === 'PutRecord'
      ? new PutRecordCommand({ StreamName: stream, PartitionKey: 'k', Data: Buffer.from('put') })
      : new GetRecordsCommand({ ShardIterator: iterator }));
  } catch (e) {
    outcome.error = e;
  }
  outcome.ms = Date.now() - started;
  client.destroy();
  await sleep(50);  // a stalled answer's attempt is journaled when the stall ends or the connection goes
  await admin('DELETE', `/_emulator/faults/${id}`);
  outcome.attempts = await attempts(stream, operation);
  outcome.stored = await storedRecords(stream);
  return outcome;
}

const succeeded = (o) => assert.equal(o.error, undefined, `failed: ${o.error?.name} ${o.error?.message}`);

for (const transport of ['h2', 'h1']) {
  describe(`plain calls over ${transport === 'h2' ? 'HTTP/2 (the default handler)' : 'HTTP/1.1 (NodeHttpHandler)'}`, () => {
    for (const maxAttempts of [3, 1]) {
      test(`bandwidth and slicer slow the answer down, which arrives intact (maxAttempts ${maxAttempts})`, async () => {
        const put = await underFault({ transport, maxAttempts, plugin: 'bandwidth', params: { bytes_per_second: 200 } });
        succeeded(put);
        assert.match(put.output.SequenceNumber, /^\d+$/);
        assert.deepEqual(put.attempts, ['200*']);
        assert.ok(put.ms >= 400, `${put.ms} ms for ~134 bytes at 200 B/s`);
        const get = await underFault({
          transport, maxAttempts, plugin: 'slicer', params: { bytes: 8, delay_ms: 10 }, operation: 'GetRecords', records: 3,
        });
        succeeded(get);
        assert.deepEqual(get.output.Records.map((r) => text(r.Data)), ['stored-0', 'stored-1', 'stored-2']);
        assert.deepEqual(get.attempts, ['200*']);
        assert.ok(get.ms >= 200, `${get.ms} ms for a sliced GetRecords answer`);
      });

      test(`slow-close: the call ends when the late end comes (maxAttempts ${maxAttempts})`, async () => {
        const put = await underFault({ transport, maxAttempts, plugin: 'slow-close', params: { ms: 600 } });
        succeeded(put);
        assert.deepEqual(put.attempts, ['200*']);
        assert.ok(put.ms >= 500, `${put.ms} ms`);
        assert.deepEqual(put.stored, ['put']);
      });

      test(`a stall shorter than any timeout only delays the call (maxAttempts ${maxAttempts})`, async () => {
        const put = await underFault({ transport, maxAttempts, plugin: 'stall', params: { ms: 600 } });
        succeeded(put);
        assert.deepEqual(put.attempts, ['200*']);
        assert.ok(put.ms >= 500, `${put.ms} ms`);
      });

      test(`connection-reset before the answer: the call did not run (maxAttempts ${maxAttempts})`, async () => {
        const put = await underFault({ transport, maxAttempts, plugin: 'connection-reset', params: {} });
        if (maxAttempts > 1) {
          succeeded(put);  // retried: the SDK takes the lost connection for a transient error
          assert.deepEqual(put.attempts, ['0*', '200']);
          assert.deepEqual(put.stored, ['put']);
        } else {
          // The TCP RST races the session's own teardown: over HTTP/2 the SDK reports either that no response
          // came (TimeoutError) or the reset itself (ECONNRESET).
          assert.equal(put.error.$metadata.attempts, 1);
          if (transport === 'h2') {
            assert.match(`${put.error.name} ${put.error.code} ${put.error.message}`,
                         /TimeoutError .*http2 request did not get a response|ECONNRESET/);
          } else {
            assert.equal(put.error.name, 'TimeoutError');
            assert.equal(put.error.code, 'ECONNRESET');
          }
          assert.deepEqual(put.attempts, ['0*']);
          assert.deepEqual(put.stored, []);
        }
      });
    }

    test('connection-reset mid-body on a PutRecord: the first attempt stored the record', async () => {
      const on = await underFault({ transport, maxAttempts: 3, plugin: 'connection-reset', params: { when: 'mid-body' } });
      const off = await underFault({ transport, maxAttempts: 1, plugin: 'connection-reset', params: { when: 'mid-body' } });
      if (transport === 'h2') {
        // RST_STREAM INTERNAL_ERROR while the body is read: not retried even with retries on.
        for (const o of [on, off]) {
          assert.equal(o.error?.code, 'ERR_HTTP2_STREAM_ERROR', o.error?.message);
          assert.match(o.error.message, /NGHTTP2_INTERNAL_ERROR/);
          assert.equal(o.error.$metadata.attempts, 1);
          assert.deepEqual(o.attempts, ['200*']);
          assert.deepEqual(o.stored, ['put']);  // failed for the caller, stored all the same
        }
      } else {
        succeeded(on);  // ECONNRESET is retried: the record is stored twice
        assert.deepEqual(on.attempts, ['200*', '200']);
        assert.deepEqual(on.stored, ['put', 'put']);
        assert.equal(off.error?.code, 'ECONNRESET', off.error?.message);
        assert.equal(off.error.message.split('\n')[0], 'aborted');
        assert.deepEqual(off.attempts, ['200*']);
        assert.deepEqual(off.stored, ['put']);
      }
    });

    test('connection-reset mid-body on a GetRecords: a retry reads the same records again', async () => {
      const on = await underFault({
        transport, maxAttempts: 3, plugin: 'connection-reset', params: { when: 'mid-body' }, operation: 'GetRecords', records: 2,
      });
      if (transport === 'h2') {
        assert.equal(on.error?.code, 'ERR_HTTP2_STREAM_ERROR', on.error?.message);
        assert.deepEqual(on.attempts, ['200*']);
      } else {
        succeeded(on);
        assert.deepEqual(on.output.Records.map((r) => text(r.Data)), ['stored-0', 'stored-1']);
        assert.deepEqual(on.attempts, ['200*', '200']);
      }
    });

    if (transport === 'h2') {
      test('connection-reset mid-body with http2=goaway: the session error, not retried', async () => {
        const params = { when: 'mid-body', http2: 'goaway' };
        const on = await underFault({ transport, maxAttempts: 3, plugin: 'connection-reset', params });
        assert.equal(on.error?.code, 'ERR_HTTP2_SESSION_ERROR', on.error?.message);
        assert.match(on.error.message, /Session closed with error code 2/);
        assert.deepEqual(on.attempts, ['200*']);
        assert.deepEqual(on.stored, ['put']);
      });

      test('a stall longer than requestTimeout: the truncated body is parsed, not retried', async () => {
        // NodeHttp2Handler's requestTimeout closes the stream (no error on it): the deserializer gets what came.
        const handler = { requestTimeout: 300 };
        for (const maxAttempts of [3, 1]) {
          const half = await underFault({ transport, maxAttempts, handler, plugin: 'stall', params: { ms: 1500 } });
          assert.equal(half.error?.name, 'SyntaxError', half.error?.message);
          assert.match(half.error.message, /Unterminated string in JSON/);
          assert.ok(half.ms >= 250 && half.ms < 1400, `${half.ms} ms`);
          assert.deepEqual(half.attempts, ['200*']);
          assert.deepEqual(half.stored, ['put']);
        }
        // Stalled before the first byte of the body: an empty body, which the SDK returns as a success.
        const none = await underFault({
          transport, maxAttempts: 3, handler, plugin: 'stall', params: { ms: 1500, after_bytes: 0 },
        });
        succeeded(none);
        assert.equal(none.output.SequenceNumber, undefined);
        assert.equal(none.output.ShardId, undefined);
        assert.equal(none.output.$metadata.httpStatusCode, 200);
        assert.ok(none.ms < 1400, `${none.ms} ms`);
        assert.deepEqual(none.stored, ['put']);
      });
    } else {
      test('a stall longer than socketTimeout: TimeoutError, retried (a duplicate), or surfaced', async () => {
        const handler = { socketTimeout: 300 };
        const on = await underFault({ transport, maxAttempts: 3, handler, plugin: 'stall', params: { ms: 1500 } });
        succeeded(on);
        assert.ok(on.ms < 1400, `${on.ms} ms`);
        assert.deepEqual(on.attempts, ['200*', '200']);
        assert.deepEqual(on.stored, ['put', 'put']);
        const off = await underFault({ transport, maxAttempts: 1, handler, plugin: 'stall', params: { ms: 1500 } });
        assert.equal(off.error?.name, 'TimeoutError', off.error?.message);
        assert.match(off.error.message, /timed out after 300 ms of inactivity/);
        assert.deepEqual(off.attempts, ['200*']);
        assert.deepEqual(off.stored, ['put']);
      });

      test('requestTimeout does not cut a stalled body over HTTP/1.1, even with throwOnRequestTimeout', async () => {
        const handler = { requestTimeout: 300, throwOnRequestTimeout: true };
        const put = await underFault({ transport, maxAttempts: 3, handler, plugin: 'stall', params: { ms: 1200 } });
        succeeded(put);
        assert.ok(put.ms >= 1100, `${put.ms} ms`);
        assert.deepEqual(put.attempts, ['200*']);
      });
    }
  });
}

// SubscribeToShard (the SDK sends it over HTTP/2 on its own session) with a rule on the event stream that lets the
// first `after` events pass (the empty first event and the one with r0), then hits the one carrying r1.
async function registerConsumer(stream) {
  const { StreamDescriptionSummary } = await plain.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
  const { Consumer } = await plain.send(new RegisterStreamConsumerCommand({
    StreamARN: StreamDescriptionSummary.StreamARN, ConsumerName: 'wire',
  }));
  return Consumer.ConsumerARN;
}

// The subscription's SubscribeToShardEvents; next(ms) gives { event }, { done }, { error } or { timeout } (the
// pending read is kept, so a later next() picks it up).
async function subscribe(client, consumerArn, position) {
  const sub = await client.send(new SubscribeToShardCommand({
    ConsumerARN: consumerArn, ShardId: 'shardId-000000000000', StartingPosition: position,
  }));
  const it = sub.EventStream[Symbol.asyncIterator]();
  let pending;
  const read = async () => {
    for (;;) {
      const item = await it.next();
      if (item.done) return { done: true };
      if (item.value.SubscribeToShardEvent) return { event: item.value.SubscribeToShardEvent };
    }
  };
  return {
    async next(ms = 5000) {
      pending ??= read().catch((error) => ({ error }));
      let timer;
      const result = await Promise.race([pending, new Promise((resolve) => {
        timer = setTimeout(() => resolve({ timeout: true }), ms);
      })]);
      clearTimeout(timer);
      if (!result.timeout) pending = undefined;
      return result;
    },
    close: () => it.return?.().catch(() => {}),
  };
}

// Puts r0..r(n-1) one at a time, each after the event of the one before, until the stream fails or stalls.
async function consume(stream, events, n, log) {
  const put = (i) => plain.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'k', Data: Buffer.from(`r${i}`) }));
  for (let i = log.put; i < n; i++) {
    await put(i);
    log.put = i + 1;
    for (;;) {
      const started = Date.now();
      const got = await events.next(log.patience ?? 3000);
      if (!got.event) return got;
      log.eventMs.push(Date.now() - started);
      for (const r of got.event.Records) log.received.push(text(r.Data));
      log.continuation = got.event.ContinuationSequenceNumber;
      if (log.received.length >= log.put) break;
    }
  }
  return { complete: true };
}

async function subscriptionUnder(plugin, params, extra = {}) {
  const stream = await newStream(`efo-${plugin}`);
  const consumerArn = await registerConsumer(stream);
  const rule = await addFault({ plugin, params, after: 2, count: 1, match: { operation: 'SubscribeToShard', stream } });
  const client = makeClient('h2', 3);
  const events = await subscribe(client, consumerArn, { Type: 'LATEST' });
  const first = await events.next();
  assert.deepEqual(first.event?.Records, [], JSON.stringify(first));
  const log = { put: 0, received: [], eventMs: [], ...extra };
  const end = await consume(stream, events, 5, log);
  return { stream, consumerArn, rule, client, events, log, end };
}

// After a failure: a new subscription from the last ContinuationSequenceNumber gets every record once.
async function resubscribeAndFinish(s) {
  s.events.close();
  s.client.destroy();
  const client = makeClient('h2', 3);
  const events = await subscribe(client, s.consumerArn,
    { Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: s.log.continuation });
  const again = { ...s.log, received: [...s.log.received], eventMs: [] };
  // Records put before the failure but not delivered come in the new subscription's first events.
  while (again.received.length < again.put) {
    const got = await events.next();
    assert.ok(got.event, `resubscribed: ${JSON.stringify(got)}`);
    for (const r of got.event.Records) again.received.push(text(r.Data));
  }
  const end = await consume(s.stream, events, 5, again);
  assert.ok(end.complete, JSON.stringify(end));
  assert.deepEqual(again.received, ['r0', 'r1', 'r2', 'r3', 'r4']);
  events.close();
  client.destroy();
}

describe('SubscribeToShard over HTTP/2 (SDK)', () => {
  for (const [plugin, params] of [['bandwidth', { bytes_per_second: 400 }], ['slicer', { bytes: 16, delay_ms: 10 }]]) {
    test(`${plugin}: every event arrives intact, later ones slower`, { timeout: 60000 }, async () => {
      const s = await subscriptionUnder(plugin, params);
      assert.ok(s.end.complete, JSON.stringify(s.end));
      assert.deepEqual(s.log.received, ['r0', 'r1', 'r2', 'r3', 'r4']);
      // eventMs[0] is r0's event (let pass), the others are shaped: a few hundred bytes each
      assert.ok(s.log.eventMs[0] < 150, `${s.log.eventMs}`);
      for (const ms of s.log.eventMs.slice(1)) assert.ok(ms >= 150, `${s.log.eventMs}`);
      s.events.close();
      s.client.destroy();
    });
  }

  test('stall (ms 0): the SDK does not notice; the event comes intact once the rule is removed', { timeout: 60000 }, async () => {
    const s = await subscriptionUnder('stall', { ms: 0 }, { patience: 2000 });
    assert.deepEqual(s.end, { timeout: true });  // no error, no end: 2 s of silence with r1 stored
    assert.deepEqual(s.log.received, ['r0']);
    await admin('DELETE', `/_emulator/faults/${s.rule}`);
    s.log.patience = 5000;
    const end = await consume(s.stream, s.events, 5, s.log);
    assert.ok(end.complete, JSON.stringify(end));
    assert.deepEqual(s.log.received, ['r0', 'r1', 'r2', 'r3', 'r4']);
    s.events.close();
    s.client.destroy();
  });

  for (const [params, code, message] of [
    [{ when: 'before' }, 'ERR_HTTP2_STREAM_ERROR', 'Stream closed with error code NGHTTP2_INTERNAL_ERROR'],
    [{ when: 'mid-body' }, 'ERR_HTTP2_STREAM_ERROR', 'Stream closed with error code NGHTTP2_INTERNAL_ERROR'],
    [{ when: 'mid-body', http2: 'goaway' }, 'ERR_HTTP2_SESSION_ERROR', 'Session closed with error code 2'],
  ]) {
    test(`connection-reset ${JSON.stringify(params)}: the iterator throws ${code}; resubscribing loses nothing`, { timeout: 60000 }, async () => {
      const s = await subscriptionUnder('connection-reset', params);
      assert.equal(s.end.error?.code, code, s.end.error?.stack ?? JSON.stringify(s.end));
      assert.equal(s.end.error.message, message);
      assert.deepEqual(s.log.received, ['r0']);  // r1's event was the one hit
      await resubscribeAndFinish(s);
    });
  }

  test('slow-close: the end of the subscription comes late', { timeout: 60000 }, async () => {
    const s = await subscriptionUnder('slow-close', { ms: 1500 });
    assert.ok(s.end.complete, JSON.stringify(s.end));
    const started = Date.now();
    await admin('POST', '/_emulator/clock', { advance_ms: 300001 });
    const end = await s.events.next(15000);
    assert.deepEqual(end, { done: true });  // a clean end, once the late last frame comes
    assert.ok(Date.now() - started >= 1400, `${Date.now() - started} ms`);
    s.client.destroy();
  });
});

describe('mid-body reset frames, with node:http2', () => {
  const headers = (operation) => ({
    ':method': 'POST', ':path': '/', 'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `Kinesis_20131202.${operation}`, 'x-amz-date': '20260101T000000Z',
    authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/us-east-1/kinesis/aws4_request, ' +
      'SignedHeaders=host;x-amz-date, Signature=00',
  });
  // One request: its status, the body bytes that came, the stream's error and rstCode once it closed.
  const call = (session, operation, body) => new Promise((resolve) => {
    const req = session.request(headers(operation));
    const out = { body: '' };
    req.setEncoding('utf8');
    req.on('response', (h) => { out.status = h[':status']; });
    req.on('data', (d) => { out.body += d; });
    req.on('error', (e) => { out.error = e; });
    req.on('close', () => resolve({ ...out, rstCode: req.rstCode }));
    req.end(JSON.stringify(body));
  });
  const put = (stream) => ({ StreamName: stream, PartitionKey: 'k', Data: Buffer.from('raw').toString('base64') });

  test('http2=rst_stream: RST_STREAM INTERNAL_ERROR on the call, the session serves the next request', async () => {
    const stream = await newStream('raw-rst');
    await addFault({
      plugin: 'connection-reset', params: { when: 'mid-body', after_bytes: 20, http2: 'rst_stream' }, count: 1,
      match: { operation: 'PutRecord', stream },
    });
    const session = http2.connect(endpoint);
    let goaway = false;
    session.on('goaway', () => { goaway = true; });
    const cut = await call(session, 'PutRecord', put(stream));
    assert.equal(cut.status, 200);
    assert.equal(cut.rstCode, http2.constants.NGHTTP2_INTERNAL_ERROR);
    assert.equal(cut.error?.code, 'ERR_HTTP2_STREAM_ERROR');
    assert.equal(cut.body.length, 20);  // after_bytes of the body, then the reset
    const next = await call(session, 'PutRecord', put(stream));
    assert.equal(next.status, 200, next.body);
    assert.equal(next.rstCode, http2.constants.NGHTTP2_NO_ERROR);
    assert.match(JSON.parse(next.body).SequenceNumber, /^\d+$/);
    assert.equal(goaway, false);
    assert.equal(session.closed || session.destroyed, false);
    session.close();
    assert.deepEqual(await storedRecords(stream), ['raw', 'raw']);
  });

  test('http2=goaway: GOAWAY INTERNAL_ERROR, the session closes', async () => {
    const stream = await newStream('raw-goaway');
    await addFault({
      plugin: 'connection-reset', params: { when: 'mid-body', after_bytes: 20, http2: 'goaway' }, count: 1,
      match: { operation: 'PutRecord', stream },
    });
    const session = http2.connect(endpoint);
    const goaway = new Promise((resolve) => session.on('goaway', (errorCode, lastStreamID) => resolve({ errorCode, lastStreamID })));
    const closed = new Promise((resolve) => session.on('close', resolve));
    session.on('error', () => {});  // the session's end after GOAWAY INTERNAL_ERROR
    const cut = await call(session, 'PutRecord', put(stream));
    assert.equal(cut.status, 200);
    assert.ok(cut.error, 'the cut stream ends with an error');
    assert.ok(cut.body.length <= 20, `${cut.body.length} bytes`);
    const frame = await goaway;
    assert.equal(frame.errorCode, http2.constants.NGHTTP2_INTERNAL_ERROR);
    await closed;
    assert.equal(session.destroyed, true);
    assert.deepEqual(await storedRecords(stream), ['raw']);  // the call ran
  });
});
