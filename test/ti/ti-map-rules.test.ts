/**
 * End to end: Microsoft's TI map rules shipped in content/rules/threat-intelligence, run by the
 * rule runner over logs ingested from Azure-Sentinel's sample data (demo/data/syslog) and a few
 * small records, after a STIX bundle is imported whose indicators name what those logs saw.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { evaluateRule, scheduledWindow } from '../../src/detect/evaluate.js';
import type { AnalyticsRule } from '../../src/detect/rules/rule.js';
import { ruleFiles, validateRuleFiles, validRules } from '../../src/detect/rules/validate.js';
import { detectionServices } from '../../src/detect/session.js';
import { QueryEngine } from '../../src/engine/engine.js';
import { Ingestor } from '../../src/ingest/ingestor.js';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import { importFeedFile } from '../../src/ti/import-file.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RULES = path.join(ROOT, 'content/rules/threat-intelligence');
const EXABEAM = path.join(ROOT, 'demo/data/syslog/exabeam.log');
const SHA256 = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f';

let dir: string;
let db: string;
/** The end of the rules' window: 20 minutes after the Exabeam events. */
let end: Date;
let rules: AnalyticsRule[];

function stixIndicator(n: number, pattern: string, validUntil: string, modified = '2024-01-01T00:00:00Z') {
  return {
    type: 'indicator', spec_version: '2.1', id: `indicator--7e3f0a5c-0000-4000-8000-${String(n).padStart(12, '0')}`,
    created: '2024-01-01T00:00:00Z', modified, valid_from: '2024-01-01T00:00:00Z', valid_until: validUntil,
    pattern, pattern_type: 'stix', name: `indicator ${n}`, description: `test indicator ${n}`, indicator_types: ['malicious-activity'], confidence: 85,
  };
}

/** The bundle naming what the logs saw; `validUntil` decides whether the indicators are still valid at the window's end. */
function writeBundle(validUntil: Date, modified: string): string {
  const until = validUntil.toISOString().replace(/\.\d+Z$/, 'Z');
  const file = path.join(dir, `feed-${modified.slice(0, 10)}.json`);
  writeFileSync(file, JSON.stringify({
    type: 'bundle', id: 'bundle--9a4f5e2c-1111-4222-8333-444455556666',
    objects: [
      stixIndicator(1, "[url:value = 'https://exampledomain.com/download/virus.exe']", until, modified),
      stixIndicator(2, "[domain-name:value = 'test.zone']", until, modified),
      stixIndicator(3, `[file:hashes.'SHA-256' = '${SHA256}']`, until, modified),
      stixIndicator(4, "[ipv4-addr:value = '198.51.100.23']", until, modified),
      stixIndicator(5, "[domain-name:value = 'evil-downloads.example']", until, modified),
      stixIndicator(6, "[ipv4-addr:value = '203.0.113.77']", until, modified),
    ],
  }));
  return file;
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'quarry-ti-rules-'));
  db = path.join(dir, 'ws.duckdb');
  // Syslog from Azure-Sentinel's sample data; its time stamps (no year) set the window.
  const first = await Ingestor.open(db);
  await ingestPaths(first, [EXABEAM], { format: 'syslog' });
  const reader = await first.connection.runAndReadAll(`SELECT epoch_ms(max(TimeGenerated)) FROM Syslog`);
  end = new Date(Number(reader.getRows()[0]![0]) + 20 * 60_000);
  await first.close();

  // The other tables get a few records of their own, received ten minutes before the window ends.
  const received = new Date(end.getTime() - 10 * 60_000);
  const cef = path.join(dir, 'firewall.log');
  writeFileSync(cef, [
    `CEF:0|Contoso|Endpoint AV|1.0|100|Malware detected|8|src=10.1.1.5 suser=alice dvchost=ws1.contoso.com fileHash=${SHA256} fname=invoice.exe act=blocked`,
    'CEF:0|Palo Alto Networks|PAN-OS|10.1|url|THREAT|3|src=10.1.1.6 spt=50123 dst=203.0.113.50 dpt=80 request="evil-downloads.example/payload.bin" app=web-browsing dvchost=fw1.contoso.com act=alert requestMethod=GET',
    '',
  ].join('\n'));
  const ingestor = await Ingestor.open(db, { now: () => received });
  await ingestPaths(ingestor, [cef], { format: 'cef' });
  await ingestor.write({
    source: 'test',
    rows: [
      { table: 'AWSCloudTrail', values: { TimeGenerated: received, SourceIpAddress: '198.51.100.23', EventName: 'ConsoleLogin', EventTypeName: 'AwsConsoleSignIn', UserIdentityUserName: 'bob', UserIdentityAccountId: '123456789012' } },
      { table: 'AzureActivity', values: { TimeGenerated: received, CallerIpAddress: '203.0.113.77', Caller: 'carol@contoso.com', OperationNameValue: 'MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE', ActivityStatusValue: 'Success', CategoryValue: 'Administrative', ResourceId: '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1' } },
    ],
  });
  const s = await importFeedFile(ingestor, writeBundle(new Date(end.getTime() + 30 * 86_400_000), '2024-01-01T00:00:00Z'), { now: new Date(end.getTime() - 2 * 3_600_000), source: 'Test feed' });
  assert.equal(s.rows, 6);
  await ingestor.close();
});

