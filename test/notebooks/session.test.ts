import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QueryEngine } from '../../src/engine/engine.js';
import { KqlError } from '../../src/kql/diagnostics.js';
import { InProcessSession } from '../../src/notebooks/session/in-process.js';

describe('notebook session (in-process)', () => {
  let engine: QueryEngine;
  let session: InProcessSession;
  before(async () => {
    engine = await QueryEngine.open();
    await engine.connection.run(`CREATE TABLE Logons AS SELECT * FROM (VALUES ('alice', 4624, TIMESTAMP '2024-01-01 10:00:00'), ('bob', 4625, TIMESTAMP '2024-01-01 11:00:00'), ('bob', 4625, TIMESTAMP '2024-01-01 12:00:00')) AS t(Account, EventID, TimeGenerated)`);
    await engine.refreshCatalog();
    session = InProcessSession.onEngine(engine);
  });
  after(async () => session.close());

  it('keeps let bindings across cells', async () => {
    assert.equal(await session.run('let failed = 4625;'), null);
    const r = await session.run('Logons | where EventID == failed | count');
    assert.deepEqual(r!.rows, [[2]]);
  });

  it('a redefinition replaces the binding and dependants see it', async () => {
    await session.run('let who = "alice";\nlet mine = Logons | where Account == who;');
    assert.deepEqual((await session.run('mine | count'))!.rows, [[1]]);
    await session.run('let who = "bob";');
    assert.deepEqual((await session.run('mine | count'))!.rows, [[2]]);
    // and the same cell can redefine and use
    assert.deepEqual((await session.run('let who = "nobody"; mine | count'))!.rows, [[0]]);
  });

  it('a failing cell does not change the bindings', async () => {
    await assert.rejects(session.run('let who = 1; nosuchtable'), KqlError);
    assert.deepEqual((await session.run('mine | count'))!.rows, [[0]]);
  });

  it('reports errors at positions in the cell', async () => {
    const err = await session.run('let x = 1;\nLogons\n| where Acount == "a"').catch((e: unknown) => e);
    assert.ok(err instanceof KqlError);
    const d = err.diagnostics[0]!;
    assert.equal(d.line, 3);
    assert.equal(d.column, 9);
    assert.match(d.message, /Acount/);
  });

  it('refuses a name declared twice in one cell', async () => {
    await assert.rejects(session.run('let q = 1; let q = 2; print q'), /declared twice/);
  });

  it('%as stores a result as a table for later cells, timespans kept', async () => {
    const r = await session.run('Logons | summarize n = count(), span = max(TimeGenerated) - min(TimeGenerated) by Account', { storeAs: 'PerAccount' });
    assert.equal(r!.rows.length, 2);
    const again = await session.run('PerAccount | where Account == "bob" | project n, span');
    assert.deepEqual(again!.columns.map((c) => c.type), ['long', 'timespan']);
    assert.deepEqual(again!.rows, [[2, '01:00:00']]);
  });

  it('%as refuses to hide a workspace table', async () => {
    await assert.rejects(session.run('print 1', { storeAs: 'Logons' }), /already has a table/);
  });

  it('completes tables, columns and session bindings', () => {
    assert.ok(session.complete('Logo', 4).items.some((i) => i.text === 'Logons' && i.kind === 'Table'));
    const cols = session.complete('Logons | where Acc', 18);
    assert.deepEqual(cols.items.map((i) => i.text), ['Account']);
    assert.equal(cols.start, 15);
    assert.ok(session.complete('print fail', 10).items.some((i) => i.text === 'failed'));
  });

  it('inspects a column and a function', () => {
    assert.match(session.inspect('Logons | where EventID > 0', 17) ?? '', /EventID: int/);
    assert.match(session.inspect('print strlen("a")', 8) ?? '', /^strlen\(string\): long\nDocumentation: https:\/\/learn.microsoft.com\/kusto\/query\/strlen-function$/);
    assert.match(session.inspect('Logons | summarize dcount(Account)', 22) ?? '', /dcount-aggregation-function/);
  });
});

describe('notebook session interrupt', () => {
  it('an interrupt sent while the cell is still being analysed still stops its query', async () => {
    const engine = await QueryEngine.open();
    const session = InProcessSession.onEngine(engine);
    try {
      const started = Date.now();
      const run = session.run('range i from 1 to 200000000000 step 1 | summarize s = sum(i % 7)');
      session.interrupt(); // before DuckDB has a statement to interrupt
      await assert.rejects(run, (e: unknown) => e instanceof KqlError && e.kind === 'cancelled');
      assert.ok(Date.now() - started < 15_000);
      assert.deepEqual((await session.run('print 1'))!.rows, [[1]]);
      // %as: a timeout is a timeout, an interrupt a cancellation.
      const long = 'range i from 1 to 200000000000 step 1 | summarize s = sum(i % 7)';
      await assert.rejects(session.run(long, { storeAs: 'T1', timeoutMs: 300 }), (e: unknown) => e instanceof KqlError && e.kind === 'timeout');
      const stored = session.run(long, { storeAs: 'T2', timeoutMs: 60_000 });
      setTimeout(() => session.interrupt(), 200);
      await assert.rejects(stored, (e: unknown) => e instanceof KqlError && e.kind === 'cancelled');
    } finally {
      await session.close();
    }
  });
});
