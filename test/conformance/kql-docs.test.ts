/**
 * The kql-docs conformance suite: every documented example in shared/conformance/kql-docs runs
 * through the engine and is compared with the documentation's table. Known failures are listed
 * in expected-failures.txt; `npm run conformance:update` rewrites that list.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadCases, type ConformanceCase } from './cases.js';
import { readExpectedFailures, type ExpectedFailures } from './expected-failures.js';
import { runCases, type CaseOutcome } from './run-cases.js';
import { CORE_TARGET, failureReport, scoreLines, scores } from './summary.js';

describe('kql-docs conformance', () => {
  let cases: ConformanceCase[] = [];
  let outcomes: CaseOutcome[] = [];
  let expected: ExpectedFailures = new Map();

  before(async () => {
    cases = loadCases();
    expected = readExpectedFailures();
    outcomes = await runCases(cases, { timeoutMs: 10_000 });
    const s = scores(outcomes);
    console.log([...scoreLines(s), 'top failure reasons:', ...failureReport(outcomes)].join('\n'));
  });

  test('the cases file is there and not empty', () => {
    assert.ok(cases.length > 0, 'no kql-docs cases');
  });

  test('every case not in expected-failures.txt passes', () => {
    const unexpected = outcomes.filter((o) => !o.passed && !expected.has(o.id));
    assert.deepEqual(
      unexpected.map((o) => `${o.id}: ${o.why}`),
      [],
      'these cases fail (fix the engine, or list them with `npm run conformance:update`)',
    );
  });

  test('every case in expected-failures.txt still fails', () => {
    const passing = new Set(outcomes.filter((o) => o.passed).map((o) => o.id));
    const fixed = [...expected.keys()].filter((id) => passing.has(id));
    assert.deepEqual(fixed, [], 'these cases pass now: remove them from expected-failures.txt');
  });

  test('expected-failures.txt names only existing cases', () => {
    const ids = new Set(cases.map((c) => c.id));
    assert.deepEqual([...expected.keys()].filter((id) => !ids.has(id)), []);
  });

  test(`at least ${CORE_TARGET * 100}% of the core cases pass`, () => {
    const s = scores(outcomes);
    assert.ok(s.coreTotal > 0, 'no core cases');
    const failing = outcomes.filter((o) => o.core && !o.passed).map((o) => `${o.id}: ${o.why}`);
    assert.ok(s.corePassed / s.coreTotal >= CORE_TARGET, `core subset ${s.corePassed}/${s.coreTotal}; failing:\n${failing.join('\n')}`);
  });
});
