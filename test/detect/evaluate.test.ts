import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { QueryEngine } from '../../src/engine/engine.js';
import { evaluateRule, scheduledWindow } from '../../src/detect/evaluate.js';
import { parseRuleText } from '../../src/detect/rules/load.js';
import type { AnalyticsRule } from '../../src/detect/rules/rule.js';
import { MAX_ALERTS_PER_RUN } from '../../src/detect/alerts/build.js';

let engine: QueryEngine;

before(async () => {
  engine = await QueryEngine.open();
  await engine.connection.run(`CREATE TABLE SecurityEvent (TimeGenerated TIMESTAMP, Computer VARCHAR, Account VARCHAR, EventID INTEGER, IpAddress VARCHAR, CommandLine VARCHAR, _TimeReceived TIMESTAMP)`);
  // Three failed logons on 2024-03-01 10:00–10:20, one on 2024-03-02; 200 process events on 2024-03-03.
  await engine.connection.run(`INSERT INTO SecurityEvent VALUES
    ('2024-03-01 10:00:00', 'ws1.contoso.com', 'CONTOSO\\alice', 4625, '10.0.0.5', '', '2024-03-01 10:00:05'),
    ('2024-03-01 10:10:00', 'ws1.contoso.com', 'CONTOSO\\alice', 4625, '10.0.0.5', '', '2024-03-01 10:10:05'),
    ('2024-03-01 10:20:00', 'ws2.contoso.com', 'bob@contoso.com', 4625, '10.0.0.6', '', '2024-03-01 10:20:05'),
    ('2024-03-02 09:00:00', 'ws2.contoso.com', 'SYSTEM', 4625, '10.0.0.7', '', '2024-03-02 09:00:05')`);
  await engine.connection.run(`INSERT INTO SecurityEvent SELECT TIMESTAMP '2024-03-03 00:00:00' + to_seconds(i), 'srv' || (i % 3), 'CONTOSO\\svc', 4688, '', 'cmd.exe /c echo ' || i, TIMESTAMP '2024-03-03 00:00:00' + to_seconds(i) FROM range(200) t(i)`);
  await engine.refreshCatalog();
});

after(() => engine.close());

function rule(yaml: string): AnalyticsRule {
  const loaded = parseRuleText(yaml, 'test.yaml');
  assert.deepEqual(loaded.issues, []);
  return loaded.rule!;
}

const FAILED_LOGONS = `id: 0b1a6a3e-7a44-4c3f-9d49-111111111111
name: Failed logons
description: Several failed logons
severity: Medium
queryFrequency: 1h
queryPeriod: 1d
triggerOperator: gt
triggerThreshold: 0
tactics: [CredentialAccess]
relevantTechniques: [T1110.001]
query: |
  SecurityEvent
  | where TimeGenerated > ago(1d) and EventID == 4625
  | summarize Failures = count(), FirstSeen = min(TimeGenerated) by Account, Computer, IpAddress
  | extend TimeGenerated = FirstSeen
  | order by Failures desc
entityMappings:
  - entityType: Account
    fieldMappings:
      - identifier: FullName
        columnName: Account
  - entityType: Host
    fieldMappings:
      - identifier: FullName
        columnName: Computer
  - entityType: IP
    fieldMappings:
      - identifier: Address
        columnName: IpAddress
customDetails:
  FailureCount: Failures
alertDetailsOverride:
  alertDisplayNameFormat: "{{Failures}} failed logons for {{Account}}"
  alertDescriptionFormat: "From {{IpAddress}} on {{Computer}}"
`;

test('a replayed window evaluates ago() at its end and sees only its own rows', async () => {
  const r = rule(FAILED_LOGONS);
  const day1 = await evaluateRule(engine, r, scheduledWindow(r, new Date('2024-03-01T12:00:00Z')));
  assert.equal(day1.resultCount, 2);
  assert.equal(day1.triggered, true);
  assert.equal(day1.alerts.length, 1, 'SingleAlert by default');
  const a = day1.alerts[0]!;
  assert.equal(a.displayName, '2 failed logons for CONTOSO\\alice');
  assert.equal(a.description, 'From 10.0.0.5 on ws1.contoso.com');
  assert.deepEqual(a.customDetails, { FailureCount: [2, 1] });
  assert.deepEqual(a.tactics, ['CredentialAccess']);
  assert.deepEqual(a.techniques, ['T1110']);
  assert.deepEqual(a.subTechniques, ['T1110.001']);
  assert.equal(a.startTime.toISOString(), '2024-03-01T10:00:00.000Z');
  assert.equal(a.endTime.toISOString(), '2024-03-01T10:20:00.000Z');
  assert.deepEqual(a.entities, [
    { Type: 'account', Name: 'alice', NTDomain: 'CONTOSO' },
    { Type: 'host', HostName: 'ws1', DnsDomain: 'contoso.com' },
    { Type: 'ip', Address: '10.0.0.5' },
    { Type: 'account', Name: 'bob', UPNSuffix: 'contoso.com' },
    { Type: 'host', HostName: 'ws2', DnsDomain: 'contoso.com' },
    { Type: 'ip', Address: '10.0.0.6' },
  ]);
  // The next day's window: only the SYSTEM logon, whose Name-only account Sentinel drops.
  const day2 = await evaluateRule(engine, r, scheduledWindow(r, new Date('2024-03-02T12:00:00Z')));
  assert.equal(day2.resultCount, 1);
  assert.deepEqual(day2.alerts[0]!.entities.map((e) => e.Type), ['host', 'ip']);
  // A window before any event: nothing, and no alert.
  const before = await evaluateRule(engine, r, scheduledWindow(r, new Date('2024-02-01T00:00:00Z')));
  assert.equal(before.triggered, false);
  assert.deepEqual(before.alerts, []);
});

