import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { QueryEngine } from '../../src/engine/engine.js';
import { parseRuleText } from '../../src/detect/rules/load.js';
import type { AnalyticsRule } from '../../src/detect/rules/rule.js';
import { DetectionStore } from '../../src/detect/store.js';
import { RuleRunner } from '../../src/detect/runner.js';
import { IncidentBook, IncidentError } from '../../src/detect/incidents/book.js';
import { DetectionScheduler, type Clock } from '../../src/detect/scheduler.js';

let engine: QueryEngine;
let store: DetectionStore;
let runner: RuleRunner;

const H = 3_600_000;
const T0 = Date.parse('2024-05-01T00:00:00Z');

before(async () => {
  engine = await QueryEngine.open();
  await engine.connection.run(`CREATE TABLE SigninLogs (TimeGenerated TIMESTAMP, UserPrincipalName VARCHAR, IPAddress VARCHAR, ResultType VARCHAR, _TimeReceived TIMESTAMP)`);
  // Failures: alice from 1.1.1.1 at 00:30 and 01:30, bob at 02:30, alice again at 03:30 — one per hourly window.
  await engine.connection.run(`INSERT INTO SigninLogs VALUES
    ('2024-05-01 00:30:00', 'alice@contoso.com', '1.1.1.1', '50126', '2024-05-01 00:30:01'),
    ('2024-05-01 01:30:00', 'alice@contoso.com', '1.1.1.1', '50126', '2024-05-01 01:30:01'),
    ('2024-05-01 02:30:00', 'bob@contoso.com', '2.2.2.2', '50126', '2024-05-01 02:30:01'),
    ('2024-05-01 03:30:00', 'alice@contoso.com', '1.1.1.1', '50126', '2024-05-01 03:30:01')`);
  await engine.refreshCatalog();
  store = new DetectionStore(engine);
  runner = new RuleRunner(engine, store);
});

after(() => engine.close());

beforeEach(async () => {
  await store.ensureTables();
  await engine.exclusive(async (c) => {
    for (const t of ['SecurityAlert', 'SecurityIncident', '_RuleRuns', '_IncidentAudit', '_AlertEvents']) await c.run(`DELETE FROM "${t}"`);
  });
});

function rule(extra: string, id = '7c1b2c3d-0000-4000-8000-000000000001'): AnalyticsRule {
  const loaded = parseRuleText(`id: ${id}
name: Sign-in failures
description: A user failed to sign in
severity: Medium
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
tactics: [CredentialAccess]
relevantTechniques: [T1110]
query: |
  SigninLogs
  | where ResultType != "0"
  | project TimeGenerated, UserPrincipalName, IPAddress
entityMappings:
  - entityType: Account
    fieldMappings:
      - identifier: FullName
        columnName: UserPrincipalName
  - entityType: IP
    fieldMappings:
      - identifier: Address
        columnName: IPAddress
${extra}`, 'r.yaml');
  assert.deepEqual(loaded.issues, []);
  return loaded.rule!;
}

async function replayHours(r: AnalyticsRule, hours: number): Promise<void> {
  for (let h = 1; h <= hours; h++) {
    const end = new Date(T0 + h * H);
    await runner.run(r, { start: new Date(end.getTime() - H), end }, 'replay', end);
  }
}

async function incidents() {
  return store.session((s) => new IncidentBook(s).list());
}

test('without grouping every alert opens its own incident; alerts and incidents are queryable in KQL', async () => {
  await replayHours(rule(''), 4);
  const list = await incidents();
  assert.equal(list.length, 4);
  assert.deepEqual(list.map((i) => i['IncidentNumber']), [1, 2, 3, 4]);
  const kql = await engine.query('SecurityAlert | summarize n = count() by AlertName, AlertSeverity');
  assert.deepEqual(kql.rows, [['Sign-in failures', 'Medium', 4]]);
  const inc = await engine.query('SecurityIncident | summarize arg_max(TimeGenerated, *) by IncidentNumber | where Status == "New" | count');
  assert.deepEqual(inc.rows, [[4]]);
  const ent = await engine.query(`SecurityAlert | mv-expand e = todynamic(Entities) | where e.Type == "account" | summarize by tostring(e.Name), tostring(e.UPNSuffix) | order by e_Name asc`);
  assert.deepEqual(ent.rows, [['alice', 'contoso.com'], ['bob', 'contoso.com']]);
});

