import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { objects, useEngine } from './helpers.js';

const engine = useEngine();

const Y = 'print y = dynamic([2, 5, 6, 8, 11, 15, 17, 18, 25, 26, 30, 30])';
const names = async (kql: string) => (await engine().query(kql)).columns.map((c) => `${c.name}:${c.type}`);

describe('tuple-valued functions: (a, b) = f(x), name = f(x) and unnamed f(x)', () => {
  test('extend (a, b, …) = series_fit_line(y): the names given, then Kusto.Language names the rest', async () => {
    const r = await engine().query(`${Y} | extend (rsq, slope) = series_fit_line(y)`);
    assert.deepEqual(r.columns.map((c) => c.name), [
      'y', 'rsq', 'slope', 'series_fit_line_y_variance', 'series_fit_line_y_rvariance', 'series_fit_line_y_interception', 'series_fit_line_y_line_fit',
    ]);
    const row = objects(r)[0]!;
    assert.ok(Math.abs((row['rsq'] as number) - 0.9829) < 1e-4);
    assert.ok(Math.abs((row['slope'] as number) - 2.7308) < 1e-4);
    assert.equal((row['series_fit_line_y_line_fit'] as number[]).length, 12);
  });

  test('unnamed extend series_fit_line(y) gives series_fit_line_y_* columns, each typed as Kusto.Language says', async () => {
    assert.deepEqual(await names(`${Y} | extend series_fit_line(y)`), [
      'y:dynamic', 'series_fit_line_y_rsquare:real', 'series_fit_line_y_slope:real', 'series_fit_line_y_variance:real',
      'series_fit_line_y_rvariance:real', 'series_fit_line_y_interception:real', 'series_fit_line_y_line_fit:dynamic',
    ]);
  });

  test('extend g = series_stats(y) names the first output; the others keep their default names', async () => {
    const r = await engine().query(`${Y} | extend g = series_stats(y)`);
    assert.deepEqual(r.columns.map((c) => c.name).slice(0, 3), ['y', 'g', 'series_stats_y_min_idx']);
    assert.equal(objects(r)[0]!['g'], 2);
    assert.equal(objects(r)[0]!['series_stats_y_min_idx'], 0);
  });

  test('project (a, b) = f(x) and project f(x) beside other columns, in item order', async () => {
    const r = await engine().query(`${Y} | project n = 1, (mn, mnidx) = series_stats(y), series_fit_line(y)`);
    const cols = r.columns.map((c) => c.name);
    assert.deepEqual(cols.slice(0, 4), ['n', 'mn', 'mnidx', 'series_stats_y_max']);
    assert.equal(cols.length, 1 + 7 + 6);
    const row = objects(r)[0]!;
    assert.equal(row['series_stats_y_max'], 30);
    assert.equal(row['series_stats_y_max_idx'], 10);
  });

  test('a tuple name that is an input column replaces it in place', async () => {
    const r = await engine().query(`${Y} | extend k = 1 | extend (k, slope) = series_fit_line(y)`);
    assert.deepEqual(r.columns.map((c) => c.name).slice(0, 3), ['y', 'k', 'slope']);
    assert.ok(Math.abs((objects(r)[0]!['k'] as number) - 0.9829) < 1e-4);
  });

  test('an argument without a name gives Kusto.Language\'s double-underscore names', async () => {
    const r = await engine().query('print series_stats(dynamic([1, 2, 3]))');
    assert.deepEqual(r.columns.map((c) => c.name)[0], 'series_stats__min');
    assert.deepEqual(r.rows[0]!.slice(0, 5), [1, 0, 3, 2, 2]);
  });

  test('print s = series_stats(x) is one column: the first output (Kusto.Language types it real)', async () => {
    const r = await engine().query('print s = series_stats(dynamic([5, 1, 3]))');
    assert.deepEqual(r.columns.map((c) => `${c.name}:${c.type}`), ['s:real']);
    assert.equal(r.rows[0]![0], 1);
  });

  test('summarize (a, b) = arg_max(…) and (lo, hi) = percentiles(…): the names given, in order', async () => {
    const data = 'datatable(d:string, t:long, r:string)["a", 1, "x", "a", 5, "y", "b", 2, "z"]';
    const r = await engine().query(`${data} | summarize (Latest, Report) = arg_max(t, r) by d | order by d asc`);
    assert.deepEqual(r.columns.map((c) => c.name), ['d', 'Latest', 'Report']);
    assert.deepEqual(r.rows, [['a', 5, 'y'], ['b', 2, 'z']]);
    const p = await engine().query(`${data} | summarize (lo, hi) = percentiles(t, 0, 100)`);
    assert.deepEqual(p.columns.map((c) => c.name), ['lo', 'hi']);
    assert.deepEqual(p.rows, [[1, 5]]);
  });

  test('tuple outputs are usable downstream: where and project on a split column', async () => {
    const r = await engine().query(
      'datatable(id:long, s:dynamic)[1, dynamic([1,2,3,4]), 2, dynamic([4,3,2,1]), 3, dynamic([1,1,1,1])]'
      + ' | extend (rsq, slope) = series_fit_line(s) | where slope < 0 | project id, slope');
    assert.deepEqual(r.rows, [[2, -1]]);
  });
});
