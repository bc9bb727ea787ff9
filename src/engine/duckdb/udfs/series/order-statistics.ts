/**
 * Percentiles of unsorted values without sorting them: the two order statistics a percentile
 * interpolates between, found by quickselect (expected linear time), give exactly the value the
 * percentile of the sorted values gives.
 */

/** Percentile of the values (no NaN), interpolating linearly at rank p/100 · (n - 1); reorders `values`. */
export function percentileOf(values: Float64Array, p: number): number {
  const n = values.length;
  const rank = (p / 100) * (n - 1);
  const i = Math.floor(rank);
  const f = rank - i;
  const low = select(values, i);
  if (f === 0 || i + 1 >= n) return low;
  // After select, every value right of i is at least values[i]: the next order statistic is their minimum.
  let next = Infinity;
  for (let j = i + 1; j < n; j++) if (values[j]! < next) next = values[j]!;
  return low + f * (next - low);
}

/**
 * The k-th smallest value (0-based); rearranges `a` so that a[k] holds it, smaller values lie
 * left of k and larger ones right (Hoare's quickselect, median-of-three pivots).
 */
export function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot, which also guards the scans below.
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
