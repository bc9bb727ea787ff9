import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { objects, scalar, useEngine } from './helpers.js';

/** Each test names the Kusto rule it pins, where Kusto differs from plain SQL. */
describe('Kusto semantics that differ from SQL', () => {
  const engine = useEngine();

  it('has matches whole terms (maximal runs of letters and digits), case-insensitively', async () => {
    assert.equal(await scalar(engine(), 'print "KustoExplorerQueryRun" has "Explorer"'), false);
    assert.equal(await scalar(engine(), 'print "KustoExplorerQueryRun" contains "Explorer"'), true);
    assert.equal(await scalar(engine(), 'print "Kusto.Explorer.QueryRun" has "explorer"'), true);
    assert.equal(await scalar(engine(), 'print "user: Bob42 logged on" has "bob42"'), true);
    assert.equal(await scalar(engine(), 'print "user: Bob42 logged on" has "bob4"'), false);
  });

  it('strings are never null: an outer join fills a missing string cell with ""', async () => {
    const r = await engine().query(`
      let L = datatable(k:long, a:string)[1, "x", 2, "y"];
      let R = datatable(k:long, b:string)[1, "one"];
      L | join kind=leftouter R on k | project k, b | sort by k asc`);
    assert.deepEqual(r.rows, [[1, 'one'], [2, '']]);
  });

  it('== between null and a value is false, != is true, and where treats null as false', async () => {
    assert.equal(await scalar(engine(), 'print int(null) == 1'), false);
    assert.equal(await scalar(engine(), 'print int(null) != 1'), true);
    // null != 1 is true, so the null row passes; null > 1 is null, which where treats as false.
    assert.equal(await scalar(engine(), 'datatable(x:long)[1, long(null), 3] | where x != 1 | count'), 2);
    assert.equal(await scalar(engine(), 'datatable(x:long)[1, long(null), 3] | where x > 1 | count'), 1);
    assert.equal(await scalar(engine(), 'datatable(x:long)[1, long(null), 3] | where not(x > 1) | count'), 1);
  });

  it('!has, !contains and !in on null are true', async () => {
    const r = await engine().query(`
      datatable(d:dynamic)[dynamic({"a":"x"}), dynamic({})]
      | extend v = tostring(d.b)
      | where v !has "x" and v !contains "x" and v !in ("x")
      | count`);
    assert.equal(r.rows[0]![0], 2);
    assert.equal(await scalar(engine(), 'print long(null) !in (1, 2)'), true);
  });

  it('join defaults to innerunique: one left row per key', async () => {
    const r = await engine().query(`
      let L = datatable(k:long, a:string)[1, "x", 1, "y", 2, "z"];
      let R = datatable(k:long, b:string)[1, "r1", 1, "r2", 2, "r3"];
      L | join R on k | summarize n = count() by k | sort by k asc`);
    assert.deepEqual(r.rows, [[1, 2], [2, 1]]);
  });

  it('dcount is exact below 1,000 distinct values', async () => {
    assert.equal(await scalar(engine(), 'range x from 1 to 999 step 1 | extend y = x % 997 | summarize dcount(y)'), 997);
  });

  it('percentiles are nearest-rank', async () => {
    const r = await engine().query('range x from 1 to 10 step 1 | summarize percentile(x, 50), percentiles(x, 25, 90)');
    assert.deepEqual(r.rows, [[5, 3, 9]]);
  });

  it('ago() and now() take one value per query', async () => {
    assert.equal(await scalar(engine(), 'range x from 1 to 200000 step 1 | extend n = now(), a = ago(1h) | summarize dcount(n) + dcount(a)'), 2);
    assert.equal(await scalar(engine(), 'print now() - ago(1h) == 1h'), true);
  });

  it('make_list skips nulls', async () => {
    assert.deepEqual(await scalar(engine(), 'datatable(x:long)[1, long(null), 3] | summarize make_list(x)'), [1, 3]);
  });

  it('sum of an all-null group is 0', async () => {
    assert.equal(await scalar(engine(), 'datatable(x:long)[long(null), long(null)] | summarize sum(x)'), 0);
  });

  it('integer division truncates (7/2 == 3) and timespan/timespan is real (1d/1h == 24.0)', async () => {
    assert.equal(await scalar(engine(), 'print 7/2'), 3);
    assert.equal(await scalar(engine(), 'print 1d/1h'), 24);
    assert.equal((await engine().query('print 1d/1h')).columns[0]!.type, 'real');
  });

  it('sort defaults to descending, with nulls last when descending and first when ascending', async () => {
    const q = 'datatable(x:long)[2, long(null), 1, 3]';
    assert.deepEqual((await engine().query(`${q} | sort by x`)).rows, [[3], [2], [1], [null]]);
    assert.deepEqual((await engine().query(`${q} | sort by x asc`)).rows, [[null], [1], [2], [3]]);
  });

  it('summarize names its columns as Kusto does (count_, avg_x, sum_x)', async () => {
    const r = await engine().query('range x from 1 to 4 step 1 | summarize count(), avg(x), sum(x)');
    assert.deepEqual(r.columns.map((c) => c.name), ['count_', 'avg_x', 'sum_x']);
    assert.deepEqual(r.rows, [[4, 2.5, 10]]);
  });

  it('arg_max(x, *) keeps the whole row of the maximum per key', async () => {
    const r = await engine().query(`
      datatable(k:string, v:long, note:string)["a", 1, "low", "a", 5, "high", "b", 2, "only"]
      | summarize arg_max(v, *) by k | sort by k asc`);
    assert.deepEqual(objects(r), [{ k: 'a', v: 5, note: 'high' }, { k: 'b', v: 2, note: 'only' }]);
  });
});
