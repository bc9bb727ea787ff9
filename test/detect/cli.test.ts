import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runCliCaptured } from '../run-cli.js';
import { QueryEngine } from '../../src/engine/engine.js';

let dir: string;

const cli = runCliCaptured;

const GOOD = `id: 9d0c1a2b-1111-4a00-8000-00000000000a
name: Password spray
description: Many failed sign-ins from one IP
severity: Medium
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
tactics: [CredentialAccess]
relevantTechniques: [T1110.003]
query: |
  SigninLogs
  | where TimeGenerated > ago(1h) and ResultType == "50126"
  | summarize Users = dcount(UserPrincipalName), FirstSeen = min(TimeGenerated) by IPAddress
  | where Users >= 2
entityMappings:
  - entityType: IP
    fieldMappings:
      - identifier: Address
        columnName: IPAddress
customDetails:
  TargetedUsers: Users
`;

const BAD = `id: 9d0c1a2b-1111-4a00-8000-00000000000b
name: Broken
severity: Severe
queryFrequency: 2m
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
query: |
  SigninLogs
  | where NoSuchColumn == 1
`;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'quarry-detect-cli-'));
  assert.equal((await cli('init', dir)).status, 0);
  writeFileSync(path.join(dir, 'rules', 'spray.yaml'), GOOD);
  writeFileSync(path.join(dir, 'rules', 'broken.yaml'), BAD);
  writeFileSync(path.join(dir, 'rules', 'copy.yaml'), GOOD.replace('name: Password spray', 'name: Copy'));
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('rules validate --format json: one entry per file, errors with field and line; exit 1', async () => {
  const r = await cli('rules', 'validate', '-w', dir, '--format', 'json');
  assert.equal(r.status, 1);
  const entries = JSON.parse(r.stdout) as Array<{ file: string; id: string; valid: boolean; errors: Array<{ field: string; line: number | null; message: string }> }>;
  const by = (name: string) => entries.find((e) => path.basename(e.file) === name)!;
  assert.deepEqual(by('broken.yaml').errors.map((e) => [e.field, e.line]), [['severity', 3]]);
  assert.match(by('broken.yaml').errors[0]!.message, /Informational|High/);
  // The second file with the same id is refused (files are checked in name order: copy.yaml first).
  assert.equal(by('copy.yaml').valid, true);
  assert.equal(by('spray.yaml').valid, false);
  writeFileSync(path.join(dir, 'rules', 'broken.yaml'), BAD.replace('Severe', 'High'));
  const again = JSON.parse((await cli('rules', 'validate', '-w', dir, '--format', 'json')).stdout) as typeof entries;
  const broken = again.find((e) => path.basename(e.file) === 'broken.yaml')!;
  assert.deepEqual(broken.errors.map((e) => e.field), ['queryFrequency']);
  assert.match(broken.errors[0]!.message, /2m is outside Sentinel's range 5m–14d/);
  writeFileSync(path.join(dir, 'rules', 'broken.yaml'), BAD.replace('Severe', 'High').replace('2m', '5m'));
  const third = JSON.parse((await cli('rules', 'validate', '-w', dir, '--format', 'json')).stdout) as typeof entries;
  const q = third.find((e) => path.basename(e.file) === 'broken.yaml')!.errors[0]!;
  assert.equal(q.field, 'query');
  assert.equal(q.line, 10, 'the query line in the YAML file');
  assert.match(q.message, /NoSuchColumn/);
  const dup = third.find((e) => path.basename(e.file) === 'spray.yaml')!;
  assert.match(dup.errors[0]!.message, /duplicate id .*copy\.yaml already has it/);
  unlinkSync(path.join(dir, 'rules', 'broken.yaml'));
  unlinkSync(path.join(dir, 'rules', 'copy.yaml'));
  assert.equal((await cli('rules', 'validate', '-w', dir)).status, 0);
});

test('rules test shows what would fire and creates nothing; rules run replays and creates incidents', async () => {
  const engine = await QueryEngine.open({ databasePath: path.join(dir, 'quarry.duckdb') });
  await engine.connection.run(`CREATE TABLE SigninLogs (TimeGenerated TIMESTAMP, UserPrincipalName VARCHAR, IPAddress VARCHAR, ResultType VARCHAR)`);
  await engine.connection.run(`INSERT INTO SigninLogs VALUES
    ('2024-06-01 10:05:00', 'a@x.com', '203.0.113.9', '50126'), ('2024-06-01 10:06:00', 'b@x.com', '203.0.113.9', '50126'),
    ('2024-06-01 10:07:00', 'c@x.com', '203.0.113.9', '50126'), ('2024-06-01 13:10:00', 'a@x.com', '198.51.100.1', '50126')`);
  await engine.close();

  const t = await cli('rules', 'test', path.join(dir, 'rules', 'spray.yaml'), '--from', '2024-06-01T00:00Z', '--to', '2024-06-02T00:00Z', '-w', dir);
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout, /2024-06-01T10:00:00.000Z \.\. 2024-06-01T11:00:00.000Z: 1 row, would raise 1 alert/);
  assert.match(t.stdout, /ip:203\.0\.113\.9/);
  assert.match(t.stdout, /24 windows, 1 would fire, 1 alert\(s\); nothing was created/);
  const none = await cli('query', 'SecurityAlert | count', '-w', dir, '-f', 'csv');
  assert.equal(none.stdout, 'Count\r\n0\r\n');

  const run = await cli('rules', 'run', '--from', '2024-06-01T00:00Z', '--to', '2024-06-02T00:00Z', '-w', dir);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /2024-06-01T11:00:00.000Z Password spray: Fired \(1 rows, 1 alerts\) → incident #1/);
  assert.match(run.stdout, /1 rule\(s\), 24 run\(s\): 1 fired, 23 quiet/);
  const rerun = await cli('rules', 'run', '--from', '2024-06-01T00:00Z', '--to', '2024-06-02T00:00Z', '-w', dir);
  assert.match(rerun.stdout, /0 run\(s\)/, 'replayed windows are not replayed again');
  const history = await cli('query', '_RuleRuns | summarize count() by Outcome | order by Outcome asc', '-w', dir, '-f', 'csv');
  assert.equal(history.stdout, 'Outcome,count_\r\nFired,1\r\nQuiet,23\r\n');
});

