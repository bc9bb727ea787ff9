/**
 * k-means by Lloyd's algorithm, following scikit-learn's KMeans(algorithm='lloyd', n_init=1)
 * step for step so that from the same starting centroids both reach the same clusters:
 * stop when the labels no longer change or the total squared centroid shift is at most
 * tol = 1e-4 × the mean feature variance; an empty cluster is moved to the row farthest from
 * its centroid; a final assignment step matches the labels to the returned centroids.
 * Without given centroids the start is greedy k-means++ (2 + ln k local trials) from Seed.
 */
import type { FeatureMatrix } from './matrix.js';
import { featureStats } from './matrix.js';
import { Random } from './random.js';

export interface KMeansOptions {
  k: number;
  maxIterations: number;
  seed: number;
  /** k × dims starting centroids, row-major; absent: k-means++. */
  centroids?: Float64Array;
}

export interface KMeansResult {
  labels: Int32Array;
  /** Euclidean distance of each row to its centroid. */
  distances: Float64Array;
  centroids: Float64Array;
  inertia: number;
  iterations: number;
}

export function kmeans(m: FeatureMatrix, o: KMeansOptions): KMeansResult {
  const { rows, dims } = m;
  const k = o.k;
  if (k < 1) throw new Error(`kmeans needs K >= 1, got ${k}`);
  if (rows < k) throw new Error(`kmeans needs at least K = ${k} rows, got ${rows}`);
  if (o.centroids && o.centroids.length !== k * dims) throw new Error(`kmeans: Centroids must be ${k} arrays of ${dims} numbers (one per feature)`);
  let centers: Float64Array = o.centroids ? Float64Array.from(o.centroids) : kmeansPlusPlus(m, k, new Random(o.seed));
  let next: Float64Array = new Float64Array(k * dims);
  const labels = new Int32Array(rows);
  const previous = new Int32Array(rows).fill(-1);
  const stats = featureStats(m);
  let meanVariance = 0;
  for (let j = 0; j < dims; j++) meanVariance += stats.std[j]! ** 2;
  const tol = dims > 0 ? (1e-4 * meanVariance) / dims : 0;

  let strict = false;
  let iterations = 0;
  const bounds = new Bounds(m, k);
  for (let it = 0; it < o.maxIterations; it++) {
    iterations++;
    bounds.assign(centers, labels);
    const shift = updateCenters(m, centers, next, k, labels);
    bounds.moved(centers, next, labels);
    [centers, next] = [next, centers];
    if (sameLabels(labels, previous)) {
      strict = true;
      break;
    }
    if (shift <= tol) break;
    previous.set(labels);
  }
  if (!strict) bounds.assign(centers, labels);
  const distances = new Float64Array(rows);
  let inertia = 0;
  for (let i = 0; i < rows; i++) {
    const d2 = squaredDistance(m.data, i * dims, centers, labels[i]! * dims, dims);
    inertia += d2;
    distances[i] = Math.sqrt(d2);
  }
  return { labels, distances, centroids: centers, inertia, iterations };
}

function sameLabels(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function squaredDistance(a: Float64Array, ao: number, b: Float64Array, bo: number, dims: number): number {
  let s = 0;
  for (let j = 0; j < dims; j++) {
    const d = a[ao + j]! - b[bo + j]!;
    s += d * d;
  }
  return s;
}

/**
 * Assignment to the nearest centroid (the first on ties, as scikit-learn) with Hamerly's bounds:
 * each row keeps an upper bound on the distance to its centroid and a lower bound on the
 * distance to any other; when the centroids move the bounds are loosened by the moves, and a
 * row is only measured again when they no longer prove its label. The labels are exactly
 * Lloyd's, only fewer distances are computed.
 */
class Bounds {
  private readonly upper: Float64Array;
  private readonly lower: Float64Array;
  /** Half the distance from each centroid to its nearest other centroid. */
  private readonly half: Float64Array;
  private readonly shifts: Float64Array;
  private fresh = true;

  constructor(private readonly m: FeatureMatrix, private readonly k: number) {
    this.upper = new Float64Array(m.rows);
    this.lower = new Float64Array(m.rows);
    this.half = new Float64Array(k);
    this.shifts = new Float64Array(k);
  }

  assign(centers: Float64Array, labels: Int32Array): void {
    const { rows, dims, data } = this.m;
    const { k, upper, lower, half } = this;
    for (let c = 0; c < k; c++) {
      let nearest = Infinity;
      for (let o = 0; o < k; o++) if (o !== c) nearest = Math.min(nearest, squaredDistance(centers, c * dims, centers, o * dims, dims));
      half[c] = Math.sqrt(nearest) / 2;
    }
    for (let i = 0; i < rows; i++) {
      const off = i * dims;
      if (!this.fresh) {
        const a = labels[i]!;
        const bound = Math.max(lower[i]!, half[a]!);
        if (upper[i]! <= bound) continue;
        upper[i] = Math.sqrt(squaredDistance(data, off, centers, a * dims, dims));
        if (upper[i]! <= bound) continue;
      }
      let best = 0;
      let bestD = Infinity;
      let secondD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = squaredDistance(data, off, centers, c * dims, dims);
        if (d < bestD) {
          secondD = bestD;
          bestD = d;
          best = c;
        } else if (d < secondD) secondD = d;
      }
      labels[i] = best;
      upper[i] = Math.sqrt(bestD);
      lower[i] = Math.sqrt(secondD);
    }
    this.fresh = false;
  }

  /** The centroids moved from `before` to `after`: loosen the bounds by the moves. */
  moved(before: Float64Array, after: Float64Array, labels: Int32Array): void {
    const { dims, rows } = this.m;
    const { k, shifts, upper, lower } = this;
    let most = 0;
    let most2 = 0;
    let mostAt = -1;
    for (let c = 0; c < k; c++) {
      shifts[c] = Math.sqrt(squaredDistance(before, c * dims, after, c * dims, dims));
      if (shifts[c]! > most) {
        most2 = most;
        most = shifts[c]!;
        mostAt = c;
      } else if (shifts[c]! > most2) most2 = shifts[c]!;
    }
    // A relocated empty cluster's jump is one of the shifts too.
    for (let i = 0; i < rows; i++) {
      const a = labels[i]!;
      upper[i]! += shifts[a]!;
      lower[i]! -= a === mostAt ? most2 : most;
    }
  }
}

