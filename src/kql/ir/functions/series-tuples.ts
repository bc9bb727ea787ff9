/**
 * The outputs of Kusto's tuple-valued series functions, in Kusto.Language's order (its
 * FunctionSymbol definitions). Each function's SQL returns a dynamic array in this order.
 */
import type { KqlType } from '../../types.js';
import type { TupleOutput } from './tuple-results.js';

const outs = (spec: string): TupleOutput[] =>
  spec.split(/\s+/).filter(Boolean).map((s) => {
    const [name, type] = s.split(':') as [string, KqlType];
    return { name, type };
  });

const FIT_LINE = 'rsquare:real slope:real variance:real rvariance:real interception:real line_fit:dynamic';
const FIT_2LINES = 'rsquare:real split_idx:long variance:real rvariance:real line_fit:dynamic '
  + 'right_rsquare:real right_slope:real right_interception:real right_variance:real right_rvariance:real '
  + 'left_rsquare:real left_slope:real left_interception:real left_variance:real left_rvariance:real';
const DECOMPOSE = 'baseline:dynamic seasonal:dynamic trend:dynamic residual:dynamic';

export const SERIES_TUPLE_FUNCTIONS: Record<string, TupleOutput[]> = {
  series_stats: outs('min:real min_idx:long max:real max_idx:long avg:real stdev:real variance:real'),
  series_fit_line: outs(FIT_LINE),
  series_fit_2lines: outs(FIT_2LINES),
  series_fit_poly: outs('rsquare:real coefficients:dynamic variance:real rvariance:real poly_fit:dynamic'),
  series_fft: outs('real:dynamic imag:dynamic'),
  series_ifft: outs('real:dynamic imag:dynamic'),
  // Helper S-B's functions (decomposition, anomalies, periods).
  series_decompose: outs(DECOMPOSE),
  // Kusto.Language gives series_decompose_forecast the decompose tuple too.
  series_decompose_forecast: outs(DECOMPOSE),
  series_decompose_anomalies: outs('ad_flag:dynamic ad_score:dynamic baseline:dynamic'),
  series_periods_detect: outs('periods:dynamic scores:dynamic'),
  series_periods_validate: outs('periods:dynamic scores:dynamic'),
};
