/**
 * k-means with Hamerly's bounds and incrementally kept cluster sums must label every row as
 * plain Lloyd does (a full scan of every centroid each iteration, sums afresh). Integer data
 * makes exact ties (duplicate rows, rows halfway between centroids) and exact sums, so any
 * difference is the bounds' doing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kmeans } from '../../src/hunt/ml/kmeans.js';
import { matrix } from '../../src/hunt/ml/matrix.js';
import { Random } from '../../src/hunt/ml/random.js';

/** Plain Lloyd with scikit-learn's stopping rules and empty-cluster relocation. */
function lloyd(data: Float64Array, rows: number, dims: number, start: Float64Array, maxIterations: number) {
  const k = start.length / dims;
  let centers = Float64Array.from(start);
  const labels = new Int32Array(rows).fill(-1);
  const d2 = (i: number, c: Float64Array, j: number) => {
    let s = 0;
    for (let f = 0; f < dims; f++) s += (data[i * dims + f]! - c[j * dims + f]!) ** 2;
    return s;
  };
  const assign = () => {
    let changed = 0;
    for (let i = 0; i < rows; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (d2(i, centers, c) < d2(i, centers, best)) best = c;
      if (best !== labels[i]) changed++;
      labels[i] = best;
    }
    return changed;
  };
  let variance = 0;
  for (let f = 0; f < dims; f++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += data[i * dims + f]!;
    mean /= rows;
    for (let i = 0; i < rows; i++) variance += (data[i * dims + f]! - mean) ** 2 / rows;
  }
  const tol = (1e-4 * variance) / dims;
  let strict = false;
  let iterations = 0;
  for (let it = 0; it < maxIterations; it++) {
    iterations++;
    const changed = assign();
    const sums = new Float64Array(k * dims);
    const counts = new Float64Array(k);
    for (let i = 0; i < rows; i++) {
      counts[labels[i]!]!++;
      for (let f = 0; f < dims; f++) sums[labels[i]! * dims + f]! += data[i * dims + f]!;
    }
    const empty = [...counts.keys()].filter((c) => counts[c] === 0);
    if (empty.length) {
      const far = [...labels.keys()].sort((a, b) => d2(b, centers, labels[b]!) - d2(a, centers, labels[a]!) || a - b);
      empty.forEach((c, n) => {
        const i = far[n]!;
        for (let f = 0; f < dims; f++) {
          sums[labels[i]! * dims + f]! -= data[i * dims + f]!;
          sums[c * dims + f] = data[i * dims + f]!;
        }
        counts[labels[i]!]!--;
        counts[c] = 1;
      });
    }
    let shift = 0;
    const next = new Float64Array(k * dims);
    for (let c = 0; c < k; c++) for (let f = 0; f < dims; f++) {
      next[c * dims + f] = sums[c * dims + f]! / counts[c]!;
      shift += (next[c * dims + f]! - centers[c * dims + f]!) ** 2;
    }
    centers = next;
    if (changed === 0) {
      strict = true;
      break;
    }
    if (shift <= tol) break;
  }
  if (!strict) assign();
  return { labels, iterations };
}

function integerData(seed: number, rows: number, dims: number, spread: number): Float64Array {
  const r = new Random(seed);
  const data = new Float64Array(rows * dims);
  for (let i = 0; i < rows; i++) {
    const blob = r.int(4) * spread;
    for (let f = 0; f < dims; f++) data[i * dims + f] = blob + r.int(7) - 3;
  }
  return data;
}

describe('k-means with bounds', () => {
  it('labels every row as plain Lloyd does, ties and empty clusters included', () => {
    let checked = 0;
    for (const [seed, rows, dims, k, spread] of [[1, 400, 2, 3, 4], [2, 600, 3, 5, 10], [3, 300, 1, 6, 2], [4, 500, 4, 8, 6], [5, 200, 2, 1, 3], [6, 350, 5, 4, 20]] as const) {
      const data = integerData(seed, rows, dims, spread);
      // Starts on the first k rows, which may be duplicates: empty clusters to relocate.
      const start = data.slice(0, k * dims);
      const ours = kmeans(matrix(rows, dims, Float64Array.from(data)), { k, seed: 0, maxIterations: 300, centroids: start });
      const ref = lloyd(data, rows, dims, start, 300);
      assert.deepEqual(Array.from(ours.labels), Array.from(ref.labels), `seed ${seed}`);
      assert.equal(ours.iterations, ref.iterations, `seed ${seed}`);
      checked++;
    }
    assert.equal(checked, 6);
  });

  it('breaks exact ties as Lloyd does (the first centroid) where a bound would keep the old label', () => {
    // Found by searching for data on which bounds tested with <= instead of < go wrong.
    const cases = [
      { data: [3, 5, 1, 8, 3, 8, 2, 3, 7], start: [0, 1, 7] },
      { data: [8, 8, 7, 8], start: [3, 2, 8] },
      { data: [3, 5, 0, 1], start: [7, 3, 5] },
    ];
    for (const { data, start } of cases) {
      const ours = kmeans(matrix(data.length, 1, Float64Array.from(data)), { k: start.length, seed: 0, maxIterations: 50, centroids: Float64Array.from(start) });
      const ref = lloyd(Float64Array.from(data), data.length, 1, Float64Array.from(start), 50);
      assert.deepEqual(Array.from(ours.labels), Array.from(ref.labels), JSON.stringify(data));
    }
  });

  it('labels as Lloyd does on many small integer data sets', () => {
    let ties = 0;
    for (let seed = 100; seed < 220; seed++) {
      const r = new Random(seed);
      const rows = 20 + r.int(120);
      const dims = 1 + r.int(2);
      const k = 2 + r.int(4);
      const data = new Float64Array(rows * dims);
      for (let i = 0; i < data.length; i++) data[i] = r.int(6);
      const start = new Float64Array(k * dims);
      for (let i = 0; i < start.length; i++) start[i] = r.int(6);
      const ours = kmeans(matrix(rows, dims, Float64Array.from(data)), { k, seed: 0, maxIterations: 50, centroids: start });
      const ref = lloyd(data, rows, dims, start, 50);
      assert.deepEqual(Array.from(ours.labels), Array.from(ref.labels), `seed ${seed}`);
      // Count rows equidistant from their centroid and another (the cases a loose bound gets wrong).
      const c = ours.centroids;
      for (let i = 0; i < rows; i++) {
        const d = (j: number) => Array.from({ length: dims }, (_, f) => (data[i * dims + f]! - c[j * dims + f]!) ** 2).reduce((a, b) => a + b);
        if (Array.from({ length: k }, (_, j) => j).some((j) => j !== ours.labels[i] && d(j) === d(ours.labels[i]!))) ties++;
      }
    }
    assert.ok(ties > 5, `a test with ties (${ties})`);
  });

  it('gives the same clusters from k-means++ seeding on every run', () => {
    const data = integerData(7, 2000, 3, 12);
    const a = kmeans(matrix(2000, 3, Float64Array.from(data)), { k: 4, seed: 9, maxIterations: 300 });
    const b = kmeans(matrix(2000, 3, Float64Array.from(data)), { k: 4, seed: 9, maxIterations: 300 });
    assert.deepEqual(a.labels, b.labels);
    assert.equal(new Set(a.labels).size, 4);
  });
});
