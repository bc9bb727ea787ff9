/**
 * The input of the pattern-mining plugins (autocluster, basket, diffpatterns): the distinct
 * tuples of the input's dimension columns, each value as a small integer code (0: no value, a
 * null that no pattern can name), with the tuple's summed weight and its set (0: A, or all rows;
 * 1: B for diffpatterns). A pattern fixes some dimensions to a code and leaves the rest open.
 */
export interface PatternData {
  tuples: number;
  dims: number;
  /** tuples × dims codes, tuple after tuple. */
  codes: Int32Array;
  weights: Float64Array;
  sets: Uint8Array;
  /** The engine's number of each tuple (to read the values back). */
  ids: Float64Array;
}

/** A pattern with the tuples it matches and their weights per set. */
export interface Pattern {
  /** One code per dimension, 0 where the pattern has no restriction (a wildcard). */
  items: Int32Array;
  /** The matching tuples, ascending (closedPatterns() keeps only the first). */
  tids: Int32Array;
  weightA: number;
  weightB: number;
}

/**
 * Reads the engine's encoding. Wide (no `codes`): `tuples` holds per tuple [id, weight, set,
 * code 1 … code dims]. Long: `tuples` holds per tuple [id, weight, set] and `codes` holds
 * [tuple id, column, code] triples (a missing triple is code 0). Ids are 1 … n, in any order.
 */
export function patternData(dims: number, tuples: ArrayLike<number>, codes?: ArrayLike<number>): PatternData {
  const stride = codes ? 3 : dims + 3;
  if (tuples.length % stride !== 0 || (codes && codes.length % 3 !== 0)) throw new Error('pattern data does not have the expected shape');
  const n = tuples.length / stride;
  const data: PatternData = { tuples: n, dims, codes: new Int32Array(n * dims), weights: new Float64Array(n), sets: new Uint8Array(n), ids: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    const id = tuples[stride * k]!;
    const t = id - 1;
    if (!Number.isInteger(t) || t < 0 || t >= n) throw new Error(`pattern data: tuple id ${id} is not in 1 … ${n}`);
    const w = tuples[stride * k + 1]!;
    if (w < 0) throw new Error(`the weight column has a negative value (${w}); weights must be 0 or more`);
    data.ids[t] = id;
    data.weights[t] = Number.isFinite(w) ? w : 0;
    data.sets[t] = tuples[stride * k + 2] === 1 ? 1 : 0;
    if (!codes) for (let j = 0; j < dims; j++) data.codes[t * dims + j] = tuples[stride * k + 3 + j]! | 0;
  }
  if (codes) {
    for (let k = 0; k < codes.length; k += 3) {
      const t = codes[k]! - 1;
      const j = codes[k + 1]!;
      if (t < 0 || t >= n || j < 0 || j >= dims) throw new Error(`pattern data: code of tuple ${t + 1}, column ${j} is out of range`);
      data.codes[t * dims + j] = codes[k + 2]! | 0;
    }
  }
  return data;
}

export function totals(d: PatternData): { a: number; b: number } {
  let a = 0;
  let b = 0;
  for (let t = 0; t < d.tuples; t++) {
    if (d.sets[t] === 1) b += d.weights[t]!;
    else a += d.weights[t]!;
  }
  return { a, b };
}

