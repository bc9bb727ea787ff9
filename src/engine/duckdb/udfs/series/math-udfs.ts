/**
 * The `kql_series_*` UDFs of helper S-A's series functions (element-wise, fill, stats, fit,
 * filters, FFT), registered by udfs/index.ts. Arguments are JSON text (a series, or a number to
 * broadcast) that the SQL side never leaves NULL (`'null'` instead), so the shared row wrapper
 * calls every row and each function decides what a null argument means; the two flags with a
 * default (fill_edges, ignore_nonfinite) arrive as BOOLEAN with the default filled in by the SQL.
 */
import { BOOLEAN, DOUBLE, VARCHAR } from '@duckdb/node-api';
import type { RowUdf } from '../register.js';
import { BINARY, UNARY, binary, cosineSimilarity, dotProduct, pearsonCorrelation, seriesMagnitude, seriesProduct, seriesSum, unary } from './elementwise.js';
import { fft, ifft } from './fft.js';
import { fillBackward, fillConst, fillForward, fillLinear } from './fill.js';
import { fir, iir } from './filters.js';
import { fitLineBag, fitLineTuple, fitPolyTuple, fitTwoLinesBag, fitTwoLinesTuple } from './fit.js';
import { statsBag, statsTuple } from './stats.js';

const text = (n: number) => Array<typeof VARCHAR>(n).fill(VARCHAR);
const json = (name: string, parameters: RowUdf['parameters'], row: (...args: never[]) => string | null): RowUdf =>
  ({ name: `kql_series_${name}`, parameters, returns: VARCHAR, row });
const real = (name: string, parameters: RowUdf['parameters'], row: (...args: never[]) => number | null): RowUdf =>
  ({ name: `kql_series_${name}`, parameters, returns: DOUBLE, row });

/** JSON text of an optional real (the SQL side passes 'null' for an absent or null one). */
const optionalReal = (t: string): number | null => {
  const v: unknown = JSON.parse(t);
  return typeof v === 'number' ? v : null;
};

export const SERIES_UDFS: RowUdf[] = [
  ...Object.keys(BINARY).map((op) => json(op, text(2), (a: string, b: string) => binary(op, a, b))),
  ...Object.keys(UNARY).map((f) => json(f, text(1), (s: string) => unary(f, s))),
  real('sum', text(1), seriesSum),
  real('product', text(1), seriesProduct),
  real('magnitude', text(1), seriesMagnitude),
  real('dot_product', text(2), dotProduct),
  real('cosine_similarity', text(4), (a: string, b: string, ma: string, mb: string) => cosineSimilarity(a, b, optionalReal(ma), optionalReal(mb))),
  real('pearson_correlation', text(2), pearsonCorrelation),
  json('fill_forward', text(2), fillForward),
  json('fill_backward', text(2), fillBackward),
  json('fill_const', text(3), fillConst),
  json('fill_linear', [VARCHAR, VARCHAR, BOOLEAN, VARCHAR], fillLinear),
  json('stats', [VARCHAR, BOOLEAN], statsTuple),
  json('stats_dynamic', [VARCHAR, BOOLEAN], statsBag),
  json('fit_line', text(1), fitLineTuple),
  json('fit_line_dynamic', text(1), fitLineBag),
  json('fit_2lines', text(1), fitTwoLinesTuple),
  json('fit_2lines_dynamic', text(1), fitTwoLinesBag),
  json('fit_poly', text(3), (y: string, x: string, degree: string) => fitPolyTuple(y, x, optionalReal(degree))),
  json('fir', text(4), (s: string, f: string, normalize: string, center: string) => fir(s, f, optionalBool(normalize), optionalBool(center))),
  json('iir', text(3), iir),
  json('fft', text(2), fft),
  json('ifft', text(2), ifft),
];

function optionalBool(t: string): boolean | null {
  const v: unknown = JSON.parse(t);
  return typeof v === 'boolean' ? v : null;
}
