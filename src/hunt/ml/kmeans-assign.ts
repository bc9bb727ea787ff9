/**
 * The assignment step of k-means (each row to its nearest centroid, the first on ties, as
 * scikit-learn's Lloyd) with Hamerly's bounds: each row keeps an upper bound on the distance
 * to its centroid and a lower bound on the distance to any other, loosened by the centroids'
 * moves as the row is visited. A row whose bounds still prove its label costs O(1) and touches
 * neither its features nor the cluster sums; only rows that change cluster update the sums.
 *
 * The labels are Lloyd's exactly: a bound only skips the distances when it clears them by a
 * slack far above the rounding of the bound arithmetic, so a (near) tie is always measured, and
 * decided on the squared distances as a full scan does. (Elkan's per-centroid bounds were tried:
 * with few features their bookkeeping costs about what the distances they skip cost.)
 */
import type { ClusterSums } from './kmeans-sums.js';
import type { FeatureMatrix } from './matrix.js';

export class KMeansAssignment {
  /** Each row's cluster; -1 before the first assignment. */
  readonly labels: Int32Array;
  private readonly upper: Float64Array;
  private readonly lower: Float64Array;
  /** Half the distance from each centroid to its nearest other. */
  private readonly half: Float64Array;
  /** How far each centroid moved in the last update; the largest two moves and whose the largest is. */
  private readonly shifts: Float64Array;
  private most = 0;
  private most2 = 0;
  private mostAt = -1;
  private fresh = true;
  /** @param slack how far a bound must clear a distance to skip it (absolute). */
  constructor(private readonly m: FeatureMatrix, private readonly k: number, private readonly slack: number) {
    this.labels = new Int32Array(m.rows).fill(-1);
    this.upper = new Float64Array(m.rows);
    this.lower = new Float64Array(m.rows);
    this.half = new Float64Array(k);
    this.shifts = new Float64Array(k);
  }

  /**
   * Assigns every row to its nearest centroid of `centers`, keeping `sums` (the clusters' sums
   * as labelled so far; empty before the first call) in step. Returns how many labels changed.
   */
  assign(centers: Float64Array, sums: ClusterSums): number {
    const { rows, dims, data } = this.m;
    const { labels, upper, lower, half, shifts, slack, mostAt, most, most2 } = this;
    this.halfGaps(centers);
    let changed = 0;
    for (let i = 0; i < rows; i++) {
      const a = labels[i]!;
      if (!this.fresh) {
        const u = upper[i]! + shifts[a]!;
        const l = lower[i]! - (a === mostAt ? most2 : most);
        const bound = Math.max(l, half[a]!) - slack;
        lower[i] = l;
        if (u < bound) {
          upper[i] = u;
          continue;
        }
        const exact = Math.sqrt(squaredDistance(data, i * dims, centers, a * dims, dims));
        upper[i] = exact;
        if (exact < bound) continue;
      }
      const best = this.scan(i, centers);
      if (best !== a) {
        changed++;
        if (a < 0) sums.add(best, data, i * dims, 1);
        else sums.move(a, best, data, i * dims);
      }
    }
    this.fresh = false;
    return changed;
  }

  /** The centroids moved from `before` to `after`: the next assign loosens the bounds by the moves. */
  moved(before: Float64Array, after: Float64Array): void {
    const { dims } = this.m;
    this.most = 0;
    this.most2 = 0;
    this.mostAt = -1;
    for (let c = 0; c < this.k; c++) {
      const s = Math.sqrt(squaredDistance(before, c * dims, after, c * dims, dims));
      this.shifts[c] = s;
      if (s > this.most) {
        this.most2 = this.most;
        this.most = s;
        this.mostAt = c;
      } else if (s > this.most2) this.most2 = s;
    }
  }

  private halfGaps(centers: Float64Array): void {
    const { dims } = this.m;
    const { k, half } = this;
    half.fill(Infinity);
    for (let c = 0; c < k; c++) {
      for (let o = c + 1; o < k; o++) {
        const g = Math.sqrt(squaredDistance(centers, c * dims, centers, o * dims, dims)) / 2;
        if (g < half[c]!) half[c] = g;
        if (g < half[o]!) half[o] = g;
      }
    }
  }

  /** Measures every centroid (Lloyd's scan); sets row i's label and bounds; returns the label. */
  private scan(i: number, centers: Float64Array): number {
    const { dims, data } = this.m;
    const off = i * dims;
    let best = 0;
    let bestD = Infinity;
    let secondD = Infinity;
    for (let c = 0; c < this.k; c++) {
      const d = squaredDistance(data, off, centers, c * dims, dims);
      if (d < bestD) {
        secondD = bestD;
        bestD = d;
        best = c;
      } else if (d < secondD) secondD = d;
    }
    this.labels[i] = best;
    this.upper[i] = Math.sqrt(bestD);
    this.lower[i] = Math.sqrt(secondD);
    return best;
  }
}

export function squaredDistance(a: Float64Array, ao: number, b: Float64Array, bo: number, dims: number): number {
  let s = 0;
  for (let j = 0; j < dims; j++) {
    const d = a[ao + j]! - b[bo + j]!;
    s += d * d;
  }
  return s;
}
