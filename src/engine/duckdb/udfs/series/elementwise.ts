/**
 * Kusto's element-wise series functions (series_add, series_abs, series_greater, …) and the
 * reductions of whole series (series_sum, series_dot_product, series_cosine_similarity, …).
 * Rules from Kusto's docs: a missing element (non-numeric, or past the end of the shorter
 * array) gives a null element; a number argument is broadcast over the other series.
 */
import { type Elem, type Operand, type Series, parseOperand, parseSeries, seriesJson } from './values.js';

type Binary<T> = (a: number, b: number) => T;

/** Applies a binary operation element-wise over two operands (at least one a series). */
export function zipWith<T>(a: Operand | null, b: Operand | null, op: Binary<T>): Array<T | null> | null {
  if (!a || !b) return null;
  const sa = 'series' in a ? a.series : undefined;
  const sb = 'series' in b ? b.series : undefined;
  if (!sa && !sb) return null;
  const n = Math.max(sa?.length ?? 0, sb?.length ?? 0);
  const out: Array<T | null> = new Array(n);
  const ka = 'scalar' in a ? a.scalar : null;
  const kb = 'scalar' in b ? b.scalar : null;
  for (let i = 0; i < n; i++) {
    const x = sa ? (i < sa.length ? sa[i]! : null) : ka;
    const y = sb ? (i < sb.length ? sb[i]! : null) : kb;
    out[i] = x === null || y === null ? null : op(x, y);
  }
  return out;
}

export const BINARY: Record<string, Binary<number | boolean>> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
  // Real division: x/0 gives ±inf, 0/0 NaN (series_divide docs).
  divide: (a, b) => a / b,
  pow: (a, b) => a ** b,
  greater: (a, b) => a > b,
  greater_equals: (a, b) => a >= b,
  less: (a, b) => a < b,
  less_equals: (a, b) => a <= b,
  equals: (a, b) => a === b,
  not_equals: (a, b) => a !== b,
};

export function binary(name: string, a: string, b: string): string | null {
  const op = BINARY[name]!;
  const out = zipWith(parseOperand(a), parseOperand(b), op);
  return out && seriesJson(out);
}

/** sign of NaN has no long value: null. */
const sign = (x: number): number | null => (Number.isNaN(x) ? null : Math.sign(x) + 0);

export const UNARY: Record<string, (x: number) => number | null> = {
  abs: Math.abs, acos: Math.acos, asin: Math.asin, atan: Math.atan, cos: Math.cos, sin: Math.sin, tan: Math.tan,
  exp: Math.exp, log: Math.log, ceiling: Math.ceil, floor: Math.floor, sign,
};

export function unary(name: string, s: string): string | null {
  const f = UNARY[name]!;
  const series = parseSeries(s);
  if (!series) return null;
  const out: Elem[] = new Array(series.length);
  for (let i = 0; i < series.length; i++) {
    const x = series[i]!;
    out[i] = x === null ? null : f(x);
  }
  return seriesJson(out);
}

/** The numeric elements of a series (missing ones ignored, as series_sum/product/magnitude do). */
function numbers(s: Series): number[] {
  const out: number[] = [];
  for (const x of s) if (x !== null) out.push(x);
  return out;
}

export function seriesSum(s: string): number | null {
  const series = parseSeries(s);
  return series && numbers(series).reduce((acc, x) => acc + x, 0);
}

export function seriesProduct(s: string): number | null {
  const series = parseSeries(s);
  return series && numbers(series).reduce((acc, x) => acc * x, 1);
}

export function seriesMagnitude(s: string): number | null {
  const series = parseSeries(s);
  return series && Math.sqrt(numbers(series).reduce((acc, x) => acc + x * x, 0));
}

/**
 * Pairs of numeric elements for dot product and cosine similarity: the longer series is cut to
 * the shorter one's length, a number is broadcast, pairs with a non-numeric element are ignored.
 * Null when either series is empty (docs).
 */
function pairs(a: Operand | null, b: Operand | null): Array<[number, number]> | null {
  if (!a || !b) return null;
  const sa = 'series' in a ? a.series : undefined;
  const sb = 'series' in b ? b.series : undefined;
  if (!sa && !sb) return null;
  const n = Math.min(sa?.length ?? Infinity, sb?.length ?? Infinity);
  if (n === 0) return null;
  const out: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    const x = sa ? sa[i]! : (a as { scalar: Elem }).scalar;
    const y = sb ? sb[i]! : (b as { scalar: Elem }).scalar;
    if (x !== null && y !== null) out.push([x, y]);
  }
  return out;
}

export function dotProduct(a: string, b: string): number | null {
  const p = pairs(parseOperand(a), parseOperand(b));
  return p && p.reduce((acc, [x, y]) => acc + x * y, 0);
}

/** series_cosine_similarity(s1, s2[, magnitude1, magnitude2]): given magnitudes are used as they are. */
export function cosineSimilarity(a: string, b: string, magnitudeA: number | null, magnitudeB: number | null): number | null {
  const p = pairs(parseOperand(a), parseOperand(b));
  if (!p) return null;
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (const [x, y] of p) {
    dot += x * y;
    aa += x * x;
    bb += y * y;
  }
  return dot / ((magnitudeA ?? Math.sqrt(aa)) * (magnitudeB ?? Math.sqrt(bb)));
}

/** Pearson correlation; a non-numeric element or a length mismatch gives null (docs). */
export function pearsonCorrelation(a: string, b: string): number | null {
  const x = parseSeries(a);
  const y = parseSeries(b);
  if (!x || !y || x.length !== y.length || x.length === 0) return null;
  if (x.some((v) => v === null) || y.some((v) => v === null)) return null;
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}
