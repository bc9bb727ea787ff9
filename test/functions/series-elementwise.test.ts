import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SqlValue } from '../../src/engine/dialect.js';
import { expr, fn, json, lit, useDb } from './helpers.js';

const db = useDb();

const d = (v: unknown) => lit('dynamic', v);
const series = async (name: string, ...args: SqlValue[]) => json(await db().value(fn(name, args, 'dynamic')));
const real = async (name: string, ...args: SqlValue[]) => db().value(fn(name, args, 'real'));
const close = (actual: unknown, expected: number, eps = 1e-9) =>
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) <= eps * Math.max(1, Math.abs(expected)), `${actual} ≉ ${expected}`);

describe('series element-wise functions', () => {
  test('series_add/subtract/multiply: arrays of different lengths give null past the shorter one (series_add docs)', async () => {
    assert.deepEqual(await series('series_add', d([1, 2, 4]), d([4, 2, 1])), [5, 4, 5]);
    assert.deepEqual(await series('series_subtract', d([1, 2, 4]), d([4, 2])), [-3, 0, null]);
    assert.deepEqual(await series('series_multiply', d([1.5, 2]), d([2, 2, 2])), [3, 4, null]);
  });

  test('a number argument is broadcast over the series, on either side', async () => {
    assert.deepEqual(await series('series_add', d([1, 2, 3]), lit('long', 10)), [11, 12, 13]);
    assert.deepEqual(await series('series_subtract', lit('real', 10), d([1, 2, 3])), [9, 8, 7]);
    assert.deepEqual(await series('series_multiply', expr('dynamic', [1, 2]), expr('long', 3)), [3, 6]);
  });

  test('a non-numeric element gives a null element', async () => {
    assert.deepEqual(await series('series_add', d([1, 'a', null, true, 4]), d([1, 1, 1, 1, 1])), [2, null, null, null, 5]);
    assert.deepEqual(await series('series_abs', d([-1, 'x', -2.5])), [1, null, 2.5]);
  });

  test('series_divide: real division, x/0 gives ±inf and 0/0 NaN (series_divide docs)', async () => {
    assert.deepEqual(await series('series_divide', d([1, 2, 4]), d([4, 2, 1])), [0.25, 1, 4]);
    assert.deepEqual(await series('series_divide', d([2, -2, 0]), lit('long', 0)), ['inf', '-inf', 'nan']);
    // The strings are how Quarry writes non-finite reals in dynamic values; they read back as numbers.
    assert.deepEqual(await series('series_add', d(['inf', 1]), lit('long', 1)), ['inf', 2]);
  });

  test('series_pow, series_exp, series_log, trigonometry', async () => {
    assert.deepEqual(await series('series_pow', d([2, 3, 4]), lit('long', 2)), [4, 9, 16]);
    assert.deepEqual(await series('series_exp', d([0])), [1]);
    assert.deepEqual(await series('series_log', d([1, 0])), [0, '-inf']);
    const acos = (await series('series_acos', d([-1, 0, 1]))) as number[];
    close(acos[0], Math.PI);
    close(acos[1], Math.PI / 2);
    assert.deepEqual(await series('series_asin', d([2])), ['nan'], 'asin outside [-1, 1] is NaN');
    const tan = (await series('series_tan', d([-1, 0, 1]))) as number[];
    close(tan[2], 1.5574077246549023);
  });

  test('series_ceiling/floor/sign (docs examples)', async () => {
    assert.deepEqual(await series('series_ceiling', d([-1.5, 1, 2.5])), [-1, 1, 3]);
    assert.deepEqual(await series('series_floor', d([-1.5, 1, 2.5])), [-2, 1, 2]);
    assert.deepEqual(await series('series_sign', d([-3, 0, 2.5, null])), [-1, 0, 1, null]);
  });

  test('comparisons give bool arrays, null where an element is missing (series_greater_equals docs)', async () => {
    assert.deepEqual(await series('series_greater_equals', d([1, 2, 4]), d([4, 2, 1])), [false, true, true]);
    assert.deepEqual(await series('series_greater', d([1, 2, 4]), lit('long', 1)), [false, true, true]);
    assert.deepEqual(await series('series_less', d([1, 2]), d([2, 2, 2])), [true, false, null]);
    assert.deepEqual(await series('series_less_equals', d([1, 2]), d([2, 2])), [true, true]);
    assert.deepEqual(await series('series_equals', d([1, 2.0, 'a']), d([1, 2, 'a'])), [true, true, null]);
    assert.deepEqual(await series('series_not_equals', d([1, 2]), d([1, 3])), [false, true]);
  });

  test('datetime elements count as their ticks (the docs turn a time axis into numbers with series_add(TimeStamp, 0))', async () => {
    const axis = d(['2024-01-01T00:00:00.0000000Z', '2024-01-01T01:00:00.5000000Z']);
    const ticks = (await series('series_subtract', axis, lit('real', 638396640000000000))) as number[];
    // Ticks of today's dates are ~6.4e17: as doubles they are exact to 128 ticks.
    assert.equal(ticks[0], 0);
    assert.ok(Math.abs(ticks[1]! - 36_005_000_000) <= 128, String(ticks[1]));
  });

  test('a series that is not an array, or null, gives null', async () => {
    assert.equal(await db().value(fn('series_add', [d({ a: 1 }), lit('long', 1)], 'dynamic')), null);
    assert.equal(await db().value(fn('series_abs', [lit('dynamic', null)], 'dynamic')), null);
  });
});

