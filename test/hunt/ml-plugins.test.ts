import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KqlError } from '../../src/kql/diagnostics.js';
import { objects, useEngine } from '../engine/helpers.js';

async function error(p: Promise<unknown>): Promise<KqlError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof KqlError, `expected a KqlError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the query to fail');
}

const T = "datatable(user:string, logons:long, failures:int, ratio:real, ok:bool, seen:datetime)['a',10,1,0.1,true,datetime(2024-01-01), 'b',12,0,0.0,false,datetime(2024-01-02), 'c',200,50,0.25,true,datetime(2024-01-03), 'd',11,2,0.18,true,datetime(2024-01-04)]";

describe('ML plugins: arguments, schema and errors', () => {
  const engine = useEngine();

  it('appends typed columns that later operators can use', async () => {
    const r = await engine().query(`${T} | evaluate isolation_forest(Seed=1, Contamination=0.25) | where is_anomaly | project user, anomaly_score`);
    assert.deepEqual(r.columns.map((c) => `${c.name}:${c.type}`), ['user:string', 'anomaly_score:real']);
    assert.deepEqual(r.rows.map((x) => x[0]), ['c']);
    const k = await engine().query(`${T} | evaluate kmeans(2) | summarize rows = count() by cluster_id | order by cluster_id asc`);
    assert.deepEqual(k.columns.map((c) => `${c.name}:${c.type}`), ['cluster_id:long', 'rows:long']);
    // User c (200 logons) is a cluster of its own.
    assert.deepEqual(k.rows.map((x) => x[1]).sort(), [1, 3]);
    const d = await engine().query(`${T} | evaluate dbscan(5.0, 2) | project user, cluster_id`);
    assert.deepEqual(d.columns.map((c) => `${c.name}:${c.type}`), ['user:string', 'cluster_id:long']);
    assert.deepEqual(objects(d).map((x) => x.cluster_id), [0, 0, -1, 0]);
  });

  it('takes arguments by position or by name, names in any case', async () => {
    const a = await engine().query(`${T} | evaluate isolation_forest(dynamic(['logons', 'failures']), 50, 4, 0.25, 3)`);
    const b = await engine().query(`${T} | evaluate isolation_forest(seed=3, features=dynamic(['logons', 'failures']), TREES=50, SampleSize=4, Contamination=0.25)`);
    assert.deepEqual(a.rows, b.rows);
    assert.equal(a.rows.length, 4);
  });

  it('uses every numeric column by default, and bools and strings only when named', async () => {
    const byDefault = await engine().query(`${T} | evaluate kmeans(2, Seed=4)`);
    const named = await engine().query(`${T} | evaluate kmeans(2, dynamic(['logons', 'failures', 'ratio']), Seed=4)`);
    assert.deepEqual(byDefault.rows, named.rows);
    const withCategorical = await engine().query(`${T} | evaluate kmeans(2, dynamic(['logons', 'user', 'ok']), Seed=4)`);
    assert.equal(withCategorical.rows.length, 4);
  });

  it('keeps the input rows and their order', async () => {
    const r = await engine().query('range x from 1 to 1000 step 1 | extend y = x % 7 | evaluate dbscan(1.5, 3)');
    assert.deepEqual(r.rows.map((x) => x[0]), Array.from({ length: 1000 }, (_, i) => i + 1));
  });

  it('gives an empty result for an empty input', async () => {
    const r = await engine().query('range x from 1 to 0 step 1 | evaluate isolation_forest()');
    assert.deepEqual(r.columns.map((c) => c.name), ['x', 'anomaly_score', 'is_anomaly']);
    assert.equal(r.rows.length, 0);
  });

  it('fills missing values with the feature mean', async () => {
    const r = await engine().query('datatable(x:real)[1.0, real(null), 3.0] | evaluate kmeans(1, Centroids=dynamic([[0.0]]))');
    assert.deepEqual(objects(r).map((x) => x.distance), [1, 0, 1]);
  });

  it('reports wrong arguments clearly', async () => {
    const cases: Array<[string, RegExp]> = [
      ['isolation_forest(Bogus=1)', /isolation_forest\(\) has no argument 'Bogus'/],
      ['isolation_forest(Trees=1.5)', /long/],
      ["isolation_forest(Trees='many')", /long/],
      ['isolation_forest(Contamination=0.9)', /Contamination must be between 0 and 0.5, got 0.9/],
      ['isolation_forest(SampleSize=1)', /SampleSize must be at least 2/],
      ["isolation_forest(Features=dynamic(['nope']))", /'nope', which is not a column/],
      ["isolation_forest(Features=dynamic(['seen']))", /'seen' is datetime, not numeric/],
      ['isolation_forest(Features=dynamic([]))', /Features must be a non-empty dynamic array of column names/],
      ["isolation_forest(Scale='minmax')", /Scale must be 'none' or 'standard'/],
      ['kmeans(0)', /K must be between 1 and 100000, got 0/],
      ['kmeans(2, Centroids=dynamic([[1, 2]]))', /Centroids must be a dynamic array of K = 2 arrays of 3 numbers/],
      ['dbscan(-1.0)', /Eps must be greater than 0/],
      ['dbscan(0.5, 0)', /MinPoints must be at least 1/],
      ['dbscan(0.5, 2, dynamic([\'logons\']), \'standard\', 7)', /expects 4 arguments/],
    ];
    for (const [call, message] of cases) {
      const e = await error(engine().query(`${T} | evaluate ${call}`));
      assert.match(e.message, message, call);
    }
    const e = await error(engine().query(`${T} | evaluate isolation_forest(Bogus=1)`));
    assert.ok(e.diagnostics[0]!.column > T.length, 'the error points at the argument');
  });

  it('reports too few rows, and input without numeric columns', async () => {
    assert.match((await error(engine().query(`${T} | evaluate kmeans(5)`))).message, /kmeans needs at least K = 5 rows, got 4/);
    assert.match((await error(engine().query(`${T} | take 1 | evaluate isolation_forest()`))).message, /isolation_forest needs at least 2 rows, got 1/);
    assert.match((await error(engine().query(`${T} | project user | evaluate dbscan()`))).message, /no numeric column/);
    assert.match((await error(engine().query(`${T} | extend cluster_id = 1 | evaluate dbscan()`))).message, /appends a column 'cluster_id', which the input already has/);
  });
});
