/**
 * Regression over series: series_fit_line(_dynamic), series_fit_2lines(_dynamic), series_fit_poly.
 * The x axis is 1, 2, …, n (series_fit_poly's default x_series, and what makes the docs'
 * series_fit_line example come out: interception -1.666 with the first fitted value 1.064).
 * variance and rvariance are sample variances (divided by n - 1), rsquare is
 * 1 - residual sum of squares / total sum of squares (the docs' example: 98.628, 1.686, 0.982).
 * Missing (null) elements are left out of a fit; their fitted value is still given.
 */
import { type Elem, type Out, outJson, parseSeries } from './values.js';

export interface LineFit {
  rsquare: number;
  slope: number;
  variance: number;
  rvariance: number;
  interception: number;
  line_fit: number[];
}

/** Sums over the fitted points (x = position + 1 - origin). */
interface Sums {
  m: number;
  sx: number;
  sxx: number;
  sy: number;
  syy: number;
  sxy: number;
}

function lineFromSums(s: Sums): { slope: number; interception: number; rss: number; ss: number } {
  const { m, sx, sxx, sy, syy, sxy } = s;
  const denominator = m * sxx - sx * sx;
  const slope = m > 1 && denominator !== 0 ? (m * sxy - sx * sy) / denominator : 0;
  const interception = m > 0 ? (sy - slope * sx) / m : NaN;
  const ss = Math.max(0, syy - (sy * sy) / m);
  const rss = Math.max(0, syy - interception * sy - slope * sxy);
  return { slope, interception, rss, ss };
}

/** r-square of a fit; a constant series fitted exactly counts as a perfect fit. */
const rSquare = (rss: number, ss: number): number => (ss === 0 ? (rss === 0 ? 1 : 0) : 1 - rss / ss);
const sampleVariance = (sumSquares: number, m: number): number => (m > 1 ? sumSquares / (m - 1) : 0);

/** A least-squares line over y[from, to), x counting 1, 2, … from `from`; exact sums (no prefix differences). */
export function fitLine(y: readonly Elem[], from = 0, to = y.length): LineFit | null {
  const s: Sums = { m: 0, sx: 0, sxx: 0, sy: 0, syy: 0, sxy: 0 };
  let mean = 0;
  for (let i = from; i < to; i++) {
    const v = y[i]!;
    if (v === null) continue;
    s.m++;
    mean += v;
  }
  if (s.m === 0) return null;
  mean /= s.m;
  // Centre y before summing, so large values (counts in the millions) keep their precision.
  for (let i = from; i < to; i++) {
    const v = y[i]!;
    if (v === null) continue;
    const x = i - from + 1;
    const c = v - mean;
    s.sx += x;
    s.sxx += x * x;
    s.sy += c;
    s.syy += c * c;
    s.sxy += x * c;
  }
  const { slope, interception, rss, ss } = lineFromSums(s);
  const line_fit: number[] = [];
  for (let i = from; i < to; i++) line_fit.push(slope * (i - from + 1) + interception + mean);
  return {
    rsquare: rSquare(rss, ss), slope, variance: sampleVariance(ss, s.m), rvariance: sampleVariance(rss, s.m),
    interception: interception + mean, line_fit,
  };
}

const LINE_NULL = [null, null, null, null, null, null];

export function fitLineTuple(s: string): string | null {
  const y = parseSeries(s);
  if (!y) return null;
  const f = fitLine(y);
  return outJson(f ? [f.rsquare, f.slope, f.variance, f.rvariance, f.interception, f.line_fit] satisfies Out[] : LINE_NULL);
}

export function fitLineBag(s: string): string | null {
  const y = parseSeries(s);
  if (!y) return null;
  const f = fitLine(y);
  return f ? outJson(f) : null;
}

// ---- two lines ----------------------------------------------------------------------------

export interface TwoLinesFit {
  rsquare: number;
  split_idx: number;
  variance: number;
  rvariance: number;
  line_fit: number[];
  right: Omit<LineFit, 'line_fit'>;
  left: Omit<LineFit, 'line_fit'>;
}

