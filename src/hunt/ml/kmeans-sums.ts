/**
 * Each cluster's row count and feature sums, kept up to date as rows change clusters (so an
 * assignment pass only touches the rows that moved) and compensated (Knuth's TwoSum), so that
 * however many moves they went through they stay as accurate as a sum over the rows afresh.
 */
export class ClusterSums {
  readonly counts: Float64Array;
  private readonly sums: Float64Array;
  private readonly errors: Float64Array;

  constructor(private readonly k: number, private readonly dims: number) {
    this.counts = new Float64Array(k);
    this.sums = new Float64Array(k * dims);
    this.errors = new Float64Array(k * dims);
  }

  /** Adds (sign 1) or removes (sign -1) the row at `off` in `data` to or from cluster c. */
  add(c: number, data: Float64Array, off: number, sign: 1 | -1): void {
    const { sums, errors, dims } = this;
    const base = c * dims;
    for (let j = 0; j < dims; j++) {
      const x = sign * data[off + j]!;
      const s = sums[base + j]!;
      const t = s + x;
      const b = t - s;
      errors[base + j]! += s - (t - b) + (x - b);
      sums[base + j] = t;
    }
    this.counts[c]! += sign;
  }

  /** Moves the row at `off` from cluster `from` to cluster `to`. */
  move(from: number, to: number, data: Float64Array, off: number): void {
    this.add(from, data, off, -1);
    this.add(to, data, off, 1);
  }

  /** Writes each cluster's feature sums into `out` (k × dims) and its count into `counts`. */
  read(out: Float64Array, counts: Float64Array): void {
    for (let i = 0; i < this.k * this.dims; i++) out[i] = this.sums[i]! + this.errors[i]!;
    counts.set(this.counts);
  }
}
