/**
 * `npm run conformance:update`: runs the kql-docs cases and rewrites expected-failures.txt with
 * the cases failing now. A case still failing keeps the reason it had (hand-written ones
 * included); `--refresh` takes every reason from the current run instead.
 */
import { loadCases } from './cases.js';
import { oneLine, readExpectedFailures, writeExpectedFailures, EXPECTED_FAILURES_PATH, type ExpectedFailures } from './expected-failures.js';
import { runCases } from './run-cases.js';
import { failureReport, scoreLines, scores } from './summary.js';

const refresh = process.argv.includes('--refresh');
const previous = readExpectedFailures();
const outcomes = await runCases(loadCases(), {
  timeoutMs: 10_000,
  onCase: (_o, i, n) => {
    if ((i + 1) % 50 === 0 || i + 1 === n) process.stderr.write(`  ${i + 1}/${n}\n`);
  },
});

const next: ExpectedFailures = new Map();
for (const o of outcomes) {
  if (o.passed) continue;
  const kept = refresh ? undefined : previous.get(o.id);
  next.set(o.id, kept || oneLine(o.why ?? 'failed'));
}
writeExpectedFailures(next);

const added = [...next.keys()].filter((id) => !previous.has(id));
const removed = [...previous.keys()].filter((id) => !next.has(id));
console.log(scoreLines(scores(outcomes)).join('\n'));
console.log(failureReport(outcomes).join('\n'));
console.log(`${EXPECTED_FAILURES_PATH}: ${next.size} cases (${added.length} added, ${removed.length} removed)`);
for (const id of removed) console.log(`  now passes: ${id}`);
for (const id of added) console.log(`  now fails:  ${id}  # ${next.get(id)}`);
