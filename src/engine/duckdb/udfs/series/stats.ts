/**
 * series_stats / series_stats_dynamic: min, min_idx, max, max_idx, avg, stdev, variance of a
 * series (sample variance and stdev, as the docs' example shows). With ignore_nonfinite false
 * (the default) a null, NaN or infinite element makes every statistic null; with true those
 * elements are skipped (indexes still count positions in the whole series).
 */
import { type Out, outJson, parseSeries } from './values.js';

export interface SeriesStats {
  min: number | null;
  min_idx: number | null;
  max: number | null;
  max_idx: number | null;
  avg: number | null;
  stdev: number | null;
  variance: number | null;
}

const NO_STATS: SeriesStats = { min: null, min_idx: null, max: null, max_idx: null, avg: null, stdev: null, variance: null };

export function seriesStats(series: ReadonlyArray<number | null>, ignoreNonFinite: boolean): SeriesStats {
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let minIdx = -1;
  let maxIdx = -1;
  for (let i = 0; i < series.length; i++) {
    const x = series[i]!;
    if (x === null || !Number.isFinite(x)) {
      if (ignoreNonFinite) continue;
      return NO_STATS;
    }
    n++;
    sum += x;
    if (x < min) [min, minIdx] = [x, i];
    if (x > max) [max, maxIdx] = [x, i];
  }
  if (n === 0) return NO_STATS;
  const avg = sum / n;
  let ss = 0;
  for (const x of series) if (x !== null && Number.isFinite(x)) ss += (x - avg) ** 2;
  const variance = n > 1 ? ss / (n - 1) : 0;
  return { min, min_idx: minIdx, max, max_idx: maxIdx, avg, stdev: Math.sqrt(variance), variance };
}

/** The tuple of series_stats, in Kusto.Language's output order. */
export function statsTuple(s: string, ignoreNonFinite: boolean): string | null {
  const series = parseSeries(s);
  if (!series) return null;
  const st = seriesStats(series, ignoreNonFinite);
  return outJson([st.min, st.min_idx, st.max, st.max_idx, st.avg, st.stdev, st.variance] satisfies Out[]);
}

export function statsBag(s: string, ignoreNonFinite: boolean): string | null {
  const series = parseSeries(s);
  if (!series) return null;
  return outJson(seriesStats(series, ignoreNonFinite));
}
