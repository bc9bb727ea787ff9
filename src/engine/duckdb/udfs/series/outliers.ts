/**
 * Anomaly scores by Tukey's fences (series_outliers, and the scores of
 * series_decompose_anomalies on the residual).
 *
 * `tukey`: fences at the 25th and 75th percentiles; a point above the upper fence scores
 * (x - P75) / (P75 - P25), below the lower one (x - P25) / (P75 - P25), inside 0, so Tukey's
 * k = 1.5 is a score of ±1.5.
 * `ctukey` (the default): fences at custom percentiles (10th and 90th by default). The docs do
 * not say how its score is scaled; Quarry scales the percentile range so that a score of 1.5 sits
 * where Tukey's own k = 1.5 fence sits for normally distributed values (4·z(0.75) standard
 * deviations from the median). For 25/75 that is exactly Tukey's score; for 10/90 the range is
 * divided by 2.714. Kusto's own scores on the reference file (TimeSeriesDemo.csv) are the same
 * piecewise-linear function of the residual, zero inside the same 10th-90th percentile fences,
 * with the range divided by 2.7726 instead (2% apart; see test/engine/timeseries-demo.test.ts).
 *
 * Percentiles interpolate linearly between order statistics (rank p/100 · (n - 1)), as the
 * reference file's fences show. Missing points (NaN) and points equal to ignore_val are left out
 * and score 0. With a zero range, points beyond the fences score ±Infinity ("inf" in dynamic).
 */
import { percentileOf } from './order-statistics.js';

export type OutlierKind = 'tukey' | 'ctukey';

export interface OutlierOptions {
  kind: OutlierKind;
  /** Points with this value are missing (NaN: none). */
  ignore: number;
  minPercentile: number;
  maxPercentile: number;
  /** Only the first `learn` points set the fences (all points are scored). */
  learn?: number;
}

export const OUTLIER_DEFAULTS: OutlierOptions = { kind: 'ctukey', ignore: Number.NaN, minPercentile: 10, maxPercentile: 90 };

export function parseOutlierKind(text: string): OutlierKind | undefined {
  const t = text.trim().toLowerCase();
  return t === 'tukey' || t === 'ctukey' ? t : undefined;
}

/** Why custom percentiles are unusable, or undefined when they are fine. */
export function percentileError(min: number, max: number): string | undefined {
  if (!(min >= 2 && min <= 98 && max >= 2 && max <= 98)) return 'min_percentile and max_percentile must be in the range [2.0, 98.0]';
  if (!(min < max)) return 'min_percentile must be smaller than max_percentile';
  return undefined;
}

export function outlierScores(x: Float64Array, options: OutlierOptions): Float64Array {
  const ctukey = options.kind === 'ctukey';
  const minP = ctukey ? options.minPercentile : 25;
  const maxP = ctukey ? options.maxPercentile : 75;
  const learn = Math.min(x.length, options.learn ?? x.length);
  const missing = (v: number) => Number.isNaN(v) || v === options.ignore;

  const present = new Float64Array(learn);
  let count = 0;
  for (let i = 0; i < learn; i++) if (!missing(x[i]!)) present[count++] = x[i]!;
  const scores = new Float64Array(x.length);
  if (count === 0) return scores;
  // Two order statistics each, selected rather than sorted for (same values, linear time).
  const values = present.subarray(0, count);
  const lo = percentileOf(values, minP);
  const hi = percentileOf(values, maxP);
  const scale = (hi - lo) / rangeInTukeyUnits(minP, maxP);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (missing(v)) continue;
    if (v > hi) scores[i] = scale > 0 ? (v - hi) / scale : Number.POSITIVE_INFINITY;
    else if (v < lo) scores[i] = scale > 0 ? (v - lo) / scale : Number.NEGATIVE_INFINITY;
  }
  return scores;
}

/**
 * The percentile range [minP, maxP] measured in "IQR units" for normal data, chosen so that
 * P_max + 1.5 · range / units falls on Tukey's upper fence Q3 + 1.5 · IQR = 4 · z(0.75) σ.
 * It is 1 for the quartiles. The half range of the z-scores makes asymmetric ranges symmetric.
 */
export function rangeInTukeyUnits(minP: number, maxP: number): number {
  const half = (normalQuantile(maxP / 100) - normalQuantile(minP / 100)) / 2;
  const fence = 4 * normalQuantile(0.75);
  return (1.5 * 2 * half) / (fence - half);
}

/** Inverse of the standard normal CDF: P. J. Acklam's rational approximation (relative error below 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  }
  const q = Math.sqrt(-2 * Math.log(1 - p));
  return -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
}