describe('series reductions and similarities', () => {
  test('series_sum, series_product, series_magnitude ignore non-numeric elements (docs examples)', async () => {
    assert.equal(await real('series_sum', d([1, 2, 3, 4])), 10);
    assert.equal(await real('series_product', d([1, 2, 3, 4])), 24);
    close(await real('series_magnitude', d([1, 2, 3, 4])), 5.4772255750516612);
    assert.equal(await real('series_sum', d([1, null, 'x', 2])), 3);
  });

  test('series_dot_product: the longer series is cut, a number is broadcast, empty gives null (docs)', async () => {
    assert.equal(await real('series_dot_product', d([1, 2, 4]), d([4, 2, 1])), 12);
    assert.equal(await real('series_dot_product', d([1, 2, 4]), lit('long', 1)), 7);
    assert.equal(await real('series_dot_product', d([1, 2, 4, 100]), d([1, 1, 1])), 7);
    assert.equal(await real('series_dot_product', d([]), d([1])), null);
  });

  test('series_cosine_similarity (docs example values)', async () => {
    close(await real('series_cosine_similarity', d([0.1, 0.2, 0.1, 0.2]), d([0.11, 0.2, 0.11, 0.21])), 0.99935343825504, 1e-12);
    close(await real('series_cosine_similarity', d([0.1, 0.2, 0.1, 0.2]), d([1, 2, 3, 4])), 0.923760430703401, 1e-12);
    // Given magnitudes are used as they are.
    close(await real('series_cosine_similarity', d([1, 0]), d([1, 0]), lit('real', 2), lit('real', 1)), 0.5);
  });

  test('series_pearson_correlation matches numpy.corrcoef; a length mismatch or non-numeric element gives null (docs)', async () => {
    close(await real('series_pearson_correlation', d([1, 3, 2, 5, 4, 7]), d([2, 1, 4, 3, 7, 8])), 0.6754883330185242, 1e-12);
    close(await real('series_pearson_correlation', d([1, 2, 3, 4, 5]), d([2, 4, 6, 8, 10])), 1);
    assert.equal(await real('series_pearson_correlation', d([1, 2, 3]), d([1, 2])), null);
    assert.equal(await real('series_pearson_correlation', d([1, 'a', 3]), d([1, 2, 3])), null);
  });
});
