import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { percentileOf, select } from '../../src/engine/duckdb/udfs/series/order-statistics.js';
import { Random } from '../../src/hunt/ml/random.js';

/** The percentile from the sorted values, as series_outliers defines it. */
function sortedPercentile(values: Float64Array, p: number): number {
  const sorted = Float64Array.from(values).sort();
  const rank = (p / 100) * (sorted.length - 1);
  const i = Math.floor(rank);
  const f = rank - i;
  return f === 0 || i + 1 >= sorted.length ? sorted[i]! : sorted[i]! + f * (sorted[i + 1]! - sorted[i]!);
}

describe('order statistics by selection', () => {
  it('select() finds every order statistic of values with many duplicates', () => {
    const r = new Random(3);
    for (let t = 0; t < 200; t++) {
      const n = 1 + r.int(60);
      const values = Float64Array.from({ length: n }, () => r.int(t % 2 ? 5 : 1000) - 2);
      const sorted = Float64Array.from(values).sort();
      const k = r.int(n);
      assert.equal(select(Float64Array.from(values), k), sorted[k], `n ${n} k ${k}`);
    }
  });

  it('percentileOf() equals the percentile of the sorted values, exactly', () => {
    const r = new Random(4);
    for (let t = 0; t < 300; t++) {
      const n = 1 + r.int(800);
      const values = Float64Array.from({ length: n }, () => (t % 3 === 0 ? r.int(7) : (r.next() - 0.5) * 1e6));
      for (const p of [2, 10, 25, 50, 75, 90, 98, 33.3]) {
        assert.equal(percentileOf(Float64Array.from(values), p), sortedPercentile(values, p), `n ${n} p ${p}`);
      }
    }
  });
});
