/**
 * Greedy k-means++ seeding as scikit-learn's: the first centroid is a row drawn uniformly, each
 * next one the best (least total squared distance) of 2 + ln k candidate rows drawn with
 * probability proportional to their squared distance to the nearest centroid so far.
 */
import { squaredDistance } from './kmeans-assign.js';
import type { FeatureMatrix } from './matrix.js';
import type { Random } from './random.js';

export function kmeansPlusPlus(m: FeatureMatrix, k: number, random: Random): Float64Array {
  const { rows, dims, data } = m;
  const centers = new Float64Array(k * dims);
  const trials = 2 + Math.floor(Math.log(k));
  const first = random.int(rows);
  centers.set(data.subarray(first * dims, first * dims + dims), 0);
  const closest = new Float64Array(rows);
  let potential = 0;
  for (let i = 0; i < rows; i++) {
    closest[i] = squaredDistance(data, i * dims, data, first * dims, dims);
    potential += closest[i]!;
  }
  const candidates = new Int32Array(trials);
  const potentials = new Float64Array(trials);
  for (let c = 1; c < k; c++) {
    // The candidates are all drawn from the same distances, so they are measured in one pass.
    for (let t = 0; t < trials; t++) candidates[t] = drawByWeight(closest, potential, random);
    potentials.fill(0);
    for (let i = 0; i < rows; i++) {
      const off = i * dims;
      const now = closest[i]!;
      for (let t = 0; t < trials; t++) {
        const d = squaredDistance(data, off, data, candidates[t]! * dims, dims);
        potentials[t]! += d < now ? d : now;
      }
    }
    let best = 0;
    for (let t = 1; t < trials; t++) if (potentials[t]! < potentials[best]!) best = t;
    const row = candidates[best]!;
    centers.set(data.subarray(row * dims, row * dims + dims), c * dims);
    for (let i = 0; i < rows; i++) {
      const d = squaredDistance(data, i * dims, data, row * dims, dims);
      if (d < closest[i]!) closest[i] = d;
    }
    potential = potentials[best]!;
  }
  return centers;
}

/** A row drawn with probability weight / total (uniformly when every weight is 0). */
function drawByWeight(weights: Float64Array, total: number, random: Random): number {
  if (!(total > 0)) return random.int(weights.length);
  let target = random.next() * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i]!;
    if (target < 0) return i;
  }
  return weights.length - 1;
}