test('the query period limits the data even when the query has no time filter', async () => {
  const r = rule(FAILED_LOGONS.replace('| where TimeGenerated > ago(1d) and EventID == 4625', '| where EventID == 4625'));
  const w = await evaluateRule(engine, r, { start: new Date('2024-03-01T10:05:00Z'), end: new Date('2024-03-01T10:15:00Z') });
  assert.equal(w.resultCount, 1);
  assert.equal(w.rows[0]!['Failures'], 1);
});

test('trigger operator and threshold compare the result count', async () => {
  const end = new Date('2024-03-01T12:00:00Z');
  const gt2 = rule(FAILED_LOGONS.replace('triggerThreshold: 0', 'triggerThreshold: 2'));
  assert.equal((await evaluateRule(engine, gt2, scheduledWindow(gt2, end))).triggered, false);
  const eq2 = rule(FAILED_LOGONS.replace('triggerOperator: gt', 'triggerOperator: eq').replace('triggerThreshold: 0', 'triggerThreshold: 2'));
  assert.equal((await evaluateRule(engine, eq2, scheduledWindow(eq2, end))).triggered, true);
  const lt1 = rule(FAILED_LOGONS.replace('triggerOperator: gt', 'triggerOperator: lt').replace('triggerThreshold: 0', 'triggerThreshold: 1'));
  const quiet = await evaluateRule(engine, lt1, scheduledWindow(lt1, new Date('2024-02-01T00:00:00Z')));
  assert.equal(quiet.triggered, true, 'lt 1 fires on an empty result');
  assert.equal(quiet.alerts.length, 1);
});

test('AlertPerResult raises one alert per row, at most 150, the last summarising the rest', async () => {
  const r = rule(`id: 0b1a6a3e-7a44-4c3f-9d49-222222222222
name: Process
severity: Low
queryFrequency: 1d
queryPeriod: 1d
triggerOperator: gt
triggerThreshold: 0
eventGroupingSettings:
  aggregationKind: AlertPerResult
query: SecurityEvent | where EventID == 4688 | project TimeGenerated, Computer, CommandLine
entityMappings:
  - entityType: Process
    fieldMappings:
      - identifier: CommandLine
        columnName: CommandLine
  - entityType: Host
    fieldMappings:
      - identifier: HostName
        columnName: Computer
`);
  const w = await evaluateRule(engine, r, scheduledWindow(r, new Date('2024-03-04T00:00:00Z')));
  assert.equal(w.resultCount, 200);
  assert.equal(w.alerts.length, MAX_ALERTS_PER_RUN);
  assert.ok(w.alerts.slice(0, 149).every((a) => a.events.length === 1 && a.entities.length === 2));
  const last = w.alerts[149]!;
  assert.equal(last.events.length, 51);
  assert.equal(last.entities.filter((e) => e.Type === 'process').length, 51);
  assert.equal(last.entities.filter((e) => e.Type === 'host').length, 3);
});

test('NRT rules select rows by ingestion time', async () => {
  const r = rule(`id: 0b1a6a3e-7a44-4c3f-9d49-333333333333
name: NRT failed logon
severity: High
kind: NRT
query: SecurityEvent | where EventID == 4625
`);
  assert.equal(r.kind, 'NRT');
  const w = await evaluateRule(engine, r, { start: new Date('2024-03-01T10:00:04Z'), end: new Date('2024-03-01T10:10:04Z') });
  assert.equal(w.resultCount, 1);
  assert.equal(w.rows[0]!['TimeGenerated'], '2024-03-01T10:00:00.0000000Z');
});
