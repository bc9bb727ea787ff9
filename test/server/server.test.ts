// The workspace server in-process: routes, auth, sessions, cancel, ingestion, syslog, bad input, retention.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PassThrough } from 'node:stream';
import { QuarryServer } from '../../src/server/server.js';
import { createToken } from '../../src/server/tokens.js';
import { enforceRetention } from '../../src/server/retention.js';
import { readServerInfo } from '../../src/server/state-file.js';
import { SyslogFramer } from '../../src/server/syslog-framing.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { runCli } from '../../src/cli/program.js';
import { openSession } from '../../src/notebooks/session/open.js';
import { rng, mutate } from '../../src/ingest/fuzz.js';

const CONFIG = `name: srv
version: 1
localOnly: false
server:
  maxPendingBatches: 4
  dataCollectionRules:
    dcr-0001:
      Custom-Firewall: { table: Firewall_CL, mapping: { src: SrcIp } }
tables:
  Decl_CL:
    columns: { n: long, s: string, when: datetime }
  Keep_CL:
    retentionDays: 0
  Short_CL:
    retentionDays: 7
  mapped_CL:
    columns: { SrcIp: string }
    mapping: { src: SrcIp }
`;

let dir: string;
let server: QuarryServer;
let token: string;

async function api(method: string, route: string, body?: string | Buffer, headers: Record<string, string> = {}, auth = true) {
  const res = await fetch(new URL(route, server.url), {
    method,
    headers: { ...(auth ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

const query = (q: string, extra: Record<string, unknown> = {}) => api('POST', '/api/query', JSON.stringify({ query: q, ...extra }), { 'content-type': 'application/json' });
const count = async (q: string) => {
  const r = await query(q);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.rows[0][0] as number;
};

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'quarry-server-test-'));
  writeFileSync(path.join(dir, 'quarry.yaml'), CONFIG);
  const ws = openWorkspace(dir, { create: true });
  server = await QuarryServer.start(ws, { port: 0, syslogUdpPort: 0, syslogTcpPort: 0, log: () => undefined });
  token = server.token;
});

after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('server basics', () => {
  it('answers /api/health without a token and writes server.json readable by its owner only', async () => {
    const r = await api('GET', '/api/health', undefined, {}, false);
    assert.equal(r.status, 200);
    assert.equal(r.json.status, 'ok');
    const info = readServerInfo(openWorkspace(dir));
    assert.equal(info?.pid, process.pid);
    assert.equal(info?.url, server.url);
    assert.equal(statSync(path.join(dir, '.quarry', 'server.json')).mode & 0o777, 0o600);
  });

  it('requires a valid bearer token on every other route (workspace not local-only)', async () => {
    assert.equal((await api('GET', '/api/stats', undefined, {}, false)).status, 401);
    assert.equal((await api('GET', '/api/stats', undefined, { authorization: 'Bearer qry_wrong' }, false)).status, 401);
    assert.equal((await api('POST', '/api/ingest/Auth_CL', '{"a":1}', {}, false)).status, 401);
    assert.equal((await api('POST', '/api/query', '{"query":"print 1"}', {}, false)).status, 401);
    const created = createToken(openWorkspace(dir), 'ci');
    const r = await api('GET', '/api/stats', undefined, { authorization: `Bearer ${created}` }, false);
    assert.equal(r.status, 200);
    assert.equal((await api('GET', '/api/stats')).status, 200);
  });

  it('refuses to listen beyond loopback when the workspace is local-only', async () => {
    const local = mkdtempSync(path.join(tmpdir(), 'quarry-server-local-'));
    try {
      const ws = openWorkspace(local, { create: true });
      await assert.rejects(QuarryServer.start(ws, { port: 0, host: '0.0.0.0', log: () => undefined }), /local-only/);
    } finally {
      rmSync(local, { recursive: true, force: true });
    }
  });
});

describe('query API', () => {
  it('runs KQL and answers in the CLI JSON shape', async () => {
    const r = await query('print x = 1 + 2, s = "a"', { id: 'q-basic' });
    assert.equal(r.status, 200);
    assert.equal(r.json.id, 'q-basic');
    assert.deepEqual(r.json.columns, [{ name: 'x', type: 'long' }, { name: 's', type: 'string' }]);
    assert.deepEqual(r.json.rows, [[3, 'a']]);
    assert.deepEqual(Object.keys(r.json), ['id', 'columns', 'rows', 'truncated', 'warnings', 'visualization', 'stats']);
  });

  it('reports KQL errors with their diagnostics as 400', async () => {
    const r = await query('print x = ');
    assert.equal(r.status, 400);
    assert.equal(r.json.kind, 'syntax');
    assert.ok(r.json.diagnostics.length > 0);
    assert.equal((await api('POST', '/api/query', '{"query": 5}', { 'content-type': 'application/json' })).status, 400);
    assert.equal((await api('POST', '/api/query', 'not json')).status, 400);
  });

  it('keeps let bindings and stored results across requests of a session', async () => {
    const a = await query('let limitN = 3;', { session: 's1' });
    assert.equal(a.status, 200);
    assert.equal(a.json.result, null);
    const b = await query('range i from 1 to 10 step 1 | take limitN', { session: 's1', storeAs: 'firstThree' });
    assert.equal(b.status, 200, JSON.stringify(b.json));
    assert.equal(b.json.rows.length, 3);
    const c = await query('firstThree | summarize s = sum(i) | extend n = limitN', { session: 's1' });
    assert.deepEqual(c.json.rows, [[6, 3]]);
    // Another session does not see s1's binding.
    const d = await query('print limitN', { session: 's2' });
    assert.equal(d.status, 400);
  });

  it('cancels a running query by its id, and 404s an unknown id', async () => {
    const slow = query('range i from 1 to 20000000000 step 1 | summarize sum(i % 7)', { id: 'q-slow' });
    await new Promise((r) => setTimeout(r, 400));
    const c = await api('POST', '/api/query/q-slow/cancel');
    assert.equal(c.status, 200);
    const r = await slow;
    assert.equal(r.status, 408);
    assert.equal(r.json.kind, 'cancelled');
    assert.equal((await api('POST', '/api/query/nope/cancel')).status, 404);
  });

  it('stops a query at its timeoutMs', async () => {
    const r = await query('range i from 1 to 20000000000 step 1 | summarize sum(i % 7)', { timeoutMs: 300 });
    assert.equal(r.status, 408);
    assert.equal(r.json.kind, 'timeout');
  });
});

describe('ingestion API', () => {
  it('takes a JSON array, NDJSON and gzip, acknowledging committed counts', async () => {
    const a = await api('POST', '/api/ingest/Web_CL', JSON.stringify([{ n: 1, u: 'a' }, { n: 2, u: 'b' }]), { 'content-type': 'application/json' });
    assert.equal(a.status, 200);
    assert.equal(a.json.accepted, 2);
    const b = await api('POST', '/api/ingest/Web_CL', '{"n":3,"u":"c"}\r\n\n{"n":4,"u":"d"}\n', { 'content-type': 'application/x-ndjson' });
    assert.equal(b.json.accepted, 2);
    const c = await api('POST', '/api/ingest/Web_CL', gzipSync('{"n":5,"u":"e"}\n'), { 'content-encoding': 'gzip' });
    assert.equal(c.json.accepted, 1);
    assert.equal(await count('Web_CL | summarize sum(n)'), 15);
    assert.equal(await count('Web_CL | where ingestion_time() > ago(1h) | count'), 5);
  });

  it('commits concurrent batches together (group commit), each whole, typed as declared', async () => {
    const batches = Array.from({ length: 10 }, (_, b) => Array.from({ length: 100 }, (_, i) => JSON.stringify({ n: b * 100 + i, s: `b${b}`, when: '2024-05-01T10:00:00Z' })).join('\n'));
    // One batch has a value that does not fit its column: it goes the record-by-record way.
    batches.push('{"n":"not a number","s":"odd"}\n{"n":7,"s":"odd"}');
    // This server admits 4 pending batches: retry on 429 as a client should.
    const post = async (body: string) => {
      for (;;) {
        const a = await api('POST', '/api/ingest/Decl_CL', body);
        if (a.status !== 429) return a;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const answers = await Promise.all(batches.map(post));
    assert.ok(answers.every((a) => a.status === 200), JSON.stringify(answers.map((a) => a.json)));
    assert.deepEqual(answers.slice(0, 10).map((a) => a.json.accepted), Array(10).fill(100));
    assert.equal(answers[10]!.json.accepted, 2);
    assert.equal(await count('Decl_CL | where s startswith "b" | summarize sum(n)'), 999 * 1000 / 2);
    assert.equal(await count('Decl_CL | where s startswith "b" and when == datetime(2024-05-01T10:00:00Z) | count'), 1000);
    assert.equal(await count('Decl_CL | where s == "odd" | count'), 2);
    assert.equal(await count('Decl_CL | where s == "odd" and isnull(n) and isnotempty(AdditionalFields) | count'), 1);
  });

  it('stores a batch once for a repeated Idempotency-Key', async () => {
    const body = JSON.stringify([{ k: 1 }, { k: 2 }, { k: 3 }]);
    const first = await api('POST', '/api/ingest/Idem_CL', body, { 'idempotency-key': 'batch-42' });
    const again = await api('POST', '/api/ingest/Idem_CL', body, { 'idempotency-key': 'batch-42' });
    assert.equal(first.json.duplicate, false);
    assert.equal(again.status, 200);
    assert.equal(again.json.duplicate, true);
    assert.equal(await count('Idem_CL | count'), 3);
  });

  it('maps an Azure Logs Ingestion API stream to its table (204), 404 for an unknown stream', async () => {
    const r = await api('POST', '/dataCollectionRules/dcr-0001/streams/Custom-Firewall?api-version=2023-01-01', JSON.stringify([{ src: '10.0.0.1', port: 443 }]), { 'content-type': 'application/json' });
    assert.equal(r.status, 204);
    const q = await query('Firewall_CL | project SrcIp, port');
    assert.deepEqual(q.json.rows, [['10.0.0.1', 443]]);
    assert.equal((await api('POST', '/dataCollectionRules/dcr-0001/streams/Other', '[]')).status, 404);
  });

  it('applies a table\'s configured mapping when the request names the table in another case', async () => {
    const r = await api('POST', '/api/ingest/Mapped_CL', '{"src":"10.0.0.2"}\n', { 'content-type': 'application/x-ndjson' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.deepEqual((await query('Mapped_CL | project SrcIp')).json.rows, [['10.0.0.2']]);
  });

  it('answers 429 with Retry-After when the queue is full, and stores every acknowledged batch', async () => {
    const rows = JSON.stringify(Array.from({ length: 3000 }, (_, i) => ({ i, text: 'x'.repeat(40) })));
    const answers = await Promise.all(Array.from({ length: 12 }, () => api('POST', '/api/ingest/Busy_CL', rows)));
    const refused = answers.filter((a) => a.status === 429);
    const ok = answers.filter((a) => a.status === 200);
    assert.ok(refused.length > 0, 'expected some 429s');
    assert.ok(refused.every((a) => Number(a.headers.get('retry-after')) > 0));
    assert.equal(ok.length + refused.length, answers.length);
    assert.equal(await count('Busy_CL | count'), ok.length * 3000);
  });

  it('rejects an unknown standard table name with 404 and a bad name with 400', async () => {
    assert.equal((await api('POST', '/api/ingest/SecurityEvents', '{"a":1}')).status, 404);
    assert.equal((await api('POST', '/api/ingest/bad%20name', '{"a":1}')).status, 400);
  });
});

describe('bad input never stops the server', () => {
  it('truncated gzip and invalid UTF-8 are 400s; not-an-object records go to _IngestErrors', async () => {
    const gz = gzipSync('{"a":1}\n'.repeat(1000));
    const t = await api('POST', '/api/ingest/Bad_CL', gz.subarray(0, gz.length - 20), { 'content-encoding': 'gzip' });
    assert.equal(t.status, 400);
    assert.match(t.json.error, /gzip/);
    const u = await api('POST', '/api/ingest/Bad_CL', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    assert.equal(u.status, 400);
    assert.match(u.json.error, /UTF-8/);
    const before = (await api('GET', '/api/stats')).json.errors as number;
    const n = await api('POST', '/api/ingest/Bad_CL', '[1, "two", null, {"ok": true}, [3]]');
    assert.equal(n.status, 200);
    assert.equal(n.json.accepted, 1);
    assert.equal(n.json.rejected, 4);
    const l = await api('POST', '/api/ingest/Bad_CL', '{"ok":true}\n42\n{broken\n');
    assert.equal(l.json.rejected, 2);
    assert.equal(await count('_IngestErrors | count'), before + 6);
    assert.equal(await count('_IngestErrors | where TableName == "Bad_CL" and Reason has "not an object" | count'), 5);
    assert.equal((await api('POST', '/api/ingest/Bad_CL', '[1,', {})).status, 400);
    assert.equal((await api('POST', '/api/ingest/Bad_CL', 'x', { 'content-encoding': 'br' })).status, 415);
  });

  it('survives random and mutated bodies (fuzz)', async () => {
    const rand = rng(7);
    const seeds = ['[{"a":1,"b":"x"}]', '{"a":1}\n{"b":[1,2,{"c":null}]}\n', '[{"TimeGenerated":"2024-01-01T00:00:00Z","n":1e308}]', '{"a":"\\u0000\\ud800"}'];
    for (let i = 0; i < 120; i++) {
      const text = mutate(seeds[i % seeds.length]!, rand);
      const gz = i % 5 === 0;
      const body = gz ? gzipSync(text).subarray(0, Math.floor(rand() * 40) + 10) : Buffer.from(text);
      const r = await api('POST', '/api/ingest/Fuzz_CL', body, gz ? { 'content-encoding': 'gzip' } : {});
      assert.ok(r.status === 200 || r.status === 400, `status ${r.status} for ${JSON.stringify(text)}: ${JSON.stringify(r.json)}`);
    }
    assert.equal((await api('GET', '/api/health')).status, 200);
  });
});

describe('syslog listeners', () => {
  it('frames TCP input by newline and by octet counting (RFC 6587)', () => {
    const f = new SyslogFramer(100);
    const m = '<13>Jan  2 03:04:05 host app: hello';
    const frames = [...f.push(Buffer.from(`${m}\n${Buffer.byteLength(m)} ${m}${m.slice(0, 5)}`)), ...f.push(Buffer.from(`${m.slice(5)}\n`))];
    assert.deepEqual(frames, [{ ok: true, text: m }, { ok: true, text: m }, { ok: true, text: m }]);
    const long = f.push(Buffer.from('500 ' + 'x'.repeat(10) + '\n<13>Jan  2 03:04:05 h a: after\n'));
    assert.equal(long[0]!.ok, false);
    assert.deepEqual(long[1], { ok: true, text: '<13>Jan  2 03:04:05 h a: after' });
  });

  it('stores UDP and TCP messages in Syslog / CommonSecurityLog, header-less lines in _IngestErrors', async () => {
    const stats = server.syslog!.stats;
    const udp = dgram.createSocket('udp4');
    for (let i = 0; i < 50; i++) {
      await new Promise<void>((r) => udp.send(`<34>Oct 11 22:14:15 udphost su[${i}]: udp message ${i}`, stats.udpPort!, '127.0.0.1', () => r()));
    }
    udp.close();
    const tcp = net.connect(stats.tcpPort!, '127.0.0.1');
    await new Promise<void>((r) => tcp.once('connect', () => r()));
    const framed = '<165>1 2003-10-11T22:14:15.003Z tcphost evntslog - ID47 - octet counted';
    const cef = '<134>Oct 11 22:14:15 fw CEF:0|Vendor|Product|1.0|100|Blocked|5|src=10.1.1.1 dst=10.2.2.2 spt=1234';
    tcp.write(`<13>Oct 11 22:14:15 tcphost app: newline framed\n${Buffer.byteLength(framed)} ${framed}${cef}\nno header here at all\n`);
    tcp.end();
    const deadline = Date.now() + 5000;
    while (stats.committed < 53 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await server.syslog!.flush();
    assert.equal(await count('Syslog | where HostName == "udphost" | count'), 50);
    assert.equal(await count('Syslog | where HostName == "tcphost" | count'), 2);
    assert.equal(await count('CommonSecurityLog | where SourceIP == "10.1.1.1" and DestinationPort == 0 or SourcePort == 1234 | count'), 1);
    assert.equal(await count('_IngestErrors | where Source startswith "syslog" and RawText == "no header here at all" | count'), 1);
  });
});

describe('stats, retention and the CLI', () => {
  it('reports events per table, ingestion totals and errors', async () => {
    const r = await api('GET', '/api/stats');
    assert.equal(r.json.tables.Web_CL, 5);
    assert.ok(r.json.ingestion.accepted >= 5);
    assert.ok(r.json.ingestion.refused > 0);
    assert.ok(r.json.errors > 0);
    assert.ok(r.json.syslog.received >= 50);
  });

  it('quarry query sends the query to the server that owns the workspace', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    stdout.on('data', (d) => { out += d; });
    const status = await runCli(['query', '-w', dir, '-f', 'json', 'Web_CL | summarize n = sum(n)'], {
      io: { stdin: new PassThrough() as never, stdout: stdout as never, stderr: stderr as never },
      openEngine: async () => { throw new Error('the CLI opened the database itself'); },
    });
    assert.equal(status, 0, out);
    assert.deepEqual(JSON.parse(out).rows, [[15]]);
    assert.ok(existsSync(path.join(dir, '.quarry', 'server.json')));
  });

  it('a notebook session on the workspace goes through the server (bindings, %as, errors in cell positions, completion)', async () => {
    const session = await openSession(dir);
    try {
      assert.equal(session.target, dir);
      assert.equal(await session.run('let lo = 2;'), null);
      const stored = await session.run('Web_CL | where n > lo | project n', { storeAs: 'big' });
      assert.equal(stored?.rows.length, 3);
      const r = await session.run('big | summarize total = sum(n)');
      assert.deepEqual(r?.rows, [[12]]);
      await assert.rejects(session.run('big\n| where nope > 1'), (err: Error & { diagnostics?: { line: number }[] }) => err.diagnostics?.[0]?.line === 2);
      const items = session.complete('Web_', 4).items.map((i) => i.text);
      assert.ok(items.includes('Web_CL'), items.slice(0, 20).join(','));
    } finally {
      await session.close();
    }
  });

  it('deletes rows past their table retention by ingestion time; 0 keeps forever', async () => {
    await api('POST', '/api/ingest/Keep_CL', '{"a":1}');
    await api('POST', '/api/ingest/Short_CL', '{"a":1}');
    // Old events ingested now are kept: retention counts from _TimeReceived.
    await api('POST', '/api/ingest/Old_CL', '{"TimeGenerated":"2001-01-01T00:00:00Z","a":1}');
    assert.deepEqual(await enforceRetention(server.db), {});
    const in10Days = new Date(Date.now() + 10 * 86_400_000);
    const deleted = await enforceRetention(server.db, in10Days);
    assert.equal(deleted.Short_CL, 1);
    assert.equal(deleted.Keep_CL, undefined);
    assert.equal(deleted.Old_CL, undefined);
    assert.equal(await count('Keep_CL | count'), 1);
    assert.equal(await count('Old_CL | count'), 1);
    const in100Days = await enforceRetention(server.db, new Date(Date.now() + 100 * 86_400_000));
    assert.equal(in100Days.Old_CL, 1);
    assert.equal(await count('Keep_CL | count'), 1);
  });

});