/** New centroids (means of their rows) into `next`; returns the total squared shift. */
function updateCenters(m: FeatureMatrix, centers: Float64Array, next: Float64Array, k: number, labels: Int32Array): number {
  const { rows, dims, data } = m;
  const counts = new Float64Array(k);
  next.fill(0);
  for (let i = 0; i < rows; i++) {
    const c = labels[i]!;
    counts[c]!++;
    const off = i * dims;
    const co = c * dims;
    for (let j = 0; j < dims; j++) next[co + j]! += data[off + j]!;
  }
  relocateEmpty(m, centers, next, counts, labels);
  let shift = 0;
  for (let c = 0; c < k; c++) {
    const co = c * dims;
    for (let j = 0; j < dims; j++) {
      next[co + j] = next[co + j]! / counts[c]!;
      const d = next[co + j]! - centers[co + j]!;
      shift += d * d;
    }
  }
  return shift;
}

/**
 * scikit-learn's relocation of empty clusters: each takes one of the rows farthest from their
 * current centroid (farthest first), which leaves its old cluster.
 */
function relocateEmpty(m: FeatureMatrix, centers: Float64Array, sums: Float64Array, counts: Float64Array, labels: Int32Array): void {
  const { rows, dims, data } = m;
  const empty: number[] = [];
  for (let c = 0; c < counts.length; c++) if (counts[c] === 0) empty.push(c);
  if (!empty.length) return;
  const far = new Float64Array(rows);
  for (let i = 0; i < rows; i++) far[i] = squaredDistance(data, i * dims, centers, labels[i]! * dims, dims);
  const order = Array.from({ length: rows }, (_, i) => i).sort((a, b) => far[b]! - far[a]! || a - b).slice(0, empty.length);
  empty.forEach((c, n) => {
    const i = order[n]!;
    const old = labels[i]!;
    const off = i * dims;
    for (let j = 0; j < dims; j++) {
      sums[old * dims + j]! -= data[off + j]!;
      sums[c * dims + j] = data[off + j]!;
    }
    counts[old]!--;
    counts[c] = 1;
  });
}

/** Greedy k-means++ as scikit-learn: each next centroid is the best of 2 + ln k candidates drawn by D². */
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
  const candidateD = new Float64Array(rows);
  const bestD = new Float64Array(rows);
  for (let c = 1; c < k; c++) {
    let bestPotential = Infinity;
    let bestRow = -1;
    for (let t = 0; t < trials; t++) {
      const row = drawByWeight(closest, potential, random);
      let p = 0;
      for (let i = 0; i < rows; i++) {
        const d = Math.min(closest[i]!, squaredDistance(data, i * dims, data, row * dims, dims));
        candidateD[i] = d;
        p += d;
      }
      if (p < bestPotential) {
        bestPotential = p;
        bestRow = row;
        bestD.set(candidateD);
      }
    }
    centers.set(data.subarray(bestRow * dims, bestRow * dims + dims), c * dims);
    closest.set(bestD);
    potential = bestPotential;
  }
  return centers;
}

function drawByWeight(weights: Float64Array, total: number, random: Random): number {
  if (!(total > 0)) return random.int(weights.length);
  let target = random.next() * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i]!;
    if (target < 0) return i;
  }
  return weights.length - 1;
}