/**
 * Tries every split of the series into a left part y[0, k) and a right part y[k, n), each of at
 * least two points, fits a line to each (x counting from 1 in each part, as series_fit_line on
 * the part would) and keeps the split with the highest total r-square. split_idx is k, the first
 * index of the right part. Prefix sums make each candidate O(1); the best one is refitted exactly.
 */
export function fitTwoLines(y: readonly Elem[]): TwoLinesFit | null {
  const n = y.length;
  if (n < 4) return null;
  const whole = fitLine(y);
  if (!whole) return null;
  let mean = 0;
  let count = 0;
  for (const v of y) if (v !== null) [mean, count] = [mean + v, count + 1];
  mean /= count;
  // Prefix sums over global positions i (1-based) of the centred values.
  const prefix = () => new Float64Array(n + 1);
  const P = { m: prefix(), i: prefix(), ii: prefix(), y: prefix(), yy: prefix(), iy: prefix() };
  for (let k = 0; k < n; k++) {
    const v = y[k];
    const c = v === null || v === undefined ? 0 : v - mean;
    const has = v === null || v === undefined ? 0 : 1;
    const i = k + 1;
    P.m[k + 1] = P.m[k]! + has;
    P.i[k + 1] = P.i[k]! + has * i;
    P.ii[k + 1] = P.ii[k]! + has * i * i;
    P.y[k + 1] = P.y[k]! + c;
    P.yy[k + 1] = P.yy[k]! + c * c;
    P.iy[k + 1] = P.iy[k]! + i * c;
  }
  // Residual sum of squares of the line over y[a, b), local x = global i - a, from the prefix
  // sums alone (no allocation: this runs n times per series).
  const rssOf = (a: number, b: number): number => {
    const m = P.m[b]! - P.m[a]!;
    const si = P.i[b]! - P.i[a]!;
    const sy = P.y[b]! - P.y[a]!;
    const sx = si - a * m;
    const sxx = P.ii[b]! - P.ii[a]! - 2 * a * si + a * a * m;
    const sxy = P.iy[b]! - P.iy[a]! - a * sy;
    const syy = P.yy[b]! - P.yy[a]!;
    const denominator = m * sxx - sx * sx;
    const slope = m > 1 && denominator !== 0 ? (m * sxy - sx * sy) / denominator : 0;
    const interception = m > 0 ? (sy - slope * sx) / m : 0;
    return Math.max(0, syy - interception * sy - slope * sxy);
  };
  // The best split has the least residual sum of squares (total r-square = 1 - rss / total).
  let best = -1;
  let bestRss = Infinity;
  for (let k = 2; k <= n - 2; k++) {
    const rss = rssOf(0, k) + rssOf(k, n);
    if (rss < bestRss) {
      bestRss = rss;
      best = k;
    }
  }
  const left = fitLine(y, 0, best);
  const right = fitLine(y, best, n);
  if (!left || !right) return null;
  const rss = left.rvariance * Math.max(0, countIn(y, 0, best) - 1) + right.rvariance * Math.max(0, countIn(y, best, n) - 1);
  const ss = whole.variance * Math.max(0, count - 1);
  const { line_fit: lf, ...l } = left;
  const { line_fit: rf, ...r } = right;
  return {
    rsquare: rSquare(rss, ss), split_idx: best, variance: whole.variance, rvariance: sampleVariance(rss, count),
    line_fit: [...lf, ...rf], right: r, left: l,
  };
}

function countIn(y: readonly Elem[], from: number, to: number): number {
  let m = 0;
  for (let i = from; i < to; i++) if (y[i] !== null) m++;
  return m;
}

export function fitTwoLinesTuple(s: string): string | null {
  const y = parseSeries(s);
  if (!y) return null;
  const f = fitTwoLines(y);
  if (!f) return outJson(new Array(15).fill(null));
  const { right: r, left: l } = f;
  return outJson([
    f.rsquare, f.split_idx, f.variance, f.rvariance, f.line_fit,
    r.rsquare, r.slope, r.interception, r.variance, r.rvariance,
    l.rsquare, l.slope, l.interception, l.variance, l.rvariance,
  ] satisfies Out[]);
}

