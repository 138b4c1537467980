// The AWS SDK for JavaScript v3 against kinesis-emulator --tls: HTTP/2 chosen by ALPN over TLS. The SDK's HTTP/2
// handler takes no CA option, so this process turns Node's certificate check off (as a user would for a
// throwaway test, NODE_TLS_REJECT_UNAUTHORIZED=0); node:http2 with the printed certificate as CA checks the
// certificate itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import { createInterface } from 'node:readline';
import {
  KinesisClient, CreateStreamCommand, PutRecordCommand, GetShardIteratorCommand, GetRecordsCommand,
} from '@aws-sdk/client-kinesis';

process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
process.removeAllListeners('warning');  // Node's one-line warning about the setting above

let emulator;
let endpoint;
let certFile;
let client;

before(async () => {
  emulator = spawn(process.env.KEMU_BINARY, ['--port', '0', '--tls'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: emulator.stdout });
  endpoint = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('emulator did not start')), 10000);
    lines.on('line', (line) => {
      const cert = line.match(/^kinesis-emulator TLS certificate: (.+)$/);
      if (cert) certFile = cert[1];
      const ready = line.match(/ready on (https:\/\/\S+)/);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
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

test('create, put and read back over HTTP/2 on TLS', async () => {
  assert.ok(certFile, 'the emulator printed its certificate path');
  await client.send(new CreateStreamCommand({ StreamName: 'jstls', ShardCount: 1 }));
  const put = await client.send(new PutRecordCommand({
    StreamName: 'jstls', PartitionKey: 'k', Data: new TextEncoder().encode('hello over tls'),
  }));
  assert.equal(put.ShardId, 'shardId-000000000000');
  const { ShardIterator } = await client.send(new GetShardIteratorCommand({
    StreamName: 'jstls', ShardId: put.ShardId, ShardIteratorType: 'TRIM_HORIZON',
  }));
  const got = await client.send(new GetRecordsCommand({ ShardIterator }));
  assert.deepEqual(got.Records.map((r) => new TextDecoder().decode(r.Data)), ['hello over tls']);

  const res = await fetch(`${endpoint}/_emulator/calls?limit=1000`);
  const seen = (await res.json()).calls.filter((c) => c.stream === 'jstls');
  assert.ok(seen.length >= 4);
  for (const c of seen) assert.equal(c.http_version, '2', `${c.operation} went over HTTP/${c.http_version}`);
});

test('node:http2 trusting only the printed certificate negotiates h2', async () => {
  const session = http2.connect(endpoint, { ca: readFileSync(certFile), rejectUnauthorized: true });
  try {
    const { status, alpn } = await new Promise((resolve, reject) => {
      session.on('error', reject);
      const req = session.request({ ':method': 'GET', ':path': '/_emulator/health' });
      req.on('response', (headers) => resolve({ status: headers[':status'], alpn: session.alpnProtocol }));
      req.on('error', reject);
      req.end();
    });
    assert.equal(alpn, 'h2');
    assert.ok(status > 0);  // answered over HTTP/2 (the admin API itself is HTTP/1.1 only)
  } finally {
    session.close();
  }
});
