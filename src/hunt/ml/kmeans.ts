/**
 * k-means by Lloyd's algorithm, following scikit-learn's KMeans(algorithm='lloyd', n_init=1)
 * step for step so that from the same starting centroids both reach the same clusters:
 * stop when the labels no longer change or the total squared centroid shift is at most
 * tol = 1e-4 × the mean feature variance; an empty cluster is moved to the row farthest from
 * its centroid; a final assignment step matches the labels to the returned centroids.
 * Without given centroids the start is greedy k-means++ (2 + ln k local trials) from Seed.
 */
import { KMeansAssignment, squaredDistance } from './kmeans-assign.js';
import { kmeansPlusPlus } from './kmeans-plusplus.js';
import { ClusterSums } from './kmeans-sums.js';
import { featureStats, type FeatureMatrix } from './matrix.js';
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
  const counts = new Float64Array(k);
  const { variance, diagonal } = spread(m);
  const tol = dims > 0 ? (1e-4 * variance) / dims : 0;

  // A bound must clear a slack far above its rounding, yet far below any real gap.
  const assignment = new KMeansAssignment(m, k, 1e-9 * diagonal);
  const sums = new ClusterSums(k, dims);
  const labels = assignment.labels;
  let strict = false;
  let iterations = 0;
  for (let it = 0; it < o.maxIterations; it++) {
    iterations++;
    const changed = assignment.assign(centers, sums);
    sums.read(next, counts);
    relocateEmpty(m, centers, next, counts, labels);
    const shift = means(centers, next, counts, dims);
    assignment.moved(centers, next);
    [centers, next] = [next, centers];
    // The first pass labels every row, so "no label changed" is scikit-learn's labels == labels_old.
    if (changed === 0) {
      strict = true;
      break;
    }
    if (shift <= tol) break;
  }
  if (!strict) assignment.assign(centers, sums);
  const distances = new Float64Array(rows);
  let inertia = 0;
  for (let i = 0; i < rows; i++) {
    const d2 = squaredDistance(m.data, i * dims, centers, labels[i]! * dims, dims);
    inertia += d2;
    distances[i] = Math.sqrt(d2);
  }
  return { labels, distances, centroids: centers, inertia, iterations };
}

/**
 * The features' total variance (scikit-learn's tol is 1e-4 × its mean over the features) and the
 * diagonal of the data's bounding box (the scale of every distance), missing values left out.
 */
function spread(m: FeatureMatrix): { variance: number; diagonal: number } {
  const { rows, dims, data } = m;
  const lo = new Float64Array(dims).fill(Infinity);
  const hi = new Float64Array(dims).fill(-Infinity);
  for (let i = 0; i < rows; i++) {
    const off = i * dims;
    for (let j = 0; j < dims; j++) {
      const v = data[off + j]!;
      if (v < lo[j]!) lo[j] = v;
      if (v > hi[j]!) hi[j] = v;
    }
  }
  let variance = 0;
  let diagonal = 0;
  for (const v of featureStats(m).variance) variance += v;
  for (let j = 0; j < dims; j++) if (hi[j]! > lo[j]!) diagonal += (hi[j]! - lo[j]!) ** 2;
  return { variance, diagonal: Math.sqrt(diagonal) };
}

/** Divides the sums in `next` by the counts, in place; returns the total squared shift from `centers`. */
function means(centers: Float64Array, next: Float64Array, counts: Float64Array, dims: number): number {
  let shift = 0;
  for (let c = 0; c < counts.length; c++) {
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
 * current centroid (farthest first), which leaves its old cluster. Only this update's sums
 * change (`sums` is a copy); the labels do not, as in scikit-learn.
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
