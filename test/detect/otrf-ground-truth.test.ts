// Measure 2: the demo workspace's rules against OTRF datasets labelled with the ATT&CK technique
// that ran. Each rule must fire on its technique's dataset and stay quiet on all the others.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { QueryEngine } from '../../src/engine/engine.js';
import { Ingestor } from '../../src/ingest/ingestor.js';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import '../../src/ingest/formats/index.js';
import { evaluateRule, type RuleWindow } from '../../src/detect/evaluate.js';
import { ruleFiles, validateRuleFiles, validRules } from '../../src/detect/rules/validate.js';
import type { AnalyticsRule } from '../../src/detect/rules/rule.js';
import { detectionServices } from '../../src/detect/session.js';
import { IncidentBook } from '../../src/detect/incidents/book.js';

const OTRF = path.resolve(import.meta.dirname, '../../../shared/data/otrf');
const RULES = path.resolve(import.meta.dirname, '../../demo/workspace/rules');

interface Dataset { file: string; title: string; technique: string; window: RuleWindow }

let dir: string;
let engine: QueryEngine;
let rules: AnalyticsRule[];
const datasets: Dataset[] = [];

before(async () => {
  const manifest = JSON.parse(readFileSync(path.join(OTRF, 'manifest.json'), 'utf8')) as {
    datasets: Array<{ file: string; title: string; attack_mappings: Array<{ technique: string }>; first: string; last: string }>;
  };
  for (const d of manifest.datasets) {
    // Both `2020-10-18 07:49:39.776` (UTC) and ISO 8601 with Z occur.
    const utc = (s: string) => Date.parse(s.endsWith('Z') ? s : `${s.replace(' ', 'T')}Z`);
    // A minute either side of the recording: the datasets were recorded on different days.
    datasets.push({
      file: d.file, title: d.title, technique: d.attack_mappings[0]!.technique,
      window: { start: new Date(utc(d.first) - 60_000), end: new Date(utc(d.last) + 60_000) },
    });
  }
  dir = mkdtempSync(path.join(tmpdir(), 'quarry-otrf-'));
  const db = path.join(dir, 'otrf.duckdb');
  const ingestor = await Ingestor.open(db);
  const summary = await ingestPaths(ingestor, datasets.map((d) => path.join(OTRF, d.file)), { format: 'otrf' });
  await ingestor.close();
  assert.ok(summary.files.every((f) => !f.error), JSON.stringify(summary.files.filter((f) => f.error)));
  engine = await QueryEngine.open({ databasePath: db });
  const reports = await validateRuleFiles(ruleFiles(RULES), engine);
  assert.deepEqual(reports.filter((r) => !r.valid).map((r) => [r.file, r.errors]), [], 'every shipped rule validates');
  rules = validRules(reports);
});

after(async () => {
  await engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('at least six rules, each for a technique one of the datasets is labelled with', () => {
  const labelled = new Set(datasets.map((d) => d.technique));
  const covered = rules.filter((r) => r.relevantTechniques.some((t) => labelled.has(t)));
  console.log(`${rules.length} rules; techniques covered: ${[...new Set(covered.flatMap((r) => r.relevantTechniques))].join(', ')}`);
  assert.ok(covered.length >= 6);
  assert.equal(covered.length, rules.length, 'every shipped rule has a labelled dataset to be tested on');
});

test('each rule fires on its technique\'s dataset and stays quiet on every other', async () => {
  const wrong: string[] = [];
  let checks = 0;
  for (const rule of rules) {
    for (const d of datasets) {
      const result = await evaluateRule(engine, rule, d.window, { eventTime: true });
      const expected = rule.relevantTechniques.includes(d.technique);
      checks++;
      if (result.triggered !== expected) wrong.push(`${rule.name} ${result.triggered ? 'fired on' : 'missed'} ${d.title} (${d.technique}): ${result.resultCount} rows`);
    }
  }
  console.log(`${rules.length} rules x ${datasets.length} datasets = ${checks} checks, ${wrong.length} wrong`);
  assert.deepEqual(wrong, []);
});

async function alertsOf(ruleName: string, technique: string) {
  const rule = rules.find((r) => r.name.startsWith(ruleName))!;
  const d = datasets.find((x) => x.technique === technique)!;
  return (await evaluateRule(engine, rule, d.window, { eventTime: true })).alerts;
}

test('the alerts carry the entities of the attack', async () => {
  const dcsync = await alertsOf('Directory replication', 'T1003.006');
  assert.equal(dcsync.length, 1);
  assert.equal(dcsync[0]!.displayName, 'DCSync by THESHIRE\\pgustavo against MORDORDC.theshire.local');
  assert.deepEqual(dcsync[0]!.entities, [
    { Type: 'account', Name: 'pgustavo', NTDomain: 'THESHIRE', Sid: 'S-1-5-21-3669966080-2286457517-972388166-1104' },
    { Type: 'host', HostName: 'MORDORDC', DnsDomain: 'theshire.local' },
  ]);
  const share = await alertsOf('Executable written', 'T1021.002');
  assert.deepEqual(share[0]!.entities.filter((e) => e.Type === 'ip' || e.Type === 'file'), [
    { Type: 'ip', Address: '172.18.39.5' }, { Type: 'file', Name: 'GruntHTTP.exe' },
  ]);
  const lsass = await alertsOf('LSASS memory', 'T1003.001');
  assert.equal(lsass.length, 1, 'AlertPerResult: one row, one alert');
  assert.equal(lsass[0]!.displayName, 'LSASS dumped on WORKSTATION5 by WORKSTATION5\\wardog');
  assert.deepEqual(lsass[0]!.entities.slice(0, 2), [{ Type: 'account', Name: 'wardog', NTDomain: 'WORKSTATION5' }, { Type: 'host', HostName: 'WORKSTATION5' }]);
  const mav = await alertsOf('DLL injected', 'T1055');
  assert.deepEqual(mav[0]!.customDetails, { InjectedDll: ['C:\\ProgramData\\T1055.dll'] });
  const fax = await alertsOf('Service binary path', 'T1543.003');
  assert.equal(fax.length, 1);
  assert.equal(fax[0]!.displayName, 'Service Fax re-pointed on WORKSTATION5');
  const logon = await alertsOf('Logon script', 'T1037.001');
  assert.deepEqual(logon[0]!.customDetails['Script'], ['C:\\Users\\wardog\\AppData\\Local\\Temp\\art.bat']);
});

test('replaying the DCSync dataset raises one alert in one incident, grouped by account; a second sweep raises nothing', async () => {
  const { store, runner } = detectionServices(engine);
  const { replayRules } = await import('../../src/detect/replay.js');
  const d = datasets.find((x) => x.technique === 'T1003.006')!;
  const rule = rules.find((r) => r.relevantTechniques.includes('T1003.006'))!;
  const first = await replayRules([rule], runner, store, d.window.start, d.window.end);
  assert.deepEqual(first.map((r) => r.outcome).filter((o) => o === 'Fired'), ['Fired']);
  const again = await replayRules([rule], runner, store, d.window.start, d.window.end);
  assert.deepEqual(again, []);
  const incidents = await store.session((s) => new IncidentBook(s).list({ ruleId: rule.id }));
  assert.equal(incidents.length, 1);
  assert.equal(incidents[0]!['Severity'], 'High');
  const kql = await engine.query(`SecurityAlert | where AlertName startswith "DCSync" | project CompromisedEntity, Tactics`);
  assert.deepEqual(kql.rows, [['MORDORDC', 'CredentialAccess']]);
});
