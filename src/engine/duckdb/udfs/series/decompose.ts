/**
 * Series decomposition as Kusto documents it (series_decompose, series_decompose_forecast,
 * series_seasonal), in this order:
 *  1. seasonal: per phase of the period, the median of the series' points in that phase
 *     (0 when there is no period: seasonality 0, or none detected);
 *  2. deseasonal = x - seasonal;
 *  3. trend of the deseasonal series: `avg` its mean, `linefit` its least-squares line over
 *     the bin index, `none` 0;
 *  4. baseline = seasonal + trend; residual = x - baseline.
 * Only the first n - testPoints points are learnt from; seasonal and trend are extended over the
 * test points (that is the forecast). Missing points (NaN) are left out of medians and fits and
 * get a NaN residual. Checked against the output of Kusto's own series_decompose_anomalies in
 * ../shared/data/notebooks-demo/TimeSeriesDemo.csv (baseline equal to its integer rounding).
 */
import { detectSeasonality } from './periods.js';

export type TrendKind = 'avg' | 'linefit' | 'none';

export interface DecomposeOptions {
  /** -1: auto-detect; 0: none; > 0: the period in bins. */
  seasonality: number;
  trend: TrendKind;
  /** Points at the end left out of learning (forecast horizon). */
  testPoints: number;
  /** Minimum period score when auto-detecting. */
  seasonalityThreshold: number;
}

export interface Decomposition {
  baseline: Float64Array;
  seasonal: Float64Array;
  trend: Float64Array;
  residual: Float64Array;
  /** The period used (0 when none). */
  period: number;
  /** How many leading points were learnt from. */
  learnt: number;
}

export const DECOMPOSE_DEFAULTS: DecomposeOptions = { seasonality: -1, trend: 'avg', testPoints: 0, seasonalityThreshold: 0.6 };

export function parseTrend(text: string): TrendKind | undefined {
  const t = text.trim().toLowerCase();
  return t === 'avg' || t === 'linefit' || t === 'none' ? t : undefined;
}

export function decompose(x: Float64Array, options: DecomposeOptions): Decomposition {
  const n = x.length;
  const learnt = Math.max(0, n - Math.max(0, Math.trunc(options.testPoints)));
  const train = x.subarray(0, learnt);
  const period = options.seasonality === -1
    ? detectSeasonality(train, options.seasonalityThreshold)
    : Math.max(0, Math.trunc(options.seasonality));

  const seasonal = new Float64Array(n);
  if (period > 0) seasonalMedians(train, period).forEach((m, phase) => {
    for (let i = phase; i < n; i += period) seasonal[i] = m;
  });

  const trend = new Float64Array(n);
  if (options.trend !== 'none') {
    const line = fitDeseasonal(train, seasonal, options.trend === 'linefit');
    for (let i = 0; i < n; i++) trend[i] = line.intercept + line.slope * i;
  }

  const baseline = new Float64Array(n);
  const residual = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    baseline[i] = seasonal[i]! + trend[i]!;
    residual[i] = x[i]! - baseline[i]!;
  }
  return { baseline, seasonal, trend, residual, period, learnt };
}

/** The seasonal component alone (series_seasonal); zeros without a period. */
export function seasonalComponent(x: Float64Array, period: number): Float64Array {
  const out = new Float64Array(x.length);
  if (period <= 0) return out;
  seasonalMedians(x, period).forEach((m, phase) => {
    for (let i = phase; i < x.length; i += period) out[i] = m;
  });
  return out;
}

/** Median of the present points of each phase (0 for a phase without points). */
function seasonalMedians(x: Float64Array, period: number): Float64Array {
  const medians = new Float64Array(Math.min(period, Math.max(x.length, 0)));
  const buffer = new Float64Array(Math.ceil(x.length / period));
  for (let phase = 0; phase < medians.length; phase++) {
    let count = 0;
    for (let i = phase; i < x.length; i += period) if (!Number.isNaN(x[i]!)) buffer[count++] = x[i]!;
    medians[phase] = count === 0 ? 0 : median(buffer.subarray(0, count));
  }
  return medians;
}

/** Median of a small buffer (sorted in place). */
function median(values: Float64Array): number {
  values.sort();
  const mid = values.length >> 1;
  return values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

/** Least-squares line (or the mean, as a flat line) of x - seasonal over the present points. */
function fitDeseasonal(x: Float64Array, seasonal: Float64Array, line: boolean): { intercept: number; slope: number } {
  let count = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]!)) continue;
    count++;
    sx += i;
    sy += x[i]! - seasonal[i]!;
  }
  if (count === 0) return { intercept: 0, slope: 0 };
  const mx = sx / count;
  const my = sy / count;
  if (!line || count < 2) return { intercept: my, slope: 0 };
  // Second pass over centred values: no cancellation for long series of large values.
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]!)) continue;
    const dx = i - mx;
    sxx += dx * dx;
    sxy += dx * (x[i]! - seasonal[i]! - my);
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { intercept: my - slope * mx, slope };
}
