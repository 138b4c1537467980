// kinesis-emulator web console: a single page over the admin API (/_emulator/) and the Kinesis API on the same
// origin. Reads use admin endpoints only (they never consume a fault rule nor enter the call journal); actions
// are real Kinesis calls signed with SigV4 here, so they behave exactly as a client's would.
'use strict';

(() => {
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
  const main = $('#main');
  const HASH_SPACE = 1n << 128n;

  // ---- small DOM helpers ---------------------------------------------------------------------------------------
  function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
    }
    return el;
  }
  function svg(tag, attrs = {}, ...children) {
    const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v);
    }
    for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return el;
  }
  const iso = (ms) => (ms === null || ms === undefined ? '' : new Date(ms).toISOString().replace('.000Z', 'Z'));
  const shortShard = (id) => (id ? String(Number(id.replace('shardId-', ''))) : '');
  const formData = (form) => Object.fromEntries(new FormData(form).entries());

  let statusTimer = 0;
  function say(message, kind = 'ok') {
    const box = $('#status');
    box.className = kind;
    box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    box.textContent = message;
    clearTimeout(statusTimer);
    statusTimer = setTimeout(() => { box.textContent = ''; box.className = ''; }, kind === 'error' ? 12000 : 5000);
  }

  // ---- settings kept in this tab -------------------------------------------------------------------------------
  const settings = {
    get token() { return sessionStorage.getItem('kemu.token') || ''; },
    set token(v) { sessionStorage.setItem('kemu.token', v); },
    get akid() { return sessionStorage.getItem('kemu.akid') || ''; },
    set akid(v) { sessionStorage.setItem('kemu.akid', v); },
    get secret() { return sessionStorage.getItem('kemu.secret') || ''; },
    set secret(v) { sessionStorage.setItem('kemu.secret', v); },
  };
  let config = { account: '000000000000', region: 'us-east-1', auth: 'lenient', admin_token_required: false };

  // ---- the admin API -------------------------------------------------------------------------------------------
  class NeedToken extends Error {}
  async function admin(method, path, body) {
    if (config.admin_token_required && !settings.token) throw new NeedToken('admin token needed');
    const headers = {};
    if (settings.token) headers.Authorization = 'Bearer ' + settings.token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch('/_emulator/' + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
    });
    if (res.status === 401) throw new NeedToken('the admin token was refused');
    if (res.status === 204) return null;
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error((json.error || res.status) + ': ' + (json.message || res.statusText));
    return json;
  }

  // ---- SigV4 (SHA-256 and HMAC written here: WebCrypto is missing on plain-HTTP origins other than localhost) --
  const K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2]);
  const utf8 = (s) => new TextEncoder().encode(s);
  function sha256(bytes) {
    const len = bytes.length;
    const padded = new Uint8Array(((len + 9 + 63) >> 6) << 6);
    padded.set(bytes);
    padded[len] = 0x80;
    const view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, Math.floor(len / 0x20000000));
    view.setUint32(padded.length - 4, (len << 3) >>> 0);
    const H = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
      0x5be0cd19]);
    const W = new Uint32Array(64);
    const rotr = (x, n) => (x >>> n) | (x << (32 - n));
    for (let off = 0; off < padded.length; off += 64) {
      for (let i = 0; i < 16; i++) W[i] = view.getUint32(off + 4 * i);
      for (let i = 16; i < 64; i++) {
        const s0 = rotr(W[i - 15], 7) ^ rotr(W[i - 15], 18) ^ (W[i - 15] >>> 3);
        const s1 = rotr(W[i - 2], 17) ^ rotr(W[i - 2], 19) ^ (W[i - 2] >>> 10);
        W[i] = (W[i - 16] + s0 + W[i - 7] + s1) >>> 0;
      }
      let [a, b, c, d, e, f, g, hh] = H;
      for (let i = 0; i < 64; i++) {
        const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + W[i]) >>> 0;
        const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
        hh = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
      }
      H[0] += a; H[1] += b; H[2] += c; H[3] += d; H[4] += e; H[5] += f; H[6] += g; H[7] += hh;
    }
    const out = new Uint8Array(32);
    const ov = new DataView(out.buffer);
    H.forEach((v, i) => ov.setUint32(4 * i, v));
    return out;
  }
  function hmac(key, message) {
    if (key.length > 64) key = sha256(key);
    const block = new Uint8Array(64);
    block.set(key);
    const inner = new Uint8Array(64 + message.length);
    const outer = new Uint8Array(64 + 32);
    for (let i = 0; i < 64; i++) { inner[i] = block[i] ^ 0x36; outer[i] = block[i] ^ 0x5c; }
    inner.set(message, 64);
    outer.set(sha256(inner), 64);
    return sha256(outer);
  }
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

  // The access key decides the account (a 12-digit key id is the account); the region is the credential scope's.
  function credentialsFor(account) {
    if (settings.akid) return { akid: settings.akid, secret: settings.secret || 'console' };
    return { akid: account || config.account, secret: 'console' };
  }

  async function kinesis(operation, input, where = {}) {
    const region = where.region || config.region;
    const { akid, secret } = credentialsFor(where.account);
    const body = JSON.stringify(input);
    const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const day = amzDate.slice(0, 8);
    const target = 'Kinesis_20131202.' + operation;
    const contentType = 'application/x-amz-json-1.1';
    const signed = 'content-type;host;x-amz-date;x-amz-target';
    const canonical = ['POST', '/', '', 'content-type:' + contentType, 'host:' + location.host,
      'x-amz-date:' + amzDate, 'x-amz-target:' + target, '', signed, hex(sha256(utf8(body)))].join('\n');
    const scope = `${day}/${region}/kinesis/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, hex(sha256(utf8(canonical)))].join('\n');
    let key = utf8('AWS4' + secret);
    for (const part of [day, region, 'kinesis', 'aws4_request']) key = hmac(key, utf8(part));
    const signature = hex(hmac(key, utf8(toSign)));
    const res = await fetch('/', {
      method: 'POST',
      cache: 'no-store',
      headers: {
        'Content-Type': contentType,
        'X-Amz-Target': target,
        'X-Amz-Date': amzDate,
        Authorization: `AWS4-HMAC-SHA256 Credential=${akid}/${scope}, SignedHeaders=${signed}, Signature=${signature}`,
      },
      body,
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : {};
    if (!res.ok) {
      const type = String(json.__type || res.status).split('#').pop();
      throw new Error(`${operation}: ${type}: ${json.message || json.Message || ''}`);
    }
    return json;
  }

  // ---- record data: detection and rendering --------------------------------------------------------------------
  function decodeBase64(b64) {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function encodeBase64(bytes) {
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(bin);
  }
  function detect(bytes) {
    let text;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return { kind: 'hex' };
    }
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return { kind: 'hex' };
    const t = text.trim();
    if ((t.startsWith('{') || t.startsWith('[')) && t.length > 1) {
      try { return { kind: 'json', text, value: JSON.parse(t) }; } catch { /* not JSON */ }
    }
    return { kind: 'text', text };
  }
  function hexDump(bytes) {
    const max = Math.min(bytes.length, 4096);
    const lines = [];
    for (let off = 0; off < max; off += 16) {
      const row = Array.from(bytes.subarray(off, Math.min(off + 16, max)), (b) => b.toString(16).padStart(2, '0'));
      lines.push(off.toString(16).padStart(6, '0') + '  ' + row.join(' '));
    }
    if (bytes.length > max) lines.push(`… ${bytes.length - max} more bytes`);
    return lines.join('\n');
  }
  function renderData(bytes, info, format) {
    const want = format === 'auto' ? info.kind : format;
    if (want === 'json' && info.kind === 'json') return JSON.stringify(info.value, null, 2);
    if ((want === 'text' || want === 'json') && info.kind !== 'hex') return info.text;
    if (want === 'text' || want === 'json') return new TextDecoder().decode(bytes);
    return hexDump(bytes);
  }

  // ---- pages ---------------------------------------------------------------------------------------------------
  const streamsCache = { list: [], at: 0 };
  async function allStreams() {
    if (Date.now() - streamsCache.at > 1500) {
      streamsCache.list = (await admin('GET', 'streams')).streams;
      streamsCache.at = Date.now();
    }
    return streamsCache.list;
  }
  const streamHref = (s) => '#/stream?' + new URLSearchParams({ account: s.account, region: s.region, name: s.name });
  const recordsHref = (p) => '#/records?' + new URLSearchParams(p);

  const pages = {};

  pages.streams = {
    interval: 2000,
    enter(root) {
      const form = $('#create-stream', root);
      form.account.value = config.account;
      form.region.value = config.region;
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const f = formData(form);
        const input = { StreamName: f.stream_name, StreamModeDetails: { StreamMode: f.mode } };
        if (f.mode === 'PROVISIONED') input.ShardCount = Number(f.shards);
        await act(() => kinesis('CreateStream', input, f), `CreateStream ${f.stream_name} sent`);
        form.elements.namedItem('stream_name').value = '';
        streamsCache.at = 0;
        this.refresh(root);
      });
      $('#stream-filter', root).addEventListener('input', () => this.draw(root));
    },
    async refresh(root) {
      this.list = await allStreams();
      this.draw(root);
    },
    draw(root) {
      const q = $('#stream-filter', root).value.trim().toLowerCase();
      const matches = (s) => !q || [s.name, s.account, s.region, s.status, s.mode,
        ...Object.entries(s.tags).map(([k, v]) => k + '=' + v)].some((x) => x.toLowerCase().includes(q));
      const shown = (this.list || []).filter(matches);
      $('#stream-count', root).textContent = `${shown.length} of ${(this.list || []).length} streams`;
      const rows = shown.map((s) => h('tr', { 'data-stream': s.name },
        h('th', { scope: 'row' }, h('a', { href: streamHref(s) }, s.name)),
        h('td', {}, s.account), h('td', {}, s.region),
        h('td', {}, h('span', { class: 'pill ' + s.status.toLowerCase() }, s.status)),
        h('td', {}, s.mode), h('td', { class: 'num' }, `${s.open_shards}`, h('span', { class: 'muted' }, ` / ${s.shards}`)),
        h('td', { class: 'num' }, `${s.retention_hours} h`),
        h('td', {}, s.encryption_type === 'NONE' ? 'none' : `KMS ${s.key_id || ''}`),
        h('td', {}, s.consumers.map((c) => `${c.name} (${c.status})`).join(', ') || '—'),
        h('td', {}, Object.entries(s.tags).map(([k, v]) => h('span', { class: 'tag' }, `${k}=${v}`))),
        h('td', {}, deleteButton(s, () => { streamsCache.at = 0; this.refresh(root); }))));
      if (!rows.length) rows.push(h('tr', {}, h('td', { colspan: 11, class: 'muted' }, 'No streams.')));
      $('#streams-table tbody', root).replaceChildren(...rows);
    },
  };

  // A delete button that asks once more in place (no modal dialog).
  function deleteButton(s, done) {
    const cell = h('span', { class: 'confirm' });
    const ask = h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${s.name}` }, 'Delete');
    ask.addEventListener('click', () => {
      const yes = h('button', { type: 'button', class: 'danger' }, `Delete ${s.name}?`);
      const no = h('button', { type: 'button' }, 'Keep');
      yes.addEventListener('click', async () => {
        await act(() => kinesis('DeleteStream', { StreamName: s.name, EnforceConsumerDeletion: true }, s),
          `DeleteStream ${s.name} sent`);
        done();
      });
      no.addEventListener('click', () => cell.replaceChildren(ask));
      cell.replaceChildren(yes, no);
      yes.focus();
    });
    cell.append(ask);
    return cell;
  }

  pages.stream = {
    interval: 2000,
    enter(root, params) {
      this.key = { account: params.get('account'), region: params.get('region'), name: params.get('name') };
      this.selected = null;
      $('#stream-title', root).textContent = this.key.name;
      const where = this.key;
      $('#split-btn', root).addEventListener('click', async () => {
        const shard = this.shard(this.selected);
        if (!shard) return;
        const at = $('#split-key', root).value.trim() ||
          ((BigInt(shard.starting_hash_key) + BigInt(shard.ending_hash_key) + 1n) / 2n).toString();
        await act(() => kinesis('SplitShard', { StreamName: where.name, ShardToSplit: shard.shard_id,
          NewStartingHashKey: at }, where), `SplitShard ${shard.shard_id} sent`);
        this.refresh(root);
      });
      $('#merge-btn', root).addEventListener('click', async () => {
        const shard = this.shard(this.selected);
        const next = shard && this.adjacent(shard);
        if (!next) return;
        await act(() => kinesis('MergeShards', { StreamName: where.name, ShardToMerge: shard.shard_id,
          AdjacentShardToMerge: next.shard_id }, where), `MergeShards ${shard.shard_id} + ${next.shard_id} sent`);
        this.refresh(root);
      });
      $('#shard-count-form', root).addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const target = Number(ev.target.elements.namedItem('shard_count').value);
        await act(() => kinesis('UpdateShardCount', { StreamName: where.name, TargetShardCount: target,
          ScalingType: 'UNIFORM_SCALING' }, where), `UpdateShardCount to ${target} sent`);
        this.refresh(root);
      });
    },
    shard(id) { return this.data && this.data.shards.find((s) => s.shard_id === id); },
    // The open shard whose range starts right after this one's.
    adjacent(shard) {
      const next = (BigInt(shard.ending_hash_key) + 1n).toString();
      return this.data.shards.find((s) => s.open && s.starting_hash_key === next);
    },
    select(root, id) {
      this.selected = id;
      const shard = this.shard(id);
      $('#selected-shard', root).textContent = id || 'none';
      $('#split-btn', root).disabled = !(shard && shard.open);
      $('#merge-btn', root).disabled = !(shard && shard.open && this.adjacent(shard));
      $$('#lineage g.shard', root).forEach((g) => g.classList.toggle('selected', g.dataset.shardId === id));
    },
    async refresh(root) {
      const k = this.key;
      this.data = await admin('GET', `streams/${encodeURIComponent(k.account)}/${encodeURIComponent(k.region)}/` +
        encodeURIComponent(k.name));
      const d = this.data;
      const facts = [['ARN', d.arn], ['Status', d.status], ['Mode', d.mode], ['Open shards', d.open_shards],
        ['Retention', `${d.retention_hours} h`], ['Encryption', d.encryption_type]];
      $('#stream-facts', root).replaceChildren(...facts.flatMap(([t, v]) => [h('dt', {}, t), h('dd', {}, String(v))]));
      const count = $('#shard-count-form', root).elements.namedItem('shard_count');
      if (document.activeElement !== count && !count.value) count.value = d.open_shards;
      this.drawGraph(root);
      $('#shards-table tbody', root).replaceChildren(...d.shards.map((s) => h('tr', { 'data-shard': s.shard_id },
        h('th', { scope: 'row' }, s.shard_id),
        h('td', {}, [s.parent_shard_id, s.adjacent_parent_shard_id].filter(Boolean).map(shortShard).join(' + ') || '—'),
        h('td', { class: 'mono', title: `${s.starting_hash_key} – ${s.ending_hash_key}` }, rangeText(s)),
        h('td', {}, s.expired ? 'past retention' : s.open ? 'open' : 'closed'),
        h('td', { class: 'num records' }, String(s.record_count)),
        h('td', { class: 'mono' }, s.latest_sequence_number || '—'),
        h('td', {}, h('a', { href: recordsHref({ account: k.account, region: k.region, stream: k.name,
          shard: s.shard_id }) }, 'Records')))));
      this.select(root, this.shard(this.selected) ? this.selected : null);
    },
    drawGraph(root) {
      const shards = this.data.shards;
      const byId = new Map(shards.map((s) => [s.shard_id, s]));
      const depth = new Map();
      const depthOf = (s) => {
        if (depth.has(s.shard_id)) return depth.get(s.shard_id);
        const parents = [s.parent_shard_id, s.adjacent_parent_shard_id].map((p) => byId.get(p)).filter(Boolean);
        const d = parents.length ? Math.max(...parents.map(depthOf)) + 1 : 0;
        depth.set(s.shard_id, d);
        return d;
      };
      shards.forEach(depthOf);
      const W = 1000, rowH = 64, boxH = 38, pad = 4;
      const rows = depth.size ? Math.max(...depth.values()) + 1 : 1;
      const x = (key) => Number((BigInt(key) * BigInt(W * 1000)) / HASH_SPACE) / 1000;
      const box = (s) => {
        const x0 = x(s.starting_hash_key), x1 = x((BigInt(s.ending_hash_key) + 1n).toString());
        return { x: x0 + 1, w: Math.max(2, x1 - x0 - 2), y: pad + depth.get(s.shard_id) * rowH };
      };
      const g = svg('svg', { viewBox: `0 0 ${W} ${rows * rowH + pad}`, role: 'group',
        'aria-label': `Lineage of ${shards.length} shards` });
      for (const s of shards) {
        for (const p of [s.parent_shard_id, s.adjacent_parent_shard_id].map((id) => byId.get(id)).filter(Boolean)) {
          const a = box(p), b = box(s);
          g.append(svg('path', { class: 'edge', d: `M${a.x + a.w / 2},${a.y + boxH} C${a.x + a.w / 2},${a.y + boxH + 14}` +
            ` ${b.x + b.w / 2},${b.y - 14} ${b.x + b.w / 2},${b.y}` }));
        }
      }
      for (const s of shards) {
        const b = box(s);
        const state = s.expired ? 'expired' : s.open ? 'open' : 'closed';
        const label = `${s.shard_id}, ${state}, ${s.record_count} records`;
        const node = svg('g', { class: `shard ${state}`, tabindex: '0', role: 'button', 'aria-label': label,
          'data-shard-id': s.shard_id, 'data-parent': s.parent_shard_id || '',
          'data-adjacent-parent': s.adjacent_parent_shard_id || '' },
        svg('title', {}, `${label}\n${s.starting_hash_key} – ${s.ending_hash_key}`),
        svg('rect', { x: b.x, y: b.y, width: b.w, height: boxH, rx: 4 }));
        if (b.w > 26) node.append(svg('text', { x: b.x + b.w / 2, y: b.y + 16 }, shortShard(s.shard_id)));
        if (b.w > 60) node.append(svg('text', { x: b.x + b.w / 2, y: b.y + 31, class: 'small' }, `${s.record_count} rec`));
        const pick = () => this.select(root, s.shard_id);
        node.addEventListener('click', pick);
        node.addEventListener('keydown', (ev) => {
          if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); pick(); }
        });
        g.append(node);
      }
      const holder = $('#lineage', root);
      const focused = document.activeElement && document.activeElement.dataset &&
        document.activeElement.dataset.shardId;
      holder.replaceChildren(g);
      if (focused) { const again = $(`g.shard[data-shard-id="${focused}"]`, holder); if (again) again.focus(); }
    },
  };
  function rangeText(s) {
    const pct = (k) => (Number((BigInt(k) * 10000n) / HASH_SPACE) / 100).toFixed(2);
    return `${pct(s.starting_hash_key)}% – ${pct((BigInt(s.ending_hash_key) + 1n).toString())}%`;
  }

  pages.records = {
    interval: 1000,
    async enter(root, params) {
      this.root = root;
      this.position = null;
      this.shown = [];
      const form = $('#read-form', root);
      this.form = form;
      const streams = await allStreams();
      const want = { account: params.get('account'), region: params.get('region'), stream: params.get('stream') };
      form.stream.replaceChildren(...streams.map((s) => h('option', {
        value: JSON.stringify([s.account, s.region, s.name]),
        selected: s.account === want.account && s.region === want.region && s.name === want.stream,
      }, `${s.name} (${s.account}, ${s.region})`)));
      await this.loadShards(params.get('shard'));
      form.stream.addEventListener('change', () => this.loadShards());
      form.addEventListener('submit', (ev) => { ev.preventDefault(); this.read(false); });
      $('#next-page', root).addEventListener('click', () => this.read(true));
      $('#live-tail', root).addEventListener('change', (ev) => {
        if (ev.target.checked && this.position === null) this.read(false, 'LATEST');
        $('#records-info', root).textContent = ev.target.checked ? 'following new records' : '';
      });
      $('#data-format', root).addEventListener('change', () => this.drawAll());
      $('#put-form', root).addEventListener('submit', (ev) => this.put(ev));
      if (params.get('shard')) this.read(false);
    },
    where() {
      const [account, region, name] = JSON.parse(this.form.stream.value || '[null,null,null]');
      return { account, region, name };
    },
    async loadShards(preferred) {
      const w = this.where();
      if (!w.name) return;
      const d = await admin('GET', `streams/${w.account}/${w.region}/${encodeURIComponent(w.name)}`);
      this.form.shard.replaceChildren(...d.shards.map((s) => h('option', { value: s.shard_id,
        selected: s.shard_id === preferred }, `${s.shard_id} (${s.open ? 'open' : 'closed'}, ${s.record_count})`)));
      this.position = null;
    },
    async read(more, startOverride) {
      const w = this.where();
      const f = formData(this.form);
      const q = new URLSearchParams({ limit: f.limit || '25' });
      if (more && this.position !== null) {
        q.set('start', 'AT_POSITION');
        q.set('position', this.position);
      } else {
        const start = startOverride || f.start;
        q.set('start', start);
        if (start.endsWith('SEQUENCE_NUMBER')) q.set('sequence_number', f.sequence_number.trim());
        if (start === 'AT_TIMESTAMP') q.set('timestamp_ms', String(Date.parse(f.timestamp + 'Z') || 0));
        this.shown = [];
      }
      try {
        const page = await admin('GET', `streams/${w.account}/${w.region}/${encodeURIComponent(w.name)}/shards/` +
          `${f.shard}/records?${q}`);
        this.position = page.next_position;
        $('#next-page', this.root).disabled = false;
        this.append(page.records, !more);
        if (!$('#live-tail', this.root).checked) {
          $('#records-info', this.root).textContent = `${this.shown.length} records shown` +
            (page.at_tip ? ', at the tip' : `, ${page.millis_behind_latest} ms behind the tip`);
        }
      } catch (e) {
        report(e);
      }
    },
    append(records, replace) {
      if (replace) $('#records-list', this.root).replaceChildren();
      for (const r of records) {
        const bytes = decodeBase64(r.data);
        const item = { r, bytes, info: detect(bytes) };
        this.shown.push(item);
        $('#records-list', this.root).append(this.draw(item));
      }
      const list = $('#records-list', this.root);
      while (this.shown.length > 500) { this.shown.shift(); list.firstElementChild.remove(); }
    },
    draw(item) {
      const { r, bytes, info } = item;
      const format = $('#data-format', this.root).value;
      return h('li', { 'data-seq': r.sequence_number },
        h('div', { class: 'meta' },
          h('span', {}, h('b', {}, 'key '), r.partition_key),
          h('span', { class: 'mono' }, h('b', {}, 'seq '), r.sequence_number),
          h('span', {}, h('b', {}, 'arrived '), h('time', { datetime: iso(r.arrival_ms) }, iso(r.arrival_ms))),
          h('span', { class: 'pill' }, `${info.kind}, ${r.size} B${r.encrypted ? ', KMS' : ''}`)),
        h('pre', { class: 'data', tabindex: '0' }, renderData(bytes, info, format)));
    },
    drawAll() {
      $('#records-list', this.root).replaceChildren(...this.shown.map((i) => this.draw(i)));
    },
    async refresh() {
      if ($('#live-tail', this.root).checked && this.position !== null) await this.read(true);
    },
    async put(ev) {
      ev.preventDefault();
      const w = this.where();
      const f = formData(ev.target);
      const input = { StreamName: w.name, PartitionKey: f.partition_key, Data: encodeBase64(utf8(f.data)) };
      if (f.explicit_hash_key.trim()) input.ExplicitHashKey = f.explicit_hash_key.trim();
      const out = await act(() => kinesis('PutRecord', input, w));
      if (out) say(`PutRecord stored ${out.SequenceNumber} in ${out.ShardId}`);
    },
  };

  pages.faults = {
    interval: 1000,
    async enter(root, params) {
      this.highlight = params.get('rule');
      $('#remove-all', root).addEventListener('click', async () => {
        await act(() => admin('DELETE', 'faults'), 'All rules removed');
        this.refresh(root);
      });
      const { plugins } = await admin('GET', 'plugins');
      $('#plugins', root).replaceChildren(...plugins.map((p) => this.pluginForm(root, p)));
    },
    pluginForm(root, p) {
      const id = (n) => `p-${p.name}-${n}`;
      const field = (name, label, attrs = {}, hint) => h('label', {}, label,
        h('input', { name, id: id(name), autocomplete: 'off', ...attrs }), hint ? h('small', {}, hint) : null);
      // One input per parameter, shaped by its spec in the catalogue: numbers with their range, choices as a list.
      const paramField = (q) => {
        const name = 'param.' + q.name;
        const hint = q.description + (q.default !== undefined ? ` (default ${q.default})` : '');
        const label = q.name + (q.required ? ' *' : '');
        if (q.choices || q.type === 'boolean') {
          const values = q.choices || ['true', 'false'];
          return h('label', {}, label, h('select', { name, id: id(name) },
            h('option', { value: '' }, q.default !== undefined ? `default (${q.default})` : '—'),
            values.map((v) => h('option', { value: v }, v))), h('small', {}, q.description));
        }
        const attrs = { required: q.required ? '' : null };
        if (q.type === 'number' || q.type === 'integer') {
          Object.assign(attrs, { type: 'number', step: q.type === 'integer' ? '1' : 'any', min: q.min, max: q.max });
        }
        if (q.decimal) Object.assign(attrs, { inputmode: 'numeric', pattern: '[0-9]+' });
        if (q.default !== undefined) attrs.placeholder = String(q.default);
        return field(name, label, attrs, hint);
      };
      const types = Object.fromEntries(p.params.map((q) => [q.name, q.type]));
      const form = h('form', { class: 'form plugin', 'data-plugin': p.name, 'aria-label': `Add a ${p.name} rule` },
        h('fieldset', {}, h('legend', {}, 'Match (empty: any)'),
          field('operation', 'Operation', { list: 'operations' }), field('stream', 'Stream'), field('shard', 'Shard'),
          field('region', 'Region'), field('account', 'Account'), field('consumer', 'Consumer ARN')),
        h('fieldset', {}, h('legend', {}, 'When'),
          field('probability', 'Probability', { type: 'number', min: 0, max: 1, step: 'any', placeholder: '1' }),
          field('count', 'Count', { type: 'number', min: 0, placeholder: 'unlimited' }),
          field('after', 'After', { type: 'number', min: 0, placeholder: '0' }),
          field('duration_ms', 'Duration (ms)', { type: 'number', min: 0, placeholder: 'forever' }),
          field('seed', 'Seed', { type: 'number', min: 0, placeholder: 'random' })),
        p.params.length ? h('fieldset', {}, h('legend', {}, 'Parameters'), p.params.map((q) => paramField(q))) : null,
        h('button', { type: 'submit' }, `Add ${p.name} rule`));
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const f = formData(form);
        const rule = { plugin: p.name, match: {}, params: {} };
        for (const [k, v] of Object.entries(f)) {
          const value = v.trim();
          if (!value) continue;
          if (k.startsWith('param.')) rule.params[k.slice(6)] = paramValue(value, types[k.slice(6)]);
          else if (['operation', 'stream', 'shard', 'region', 'account', 'consumer'].includes(k)) rule.match[k] = value;
          else rule[k] = Number(value);
        }
        const added = await act(() => admin('POST', 'faults', rule));
        if (added) { say(`Rule ${added.id} added`); form.reset(); this.refresh(root); }
      });
      return h('details', { class: 'plugin' }, h('summary', {}, h('b', {}, p.name), ' — ', p.description), form);
    },
    async refresh(root) {
      const { faults } = await admin('GET', 'faults');
      $('#rule-count', root).textContent = `${faults.length} rules`;
      const rows = faults.map((r) => h('tr', { 'data-rule': r.id, class: r.id === this.highlight ? 'highlight' : null },
        h('th', { scope: 'row', id: 'rule-' + r.id }, r.id), h('td', {}, r.plugin),
        h('td', {}, Object.entries(r.match).map(([k, v]) => `${k}=${v}`).join(', ') || 'any call'),
        h('td', { class: 'mono' }, Object.keys(r.params).length ? JSON.stringify(r.params) : '—'),
        h('td', { class: 'num' }, String(r.probability)),
        h('td', { class: 'num hits' }, String(r.hits)), h('td', { class: 'num fired' }, String(r.fired)),
        h('td', { class: 'num remaining' }, r.remaining === null ? '∞' : String(r.remaining)),
        h('td', {}, r.expired ? 'expired' : r.remaining === 0 ? 'used up' : 'active'),
        h('td', {}, h('button', { type: 'button', class: 'danger', 'aria-label': `Remove ${r.id}`, onclick: async () => {
          await act(() => admin('DELETE', 'faults/' + encodeURIComponent(r.id)), `Rule ${r.id} removed`);
          this.refresh(root);
        } }, 'Remove'))));
      if (!rows.length) rows.push(h('tr', {}, h('td', { colspan: 10, class: 'muted' }, 'No rules.')));
      $('#rules-table tbody', root).replaceChildren(...rows);
    },
  };
  // A form value as its parameter's type says (a decimal hash key is a string: it does not fit a double).
  function paramValue(v, type) {
    if (type === 'number' || type === 'integer') return Number(v);
    if (type === 'boolean') return v === 'true';
    return v;
  }

  pages.clock = {
    interval: 1000,
    enter(root) {
      const post = (body, msg) => act(async () => { this.show(root, await admin('POST', 'clock', body)); }, msg);
      $$('[data-advance]', root).forEach((b) => b.addEventListener('click', () =>
        post({ advance_ms: Number(b.dataset.advance) }, `Clock advanced by ${b.textContent.slice(1)}`)));
      $('#freeze', root).addEventListener('click', () => post({ freeze: true }, 'Clock frozen'));
      $('#unfreeze', root).addEventListener('click', () => post({ freeze: false }, 'Clock running'));
      $('#realtime', root).addEventListener('click', () => post({ set_ms: Date.now() }, 'Clock back at real time'));
      $('#set-clock', root).addEventListener('submit', (ev) => {
        ev.preventDefault();
        const ms = Date.parse(ev.target.at.value + 'Z');
        if (Number.isNaN(ms)) return say('Give a date and time', 'error');
        post({ set_ms: ms }, 'Clock set');
      });
    },
    async refresh(root) { this.show(root, await admin('GET', 'clock')); },
    show(root, c) {
      const t = $('#clock-now', root);
      t.textContent = iso(c.now_ms);
      t.setAttribute('datetime', iso(c.now_ms));
      t.dataset.ms = c.now_ms;
      $('#clock-state', root).textContent = c.frozen ? 'frozen' : 'running';
      $('#clock-state', root).className = 'pill ' + (c.frozen ? 'frozen' : 'active');
      const off = Math.round((c.now_ms - Date.now()) / 1000);
      $('#clock-offset', root).textContent = Math.abs(off) < 2 ? 'Following real time.' :
        `${Math.abs(off)} s ${off > 0 ? 'ahead of' : 'behind'} real time.`;
      const input = $('#set-clock', root).at;
      if (!input.value && document.activeElement !== input) input.value = iso(c.now_ms).slice(0, 19);
      badge(c);
    },
  };

  pages.calls = {
    interval: 2000,
    enter(root, params) {
      const form = $('#calls-filter', root);
      for (const k of ['operation', 'stream', 'status', 'fault']) if (params.get(k)) form[k].value = params.get(k);
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        const q = new URLSearchParams(Object.entries(formData(form)).filter(([, v]) => v));
        location.hash = '#/calls?' + q;
      });
    },
    async refresh(root) {
      const f = formData($('#calls-filter', root));
      const q = new URLSearchParams(Object.entries(f).filter(([, v]) => v));
      q.set('order', 'newest');
      q.set('limit', '200');
      const [{ calls }, rate] = await Promise.all([admin('GET', 'calls?' + q), admin('GET', 'calls/rate?seconds=300')]);
      const ops = new Set(calls.map((c) => c.operation));
      $('#operations').replaceChildren(...[...ops].sort().map((o) => h('option', { value: o })));
      const rows = calls.map((c) => h('tr', { 'data-seq': c.seq, class: c.status === 200 ? null : 'failed' },
        h('td', { class: 'num' }, String(c.seq)), h('td', {}, iso(c.time_ms)), h('th', { scope: 'row' }, c.operation),
        h('td', {}, c.stream || ''), h('td', {}, c.shard || ''),
        h('td', { class: 'num' }, c.status === 0 ? 'dropped' : String(c.status)), h('td', {}, c.error || ''),
        h('td', {}, c.fault_id ? h('a', { href: '#/faults?rule=' + encodeURIComponent(c.fault_id) }, c.fault_id) : ''),
        h('td', {}, c.http_version)));
      if (!rows.length) rows.push(h('tr', {}, h('td', { colspan: 9, class: 'muted' }, 'No calls match.')));
      $('#calls-table tbody', root).replaceChildren(...rows);
      drawRate($('#rate-chart', root), rate);
    },
  };
  function drawRate(holder, rate) {
    const n = rate.ok.length, W = 1000, H = 140, bw = W / n;
    const series = [['ok', rate.ok], ['c4', rate.client_error], ['c5', rate.server_error], ['dropped', rate.dropped]];
    const totals = rate.ok.map((_, i) => series.reduce((t, [, s]) => t + s[i], 0));
    const max = Math.max(1, ...totals);
    const chart = svg('svg', { viewBox: `0 0 ${W} ${H + 16}`, role: 'img',
      'aria-label': `Calls per second over ${n} seconds; peak ${max}, total ${totals.reduce((a, b) => a + b, 0)}` });
    chart.append(svg('line', { x1: 0, x2: W, y1: H, y2: H, class: 'axis' }));
    for (let i = 0; i < n; i++) {
      let y = H;
      for (const [cls, s] of series) {
        if (!s[i]) continue;
        const hgt = (s[i] / max) * (H - 4);
        y -= hgt;
        chart.append(svg('rect', { x: i * bw, y, width: Math.max(bw - 0.5, 0.5), height: hgt, class: 'bar ' + cls },
          svg('title', {}, `${iso((rate.from_second + i) * 1000)}: ${s[i]} ${cls}`)));
      }
    }
    chart.append(svg('text', { x: 0, y: H + 14, class: 'small start' }, `-${n} s`));
    chart.append(svg('text', { x: W, y: H + 14, class: 'small end' }, `now (peak ${max}/s)`));
    holder.replaceChildren(chart);
  }

  pages.settings = {
    enter(root) {
      const tf = $('#token-form', root);
      tf.token.value = settings.token;
      tf.addEventListener('submit', (ev) => {
        ev.preventDefault();
        settings.token = tf.token.value.trim();
        say('Admin token saved for this tab');
        if (returnTo) { location.hash = returnTo; returnTo = null; }
      });
      const cf = $('#cred-form', root);
      cf.akid.value = settings.akid;
      cf.secret.value = settings.secret;
      cf.addEventListener('submit', (ev) => {
        ev.preventDefault();
        settings.akid = cf.akid.value.trim();
        settings.secret = cf.secret.value;
        say('Credentials saved for this tab');
      });
      $('#auth-hint', root).textContent = config.auth === 'strict'
        ? 'This emulator runs --auth strict: enter an access key id and secret from its --credentials. A 12-digit ' +
          'access key id is also the account the calls act in.'
        : 'This emulator checks signatures for presence and shape only (--auth lenient): leave these empty and the ' +
          'console signs as the stream\'s account (a 12-digit access key id is the account).';
      if (config.admin_token_required && !settings.token) {
        $('#token-hint', root).textContent = 'This emulator runs with --admin-token: enter it to see its state.';
        tf.token.focus();
      }
    },
  };

  // ---- plumbing ------------------------------------------------------------------------------------------------
  function report(e) {
    if (e instanceof NeedToken) {
      if (current !== 'settings') { returnTo = location.hash; location.hash = '#/settings'; }
      say('This emulator needs its admin token (' + e.message + ')', 'error');
      return;
    }
    say(e.message || String(e), 'error');
  }
  // Runs an action; says `done` (or nothing) on success, the error otherwise; returns its value or null.
  async function act(fn, done) {
    try {
      const v = await fn();
      if (done) say(done);
      return v === undefined ? true : v;
    } catch (e) {
      report(e);
      return null;
    }
  }
  function badge(c) {
    const b = $('#clock-badge');
    b.textContent = iso(c.now_ms).slice(0, 19).replace('T', ' ') + (c.frozen ? ' (frozen)' : '');
  }
  // Live refreshes wait while a table row has the focus, so keyboard users keep their place.
  function focusInTable() {
    const f = document.activeElement;
    return Boolean(f && f !== document.body && f.closest('table'));
  }

  let current = null, timer = 0, generation = 0, returnTo = null, busy = false;
  async function route() {
    const [path, query] = (location.hash.replace(/^#\/?/, '') || 'streams').split('?');
    const name = pages[path] ? path : 'streams';
    const params = new URLSearchParams(query || '');
    const page = pages[name];
    const gen = ++generation;
    clearInterval(timer);
    current = name;
    $$('nav a').forEach((a) => {
      if (a.dataset.page === (name === 'stream' ? 'streams' : name)) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    const root = document.createElement('div');
    root.className = 'page page-' + name;
    root.append($('#tpl-' + name).content.cloneNode(true));
    main.replaceChildren(root);
    document.title = `${name[0].toUpperCase()}${name.slice(1)} · kinesis-emulator console`;
    try {
      if (page.enter) await page.enter(root, params);
      if (gen !== generation) return;
      if (page.refresh) await page.refresh(root);
    } catch (e) {
      report(e);
    }
    if (gen !== generation || !page.interval) return;
    timer = setInterval(async () => {
      if (busy || focusInTable() || document.hidden || gen !== generation) return;
      busy = true;
      try { await page.refresh(root); } catch (e) { report(e); clearInterval(timer); } finally { busy = false; }
    }, page.interval);
  }

  async function start() {
    try {
      const res = await fetch('/_emulator/ui/config', { cache: 'no-store' });
      config = await res.json();
    } catch (e) {
      say('Cannot reach the emulator: ' + e.message, 'error');
    }
    $('#version').textContent = config.version ? 'v' + config.version : '';
    window.addEventListener('hashchange', route);
    if (config.admin_token_required && !settings.token && !location.hash.startsWith('#/settings')) {
      returnTo = location.hash || '#/streams';
      location.hash = '#/settings';
    } else {
      route();
    }
    // The header's clock follows on every page.
    const tick = async () => {
      if (document.hidden || (config.admin_token_required && !settings.token)) return;
      try { badge(await admin('GET', 'clock')); } catch { /* the page's own refresh reports errors */ }
    };
    tick();
    setInterval(tick, 2000);
  }
  start();
})();
