/**
 * A k-d tree over the rows of a feature matrix for Euclidean radius queries (DBSCAN's
 * neighbourhoods). Built once by median splits on the widest dimension; leaves hold up to 16 rows.
 */
import type { FeatureMatrix } from './matrix.js';

const LEAF_SIZE = 16;

export class KdTree {
  /** Row ids, reordered so every node's rows are contiguous. */
  private readonly order: Int32Array;
  private readonly start: number[] = [];
  private readonly end: number[] = [];
  private readonly splitDim: number[] = [];
  private readonly splitValue: number[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];

  constructor(private readonly m: FeatureMatrix) {
    this.order = new Int32Array(m.rows);
    for (let i = 0; i < m.rows; i++) this.order[i] = i;
    if (m.rows > 0) this.build(0, m.rows);
  }

  private build(start: number, end: number): number {
    const node = this.start.length;
    this.start.push(start);
    this.end.push(end);
    this.splitDim.push(-1);
    this.splitValue.push(0);
    this.left.push(-1);
    this.right.push(-1);
    if (end - start <= LEAF_SIZE) return node;
    const { dims, data } = this.m;
    let widest = -1;
    let width = 0;
    for (let j = 0; j < dims; j++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = start; i < end; i++) {
        const v = data[this.order[i]! * dims + j]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi - lo > width) {
        width = hi - lo;
        widest = j;
      }
    }
    if (widest < 0) return node; // all rows identical
    const mid = (start + end) >> 1;
    this.select(start, end, mid, widest);
    this.splitDim[node] = widest;
    this.splitValue[node] = data[this.order[mid]! * dims + widest]!;
    this.left[node] = this.build(start, mid);
    this.right[node] = this.build(mid, end);
    return node;
  }

  /** Quickselect: puts the row with the k-th smallest value of `dim` at k, smaller ones before. */
  private select(start: number, end: number, k: number, dim: number): void {
    const { dims, data } = this.m;
    const o = this.order;
    const value = (i: number) => data[o[i]! * dims + dim]!;
    let lo = start;
    let hi = end - 1;
    while (lo < hi) {
      const pivot = value((lo + hi) >> 1);
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (value(i) < pivot) i++;
        while (value(j) > pivot) j--;
        if (i <= j) {
          const t = o[i]!;
          o[i] = o[j]!;
          o[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) hi = j;
      else if (k >= i) lo = i;
      else return;
    }
  }

  /** Calls `visit` for every row within `radius` (inclusive) of row `row`. */
  within(row: number, radius: number, visit: (other: number) => void): void {
    if (this.start.length === 0) return;
    const { dims, data } = this.m;
    const r2 = radius * radius;
    const base = row * dims;
    const stack = [0];
    while (stack.length) {
      const node = stack.pop()!;
      const dim = this.splitDim[node]!;
      if (dim < 0) {
        for (let i = this.start[node]!; i < this.end[node]!; i++) {
          const other = this.order[i]!;
          const off = other * dims;
          let d2 = 0;
          for (let j = 0; j < dims && d2 <= r2; j++) {
            const d = data[base + j]! - data[off + j]!;
            d2 += d * d;
          }
          if (d2 <= r2) visit(other);
        }
        continue;
      }
      const diff = data[base + dim]! - this.splitValue[node]!;
      // Rows left of the median have values <= the split value, rows right >= it.
      if (diff <= radius) stack.push(this.left[node]!);
      if (diff >= -radius) stack.push(this.right[node]!);
    }
  }
}