test('AllEntities groups alerts with the same entities within the lookback', async () => {
  await replayHours(rule(`incidentConfiguration:
  createIncident: true
  groupingConfiguration:
    enabled: true
    reopenClosedIncident: false
    lookbackDuration: 5h
    matchingMethod: AllEntities
`), 4);
  const list = await incidents();
  assert.equal(list.length, 2, 'alice (3 alerts) and bob (1)');
  assert.deepEqual(list.map((i) => (i['AlertIds'] as string[]).length), [3, 1]);
  const details = await store.session((s) => new IncidentBook(s).details(1));
  assert.equal(details.alerts.length, 3);
  assert.deepEqual(details.entities, [{ Type: 'account', Name: 'alice', UPNSuffix: 'contoso.com' }, { Type: 'ip', Address: '1.1.1.1' }]);
  assert.equal(details.events.length, 3);
  assert.equal(details.incident['FirstActivityTime']!.valueOf(), Date.parse('2024-05-01T00:30:00Z'));
  assert.equal(details.incident['LastActivityTime']!.valueOf(), Date.parse('2024-05-01T03:30:00Z'));
});

test('a short lookback starts a new incident; AnyAlert groups everything', async () => {
  await replayHours(rule(`incidentConfiguration:
  groupingConfiguration:
    enabled: true
    lookbackDuration: 90m
    matchingMethod: AllEntities
`), 4);
  // alice 01:00 → #1, alice 02:00 joins #1 (created 01:00), bob → #2, alice 04:00: #1 is 3h old → #3.
  assert.deepEqual((await incidents()).map((i) => (i['AlertIds'] as string[]).length), [2, 1, 1]);
  await engine.exclusive(async (c) => { for (const t of ['SecurityAlert', 'SecurityIncident', '_RuleRuns']) await c.run(`DELETE FROM "${t}"`); });
  await replayHours(rule(`incidentConfiguration:
  groupingConfiguration:
    enabled: true
    lookbackDuration: 1d
    matchingMethod: AnyAlert
`), 4);
  assert.deepEqual((await incidents()).map((i) => (i['AlertIds'] as string[]).length), [4]);
});

test('Selected grouping by Account only; a closed incident is reopened when the rule says so', async () => {
  const r = rule(`incidentConfiguration:
  groupingConfiguration:
    enabled: true
    reopenClosedIncident: true
    lookbackDuration: 1d
    matchingMethod: Selected
    groupByEntities: [Account]
`);
  await replayHours(r, 2);
  assert.equal((await incidents()).length, 1);
  await store.session((s) => new IncidentBook(s).update(1, { status: 'Closed', classification: 'TruePositive', classificationReason: 'SuspiciousActivity' }, 'ana'));
  const end = new Date(T0 + 4 * H);
  await runner.run(r, { start: new Date(end.getTime() - H), end }, 'replay', end);
  const [inc] = await incidents();
  assert.equal(inc!['Status'], 'Active');
  assert.equal((inc!['AlertIds'] as string[]).length, 3);
  const audit = await engine.query('_IncidentAudit | where IncidentNumber == 1 | project Action, Field, OldValue, NewValue, Actor');
  const actions = audit.rows.map((r) => r[0]);
  assert.deepEqual(actions, ['created', 'alert-added', 'updated', 'updated', 'updated', 'alert-added', 'reopened']);
});

test('suppression skips runs for its duration after the rule fires', async () => {
  const r = rule(`suppressionEnabled: true
suppressionDuration: 2h
`);
  await replayHours(r, 4);
  const runs = await engine.query('_RuleRuns | order by WindowEnd asc | project Outcome');
  assert.deepEqual(runs.rows.map((x) => x[0]), ['Fired', 'Suppressed', 'Fired', 'Suppressed']);
  assert.equal((await incidents()).length, 2);
});

