// Detections hosted by the server: NRT rules run on their own connection when ingestion commits,
// so a long user query on the engine's connection does not hold up an alert.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { QuarryServer } from '../../src/server/server.js';
import { openWorkspace } from '../../src/workspace/workspace.js';

let dir: string;
let server: QuarryServer;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'quarry-nrt-server-'));
  writeFileSync(path.join(dir, 'quarry.yaml'), 'name: nrt\nversion: 1\nlocalOnly: true\n');
  mkdirSync(path.join(dir, 'rules'));
  writeFileSync(path.join(dir, 'rules', 'marker.yaml'), `id: 3f0c1d2e-0000-4000-8000-000000000001
name: Marker process
severity: High
kind: NRT
query: |
  SecurityEvent
  | where EventID == 4688 and CommandLine has "nrt-marker"
  | project TimeGenerated, Computer, CommandLine
entityMappings:
  - entityType: Host
    fieldMappings:
      - identifier: HostName
        columnName: Computer
`);
  server = await QuarryServer.start(openWorkspace(dir, { create: true }), { port: 0, log: () => undefined, retention: false });
});

after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const post = (route: string, body: string) => fetch(new URL(route, server.url), { method: 'POST', body, headers: { 'content-type': 'application/json' } });

test('an NRT alert is raised for a committed batch while a long query occupies the engine connection', async () => {
  // A query that runs until cancelled, on the engine's connection.
  const long = post('/api/query', JSON.stringify({ id: 'long-one', query: 'range x from 1 to 50000000000 step 1 | summarize count()' }));
  await new Promise((r) => setTimeout(r, 200));
  const lines = [
    { TimeGenerated: new Date().toISOString(), Computer: 'ws1', EventID: 4624, Account: 'CONTOSO\\alice' },
    { TimeGenerated: new Date().toISOString(), Computer: 'marker-host', EventID: 4688, CommandLine: 'cmd /c nrt-marker run' },
  ].map((l) => JSON.stringify(l)).join('\n');
  const ack = await post('/api/ingest/SecurityEvent', lines);
  assert.equal(ack.status, 200);
  assert.equal(((await ack.json()) as { accepted: number }).accepted, 2);
  let alerts: unknown[][] = [];
  for (let i = 0; i < 600 && alerts.length === 0; i++) {
    alerts = (await server.db.detectionLane.query('SecurityAlert | project AlertName, Entities')).rows;
    if (!alerts.length) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(alerts.length, 1, 'one alert for the marker');
  assert.match(JSON.stringify(alerts[0]), /marker-host/);
  // The long query was still running all along: cancelling it finds it.
  const cancel = await fetch(new URL('/api/query/long-one/cancel', server.url), { method: 'POST' });
  assert.equal(cancel.status, 200);
  assert.equal((await long).status, 408);
});
