import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runCliCaptured } from '../run-cli.js';

let dir: string;
before(() => { dir = mkdtempSync(path.join(tmpdir(), 'quarry-ti-cli-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

const cli = runCliCaptured;

test('quarry ti import (STIX and CSV), rules, and the indicators queried through both tables', async () => {
  const ws = path.join(dir, 'ws');
  const bundle = path.join(dir, 'feed.json');
  writeFileSync(bundle, JSON.stringify({ type: 'bundle', id: 'bundle--0f7a6c43-2d1b-4c1e-9f1e-3a3b3c3d3e3f', objects: [
    { type: 'indicator', spec_version: '2.1', id: 'indicator--6b616fc1-1505-48e3-8b2c-0d19337bff38', created: '2030-01-01T00:00:00Z', modified: '2030-01-01T00:00:00Z', valid_from: '2030-01-01T00:00:00Z', pattern: "[domain-name:value = 'evil.example.com']", pattern_type: 'stix' },
    { type: 'indicator', spec_version: '2.1', id: 'indicator--6b616fc1-1505-48e3-8b2c-0d19337bff39', created: '2030-01-01T00:00:00Z', modified: '2030-01-01T00:00:00Z', pattern: "[url:value LIKE '%evil%']", pattern_type: 'stix' },
  ] }));
  const r = await cli('ti', 'import', bundle, '--source', 'Feed A', '-w', ws);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /1 indicators \(1 new, 0 updated, 0 older than stored and left out\), 1 ThreatIntelIndicators rows, 1 rejected/);
  const csv = path.join(dir, 'ips.csv');
  writeFileSync(csv, 'ip,comment\n198.51.100.7,scanner\n');
  const c = await cli('ti', 'import', csv, '--map', 'ip=value', '--map', 'comment=description', '-w', ws);
  assert.equal(c.status, 0, c.stderr);
  assert.match(c.stdout, /1 indicators \(1 new/);
  const q = await cli('query', 'ThreatIntelligenceIndicator | order by IndicatorProvider asc | project DomainName, NetworkIP, IndicatorProvider, Description', '-w', ws, '--format', 'csv');
  assert.equal(q.status, 0, q.stderr);
  assert.equal(q.stdout.trim().split('\n').slice(1).join('\n').replace(/\r/g, ''), 'evil.example.com,,Feed A,\n,198.51.100.7,ips,scanner');
  const rules = await cli('ti', 'rules', '-w', ws);
  assert.equal(rules.status, 0, rules.stderr);
  assert.match(rules.stdout, /7 rules copied/);
  assert.ok(existsSync(path.join(ws, 'rules', 'threat-intelligence', 'URLEntity_Syslog.yaml')));
  const validate = await cli('rules', 'validate', '-w', ws);
  assert.equal(validate.status, 0, validate.stdout + validate.stderr);
  const again = await cli('ti', 'rules', '-w', ws);
  assert.match(again.stdout, /0 rules copied, 7 already there and kept/);
  const bad = await cli('ti', 'import', bundle, '--format', 'xml', '-w', ws);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--format xml: expected stix or csv/);
});

test('retro-hunting: indicators imported --as-of a past time match past logs in quarry rules test', async () => {
  const ws = path.join(dir, 'retro');
  const root = path.resolve(import.meta.dirname, '../..');
  assert.equal((await cli('ingest', path.join(root, 'demo/data/syslog/exabeam.log'), '-w', ws)).status, 0);
  const first = await cli('query', 'Syslog | summarize t = min(TimeGenerated) | project d = format_datetime(startofday(t), "yyyy-MM-dd")', '-w', ws, '--format', 'csv');
  const day = first.stdout.trim().split('\n')[1]!.replace(/\r/g, '');
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();
  const feed = path.join(dir, 'retro.json');
  writeFileSync(feed, JSON.stringify({ type: 'bundle', id: 'bundle--0f7a6c43-2d1b-4c1e-9f1e-3a3b3c3d3e40', objects: [
    { type: 'indicator', spec_version: '2.1', id: 'indicator--6b616fc1-1505-48e3-8b2c-0d19337bff40', created: '2020-01-01T00:00:00Z', modified: '2020-01-01T00:00:00Z', valid_from: '2020-01-01T00:00:00Z', valid_until: '2099-01-01T00:00:00Z', pattern: "[url:value = 'https://exampledomain.com/download/virus.exe']", pattern_type: 'stix' },
  ] }));
  assert.equal((await cli('ti', 'rules', '-w', ws)).status, 0);
  const rule = path.join(ws, 'rules', 'threat-intelligence', 'URLEntity_Syslog.yaml');
  // Imported now: a replay of the logs' day does not see indicators written months later.
  assert.equal((await cli('ti', 'import', feed, '-w', ws)).status, 0);
  const before = await cli('rules', 'test', rule, '--from', `${day}T00:00:00Z`, '--to', next, '-w', ws);
  assert.match(before.stdout, /0 would fire/);
  const asOf = await cli('ti', 'import', feed, '--as-of', `${day}T00:00:00Z`, '-w', ws);
  assert.equal(asOf.status, 0, asOf.stderr);
  const after = await cli('rules', 'test', rule, '--from', `${day}T00:00:00Z`, '--to', next, '-w', ws);
  assert.match(after.stdout, /1 would fire, 1 alert/);
  assert.match(after.stdout, /url:https:\/\/exampledomain\.com\/download\/virus\.exe/);
  assert.equal((await cli('ti', 'import', feed, '--as-of', 'last tuesday', '-w', ws)).status, 2);
});
