/**
 * DuckDB scalar UDFs of the series analysis functions (decomposition, anomalies, forecast,
 * outliers, periods, seasonal). Each takes the series as JSON text (a KQL dynamic array) with
 * every optional argument filled in by functions/series-analysis.ts, and returns JSON text: one
 * array, or for a tuple-valued function one array whose k-th element is output k (see
 * src/kql/ir/functions/series-tuples.ts). A series that is not an array gives null; so does an
 * invalid argument that only shows at run time (constant ones are rejected when compiling).
 */
import { DOUBLE, VARCHAR } from '@duckdb/node-api';
import type { RowUdf } from '../register.js';
import { parseSeries, seriesJson, tupleJson } from './analysis-input.js';
import { decomposeAnomalies } from './anomalies.js';
import { type DecomposeOptions, type Decomposition, decompose, parseTrend, seasonalComponent } from './decompose.js';
import { outlierScores, parseOutlierKind, percentileError } from './outliers.js';
import { detectSeasonality, periodsDetect, periodsValidate } from './periods.js';

/** Seasonality threshold of series_seasonal's auto-detection (series_decompose* use 0.6). */
const SEASONAL_THRESHOLD = 0.7;

function invalid(why: string): never {
  throw new Error(why);
}

function decomposeOptions(seasonality: number, trend: string, testPoints: number, threshold: number): DecomposeOptions {
  const kind = parseTrend(trend) ?? invalid(`unknown trend '${trend}'`);
  if (!Number.isInteger(seasonality) || seasonality < -1) invalid('seasonality must be -1, 0 or a positive integer');
  if (!(testPoints >= 0)) invalid('test points must not be negative');
  return { seasonality, trend: kind, testPoints, seasonalityThreshold: threshold };
}

const decompositionJson = (d: Decomposition) => tupleJson([d.baseline, d.seasonal, d.trend, d.residual]);

export const SERIES_ANALYSIS_UDFS: RowUdf[] = [
  {
    name: 'kql_series_decompose', parameters: [VARCHAR, DOUBLE, VARCHAR, DOUBLE, DOUBLE], returns: VARCHAR,
    row: (series: string, seasonality: number, trend: string, testPoints: number, threshold: number) => {
      const x = parseSeries(series);
      return x && decompositionJson(decompose(x, decomposeOptions(seasonality, trend, testPoints, threshold)));
    },
  },
  {
    name: 'kql_series_decompose_forecast', parameters: [VARCHAR, DOUBLE, DOUBLE, VARCHAR, DOUBLE], returns: VARCHAR,
    row: (series: string, points: number, seasonality: number, trend: string, threshold: number) => {
      const x = parseSeries(series);
      return x && decompositionJson(decompose(x, decomposeOptions(seasonality, trend, points, threshold)));
    },
  },
  {
    name: 'kql_series_decompose_anomalies', parameters: [VARCHAR, DOUBLE, DOUBLE, VARCHAR, DOUBLE, VARCHAR, DOUBLE], returns: VARCHAR,
    row: (series: string, threshold: number, seasonality: number, trend: string, testPoints: number, method: string, seasonalityThreshold: number) => {
      const x = parseSeries(series);
      if (!x) return undefined;
      const options = decomposeOptions(seasonality, trend, testPoints, seasonalityThreshold);
      const kind = parseOutlierKind(method) ?? invalid(`unknown anomaly detection method '${method}'`);
      const a = decomposeAnomalies(x, { ...options, threshold, method: kind });
      return tupleJson([a.flags, a.scores, a.baseline]);
    },
  },
  {
    name: 'kql_series_outliers', parameters: [VARCHAR, VARCHAR, DOUBLE, DOUBLE, DOUBLE], returns: VARCHAR,
    row: (series: string, kind: string, ignore: number, minPercentile: number, maxPercentile: number) => {
      const x = parseSeries(series);
      if (!x) return undefined;
      const k = parseOutlierKind(kind) ?? invalid(`unknown kind '${kind}'`);
      const why = k === 'ctukey' ? percentileError(minPercentile, maxPercentile) : undefined;
      if (why) invalid(why);
      return seriesJson(outlierScores(x, { kind: k, ignore, minPercentile, maxPercentile }));
    },
  },
  {
    name: 'kql_series_periods_detect', parameters: [VARCHAR, DOUBLE, DOUBLE, DOUBLE], returns: VARCHAR,
    row: (series: string, minPeriod: number, maxPeriod: number, count: number) => {
      const x = parseSeries(series);
      return x && tupleJson(periodsDetect(x, minPeriod, maxPeriod, Math.min(Math.trunc(count), x.length)));
    },
  },
  {
    name: 'kql_series_periods_validate', parameters: [VARCHAR, VARCHAR], returns: VARCHAR,
    row: (series: string, periodsJson: string) => {
      const x = parseSeries(series);
      const periods = parseSeries(periodsJson);
      return x && periods && tupleJson([periods, periodsValidate(x, [...periods])]);
    },
  },
  {
    name: 'kql_series_seasonal', parameters: [VARCHAR, DOUBLE], returns: VARCHAR,
    row: (series: string, period: number) => {
      const x = parseSeries(series);
      if (!x) return undefined;
      // -1 detects; a positive period is used as given; any other value means no seasonality.
      const p = period === -1 ? detectSeasonality(x, SEASONAL_THRESHOLD) : period > 0 ? Math.trunc(period) : 0;
      return seriesJson(seasonalComponent(x, p));
    },
  },
];
