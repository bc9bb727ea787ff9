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
  /** The matching tuples, ascending. */
  tids: Int32Array;
  weightA: number;
  weightB: number;
}

/** Reads the engine's flat encoding: per tuple [id, weight, set, code 1 … code dims], in any order. */
export function patternData(dims: number, flat: ArrayLike<number>): PatternData {
  const stride = dims + 3;
  if (flat.length % stride !== 0) throw new Error(`pattern data of ${flat.length} numbers is not a multiple of ${stride}`);
  const tuples = flat.length / stride;
  const codes = new Int32Array(tuples * dims);
  const weights = new Float64Array(tuples);
  const sets = new Uint8Array(tuples);
  const ids = new Float64Array(tuples);
  for (let t = 0; t < tuples; t++) {
    ids[t] = flat[t * stride]!;
    const w = flat[t * stride + 1]!;
    if (w < 0) throw new Error(`the weight column has a negative value (${w}); weights must be 0 or more`);
    weights[t] = Number.isFinite(w) ? w : 0;
    sets[t] = flat[t * stride + 2] === 1 ? 1 : 0;
    for (let j = 0; j < dims; j++) codes[t * dims + j] = flat[t * stride + 3 + j]! | 0;
  }
  return { tuples, dims, codes, weights, sets, ids };
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
  const out: number[] = [];
  let weightA = 0;
  let weightB = 0;
  const n = among ? among.length : d.tuples;
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
    out.push(t);
    if (d.sets[t] === 1) weightB += d.weights[t]!;
    else weightA += d.weights[t]!;
  }
  return { items: Int32Array.from(items), tids: Int32Array.from(out), weightA, weightB };
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
