// End-to-end tests of the web console (/_emulator/ui) in Debian's headless Chromium, driven by playwright-core.
// Each page is opened against a real kinesis-emulator whose state is made with boto3 (boto3_driver.py); every test
// fails on any console error or uncaught exception in the page. Screenshots go to $KEMU_CONSOLE_ARTIFACTS.
//
//   KEMU_BINARY=build/kinesis-emulator KEMU_CONSOLE_ARTIFACTS=build/console-artifacts node --test console.test.mjs
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BINARY = process.env.KEMU_BINARY || path.join(HERE, '..', '..', 'build', 'kinesis-emulator');
const ARTIFACTS = process.env.KEMU_CONSOLE_ARTIFACTS || path.join(HERE, '..', '..', 'build', 'console-artifacts');
const CHROMIUM = process.env.KEMU_CHROMIUM || '/usr/bin/chromium';
const ACCOUNT = '000000000000';
const OTHER_ACCOUNT = '111111111111';
const HALF = 2n ** 127n;

// ---- the emulator ----------------------------------------------------------------------------------------------
async function startEmulator(args = []) {
  const proc = spawn(BINARY, ['--host', '127.0.0.1', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const lines = readline.createInterface({ input: proc.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('emulator not ready in 10 s: ' + stderr)), 10000);
    lines.on('line', (line) => {
      const m = /^kinesis-emulator ready on (https?:\/\/\S+)$/.exec(line);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => reject(new Error(`emulator exited (${code}): ${stderr}`)));
  });
  return { proc, url, stop: () => new Promise((r) => { proc.once('exit', r); proc.kill('SIGTERM'); }) };
}

// ---- boto3 through boto3_driver.py -----------------------------------------------------------------------------
class Boto3 {
  constructor(endpoint) {
    this.proc = spawn('python3', [path.join(HERE, 'boto3_driver.py'), endpoint], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.pending = new Map();
    this.next = 1;
    readline.createInterface({ input: this.proc.stdout }).on('line', (line) => {
      const answer = JSON.parse(line);
      this.pending.get(answer.id)(answer);
      this.pending.delete(answer.id);
    });
  }
  // The answer's result; throws an Error whose .code is the AWS error code.
  async call(method, params, where = {}) {
    const answer = await this.raw(method, params, where);
    if (answer.error) throw Object.assign(new Error(`${method}: ${answer.error}: ${answer.message}`), { code: answer.error });
    return answer.result;
  }
  raw(method, params, where = {}) {
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.proc.stdin.write(JSON.stringify({ id, method, params, ...where }) + '\n');
    });
  }
  close() { this.proc.stdin.end(); }
}

// ---- the browser -------------------------------------------------------------------------------------------------
let profileDir, context, emulator, boto;
const pageErrors = [];

async function openPage(base, hash, viewport = { width: 1280, height: 800 }) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(`console: ${m.text()} (${page.url()})`); });
  page.on('pageerror', (e) => pageErrors.push(`exception: ${e.message} (${page.url()})`));
  await page.goto(`${base}/_emulator/ui#/${hash}`);
  return page;
}

// The window as a user sees it from the top of the page, and the whole page.
async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(ARTIFACTS, name + '.png') });
  await page.screenshot({ path: path.join(ARTIFACTS, name + '-full.png'), fullPage: true });
}

