import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { objects, scalar, useEngine } from '../engine/helpers.js';
import { weightedPercentile } from '../../src/engine/duckdb/udfs/weighted-rank.js';

describe('sketches and weighted percentiles', () => {
  const engine = useEngine();
  const value = (kql: string) => scalar(engine(), kql);

  test('hll / hll_merge / dcount_hll count distinct values (exact here; Kusto agrees on small inputs)', async () => {
    assert.equal(await value('range x from 1 to 100 step 1 | summarize h = hll(x % 7) | project dcount_hll(h)'), 7);
    assert.equal(await value('range x from 1 to 10 step 1 | summarize h = hll(x) by b = x % 2 | summarize m = hll_merge(h) | project dcount_hll(m)'), 10);
    assert.equal(await value('range x from 1 to 10 step 1 | summarize h = hll_if(x, x > 5) | project dcount_hll(h)'), 5);
    assert.equal(await value('range x from 1 to 6 step 1 | summarize a = hll_if(x, x <= 4), b = hll_if(x, x >= 3) | project dcount_hll(hll_merge(a, b))'), 6);
  });

  test('tdigest / merge_tdigest / percentile_tdigest (tdigest and merge_tdigest docs)', async () => {
    assert.equal(await value('datatable(V:real, W:long)[1.0, 1, 2.0, 2] | summarize TD = tdigest(V, W) | project P50 = percentile_tdigest(TD, 50)'), 2);
    assert.equal(await value(
      'range x from 1 to 10 step 1 | extend y = x + 10 | summarize tx = tdigest(x), ty = tdigest(y) | project m = merge_tdigest(tx, ty) | project percentile_tdigest(m, 100, typeof(long))'), 20);
    assert.equal(await value('range x from 1 to 10 step 1 | summarize t = tdigest(x) by b = x % 2 | summarize m = tdigest_merge(t) | project percentile_tdigest(m, 50, typeof(long))'), 5);
    assert.deepEqual(await value('range x from 1 to 3 step 1 | extend d = datetime(2020-01-01) + x * 1h | summarize t = tdigest(d) | project percentiles_array_tdigest(t, 0, 100)'),
      ['2020-01-01T01:00:00.0000000Z', '2020-01-01T03:00:00.0000000Z']);
  });

  test('percentiles_array and percentilesw / percentilesw_array / percentilew (nearest rank, weighted)', async () => {
    const [row] = objects(await engine().query(
      'range x from 1 to 100 step 1 | summarize p = percentiles_array(x, 10, 50, 90), pd = percentiles_array(x, dynamic([5, 95])), percentilesw(x, x, 50, 90), pwa = percentilesw_array(x, 1, dynamic([50])), pw = percentilew(x, 1, 50)'));
    assert.deepEqual(row!.p, [10, 50, 90]);
    assert.deepEqual(row!.pd, [5, 95]);
    // Weights 1..100 sum to 5050; the cumulative weight first reaches 2525 at 71.
    assert.equal(row!.percentile_x_50, 71);
    assert.equal(row!.percentile_x_90, 95);
    assert.deepEqual(row!.pwa, [50]);
    assert.equal(row!.pw, 50);
    await assert.rejects(engine().query('range x from 1 to 3 step 1 | summarize percentiles_array(x, 150)'), /percentiles_array\(\): percentile 150 is not between 0 and 100/);
  });

  test('the weighted nearest rank skips zero weights and is null for an empty digest', () => {
    assert.equal(weightedPercentile('[[1,1],[2,0],[3,1]]', 50), 1);
    assert.equal(weightedPercentile('[[1,1],[2,0],[3,1]]', 51), 3);
    assert.equal(weightedPercentile('[[1,1],[3,1]]', 0), 1);
    assert.equal(weightedPercentile('[]', 50), null);
  });

  test('binary_all_and/or/xor fold a group bitwise (binary_all_or docs)', async () => {
    assert.equal(await value('datatable(num:long)[0x88888008, 0x42000000, 0x00767000, 0x00000005] | summarize r = toupper(tohex(binary_all_or(num)))'), 'CAFEF00D');
    assert.equal(await value('datatable(num:long)[7, 14, 6] | summarize binary_all_and(num)'), 6);
    assert.equal(await value('datatable(num:long)[7, 14, 6] | summarize binary_all_xor(num)'), 15);
  });

  test('make_list_with_nulls keeps null values, unlike make_list', async () => {
    const [row] = objects(await engine().query('datatable(x:long)[1, long(null), 3] | summarize a = make_list_with_nulls(x), b = make_list(x)'));
    assert.deepEqual(row!.a, [1, null, 3]);
    assert.deepEqual(row!.b, [1, 3]);
  });

  test('sketches of an empty group are null (summarize docs: default values)', async () => {
    const [row] = objects(await engine().query('datatable(x:long)[] | summarize h = hll(x), t = tdigest(x)'));
    assert.equal(row!.h, null);
    assert.equal(row!.t, null);
  });
});

describe('buildschema', () => {
  const engine = useEngine();

  test('builds the minimal schema: unions in first-seen order, indexer for arrays (buildschema docs)', async () => {
    const r = await engine().query('datatable(value: dynamic) [dynamic({"x":1, "y":3.5}), dynamic({"x":"somevalue", "z":[1, 2, 3]}), dynamic({"y":{"w":"zzz"}, "t":["aa", "bb"], "z":["foo"]})] | summarize buildschema(value)');
    assert.deepEqual(r.rows[0]![0], { x: ['long', 'string'], y: ['double', { w: 'string' }], z: { indexer: ['long', 'string'] }, t: { indexer: 'string' } });
  });

  test('is null for a group without values', async () => {
    const r = await engine().query('datatable(x:long)[] | summarize s = buildschema(todynamic(tostring(x)))');
    assert.equal(r.rows[0]![0], null);
  });
});
