/**
 * KQL's series analysis functions: series_decompose, series_decompose_anomalies,
 * series_decompose_forecast, series_outliers, series_periods_detect, series_periods_validate and
 * series_seasonal. Each calls one TypeScript UDF (udfs/series/analysis-udfs.ts) per row with the
 * series as JSON text and every optional argument filled with Kusto's documented default.
 * Literal arguments are checked here, so a bad trend or method is an error with its reason.
 */
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { parseTrend } from '../udfs/series/decompose.js';
import { parseOutlierKind, percentileError } from '../udfs/series/outliers.js';
import { arity, constNumber, constString, isNullLiteral, str, unsupported } from './common.js';
import { convertTo } from './conversion.js';

const series = (v: SqlValue): string => `CAST(${v.sql} AS VARCHAR)`;
/** A numeric argument as DOUBLE, or its default when absent (or the null literal). */
const num = (v: SqlValue | undefined, fallback: number): string =>
  v && !isNullLiteral(v) ? `CAST(${convertTo(v, 'real')} AS DOUBLE)` : `CAST(${fallback} AS DOUBLE)`;
const text = (v: SqlValue | undefined, fallback: string): string => (v && !isNullLiteral(v) ? `CAST(${v.sql} AS VARCHAR)` : str(fallback));
const dynamic = (call: string): string => `CAST(${call} AS JSON)`;

function checkSeries(fn: string, v: SqlValue): void {
  if (v.type !== 'dynamic') unsupported(fn, `the series must be a dynamic array, got ${v.type}`);
}

function checkTrend(fn: string, v: SqlValue | undefined): void {
  const t = constString(v);
  if (t !== undefined && !parseTrend(t)) unsupported(fn, `trend must be 'avg', 'linefit' or 'none', got '${t}'`);
}

function checkSeasonality(fn: string, v: SqlValue | undefined): void {
  const s = constNumber(v);
  if (s !== undefined && (!Number.isInteger(s) || s < -1)) unsupported(fn, `seasonality must be -1 (detect), 0 (none) or a positive period, got ${s}`);
}

function checkMethod(fn: string, v: SqlValue | undefined): void {
  const m = constString(v);
  if (m !== undefined && !parseOutlierKind(m)) unsupported(fn, `the anomaly detection method must be 'ctukey' or 'tukey', got '${m}'`);
}

export const seriesAnalysisFunctions: Record<string, ScalarFn> = {
  // series_decompose(series, seasonality = -1, trend = 'avg', test_points = 0, seasonality_threshold = 0.6)
  series_decompose: (args) => {
    arity('series_decompose', args, 1, 5);
    checkSeries('series_decompose', args[0]!);
    checkSeasonality('series_decompose', args[1]);
    checkTrend('series_decompose', args[2]);
    return dynamic(`kql_series_decompose(${series(args[0]!)}, ${num(args[1], -1)}, ${text(args[2], 'avg')}, ${num(args[3], 0)}, ${num(args[4], 0.6)})`);
  },
  // series_decompose_anomalies(series, threshold = 1.5, seasonality = -1, trend = 'avg', test_points = 0,
  //   ad_method = 'ctukey', seasonality_threshold = 0.6)
  series_decompose_anomalies: (args) => {
    const fn = 'series_decompose_anomalies';
    arity(fn, args, 1, 7);
    checkSeries(fn, args[0]!);
    checkSeasonality(fn, args[2]);
    checkTrend(fn, args[3]);
    checkMethod(fn, args[5]);
    return dynamic(`kql_series_decompose_anomalies(${series(args[0]!)}, ${num(args[1], 1.5)}, ${num(args[2], -1)}, ` +
      `${text(args[3], 'avg')}, ${num(args[4], 0)}, ${text(args[5], 'ctukey')}, ${num(args[6], 0.6)})`);
  },
  // series_decompose_forecast(series, points, seasonality = -1, trend = 'avg', seasonality_threshold = 0.6)
  series_decompose_forecast: (args) => {
    const fn = 'series_decompose_forecast';
    arity(fn, args, 2, 5);
    checkSeries(fn, args[0]!);
    checkSeasonality(fn, args[2]);
    checkTrend(fn, args[3]);
    return dynamic(`kql_series_decompose_forecast(${series(args[0]!)}, ${num(args[1], 0)}, ${num(args[2], -1)}, ${text(args[3], 'avg')}, ${num(args[4], 0.6)})`);
  },
  // series_outliers(series, kind = 'ctukey', ignore_val = double(null), min_percentile = 10, max_percentile = 90)
  series_outliers: (args) => {
    arity('series_outliers', args, 1, 5);
    checkSeries('series_outliers', args[0]!);
    const kind = constString(args[1]);
    if (kind !== undefined && !parseOutlierKind(kind)) unsupported('series_outliers', `kind must be 'ctukey' or 'tukey', got '${kind}'`);
    const [lo, hi] = [constNumber(args[3]) ?? 10, constNumber(args[4]) ?? 90];
    const why = kind === 'tukey' ? undefined : percentileError(lo, hi);
    if (why) unsupported('series_outliers', why);
    const ignore = args[2] && !isNullLiteral(args[2]) ? `coalesce(${num(args[2], 0)}, 'NaN'::DOUBLE)` : `'NaN'::DOUBLE`;
    return dynamic(`kql_series_outliers(${series(args[0]!)}, ${text(args[1], 'ctukey')}, ${ignore}, ${num(args[3], 10)}, ${num(args[4], 90)})`);
  },
  // series_periods_detect(series, min_period, max_period, num_periods)
  series_periods_detect: (args) => {
    arity('series_periods_detect', args, 4);
    checkSeries('series_periods_detect', args[0]!);
    return dynamic(`kql_series_periods_detect(${series(args[0]!)}, ${num(args[1], 0)}, ${num(args[2], 0)}, ${num(args[3], 0)})`);
  },
  // series_periods_validate(series, period1 [, period2, ...]): up to 16 periods
  series_periods_validate: (args) => {
    arity('series_periods_validate', args, 2, 17);
    checkSeries('series_periods_validate', args[0]!);
    const periods = args.slice(1).map((p) => (isNullLiteral(p) ? 'CAST(NULL AS DOUBLE)' : num(p, 0)));
    return dynamic(`kql_series_periods_validate(${series(args[0]!)}, CAST(to_json([${periods.join(', ')}]) AS VARCHAR))`);
  },
  // series_seasonal(series, period = -1)
  series_seasonal: (args) => {
    arity('series_seasonal', args, 1, 2);
    checkSeries('series_seasonal', args[0]!);
    return dynamic(`kql_series_seasonal(${series(args[0]!)}, ${num(args[1], -1)})`);
  },
};
