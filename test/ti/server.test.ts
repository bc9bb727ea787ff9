// POST /api/ti/import on the workspace server: a STIX bundle and a CSV feed, queried through both tables.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { QuarryServer } from '../../src/server/server.js';
import { openWorkspace } from '../../src/workspace/workspace.js';

let dir: string;
let server: QuarryServer;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'quarry-ti-server-'));
  server = await QuarryServer.start(openWorkspace(dir, { create: true }), { port: 0, syslogUdpPort: 0, syslogTcpPort: 0, log: () => undefined });
});

after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function api(method: string, route: string, body?: string | Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(new URL(route, server.url), {
    method,
    headers: { authorization: `Bearer ${server.token}`, ...headers },
    body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

const BUNDLE = JSON.stringify({ type: 'bundle', id: 'bundle--3c2a1b0e-0000-4000-8000-000000000000', objects: [
  { type: 'indicator', spec_version: '2.1', id: 'indicator--3c2a1b0e-0000-4000-8000-000000000001', created: '2030-01-01T00:00:00Z', modified: '2030-01-01T00:00:00Z', pattern: "[ipv4-addr:value = '198.51.100.7']", pattern_type: 'stix' },
  { type: 'indicator', spec_version: '2.1', id: 'indicator--3c2a1b0e-0000-4000-8000-000000000002', created: '2030-01-01T00:00:00Z', modified: '2030-01-01T00:00:00Z', pattern: "[ipv4-addr:value = '198.51.100.8'] WITHIN 5 SECONDS", pattern_type: 'stix' },
] });

test('a gzip STIX bundle and a CSV feed are imported; the legacy view answers queries at once; bad requests are 400', async () => {
  const r = await api('POST', '/api/ti/import?source=Partner', gzipSync(BUNDLE), { 'content-encoding': 'gzip' });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.deepEqual([r.json.indicators, r.json.added, r.json.rows, r.json.rejected], [1, 1, 1, 1]);
  const again = await api('POST', '/api/ti/import?source=Partner', BUNDLE);
  assert.deepEqual([again.json.added, again.json.updated], [0, 1]);
  const csv = await api('POST', '/api/ti/import?format=csv&map=host=value', 'host,note\nevil.example.com,x\n');
  assert.equal(csv.status, 200, JSON.stringify(csv.json));
  assert.deepEqual([csv.json.added, csv.json.rows], [1, 1]);
  const q = await api('POST', '/api/query', JSON.stringify({ query: 'ThreatIntelligenceIndicator | order by IndicatorProvider asc | project NetworkIP, DomainName, IndicatorProvider' }), { 'content-type': 'application/json' });
  assert.equal(q.status, 200, JSON.stringify(q.json));
  assert.deepEqual(q.json.rows, [['198.51.100.7', '', 'Partner'], ['', 'evil.example.com', 'http:/api/ti/import']]);
  const errors = await api('POST', '/api/query', JSON.stringify({ query: "_IngestErrors | where TableName == 'ThreatIntelIndicators' | summarize count() by Reason" }), { 'content-type': 'application/json' });
  assert.match(errors.json.rows[0][0], /qualifier WITHIN/);

  assert.equal((await api('POST', '/api/ti/import?format=xml', BUNDLE)).status, 400);
  assert.equal((await api('POST', '/api/ti/import?lifetime=soon', BUNDLE)).status, 400);
  const noValue = await api('POST', '/api/ti/import?format=csv', 'a,b\n1,2\n');
  assert.equal(noValue.status, 400);
  assert.match(noValue.json.error, /no column gives the indicator value/);
  assert.equal((await api('POST', '/api/ti/import', '')).status, 400);
});

test('the server\'s hourly maintenance republishes indicators written 7+ days ago before retention runs', async () => {
  const { Ingestor } = await import('../../src/ingest/ingestor.js');
  const { importFeedText } = await import('../../src/ti/import-file.js');
  const wsDir = mkdtempSync(path.join(tmpdir(), 'quarry-ti-republish-'));
  try {
    const ws = openWorkspace(wsDir, { create: true });
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
    const ingestor = await Ingestor.open(ws.databasePath, { now: () => tenDaysAgo });
    await importFeedText(ingestor, 'feed.json', BUNDLE, { now: tenDaysAgo, lifetime: '0' });
    await ingestor.close();
    const logs: string[] = [];
    const s = await QuarryServer.start(ws, { port: 0, syslogUdpPort: 0, syslogTcpPort: 0, log: (l) => logs.push(l) });
    try {
      for (let i = 0; i < 100 && !logs.some((l) => l.startsWith('retention:')); i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(logs.includes('threat intelligence: republished 1 indicator rows'), logs.join('\n'));
      const res = await fetch(new URL('/api/query', s.url), {
        method: 'POST', headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'ThreatIntelIndicators | project LastUpdateMethod, Recent = TimeGenerated > ago(1h)' }),
      });
      assert.deepEqual((await res.json() as { rows: unknown[] }).rows, [['LogARepublisher', true]]);
    } finally {
      await s.stop();
    }
  } finally {
    rmSync(wsDir, { recursive: true, force: true });
  }
});