test('analysts update, comment and close incidents; bad changes are refused with the reason', async () => {
  await replayHours(rule(''), 1);
  await store.session(async (s) => {
    const book = new IncidentBook(s);
    await book.update(1, { owner: 'ana@contoso.com', severity: 'high', status: 'Active', addTags: ['phishing'] }, 'lead');
    await book.comment(1, 'looking into it', 'ana');
    await assert.rejects(book.update(1, { status: 'Closed' }, 'ana'), (e: Error) => e instanceof IncidentError && /needs a classification/.test(e.message));
    await assert.rejects(book.update(1, { status: 'Closed', classification: 'FalsePositive' }, 'ana'), /IncorrectAlertLogic or InaccurateData/);
    await assert.rejects(book.update(1, { status: 'Pending' }, 'ana'), /not a status/);
    await assert.rejects(book.update(9, { status: 'Active' }, 'ana'), /no incident 9/);
    await book.update(1, { status: 'Closed', classification: 'BenignPositive', classificationReason: 'SuspiciousButExpected', classificationComment: 'pen test' }, 'ana');
  });
  const now = await engine.query(`SecurityIncident | summarize arg_max(TimeGenerated, *) by IncidentNumber
    | project Status, Severity, Owner = tostring(Owner.assignedTo), Classification, ClassificationReason, Labels = tostring(Labels[0].labelName), Comments = array_length(Comments), closed = isnotnull(ClosedTime)`);
  assert.deepEqual(now.rows, [['Closed', 'High', 'ana@contoso.com', 'BenignPositive', 'SuspiciousButExpected', 'phishing', 1, true]]);
  const history = await engine.query('SecurityIncident | where IncidentNumber == 1 | count');
  assert.deepEqual(history.rows, [[4]], 'created, updated, commented, closed: one row each');
});

class FakeClock implements Clock {
  constructor(public t: number) {}
  now() { return new Date(this.t); }
  setTimeout() { return 0; }
  clearTimeout() {}
}

test('the scheduler runs due windows once, catches up missed ones after a restart, and never repeats one', async () => {
  const r = rule('');
  const clock = new FakeClock(T0 + 1 * H + 5 * 60_000);
  const make = () => new DetectionScheduler({ rules: () => [r], runner, store, clock, ingestionDelayMs: 5 * 60_000 });
  let s = make();
  const first = await s.tick();
  assert.deepEqual(first.map((x) => [x.mode, x.window.end.toISOString(), x.outcome]), [['scheduled', '2024-05-01T01:00:00.000Z', 'Fired']]);
  assert.deepEqual(await s.tick(), [], 'the same window is not run twice');
  // Down for three hours; a new scheduler (a restart) catches up 02:00 and 03:00, then runs 04:00.
  clock.t = T0 + 4 * H + 6 * 60_000;
  s = make();
  const after = await s.tick();
  assert.deepEqual(after.map((x) => [x.mode, x.window.end.toISOString()]), [
    ['catch-up', '2024-05-01T02:00:00.000Z'], ['catch-up', '2024-05-01T03:00:00.000Z'], ['scheduled', '2024-05-01T04:00:00.000Z'],
  ]);
  assert.deepEqual(await make().tick(), []);
  const runs = await engine.query('_RuleRuns | summarize n = count() by WindowEnd | where n > 1');
  assert.equal(runs.rows.length, 0);
  assert.equal((await incidents()).length, 4);
});

test('a failing rule is recorded and does not stop the other rules', async () => {
  const bad = rule('', '7c1b2c3d-0000-4000-8000-000000000002');
  bad.query = "SigninLogs | where ResultType matches regex '('";
  const good = rule('');
  const clock = new FakeClock(T0 + 1 * H + 5 * 60_000);
  const s = new DetectionScheduler({ rules: () => [bad, good], runner, store, clock, ingestionDelayMs: 5 * 60_000 });
  const reports = await s.tick();
  assert.deepEqual(reports.map((x) => x.outcome), ['Failed', 'Fired']);
  const runs = await engine.query('_RuleRuns | where Outcome == "Failed" | project Error');
  assert.match(String(runs.rows[0]![0]), /regular expression|regex/i);
});

test('NRT rules pick up newly ingested rows on the next tick', async () => {
  const nrt = parseRuleText(`id: 7c1b2c3d-0000-4000-8000-000000000003
name: NRT sign-in failure
severity: High
kind: NRT
query: SigninLogs | where ResultType != "0"
`, 'nrt.yaml').rule!;
  const clock = new FakeClock(Date.parse('2024-05-01T02:29:00Z'));
  const s = new DetectionScheduler({ rules: () => [nrt], runner, store, clock, nrtDelayMs: 1000 });
  assert.deepEqual(await s.tick(), []);
  clock.t = Date.parse('2024-05-01T02:30:03Z');
  const fired = await s.tick();
  assert.equal(fired.length, 1);
  assert.equal(fired[0]!.resultCount, 1, 'only the row received since the last tick');
  clock.t += 5000;
  assert.deepEqual(await s.tick(), []);
  await s.stop();
  const runs = await engine.query('_RuleRuns | order by WindowStart asc | project Outcome');
  assert.deepEqual(runs.rows.map((x) => x[0]), ['Quiet', 'Fired', 'Quiet']);
});
