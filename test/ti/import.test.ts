import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { QueryEngine } from '../../src/engine/engine.js';
import { Ingestor } from '../../src/ingest/ingestor.js';
import { importFeedFile } from '../../src/ti/import-file.js';
import { republishIndicators } from '../../src/ti/store.js';

let dir: string;
before(() => { dir = mkdtempSync(path.join(tmpdir(), 'quarry-ti-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

const NOW = new Date('2024-05-10T12:00:00Z');
const TLP_GREEN = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da';

function indicator(n: number, pattern: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'indicator', spec_version: '2.1', id: `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    created: '2024-05-01T00:00:00Z', modified: '2024-05-01T00:00:00Z', valid_from: '2024-05-01T00:00:00Z',
    pattern, pattern_type: 'stix', ...extra,
  };
}

function bundle(objects: unknown[]): string {
  const file = path.join(dir, `bundle-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects }));
  return file;
}

async function open() {
  const db = path.join(dir, `ti-${Math.random().toString(36).slice(2)}.duckdb`);
  return { db, ingestor: await Ingestor.open(db, { now: () => NOW }) };
}

async function query(db: string, kql: string, now = NOW) {
  const engine = await QueryEngine.open({ databasePath: db });
  try {
    const r = await engine.query(kql, { now });
    return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
  } finally {
    await engine.close();
  }
}

test('a STIX bundle becomes ThreatIntelIndicators rows (one per observable) and legacy ThreatIntelligenceIndicator rows', async () => {
  const { db, ingestor } = await open();
  const file = bundle([
    { type: 'identity', spec_version: '2.1', id: 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff', created: '2024-05-01T00:00:00Z', modified: '2024-05-01T00:00:00Z', name: 'ACME CTI' },
    indicator(1, "[ipv4-addr:value = '198.51.100.7' OR domain-name:value = 'evil.example.com']", {
      name: 'C2 server', description: 'Known C2', indicator_types: ['malicious-activity'], confidence: 80, labels: ['apt-x', 'c2'],
      valid_until: '2024-06-01T00:00:00Z', object_marking_refs: [TLP_GREEN],
    }),
    indicator(2, "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' AND file:name = 'dropper.exe']"),
    indicator(3, "[url:value = 'https://exampledomain.com/download/virus.exe']", { revoked: true }),
  ]);
  const s = await importFeedFile(ingestor, file, { now: NOW, source: 'ACME feed' });
  await ingestor.close();
  assert.deepEqual([s.indicators, s.added, s.updated, s.rows, s.rejected], [3, 3, 0, 4, 0]);
  assert.deepEqual(s.skipped, { identity: 1 });

  const rows = await query(db, 'ThreatIntelIndicators | order by Id asc, ObservableKey asc | project Id, ObservableKey, ObservableValue, IsActive, Revoked, Confidence, ValidFrom, ValidUntil, SourceSystem, Tags, TLP = tostring(AdditionalFields.TLPLevel), Name = tostring(Data.name), TimeGenerated, LastUpdateMethod, Type');
  assert.equal(rows.length, 4);
  assert.deepEqual(rows[0], {
    Id: 'indicator--00000000-0000-4000-8000-000000000001', ObservableKey: 'domain-name:value', ObservableValue: 'evil.example.com',
    IsActive: true, Revoked: false, Confidence: 80, ValidFrom: '2024-05-01T00:00:00.0000000Z', ValidUntil: '2024-06-01T00:00:00.0000000Z',
    SourceSystem: 'ACME feed', Tags: '["apt-x","c2"]', TLP: 'green', Name: 'C2 server', TimeGenerated: '2024-05-10T12:00:00.0000000Z',
    LastUpdateMethod: 'QuarryImport', Type: 'ThreatIntelIndicators',
  });
  assert.equal(rows[1]!['ObservableValue'], '198.51.100.7');
  assert.equal(rows[2]!['ObservableKey'], "file:hashes.'SHA-256'");
  assert.equal(rows[2]!['ValidUntil'], '2024-07-30T00:00:00.0000000Z', 'no valid_until: valid_from + the 90-day default lifetime');
  assert.deepEqual([rows[3]!['ObservableKey'], rows[3]!['IsActive'], rows[3]!['Revoked']], ['url:value', false, true], 'revoked: inactive');

  const legacy = await query(db, 'ThreatIntelligenceIndicator | order by IndicatorId asc, NetworkIP asc | project IndicatorId, NetworkIP, DomainName, Url, FileHashValue, FileHashType, FileName, Active, ExpirationDateTime, ConfidenceScore, Description, ThreatType, TrafficLightProtocolLevel, IndicatorProvider, Type');
  assert.deepEqual(legacy.map((r) => [r['NetworkIP'], r['DomainName'], r['Url'], r['FileHashType'], r['FileName'], r['Active']]), [
    ['', 'evil.example.com', '', '', '', true],
    ['198.51.100.7', '', '', '', '', true],
    ['', '', '', 'SHA256', 'dropper.exe', true],
    ['', '', 'https://exampledomain.com/download/virus.exe', '', '', false],
  ]);
  assert.deepEqual(
    [legacy[0]!['ConfidenceScore'], legacy[0]!['Description'], legacy[0]!['ThreatType'], legacy[0]!['TrafficLightProtocolLevel'], legacy[0]!['IndicatorProvider'], legacy[0]!['ExpirationDateTime'], legacy[0]!['Type']],
    [80, 'Known C2', 'malicious-activity', 'green', 'ACME feed', '2024-06-01T00:00:00.0000000Z', 'ThreatIntelligenceIndicator'],
  );
});

test('a pattern that cannot be mapped is an _IngestErrors row, never dropped; the rest of the bundle is stored', async () => {
  const { db, ingestor } = await open();
  const file = bundle([
    indicator(1, "[ipv4-addr:value = '198.51.100.7']"),
    indicator(2, "[process:name = 'evil.exe']"),
    indicator(3, "[ipv4-addr:value = '198.51.100.8'"),
    indicator(4, "[ipv4-addr:value = '198.51.100.9'] FOLLOWEDBY [url:value = 'http://x.example/']"),
    indicator(5, 'rule x { condition: true }', { pattern_type: 'yara' }),
    { ...indicator(6, "[ipv4-addr:value = '198.51.100.10']"), valid_from: 'yesterday' },
  ]);
  const s = await importFeedFile(ingestor, file, { now: NOW });
  await ingestor.close();
  assert.deepEqual([s.indicators, s.rows, s.rejected], [1, 1, 5]);
  const errors = await query(db, '_IngestErrors | order by Source asc | project Source, Reason, TableName, Outcome');
  assert.equal(errors.length, 5);
  assert.ok(errors.every((e) => e['TableName'] === 'ThreatIntelIndicators' && e['Outcome'] === 'rejected'));
  const reasons = errors.map((e) => String(e['Reason']));
  assert.match(reasons[0]!, /^indicator--0+-0000-4000-8000-000000000002: pattern \[process:name = 'evil.exe'\]: process:name is not an observable Quarry can match/);
  assert.match(reasons[1]!, /pattern .*: expected '\]' to close the observation expression, found the end of the pattern \(at character 34\)/);
  assert.match(reasons[2]!, /FOLLOWEDBY asks for observations in order/);
  assert.match(reasons[3]!, /pattern_type "yara" is not supported/);
  assert.match(reasons[4]!, /"valid_from" must be an RFC 3339 UTC timestamp/);
  assert.match(String(errors[0]!['Source']), /bundle-.*\.json\[objects\[1\]\]$/);
});

test('re-importing updates by id: the latest modified wins, nothing is duplicated', async () => {
  const { db, ingestor } = await open();
  const v1 = indicator(1, "[ipv4-addr:value = '198.51.100.7']", { confidence: 50 });
  const v2 = { ...indicator(1, "[ipv4-addr:value = '198.51.100.7' OR ipv4-addr:value = '198.51.100.8']"), modified: '2024-05-05T00:00:00Z', confidence: 90 };
  const first = await importFeedFile(ingestor, bundle([v1, indicator(2, "[domain-name:value = 'a.example.org']")]), { now: NOW });
  assert.deepEqual([first.added, first.updated], [2, 0]);
  const again = await importFeedFile(ingestor, bundle([v1]), { now: NOW });
  assert.deepEqual([again.added, again.updated, again.stale], [0, 1, 0], 'the same version again replaces itself');
  const newer = await importFeedFile(ingestor, bundle([v2]), { now: NOW });
  assert.deepEqual([newer.updated, newer.rows], [1, 2]);
  const older = await importFeedFile(ingestor, bundle([v1]), { now: NOW });
  assert.deepEqual([older.updated, older.stale, older.rows], [0, 1, 0], 'an older version is left out');
  // Both versions in one bundle: the later modified is the one kept.
  await importFeedFile(ingestor, bundle([v2, v1]), { now: NOW });
  await ingestor.close();
  const rows = await query(db, 'ThreatIntelIndicators | summarize n = count(), values = make_set(ObservableValue), c = max(Confidence) by Id | order by Id asc');
  assert.deepEqual(rows.map((r) => [r['n'], r['c']]), [[2, 90], [1, null]]);
  assert.deepEqual([...(rows[0]!['values'] as string[])].sort(), ['198.51.100.7', '198.51.100.8']);
});

test('expiry: valid_until in the past or a default lifetime run out make the indicator inactive; republishing re-judges it', async () => {
  const { db, ingestor } = await open();
  await importFeedFile(ingestor, bundle([
    indicator(1, "[ipv4-addr:value = '198.51.100.1']", { valid_until: '2024-05-09T00:00:00Z' }), // already expired
    indicator(2, "[ipv4-addr:value = '198.51.100.2']", { valid_until: '2024-05-12T00:00:00Z' }), // expires in two days
    indicator(3, "[ipv4-addr:value = '198.51.100.3']"), // default lifetime from valid_from 2024-05-01
  ]), { now: NOW, lifetime: '5d' });
  const later = new Date('2024-05-20T00:00:00Z');
  const changed = await republishIndicators(ingestor.connection, later);
  await ingestor.close();
  assert.equal(changed, 3, 'rows written 7+ days ago are republished');
  const rows = await query(db, 'ThreatIntelIndicators | order by ObservableValue asc | project ObservableValue, IsActive, ValidUntil, TimeGenerated, LastUpdateMethod', later);
  assert.deepEqual(rows.map((r) => [r['ObservableValue'], r['IsActive'], r['ValidUntil']]), [
    ['198.51.100.1', false, '2024-05-09T00:00:00.0000000Z'],
    ['198.51.100.2', false, '2024-05-12T00:00:00.0000000Z'],
    ['198.51.100.3', false, '2024-05-06T00:00:00.0000000Z'],
  ]);
  assert.ok(rows.every((r) => r['TimeGenerated'] === '2024-05-20T00:00:00.0000000Z' && r['LastUpdateMethod'] === 'LogARepublisher'));
  const legacy = await query(db, 'ThreatIntelligenceIndicator | where Active == true and ExpirationDateTime > now()', later);
  assert.equal(legacy.length, 0);
});

test('a CSV feed with a column mapping: types given or recognised, derived ids stable across imports', async () => {
  const { db, ingestor } = await open();
  const file = path.join(dir, 'feed.csv');
  writeFileSync(file, [
    'IOC,Kind,Notes,Score,Expires',
    '198.51.100.7,ip,scanner,70,2024-06-01T00:00:00Z',
    'evil.example.com,,phishing,,',
    'https://evil.example.com/login,url,,,',
    'cead3f77f6cda6ec00f57d76c9a6879f,,dropper,,',
    'not an indicator,,,,',
    '198.51.100.8,domain,,,',
    '10.0.0.1,ip,,150,',
  ].join('\n'));
  const mapping = { IOC: 'value', Kind: 'type', Notes: 'description', Score: 'confidence', Expires: 'valid_until' };
  const s = await importFeedFile(ingestor, file, { now: NOW, mapping, format: 'csv' });
  assert.deepEqual([s.added, s.rows, s.rejected], [4, 4, 3]);
  const again = await importFeedFile(ingestor, file, { now: NOW, mapping });
  assert.deepEqual([again.added, again.updated, again.rejected], [0, 4, 3], 'each import reports its own rejections');
  await ingestor.close();
  const rows = await query(db, 'ThreatIntelIndicators | order by ObservableKey asc | project ObservableKey, ObservableValue, Confidence, Description = tostring(Data.description), ValidUntil');
  assert.deepEqual(rows.map((r) => [r['ObservableKey'], r['ObservableValue'], r['Confidence'], r['Description']]), [
    ['domain-name:value', 'evil.example.com', null, 'phishing'],
    ['file:hashes.MD5', 'cead3f77f6cda6ec00f57d76c9a6879f', null, 'dropper'],
    ['ipv4-addr:value', '198.51.100.7', 70, 'scanner'],
    ['url:value', 'https://evil.example.com/login', null, ''],
  ]);
  const errors = await query(db, '_IngestErrors | summarize by Source, Reason | order by Source asc');
  assert.deepEqual(errors.map((e) => String(e['Reason']).replace(/ \(supported.*$/, '')), [
    'cannot tell what kind of indicator "not an indicator" is; give a type column',
    "198.51.100.8: domain-name:value '198.51.100.8' is not a domain name",
    'confidence must be an integer 0-100, got 150',
  ]);
  assert.match(String(errors[0]!['Source']), /feed\.csv:6$/);
});

test('the legacy view has every column of the catalog table with its type, and no _TimeReceived (retention passes views by)', async () => {
  const { SentinelCatalog } = await import('../../src/catalog/catalog.js');
  const { db, ingestor } = await open();
  await importFeedFile(ingestor, bundle([
    indicator(1, "[network-traffic:src_ref.value = '198.51.100.0/24' OR network-traffic:dst_ref.value = '203.0.113.5']"),
  ]), { now: NOW });
  await ingestor.close();
  const schema = await query(db, 'ThreatIntelligenceIndicator | getschema | project ColumnName, ColumnType');
  const legacy = new SentinelCatalog().get('ThreatIntelligenceIndicator')!;
  assert.deepEqual(schema.map((c) => [c['ColumnName'], c['ColumnType']]), [...legacy.columns.map((c) => [c.name, c.type]), ['_ItemId', 'string']]);
  const rows = await query(db, 'ThreatIntelligenceIndicator | order by NetworkSourceCidrBlock desc | project NetworkSourceIP, NetworkSourceCidrBlock, NetworkDestinationIP');
  assert.deepEqual(rows.map((r) => [r['NetworkSourceIP'], r['NetworkSourceCidrBlock'], r['NetworkDestinationIP']]), [['', '198.51.100.0/24', ''], ['', '', '203.0.113.5']]);
});

test('rows sent to the legacy view\'s name are rejected with a reason, in the same session and after reopening', async () => {
  const { db, ingestor } = await open();
  await importFeedFile(ingestor, bundle([indicator(1, "[ipv4-addr:value = '198.51.100.7']")]), { now: NOW });
  const same = await ingestor.write({ source: 'test', rows: [{ table: 'ThreatIntelligenceIndicator', values: { NetworkIP: '203.0.113.1' } }] });
  assert.deepEqual([same.accepted, same.rejected], [0, 1]);
  await ingestor.close();
  const again = await Ingestor.open(db);
  const later = await again.write({ source: 'test', rows: [{ table: 'ThreatIntelligenceIndicator', values: { NetworkIP: '203.0.113.2' } }] });
  await again.close();
  assert.deepEqual([later.accepted, later.rejected], [0, 1]);
  const errors = await query(db, "_IngestErrors | where TableName == 'ThreatIntelligenceIndicator' | project Reason");
  assert.equal(errors.length, 2);
  assert.match(String(errors[0]!['Reason']), /kept by Quarry itself/);
  assert.equal((await query(db, 'ThreatIntelligenceIndicator | count'))[0]!['Count'], 1);
});
