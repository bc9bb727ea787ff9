import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SqlValue } from '../../src/engine/dialect.js';
import { dft } from '../../src/engine/duckdb/udfs/series/fft.js';
import { fn, json, lit, useDb } from './helpers.js';

const db = useDb();

const d = (v: unknown) => lit('dynamic', v);
const value = async (name: string, ...args: SqlValue[]) => json(await db().value(fn(name, args, 'dynamic')));
const close = (actual: unknown, expected: number, eps = 1e-9, what = '') =>
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) <= eps * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≉ ${expected}`);
const closeAll = (actual: unknown, expected: number[], eps = 1e-9) => {
  assert.equal((actual as number[]).length, expected.length);
  expected.forEach((e, i) => close((actual as number[])[i], e, eps, `[${i}]`));
};

describe('series_fit_line / _dynamic', () => {
  const y = [2, 5, 6, 8, 11, 15, 17, 18, 25, 26, 30, 30];

  test('rsquare, slope, sample variance, rvariance, interception, line_fit with x = 1..n (docs example: 0.982, 2.730, 98.628, 1.686, -1.666)', async () => {
    const [rsquare, slope, variance, rvariance, interception, lineFit] = (await value('series_fit_line', d(y))) as [number, number, number, number, number, number[]];
    close(rsquare, 0.982900730884447, 1e-12);
    close(slope, 2.7307692307692313, 1e-12);
    close(variance, 98.62878787878786, 1e-12);
    close(rvariance, 1.6864801864801868, 1e-9);
    close(interception, -1.6666666666666714, 1e-12);
    close(lineFit[0], 1.064, 1e-3);
    close(lineFit[11], 31.102, 1e-4);
  });

  test('series_fit_line_dynamic returns the same values in a bag', async () => {
    const bag = (await value('series_fit_line_dynamic', d(y))) as Record<string, unknown>;
    assert.deepEqual(Object.keys(bag), ['rsquare', 'slope', 'variance', 'rvariance', 'interception', 'line_fit']);
    close(bag['slope'], 2.7307692307692313, 1e-12);
  });

  test('a constant series is an exact fit (rsquare 1, slope 0); nulls are left out of the fit', async () => {
    const [rsquare, slope] = (await value('series_fit_line', d([4, 4, 4]))) as number[];
    assert.deepEqual([rsquare, slope], [1, 0]);
    const [, slope2, , , interception2, fit2] = (await value('series_fit_line', d([1, null, 3]))) as [number, number, number, number, number, number[]];
    close(slope2, 1);
    close(interception2, 0, 1e-9);
    closeAll(fit2, [1, 2, 3]);
  });
});

describe('series_fit_2lines / _dynamic', () => {
  test('finds the break of a piecewise-linear series exactly; split_idx is the first index of the right part', async () => {
    // Left: y = 2x (x = 1..5); right: y = 20 - 3x' (x' = 1..5, local to the right part).
    const y = [2, 4, 6, 8, 10, 17, 14, 11, 8, 5];
    const out = (await value('series_fit_2lines', d(y))) as Array<number | number[]>;
    const [rsquare, split, , rvariance, lineFit, rR, rSlope, rIntercept, , , lR, lSlope, lIntercept] = out;
    assert.equal(out.length, 15);
    assert.equal(split, 5);
    close(rsquare, 1);
    close(rvariance, 0, 1e-9);
    closeAll(lineFit, y);
    close(lSlope, 2);
    close(lIntercept, 0, 1e-9);
    close(rSlope, -3);
    close(rIntercept, 20);
    close(rR, 1);
    close(lR, 1);
  });

  test('the split maximises the total r-square (checked against every split by brute force)', async () => {
    const y = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9];
    const out = (await value('series_fit_2lines', d(y))) as number[];
    const rssOf = (part: number[]) => {
      const n = part.length;
      const xs = part.map((_, i) => i + 1);
      const mx = xs.reduce((a, b) => a + b) / n;
      const my = part.reduce((a, b) => a + b) / n;
      const slope = xs.reduce((a, x, i) => a + (x - mx) * (part[i]! - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
      return part.reduce((a, v, i) => a + (v - (my + slope * (xs[i]! - mx))) ** 2, 0);
    };
    let best = -1;
    let bestRss = Infinity;
    for (let k = 2; k <= y.length - 2; k++) {
      const rss = rssOf(y.slice(0, k)) + rssOf(y.slice(k));
      if (rss < bestRss - 1e-12) [best, bestRss] = [k, rss];
    }
    assert.equal(out[1], best);
    const mean = y.reduce((a, b) => a + b) / y.length;
    close(out[0], 1 - bestRss / y.reduce((a, v) => a + (v - mean) ** 2, 0), 1e-9);
  });

  test('series_fit_2lines_dynamic nests the sides as right.* and left.* (docs)', async () => {
    const bag = (await value('series_fit_2lines_dynamic', d([2, 4, 6, 8, 10, 17, 14, 11, 8, 5]))) as Record<string, Record<string, number>>;
    assert.equal(bag['split_idx'] as unknown, 5);
    close(bag['right']!['slope'], -3);
    close(bag['left']!['slope'], 2);
  });
});

describe('series_fit_poly', () => {
  const x = [0.0, 0.1, 0.25, 0.3, 0.45, 0.5, 0.62, 0.7, 0.81, 0.9, 1.0];
  const y = [1.0, 1.8, 2.1, 2.9, 3.0, 3.9, 4.2, 5.8, 6.1, 7.9, 9.5];

  test('degree 3 matches numpy.polyfit (coefficients highest power first), rsquare and variances', async () => {
    const [rsquare, coefficients, variance, rvariance, polyFit] = (await value('series_fit_poly', d(y), d(x), lit('int', 3))) as [number, number[], number, number, number[]];
    closeAll(coefficients, [8.800225379893115, -6.631323066254467, 6.274963167157211, 1.0734626852230684], 1e-9);
    close(rsquare, 0.9865013950989049, 1e-12);
    close(variance, 7.121636363636364, 1e-12);
    close(rvariance, 0.0961321555219993, 1e-9);
    assert.equal(polyFit.length, y.length);
  });

  test('degree 1 over the default x = 1..n equals series_fit_line (docs example 2)', async () => {
    const s = [2, 5, 6, 8, 11, 15, 17, 18, 25, 26, 30, 30];
    const [rsquare, coefficients] = (await value('series_fit_poly', d(s))) as [number, number[]];
    const line = (await value('series_fit_line', d(s))) as number[];
    close(rsquare, line[0]!, 1e-12);
    closeAll(coefficients, [line[1]!, line[4]!], 1e-12);
  });
});

describe('series_fir / series_iir', () => {
  test('series_fir: normalized moving average by default; center shifts by (m-1)/2 (docs)', async () => {
    closeAll(await value('series_fir', d([3, 6, 9, 12]), d([1, 1, 1])), [1, 3, 6, 9]);
    closeAll(await value('series_fir', d([3, 6, 9, 12]), d([1, 1, 1]), lit('bool', true), lit('bool', true)), [3, 6, 9, 7]);
  });

  test('series_fir: filter [1,-1] gives differences (scipy.signal.lfilter); normalize with negatives gives null (docs)', async () => {
    closeAll(await value('series_fir', d([0, 0, 2, 2, 3, 3]), d([1, -1]), lit('bool', false), lit('bool', false)), [0, 0, 2, 0, 1, 0]);
    closeAll(await value('series_fir', d([0, 0, 2, 2, 3, 3]), d([1, -1])), [0, 0, 2, 0, 1, 0]);
    assert.equal(await db().value(fn('series_fir', [d([1, 2]), d([1, -1]), lit('bool', true)], 'dynamic')), null);
  });

  test('series_iir: cumulative sum with b=[1], a=[1,-1] (docs); a general filter matches scipy.signal.lfilter', async () => {
    closeAll(await value('series_iir', d([1, 2, 3, 4]), d([1]), d([1, -1])), [1, 3, 6, 10]);
    closeAll(await value('series_iir', d([1, 2, 3, 4, 5]), d([0.5, 0.5]), d([1, -0.3])), [0.5, 1.65, 2.995, 4.3985, 5.81955], 1e-12);
    assert.deepEqual(await value('series_iir', d([1, null, 3]), d([1]), d([1, -1])), [1, null, null], 'a missing sample breaks every later output');
  });
});

describe('series_fft / series_ifft', () => {
  test('series_fft of a length-6 series (Bluestein) matches numpy.fft.fft', async () => {
    const [re, im] = (await value('series_fft', d([1, 2, 0, -1, 3, 5]))) as [number[], number[]];
    closeAll(re, [10, 4, -5, -2, -5, 4], 1e-9);
    closeAll(im, [0, 5.196152422706631, 0, 0, 0, -5.196152422706632], 1e-9);
  });

  test('series_ifft(series_fft(x)) gives x back, power-of-two and other lengths', async () => {
    for (const n of [8, 13, 720]) {
      const xr = Array.from({ length: n }, (_, i) => Math.sin(i) * 3 + (i % 5));
      const xi = Array.from({ length: n }, (_, i) => Math.cos(i / 3));
      const [fr, fi] = (await value('series_fft', d(xr), d(xi))) as [number[], number[]];
      const [br, bi] = (await value('series_ifft', d(fr), d(fi))) as [number[], number[]];
      closeAll(br, xr, 1e-9);
      closeAll(bi, xi, 1e-9);
    }
  });

  test('the fast transforms equal the O(n²) definition', () => {
    for (const n of [16, 15]) {
      const re = Array.from({ length: n }, (_, i) => (i * 7) % 11 - 5);
      const im = Array.from({ length: n }, (_, i) => (i * 3) % 4);
      const [fr, fi] = dft(re, im, -1);
      for (let k = 0; k < n; k++) {
        let sr = 0;
        let si = 0;
        for (let t = 0; t < n; t++) {
          const a = (-2 * Math.PI * k * t) / n;
          sr += re[t]! * Math.cos(a) - im[t]! * Math.sin(a);
          si += re[t]! * Math.sin(a) + im[t]! * Math.cos(a);
        }
        close(fr[k], sr, 1e-9, `re[${k}] n=${n}`);
        close(fi[k], si, 1e-9, `im[${k}] n=${n}`);
      }
    }
  });
});