after(() => rmSync(dir, { recursive: true, force: true }));

async function withEngine<T>(work: (engine: QueryEngine) => Promise<T>): Promise<T> {
  const engine = await QueryEngine.open({ databasePath: db });
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

test('the shipped TI map rules validate (IP, domain, URL and file hash; legacy and new tables)', async () => {
  await withEngine(async (engine) => {
    const reports = await validateRuleFiles(ruleFiles(RULES), engine);
    assert.deepEqual(reports.filter((r) => !r.valid).map((r) => [r.file, r.errors]), []);
    rules = validRules(reports);
  });
  assert.ok(rules.length >= 4);
  for (const kind of ['IP entity', 'Domain entity', 'URL entity', 'File Hash']) {
    assert.ok(rules.some((r) => r.name.toLowerCase().includes(kind.toLowerCase())), kind);
  }
});

const EXPECTED: Array<[string, string, Record<string, string>]> = [
  ['(Preview) TI map URL entity to Syslog data', 'url', { Url: 'https://exampledomain.com/download/virus.exe' }],
  ['(Preview) TI map Domain entity to Syslog', 'host', { HostName: 'exabeam', DnsDomain: 'exabeam.local' }],
  ['(Preview) TI map File Hash to CommonSecurityLog Event', 'host', { HostName: 'ws1', DnsDomain: 'contoso.com' }],
  ['(Preview) TI map Domain entity to CommonSecurityLog', 'url', { Url: 'http://evil-downloads.example/payload.bin' }],
  ['(Preview) TI map IP entity to AWSCloudTrail', 'ip', { Address: '198.51.100.23' }],
  ['TI Map IP Entity to AzureActivity', 'ip', { Address: '203.0.113.77' }],
];

test('each rule raises an alert naming the entity the indicator matched', async () => {
  await withEngine(async (engine) => {
    for (const [name, type, fields] of EXPECTED) {
      const rule = rules.find((r) => r.name === name);
      assert.ok(rule, name);
      const ev = await evaluateRule(engine, rule, scheduledWindow(rule, end));
      assert.equal(ev.resultCount, 1, `${name}: ${JSON.stringify(ev.rows)}`);
      assert.equal(ev.alerts.length, 1, name);
      const entity = ev.alerts[0]!.entities.find((e) => e.Type === type);
      assert.ok(entity, `${name}: ${JSON.stringify(ev.alerts[0]!.entities)}`);
      for (const [k, v] of Object.entries(fields)) assert.equal(entity[k], v, `${name}: ${k}`);
    }
  });
});

test('the rule runner records the alert in SecurityAlert', async () => {
  await withEngine(async (engine) => {
    const rule = rules.find((r) => r.name === '(Preview) TI map URL entity to Syslog data')!;
    const { runner } = detectionServices(engine);
    const report = await runner.run(rule, scheduledWindow(rule, end), 'manual', end);
    assert.deepEqual([report.outcome, report.alertCount], ['Fired', 1]);
    const alerts = await engine.query('SecurityAlert | project AlertName, Entities');
    assert.equal(alerts.rows.length, 1);
    assert.equal(alerts.rows[0]![0], '(Preview) TI map URL entity to Syslog data');
    assert.match(String(alerts.rows[0]![1]), /https:\/\/exampledomain\.com\/download\/virus\.exe/);
  });
});

test('no alert once the indicators have expired (a re-import with valid_until before the window ends)', async () => {
  const ingestor = await Ingestor.open(db, { now: () => new Date(end.getTime() - 3_600_000) });
  const s = await importFeedFile(ingestor, writeBundle(new Date(end.getTime() - 5 * 60_000), '2024-02-01T00:00:00Z'), { now: new Date(end.getTime() - 3_600_000), source: 'Test feed' });
  await ingestor.close();
  assert.deepEqual([s.updated, s.added, s.rows], [6, 0, 6]);
  await withEngine(async (engine) => {
    for (const [name] of EXPECTED) {
      const rule = rules.find((r) => r.name === name)!;
      const ev = await evaluateRule(engine, rule, scheduledWindow(rule, end));
      assert.equal(ev.resultCount, 0, `${name}: ${JSON.stringify(ev.rows)}`);
      assert.equal(ev.triggered, false, name);
    }
  });
});