test('incidents list, update, comment and show', async () => {
  const list = await cli('incidents', 'list', '-w', dir, '--format', 'json');
  const rows = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!['Title'], 'Password spray');
  const refused = await cli('incidents', 'update', '1', '--status', 'Closed', '-w', dir);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /needs a classification/);
  assert.equal((await cli('incidents', 'update', '1', '--owner', 'ana', '--tag', 'spray', '--as', 'lead', '-w', dir)).status, 0);
  assert.equal((await cli('incidents', 'comment', '1', 'blocked the IP', '--as', 'ana', '-w', dir)).status, 0);
  const closed = await cli('incidents', 'update', '1', '--status', 'Closed', '--classification', 'TruePositive', '--reason', 'SuspiciousActivity', '--as', 'ana', '-w', dir);
  assert.equal(closed.status, 0, closed.stderr);
  const show = await cli('incidents', 'show', '1', '-w', dir);
  assert.match(show.stdout, /status Closed {2}severity Medium {2}owner ana {2}tags spray/);
  assert.match(show.stdout, /ip: Address=203\.0\.113\.9/);
  assert.match(show.stdout, /ana: blocked the IP/);
  assert.match(show.stdout, /lead updated Owner: ∅ → ana/);
  assert.match(show.stdout, /ana updated Status: New → Closed/);
  const open = await cli('incidents', 'list', '--status', 'New', '-w', dir);
  assert.equal(open.stdout, 'no incidents\n');
});

test('rules schedule --once runs the due windows once and records them', async () => {
  const first = await cli('rules', 'schedule', '--once', '-w', dir);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /Password spray: Quiet \(0 rows, 0 alerts\)/);
  const second = await cli('rules', 'schedule', '--once', '-w', dir);
  assert.equal(second.stdout, '', 'the same window is not run twice');
  const runs = await cli('query', '_RuleRuns | where Mode == "scheduled" | count', '-w', dir, '-f', 'csv');
  assert.equal(runs.stdout, 'Count\r\n1\r\n');
});

test('rules validate PATH needs no workspace (a rule repository in CI)', async () => {
  const repo = mkdtempSync(path.join(tmpdir(), 'quarry-rule-repo-'));
  try {
    writeFileSync(path.join(repo, 'a.yaml'), GOOD);
    const r = await cli('rules', 'validate', repo, '-w', path.join(repo, 'no-workspace-here'), '--format', 'json');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal((JSON.parse(r.stdout) as unknown[]).length, 1);
    assert.equal(existsSync(path.join(repo, 'no-workspace-here')), false, 'no workspace was created');
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});