/** The tuples (of `among`, or all) that match `items`, with their weights per set. */
export function matching(d: PatternData, items: Int32Array, among?: Int32Array): Pattern {
  const fixed: number[] = [];
  for (let j = 0; j < d.dims; j++) if (items[j] !== 0) fixed.push(j);
  const n = among ? among.length : d.tuples;
  const out = new Int32Array(n);
  let found = 0;
  let weightA = 0;
  let weightB = 0;
  for (let k = 0; k < n; k++) {
    const t = among ? among[k]! : k;
    const base = t * d.dims;
    let ok = true;
    for (const j of fixed) {
      if (d.codes[base + j] !== items[j]) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    out[found++] = t;
    if (d.sets[t] === 1) weightB += d.weights[t]!;
    else weightA += d.weights[t]!;
  }
  return { items: Int32Array.from(items), tids: out.slice(0, found), weightA, weightB };
}

/**
 * The closure of a set of tuples: every dimension on which all of them share one (non-null)
 * value. The closed pattern has the same matches as any pattern it extends.
 */
export function closure(d: PatternData, tids: Int32Array): Int32Array {
  const items = new Int32Array(d.dims);
  if (!tids.length) return items;
  const first = tids[0]! * d.dims;
  for (let j = 0; j < d.dims; j++) {
    const c = d.codes[first + j]!;
    if (c === 0) continue;
    let same = true;
    for (let k = 1; k < tids.length; k++) {
      if (d.codes[tids[k]! * d.dims + j] !== c) {
        same = false;
        break;
      }
    }
    if (same) items[j] = c;
  }
  return items;
}

export const size = (items: Int32Array): number => items.reduce((n, c) => n + (c !== 0 ? 1 : 0), 0);

/** Whether every restriction of `a` is also one of `b` (b is the same or more specific). */
export function generalises(a: Int32Array, b: Int32Array): boolean {
  for (let j = 0; j < a.length; j++) if (a[j] !== 0 && a[j] !== b[j]) return false;
  return true;
}

/**
 * A deterministic order among patterns of equal rank: fewer dimensions, then codes (codes follow
 * the values' order, so the order does not depend on the order the tuples arrive in).
 */
export function compareItems(a: Int32Array, b: Int32Array): number {
  const s = size(a) - size(b);
  if (s) return s;
  return compareCodes(a, 0, b, 0, a.length);
}

export function compareCodes(a: Int32Array, i: number, b: Int32Array, k: number, n: number): number {
  for (let j = 0; j < n; j++) if (a[i + j] !== b[k + j]) return a[i + j]! - b[k + j]!;
  return 0;
}

/**
 * Per column, the tuples holding each code (a counting sort: `tids[offsets[c] … offsets[c + 1])`
 * are the tuples with code c, ascending), so that a pattern's matches can be found from the
 * rarest of its values instead of by a scan of every tuple.
 */
export interface ValueIndex {
  offsets: Int32Array[];
  tids: Int32Array[];
}

export function maxCodes(d: PatternData): Int32Array {
  const max = new Int32Array(d.dims);
  for (let t = 0; t < d.tuples; t++) {
    for (let j = 0; j < d.dims; j++) {
      const c = d.codes[t * d.dims + j]!;
      if (c > max[j]!) max[j] = c;
    }
  }
  return max;
}

export function valueIndex(d: PatternData): ValueIndex {
  const max = maxCodes(d);
  const offsets: Int32Array[] = [];
  const tids: Int32Array[] = [];
  for (let j = 0; j < d.dims; j++) {
    const start = new Int32Array(max[j]! + 2);
    for (let t = 0; t < d.tuples; t++) start[d.codes[t * d.dims + j]! + 1]!++;
    for (let c = 1; c < start.length; c++) start[c]! += start[c - 1]!;
    const fill = start.slice();
    const list = new Int32Array(d.tuples);
    for (let t = 0; t < d.tuples; t++) list[fill[d.codes[t * d.dims + j]!]!++] = t;
    offsets.push(start);
    tids.push(list);
  }
  return { offsets, tids };
}

/** The rarest of a pattern's values: the tuples holding it (undefined for an empty pattern). */
function rarestList(d: PatternData, index: ValueIndex, items: Int32Array): Int32Array | undefined {
  let rarest = -1;
  let fewest = Infinity;
  for (let j = 0; j < d.dims; j++) {
    const c = items[j]!;
    if (c === 0) continue;
    const n = c + 1 < index.offsets[j]!.length ? index.offsets[j]![c + 1]! - index.offsets[j]![c]! : 0;
    if (n < fewest) {
      fewest = n;
      rarest = j;
    }
  }
  if (rarest < 0) return undefined;
  const from = index.offsets[rarest]![items[rarest]!]!;
  return index.tids[rarest]!.subarray(from, from + fewest);
}

/** `matching()` through the index: the rarest value's tuples, checked against the others. */
export function matchingIndexed(d: PatternData, index: ValueIndex, items: Int32Array): Pattern {
  return matching(d, items, rarestList(d, index, items));
}

/** The weight (all sets) of a pattern's matches, without listing them. */
export function matchWeight(d: PatternData, index: ValueIndex, items: Int32Array): number {
  const among = rarestList(d, index, items);
  if (!among) {
    const all = totals(d);
    return all.a + all.b;
  }
  const fixed: number[] = [];
  for (let j = 0; j < d.dims; j++) if (items[j] !== 0) fixed.push(j);
  let weight = 0;
  outer: for (let k = 0; k < among.length; k++) {
    const t = among[k]!;
    const base = t * d.dims;
    for (const j of fixed) if (d.codes[base + j] !== items[j]) continue outer;
    weight += d.weights[t]!;
  }
  return weight;
}
