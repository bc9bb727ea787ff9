/**
 * series_decompose_anomalies as Kusto documents it: decompose the series (series_decompose),
 * score the residual with series_outliers (ctukey by default; the fences come from the learnt
 * points only), and flag a point +1 / -1 when its score is above threshold / below -threshold.
 */
import { type DecomposeOptions, decompose } from './decompose.js';
import { type OutlierKind, outlierScores } from './outliers.js';

export interface AnomalyOptions extends DecomposeOptions {
  /** k: a point is anomalous when |score| > threshold (default 1.5). */
  threshold: number;
  method: OutlierKind;
}

export interface Anomalies {
  flags: Float64Array;
  scores: Float64Array;
  baseline: Float64Array;
}

export function decomposeAnomalies(x: Float64Array, options: AnomalyOptions): Anomalies {
  const parts = decompose(x, options);
  const scores = outlierScores(parts.residual, {
    kind: options.method, ignore: Number.NaN, minPercentile: 10, maxPercentile: 90, learn: parts.learnt,
  });
  const flags = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) flags[i] = scores[i]! > options.threshold ? 1 : scores[i]! < -options.threshold ? -1 : 0;
  return { flags, scores, baseline: parts.baseline };
}