/** series_fit_2lines_dynamic: the docs name the sides' values right.rsquare, left.slope, …: nested bags. */
export function fitTwoLinesBag(s: string): string | null {
  const y = parseSeries(s);
  if (!y) return null;
  const f = fitTwoLines(y);
  return f ? outJson(f) : null;
}

// ---- polynomial ---------------------------------------------------------------------------

export interface PolyFit {
  rsquare: number;
  coefficients: number[];
  variance: number;
  rvariance: number;
  poly_fit: Elem[];
}

/**
 * series_fit_poly(y, x = [1..n], degree = 1): least squares through a Householder QR
 * factorisation of the Vandermonde matrix (normal equations lose too much precision at high
 * degrees). Coefficients from the highest power down (docs).
 */
export function fitPoly(y: readonly Elem[], x: readonly Elem[] | null, degree: number): PolyFit | null {
  if (!Number.isInteger(degree) || degree < 0) return null;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < y.length; i++) {
    const xi = x ? x[i] ?? null : i + 1;
    const yi = y[i]!;
    if (xi === null || yi === null) continue;
    xs.push(xi);
    ys.push(yi);
  }
  const m = xs.length;
  const cols = degree + 1;
  if (m === 0) return null;
  // Columns x^degree … x^0.
  const A = xs.map((xi) => Array.from({ length: cols }, (_, j) => xi ** (degree - j)));
  const coefficients = leastSquares(A, ys, cols);
  const value = (xi: number) => coefficients.reduce((acc, c) => acc * xi + c, 0);
  const mean = ys.reduce((a, b) => a + b, 0) / m;
  let ss = 0;
  let rss = 0;
  for (let i = 0; i < m; i++) {
    ss += (ys[i]! - mean) ** 2;
    rss += (ys[i]! - value(xs[i]!)) ** 2;
  }
  const poly_fit = y.map((_, i) => {
    const xi = x ? x[i] ?? null : i + 1;
    return xi === null ? null : value(xi);
  });
  return { rsquare: rSquare(rss, ss), coefficients, variance: sampleVariance(ss, m), rvariance: sampleVariance(rss, m), poly_fit };
}

/** Minimises |A c - b| (A: m×n, row-major); rank-deficient columns get coefficient 0. */
function leastSquares(A: number[][], b: number[], n: number): number[] {
  const m = A.length;
  const R = A.map((row) => row.slice());
  const q = b.slice();
  const steps = Math.min(m, n);
  for (let k = 0; k < steps; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += R[i]![k]! ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    const alpha = R[k]![k]! > 0 ? -norm : norm;
    const v = new Array<number>(m).fill(0);
    for (let i = k; i < m; i++) v[i] = R[i]![k]!;
    v[k]! -= alpha;
    let vv = 0;
    for (let i = k; i < m; i++) vv += v[i]! ** 2;
    if (vv === 0) continue;
    for (let j = k; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i]! * R[i]![j]!;
      const f = (2 * dot) / vv;
      for (let i = k; i < m; i++) R[i]![j]! -= f * v[i]!;
    }
    let dot = 0;
    for (let i = k; i < m; i++) dot += v[i]! * q[i]!;
    const f = (2 * dot) / vv;
    for (let i = k; i < m; i++) q[i]! -= f * v[i]!;
  }
  // Back substitution on the upper triangle; a (near-)zero pivot is a column the data cannot determine.
  const c = new Array<number>(n).fill(0);
  const scale = Math.max(...R.slice(0, steps).map((row, i) => Math.abs(row[i]!)), 0);
  for (let k = steps - 1; k >= 0; k--) {
    const pivot = R[k]![k]!;
    if (Math.abs(pivot) <= scale * 1e-12) continue;
    let sum = q[k]!;
    for (let j = k + 1; j < n; j++) sum -= R[k]![j]! * c[j]!;
    c[k] = sum / pivot;
  }
  return c;
}

export function fitPolyTuple(y: string, x: string, degree: number | null): string | null {
  const ys = parseSeries(y);
  if (!ys) return null;
  const xs = parseSeries(x);
  const f = fitPoly(ys, xs, degree ?? 1);
  return outJson(f ? [f.rsquare, f.coefficients, f.variance, f.rvariance, f.poly_fit] satisfies Out[] : [null, null, null, null, null]);
}
