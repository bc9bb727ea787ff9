import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRuleText } from '../../src/detect/rules/load.js';
import { parseDuration } from '../../src/detect/rules/duration.js';

const BASE = `id: 3e1d2c4b-aaaa-4bbb-8ccc-000000000001
name: Test rule
severity: Low
queryFrequency: 1h
queryPeriod: 1d
triggerOperator: gt
triggerThreshold: 0
query: SecurityEvent | take 1
`;

function issues(yaml: string) {
  return parseRuleText(yaml, 'r.yaml').issues.map((i) => `${i.field}@${i.line}: ${i.message}`);
}

test('durations: the short and the ISO 8601 forms', () => {
  assert.equal(parseDuration('5m'), 300_000);
  assert.equal(parseDuration('14d'), 14 * 86_400_000);
  assert.equal(parseDuration('PT1H'), 3_600_000);
  assert.equal(parseDuration('P1DT12H'), 36 * 3_600_000);
  assert.equal(parseDuration('P'), undefined);
  assert.equal(parseDuration('1w'), undefined);
});

test('a minimal rule loads with Sentinel defaults', () => {
  const { rule, issues: found } = parseRuleText(BASE, 'r.yaml');
  assert.deepEqual(found, []);
  assert.equal(rule!.kind, 'Scheduled');
  assert.equal(rule!.eventGrouping, 'SingleAlert');
  assert.equal(rule!.incident.createIncident, true);
  assert.equal(rule!.incident.grouping.enabled, false);
  assert.equal(rule!.queryPeriodMs, 86_400_000);
  assert.equal(rule!.queryLine, 8);
});

test("Sentinel's limits, each reported with its field and line", () => {
  assert.deepEqual(issues(BASE.replace('queryFrequency: 1h', 'queryFrequency: 4m')), ["queryFrequency@4: 4m is outside Sentinel's range 5m–14d"]);
  assert.deepEqual(issues(BASE.replace('queryPeriod: 1d', 'queryPeriod: 15d')), ["queryPeriod@5: 15d is outside Sentinel's range 5m–14d"]);
  assert.deepEqual(issues(BASE.replace('queryPeriod: 1d', 'queryPeriod: soon')), ['queryPeriod@5: "soon" is not a duration (e.g. 5m, 1h, 14d, or ISO 8601 PT1H)']);
  assert.deepEqual(issues(BASE.replace('triggerThreshold: 0', 'triggerThreshold: 10001')), ["triggerThreshold@7: 10001 is outside Sentinel's range 0–10000"]);
  assert.deepEqual(issues(BASE.replace('triggerOperator: gt', 'triggerOperator: above')), ['triggerOperator@6: "above" is not a trigger operator (gt, lt, eq, ne)']);
  const details = Array.from({ length: 21 }, (_, i) => `  D${i}: Col${i}`).join('\n');
  assert.deepEqual(issues(`${BASE}customDetails:\n${details}\n`), ['customDetails@10: 21 custom details; Sentinel allows at most 20']);
  const mapping = (t: string, ids: string[]) => `  - entityType: ${t}\n    fieldMappings:\n${ids.map((i) => `      - identifier: ${i}\n        columnName: C`).join('\n')}`;
  const eleven = Array.from({ length: 11 }, () => mapping('IP', ['Address'])).join('\n');
  assert.deepEqual(issues(`${BASE}entityMappings:\n${eleven}\n`), ['entityMappings@10: 11 entity mappings; Sentinel allows at most 10']);
  assert.deepEqual(issues(`${BASE}entityMappings:\n${mapping('Account', ['Name', 'NTDomain', 'Sid', 'AadUserId'])}\n`), ['entityMappings[0].fieldMappings@12: 4 identifiers; Sentinel allows at most 3 per entity mapping']);
  assert.match(issues(`${BASE}entityMappings:\n${mapping('Host', ['Address'])}\n`)[0]!, /^entityMappings\[0\]\.fieldMappings\[0\]\.identifier@12: "Address" is not an identifier of Host \(DnsDomain, NTDomain, HostName/);
  assert.deepEqual(issues(`${BASE}entityMappings:\n${mapping('Computer', ['Name'])}\n`), ['entityMappings[0].entityType@10: "Computer" is not a Sentinel entity type']);
  assert.deepEqual(issues(`${BASE}suppressionEnabled: true\nsuppressionDuration: 2d\n`), ["suppressionDuration@10: 2d is outside Sentinel's range 5m–1d"]);
  assert.deepEqual(issues(BASE.replace('id: 3e1d2c4b-aaaa-4bbb-8ccc-000000000001', 'id: rule-1')), ['id@1: "rule-1" is not a GUID (Sentinel rule ids are GUIDs)']);
  assert.deepEqual(issues(`${BASE}tactics: [Execution, Hacking]\nrelevantTechniques: [T1059, "1059"]\n`).map((i) => i.split(':')[0]), ['tactics[1]@9', 'relevantTechniques[1]@10']);
});

test('identifiers compare case-insensitively and keep Sentinel\'s spelling; FullName is kept', () => {
  const { rule } = parseRuleText(`${BASE}entityMappings:\n  - entityType: account\n    fieldMappings:\n      - identifier: SID\n        columnName: Sid\n`, 'r.yaml');
  assert.deepEqual(rule!.entityMappings, [{ entityType: 'Account', fieldMappings: [{ identifier: 'Sid', columnName: 'Sid' }] }]);
});

test('NRT rules need no schedule; older files without kind are Scheduled and need one', () => {
  const nrt = parseRuleText(`id: 3e1d2c4b-aaaa-4bbb-8ccc-000000000002\nname: n\nseverity: High\nkind: NRT\nquery: SecurityEvent\n`, 'n.yaml');
  assert.deepEqual(nrt.issues, []);
  assert.equal(nrt.rule!.queryFrequencyMs, 60_000);
  assert.deepEqual(issues(`id: 3e1d2c4b-aaaa-4bbb-8ccc-000000000002\nname: n\nseverity: High\nquery: SecurityEvent\n`), [
    'queryFrequency@undefined: is required', 'queryPeriod@undefined: is required', 'triggerOperator@undefined: is required', 'triggerThreshold@undefined: is required',
  ]);
});

test('broken YAML, a missing field and an unquoted {{Column}} are explained', () => {
  assert.match(issues('id: [unclosed\nname: x\n')[0]!, /^\(yaml\)@\d+: invalid YAML/);
  assert.deepEqual(issues(BASE.replace('name: Test rule\n', '')), ['name@1: is required']);
  assert.deepEqual(issues(`${BASE}alertDetailsOverride:\n  alertDisplayNameFormat: {{Title}}\n`), [
    'alertDetailsOverride.alertDisplayNameFormat@10: expected text, found a YAML mapping (an unquoted {{Column}} is one: quote the value)',
  ]);
});