// Waits until `fn` returns a truthy value (or throws the last failure after `ms`).
async function until(fn, ms = 8000, what = 'condition') {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}` + (last ? `: ${last.message}` : ''));
    await new Promise((r) => setTimeout(r, 100));
  }
}

const streamHash = (name, account = ACCOUNT, region = 'us-east-1') =>
  'stream?' + new URLSearchParams({ account, region, name });

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kemu-console-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    ignoreHTTPSErrors: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  emulator = await startEmulator();
  boto = new Boto3(emulator.url);
});

after(async () => {
  if (context) await context.close();
  if (boto) boto.close();
  if (emulator) await emulator.stop();
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const p of context.pages()) await p.close();
  const errors = pageErrors.splice(0);
  assert.deepEqual(errors, [], 'the page logged errors');
});

describe('console against a real emulator', () => {
  test('streams: every account and region, filter, create and delete', async () => {
    await boto.call('create_stream', { StreamName: 'orders', ShardCount: 2 });
    await boto.call('add_tags_to_stream', { StreamName: 'orders', Tags: { team: 'checkout' } });
    await boto.call('create_stream', { StreamName: 'clicks', ShardCount: 1 }, { account: OTHER_ACCOUNT, region: 'eu-west-1' });
    const page = await openPage(emulator.url, 'streams');
    const orders = page.locator('#streams-table tr[data-stream="orders"]');
    const clicks = page.locator('#streams-table tr[data-stream="clicks"]');
    await orders.waitFor();
    await clicks.waitFor();
    assert.match(await orders.innerText(), /000000000000\s+us-east-1\s+ACTIVE\s+PROVISIONED\s+2\s*\/ 2/);
    assert.match(await orders.innerText(), /team=checkout/);
    assert.match(await clicks.innerText(), /111111111111\s+eu-west-1/);
    await shot(page, 'streams');

    await page.fill('#stream-filter', 'eu-west');
    await until(async () => (await orders.count()) === 0 && (await clicks.count()) === 1, 3000, 'the filter');
    await page.fill('#stream-filter', '');

    // Create through the form: a signed CreateStream from the page.
    await page.fill('#create-stream [name="stream_name"]', 'made-in-ui');
    await page.fill('#create-stream [name="shards"]', '3');
    await page.click('#create-stream button[type="submit"]');
    await page.locator('#streams-table tr[data-stream="made-in-ui"]').waitFor();
    const summary = await boto.call('describe_stream_summary', { StreamName: 'made-in-ui' });
    assert.equal(summary.StreamDescriptionSummary.OpenShardCount, 3);

    // Delete asks once more in place; keyboard only.
    await page.locator('#streams-table tr[data-stream="made-in-ui"] button.danger').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');  // the confirmation button has the focus now
    await until(async () => !(await boto.call('list_streams', {})).StreamNames.includes('made-in-ui'), 5000, 'deletion');
    await page.locator('#streams-table tr[data-stream="made-in-ui"]').waitFor({ state: 'detached' });
  });

  test('stream: the lineage graph shows a split as two children, counts and latest numbers', async () => {
    const put = await boto.call('put_record', { StreamName: 'orders', PartitionKey: 'p', Data: 'one',
      ExplicitHashKey: (HALF + 5n).toString() });
    assert.equal(put.ShardId, 'shardId-000000000001');
    const page = await openPage(emulator.url, streamHash('orders'));
    await until(async () => (await page.locator('#lineage g.shard').count()) === 2, 5000, 'two shards');
    const row1 = page.locator('#shards-table tr[data-shard="shardId-000000000001"]');
    await until(async () => (await row1.innerText()).includes(put.SequenceNumber), 5000, 'the latest sequence number');
    assert.equal((await row1.locator('td.records').innerText()).trim(), '1');

    // Select shard 0 with the keyboard and split it with the button.
    await page.locator('#lineage g.shard[data-shard-id="shardId-000000000000"]').focus();
    await page.keyboard.press('Enter');
    await until(async () => (await page.textContent('#selected-shard')) === 'shardId-000000000000', 3000, 'selection');
    await page.click('#split-btn');
    const children = page.locator('#lineage g.shard[data-parent="shardId-000000000000"]');
    await until(async () => (await children.count()) === 2, 5000, 'two children in the graph');
    assert.equal(await page.locator('#lineage g.shard.closed').count(), 1);
    assert.equal(await page.locator('#lineage path.edge').count(), 2);
    const shards = (await boto.call('list_shards', { StreamName: 'orders' })).Shards;
    assert.deepEqual(shards.filter((s) => s.ParentShardId === 'shardId-000000000000').map((s) => s.ShardId).sort(),
      ['shardId-000000000002', 'shardId-000000000003']);
    await shot(page, 'stream');
  });

  test('records: a record put through the API appears in the live tail; put by hand; formats', async () => {
    const hash = 'records?' + new URLSearchParams({ account: ACCOUNT, region: 'us-east-1', stream: 'orders',
      shard: 'shardId-000000000001' });
    const page = await openPage(emulator.url, hash);
    await page.locator('#records-list li').first().waitFor();  // the record of the previous test, from TRIM_HORIZON
    await page.check('#live-tail');
    const body = JSON.stringify({ order: 42, items: ['tea', 'milk'] });
    const put = await boto.call('put_record', { StreamName: 'orders', PartitionKey: 'tail', Data: body,
      ExplicitHashKey: (HALF + 9n).toString() });
    const item = page.locator(`#records-list li[data-seq="${put.SequenceNumber}"]`);
    await item.waitFor({ timeout: 5000 });
    assert.match(await item.innerText(), /"order": 42/);
    assert.match(await item.innerText(), /json, 35 B/);

    // PutRecord from the page's form (signed in the page), read back with boto3 and seen in the tail.
    await page.fill('#put-form [name="partition_key"]', 'by-hand');
    await page.fill('#put-form [name="explicit_hash_key"]', (HALF + 11n).toString());
    await page.fill('#put-form [name="data"]', 'plain words');
    await page.click('#put-form button[type="submit"]');
    await until(async () => (await page.locator('#records-list li', { hasText: 'plain words' }).count()) === 1, 5000,
      'the hand-made record in the tail');
    const it = await boto.call('get_shard_iterator', { StreamName: 'orders', ShardId: 'shardId-000000000001',
      ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: put.SequenceNumber });
    const got = await boto.call('get_records', { ShardIterator: it.ShardIterator });
    assert.equal(Buffer.from(got.Records[0].Data, 'base64').toString(), 'plain words');
    assert.equal(got.Records[0].PartitionKey, 'by-hand');

    await page.selectOption('#data-format', 'hex');
    assert.match(await item.locator('pre').innerText(), /^000000 {2}7b 22 6f 72 64 65 72 22/);
    await page.selectOption('#data-format', 'auto');
    await shot(page, 'records');
  });

  test('faults: a rule added in the form fires on the next client call and its counters move', async () => {
    const page = await openPage(emulator.url, 'faults');
    const form = page.locator('form[data-plugin="throttle"]');
    await page.click('details:has(form[data-plugin="throttle"]) summary');
    await form.locator('[name="operation"]').fill('PutRecord');
    await form.locator('[name="stream"]').fill('orders');
    await form.locator('[name="count"]').fill('1');
    await form.locator('[name="param.fraction"]').fill('1');
    await form.locator('button[type="submit"]').click();
    const row = page.locator('#rules-table tr[data-rule]');
    await row.waitFor();
    const id = await row.getAttribute('data-rule');
    assert.equal((await row.locator('.hits').innerText()).trim(), '0');
    assert.equal((await row.locator('.remaining').innerText()).trim(), '1');

    await assert.rejects(boto.call('put_record', { StreamName: 'orders', PartitionKey: 'x', Data: 'x' }),
      (e) => e.code === 'ProvisionedThroughputExceededException');
    await until(async () => (await row.locator('.fired').innerText()).trim() === '1', 4000, 'fired to move');
    assert.equal((await row.locator('.hits').innerText()).trim(), '1');
    assert.equal((await row.locator('.remaining').innerText()).trim(), '0');
    await boto.call('put_record', { StreamName: 'orders', PartitionKey: 'x', Data: 'x' });  // the rule is used up
    const rules = JSON.parse(await (await fetch(`${emulator.url}/_emulator/faults`)).text()).faults;
    assert.deepEqual(rules.map((r) => [r.id, r.params]), [[id, { fraction: 1 }]]);
    await shot(page, 'faults');
  });

  test('clock: advancing it from the page expires an iterator', async () => {
    const it = await boto.call('get_shard_iterator', { StreamName: 'orders', ShardId: 'shardId-000000000001',
      ShardIteratorType: 'TRIM_HORIZON' });
    await boto.call('get_records', { ShardIterator: it.ShardIterator });  // valid now
    const page = await openPage(emulator.url, 'clock');
    await until(async () => await page.getAttribute('#clock-now', 'data-ms'), 4000, 'the clock');
    const before = Number(await page.getAttribute('#clock-now', 'data-ms'));
    await page.click('button[data-advance="300000"]');
    await until(async () => Number(await page.getAttribute('#clock-now', 'data-ms')) >= before + 300000, 4000,
      'the clock to move 5 minutes');
    await until(async () => /ahead of real time/.test(await page.textContent('#clock-offset')), 3000, 'the offset');
    await assert.rejects(boto.call('get_records', { ShardIterator: it.ShardIterator }),
      (e) => e.code === 'ExpiredIteratorException');
    await shot(page, 'clock');
    await page.click('#freeze');
    await until(async () => (await page.textContent('#clock-state')) === 'frozen', 3000, 'frozen');
    await page.click('#realtime');
    await page.click('#unfreeze');
    await until(async () => (await page.textContent('#clock-state')) === 'running', 3000, 'running');
  });

  test('calls: the journal shows the client\'s calls, filters them, links faults to their rule', async () => {
    const page = await openPage(emulator.url, 'calls');
    const rows = page.locator('#calls-table tbody tr[data-seq]');
    await rows.first().waitFor();
    const text = await page.locator('#calls-table').innerText();
    for (const op of ['CreateStream', 'AddTagsToStream', 'SplitShard', 'GetShardIterator', 'ListShards']) {
      assert.match(text, new RegExp(op), op);
    }
    assert.match(text, /GetRecords[^\n]*400[^\n]*ExpiredIteratorException/);
    // Newest first.
    const seqs = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.seq)));
    assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a));
    assert.ok((await page.locator('#rate-chart rect.bar').count()) > 0, 'the chart has bars');

    await page.fill('#calls-filter [name="operation"]', 'PutRecord');
    await page.selectOption('#calls-filter [name="status"]', '4xx');
    await page.click('#calls-filter button[type="submit"]');
    await until(async () => (await rows.count()) === 1, 4000, 'one throttled PutRecord');
    assert.match(await rows.first().innerText(), /PutRecord\s+orders\s+shardId-\d+\s+400\s+ProvisionedThroughputExceededException/);
    await shot(page, 'calls');
    const link = rows.first().locator('a');
    const rule = await link.innerText();
    await link.click();
    await page.locator(`#rules-table tr.highlight[data-rule="${rule}"]`).waitFor();
  });

  test('narrow window: nothing wider than the screen but the tables, which scroll', async () => {
    for (const hash of ['streams', streamHash('orders'), 'faults', 'calls']) {
      const page = await openPage(emulator.url, hash, { width: 390, height: 844 });
      await page.waitForTimeout(600);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${hash}: the page is ${overflow}px wider than the window`);
      if (hash === 'streams') await shot(page, 'streams-narrow');
      await page.close();
    }
  });
});

describe('console over TLS with an admin token and strict SigV4', () => {
  let secure;
  before(async () => {
    secure = await startEmulator(['--tls', '--admin-token', 'open-sesame', '--auth', 'strict',
      '--credentials', `${ACCOUNT}:s3cret-key`]);
  });
  after(async () => { if (secure) await secure.stop(); });

  test('asks for the token, then signs real SigV4 over HTTPS', async () => {
    assert.match(secure.url, /^https:/);
    const page = await openPage(secure.url, 'streams');
    await page.waitForURL(/#\/settings$/);
    assert.match(await page.textContent('#token-hint'), /--admin-token/);
    assert.match(await page.textContent('#auth-hint'), /--auth strict/);
    await shot(page, 'settings');
    await page.fill('#cred-form [name="akid"]', ACCOUNT);
    await page.fill('#cred-form [name="secret"]', 's3cret-key');
    await page.click('#cred-form button[type="submit"]');
    await page.fill('#token-form [name="token"]', 'open-sesame');
    await page.press('#token-form [name="token"]', 'Enter');
    await page.waitForURL(/#\/streams$/);
    await page.fill('#create-stream [name="stream_name"]', 'signed');
    await page.click('#create-stream button[type="submit"]');
    await page.locator('#streams-table tr[data-stream="signed"]').waitFor();
    // Over h2 (Chromium negotiates it by ALPN) the journal says so.
    await page.goto(`${secure.url}/_emulator/ui#/calls`);
    await until(async () => /CreateStream[^\n]*200[^\n]*\b2\b/.test(await page.locator('#calls-table').innerText()),
      5000, 'the signed CreateStream in the journal');
  });
});
