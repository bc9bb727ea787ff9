/**
 * Kusto's series_* functions of helper S-A (element-wise, fill, stats, fit, filters, FFT): SQL
 * calling the `kql_series_*` UDFs (udfs/series/). A series travels as its JSON text; a number
 * argument as its JSON text too (the UDF broadcasts it). Tuple-valued functions (series_stats,
 * series_fit_line, …) return one dynamic array of their outputs, which the IR's tuple registry
 * (src/kql/ir/functions/tuple-results.ts) splits into columns.
 */
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { arity } from './common.js';
import { toDynamicSql } from './dynamic.js';

/** JSON text of any argument, never NULL ('null'), so the row UDF runs for every row. */
const text = (v: SqlValue | undefined): string =>
  v ? `coalesce(CAST(${v.type === 'dynamic' ? v.sql : toDynamicSql(v)} AS VARCHAR), 'null')` : `'null'`;

const bool = (v: SqlValue | undefined, dflt: boolean): string => (v ? `coalesce(CAST(${v.sql} AS BOOLEAN), ${dflt})` : `${dflt}`);

const asJson = (sql: string): string => `CAST(${sql} AS JSON)`;

/** A series function over JSON-text arguments: `min`–`max` arguments, missing ones passed as 'null'. */
function jsonFn(name: string, min: number, max: number, dynamicResult = true): ScalarFn {
  return (args) => {
    arity(name, args, min, max);
    const call = `kql_${name}(${Array.from({ length: max }, (_, i) => text(args[i])).join(', ')})`;
    return dynamicResult ? asJson(call) : call;
  };
}

const ELEMENTWISE_BINARY = ['add', 'subtract', 'multiply', 'divide', 'pow', 'greater', 'greater_equals', 'less', 'less_equals', 'equals', 'not_equals'];
const ELEMENTWISE_UNARY = ['abs', 'acos', 'asin', 'atan', 'cos', 'sin', 'tan', 'exp', 'log', 'ceiling', 'floor', 'sign'];

export const seriesFunctions: Record<string, ScalarFn> = {
  ...Object.fromEntries(ELEMENTWISE_BINARY.map((op) => [`series_${op}`, jsonFn(`series_${op}`, 2, 2)])),
  ...Object.fromEntries(ELEMENTWISE_UNARY.map((f) => [`series_${f}`, jsonFn(`series_${f}`, 1, 1)])),
  series_sum: jsonFn('series_sum', 1, 1, false),
  series_product: jsonFn('series_product', 1, 1, false),
  series_magnitude: jsonFn('series_magnitude', 1, 1, false),
  series_dot_product: jsonFn('series_dot_product', 2, 2, false),
  series_cosine_similarity: jsonFn('series_cosine_similarity', 2, 4, false),
  series_pearson_correlation: jsonFn('series_pearson_correlation', 2, 2, false),
  series_fill_forward: jsonFn('series_fill_forward', 1, 2),
  series_fill_backward: jsonFn('series_fill_backward', 1, 2),
  // series_fill_const(series, constant_value = 0, missing_value_placeholder = null).
  series_fill_const: (args) => {
    arity('series_fill_const', args, 1, 3);
    return asJson(`kql_series_fill_const(${text(args[0])}, ${args[1] ? text(args[1]) : `'0'`}, ${text(args[2])})`);
  },
  // series_fill_linear(series, missing_value_placeholder = null, fill_edges = true, constant_value = 0).
  series_fill_linear: (args) => {
    arity('series_fill_linear', args, 1, 4);
    return asJson(`kql_series_fill_linear(${text(args[0])}, ${text(args[1])}, ${bool(args[2], true)}, ${args[3] ? text(args[3]) : `'0'`})`);
  },
  series_stats: (args) => {
    arity('series_stats', args, 1, 2);
    return asJson(`kql_series_stats(${text(args[0])}, ${bool(args[1], false)})`);
  },
  series_stats_dynamic: (args) => {
    arity('series_stats_dynamic', args, 1, 2);
    return asJson(`kql_series_stats_dynamic(${text(args[0])}, ${bool(args[1], false)})`);
  },
  series_fit_line: jsonFn('series_fit_line', 1, 1),
  series_fit_line_dynamic: jsonFn('series_fit_line_dynamic', 1, 1),
  series_fit_2lines: jsonFn('series_fit_2lines', 1, 1),
  series_fit_2lines_dynamic: jsonFn('series_fit_2lines_dynamic', 1, 1),
  series_fit_poly: jsonFn('series_fit_poly', 1, 3),
  series_fir: jsonFn('series_fir', 2, 4),
  series_iir: jsonFn('series_iir', 3, 3),
  series_fft: jsonFn('series_fft', 1, 2),
  series_ifft: jsonFn('series_ifft', 1, 2),
};
