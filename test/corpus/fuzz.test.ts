import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryEngine } from '../../src/engine/engine.js';
import { fuzz, tryQuery } from './fuzz.js';
import { mutate } from './mutate.js';
import { seededRandom } from './sample-data.js';

/** A few hundred mutated corpus queries (fixed seed); `npm run fuzz` runs 20,000. */
describe('fuzzing the front end and the compiler with mutated corpus queries', () => {
  let engine: QueryEngine;
  before(async () => { engine = await QueryEngine.open(); });
  after(async () => { await engine.close(); });

  it('mutations are deterministic per seed and change the text', () => {
    const text = 'SecurityEvent | where EventID == 4625 | summarize count() by Account';
    const a = mutate(text, seededRandom(3));
    assert.deepEqual(mutate(text, seededRandom(3)), a);
    const changed = Array.from({ length: 20 }, (_, i) => mutate(text, seededRandom(i)).text).filter((t) => t !== text);
    assert.ok(changed.length >= 15);
  });

  it('bad input is rejected with a KqlError, not a crash', async () => {
    for (const bad of ['SecurityEvent | where', 'print "', 'T | join (', '| | |', 'print dynamic({', "let f = (x) { x }; print f('"]) {
      assert.equal((await tryQuery(engine, bad)).outcome, 'rejected', bad);
    }
  });

  it('mutations the fuzzer found crashing are rejected with a KqlError', async () => {
    // Kusto.Language throws System.ArgumentOutOfRangeException on a branchless fork after these.
    for (const bad of ['let proxyEvents(){Syslog|fork', 'DeviceEvents|join kind=(DeviceInfo|fork']) {
      assert.deepEqual(await tryQuery(engine, bad), { outcome: 'rejected', message: (await tryQuery(engine, bad)).message }, bad);
    }
    // summarize with nothing to compute compiled to `SELECT  FROM …`, which DuckDB rejects.
    const empty = await tryQuery(engine, 'print x = 1 | summarize');
    assert.equal(empty.outcome, 'rejected');
    assert.match(empty.message, /summarize without an aggregate or a by clause/);
  });

  it('no mutation crashes the engine or makes DuckDB reject the SQL as syntax (300 mutations)', async () => {
    const report = await fuzz(engine, 300, 20261129);
    console.log('fuzz outcomes:', report.counts);
    const bugs = report.failures.filter((f) => f.outcome === 'crash' || f.outcome === 'sql-syntax');
    assert.deepEqual(bugs.map((b) => `${b.outcome}: ${b.message.split('\n')[0]}\n${b.query}`), []);
    assert.equal(report.counts.rejected + report.counts.ran + report.counts.runtime + report.counts.timeout + report.counts['sql-binder'], 300);
  });
});
