import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SqlValue } from '../../src/engine/dialect.js';
import { fn, json, lit, useDb } from './helpers.js';

const db = useDb();

const d = (v: unknown) => lit('dynamic', v);
const series = async (name: string, ...args: SqlValue[]) => json(await db().value(fn(name, args, 'dynamic')));
const round3 = (v: unknown) => (v as Array<number | null>).map((x) => (x === null ? null : Math.round(x * 1000) / 1000));

describe('series_fill_*', () => {
  const gaps = [111, null, 36, 41, null, null, 16, 61, 33, null, null];

  test('series_fill_forward/backward leave the edge they cannot reach (docs examples)', async () => {
    assert.deepEqual(await series('series_fill_forward', d([null, null, 36, 41, null, null, 16, 61, 33, null, null])),
      [null, null, 36, 41, 41, 41, 16, 61, 33, 33, 33]);
    assert.deepEqual(await series('series_fill_backward', d(gaps)), [111, 36, 36, 41, 16, 16, 16, 61, 33, null, null]);
  });

  test('missing_value_placeholder names the value that counts as missing', async () => {
    assert.deepEqual(await series('series_fill_forward', d([1, 0, 0, 2, 0]), lit('long', 0)), [1, 1, 1, 2, 2]);
    assert.deepEqual(await series('series_fill_backward', d([0, 3, -1, 5]), lit('long', -1)), [0, 3, 5, 5]);
  });

  test('series_fill_const(series, constant = 0, placeholder = null) (docs example)', async () => {
    assert.deepEqual(await series('series_fill_const', d(gaps), lit('real', 0)), [111, 0, 36, 41, 0, 0, 16, 61, 33, 0, 0]);
    assert.deepEqual(await series('series_fill_const', d([1, null])), [1, 0]);
    assert.deepEqual(await series('series_fill_const', d([1, 5, 2]), lit('long', -1), lit('long', 5)), [1, -1, 2]);
  });

  test('series_fill_linear: interpolation, edges, constant for an all-missing series (docs example)', async () => {
    const reals = [null, 111.5, null, 36.0, 41.0, null, null, 16.0, 61.0, 33.0, null, null];
    assert.deepEqual(round3(await series('series_fill_linear', d(reals))), [111.5, 111.5, 73.75, 36, 41, 32.667, 24.333, 16, 61, 33, 33, 33]);
    assert.deepEqual(round3(await series('series_fill_linear', d(reals), lit('real', null), lit('bool', false))),
      [null, 111.5, 73.75, 36, 41, 32.667, 24.333, 16, 61, 33, null, null]);
    assert.deepEqual(await series('series_fill_linear', d([null, null, null])), [0, 0, 0]);
    assert.deepEqual(await series('series_fill_linear', d([null, null]), lit('real', null), lit('bool', true), lit('real', 3.14159)), [3.14159, 3.14159]);
  });

  test('series_fill_linear keeps an integer series integral: interpolated values toward zero (docs example: 73.5 -> 73)', async () => {
    assert.deepEqual(await series('series_fill_linear', d([null, 111, null, 36, 41, null, null, 16, 61, 33, null, null])),
      [111, 111, 73, 36, 41, 32, 24, 16, 61, 33, 33, 33]);
  });
});

describe('series_stats', () => {
  const x = [23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29];

  test('series_stats: the tuple min, min_idx, max, max_idx, avg, stdev, sample variance (docs example)', async () => {
    const [min, minIdx, max, maxIdx, avg, stdev, variance] = (await series('series_stats', d(x))) as number[];
    assert.deepEqual([min, minIdx, max, maxIdx], [2, 8, 87, 3]);
    assert.ok(Math.abs(avg! - 32.8) < 1e-12);
    assert.ok(Math.abs(stdev! - 28.5036338535483) < 1e-12);
    assert.ok(Math.abs(variance! - 812.457142857143) < 1e-9);
  });

  test('series_stats_dynamic is one bag with the same values', async () => {
    const bag = (await series('series_stats_dynamic', d(x))) as Record<string, number>;
    assert.deepEqual(Object.keys(bag), ['min', 'min_idx', 'max', 'max_idx', 'avg', 'stdev', 'variance']);
    assert.equal(bag['max_idx'], 3);
  });

  test('ignore_nonfinite: false (default) gives nulls when a value is null/NaN/inf; true skips them (docs)', async () => {
    const withNull = [1, null, 3];
    assert.deepEqual(await series('series_stats', d(withNull)), [null, null, null, null, null, null, null]);
    assert.deepEqual(await series('series_stats', d([1, 'inf', 3])), [null, null, null, null, null, null, null]);
    const [min, minIdx, max, maxIdx, avg] = (await series('series_stats', d(withNull), lit('bool', true))) as number[];
    assert.deepEqual([min, minIdx, max, maxIdx, avg], [1, 0, 3, 2, 2]);
  });
});
