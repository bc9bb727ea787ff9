/**
 * Special functions: gamma, loggamma, erf, erfc, beta_cdf/pdf/inv, cot. DuckDB has gamma and
 * lgamma; the rest are `kql_*` UDFs (udfs/special-math.ts).
 */
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { arity } from './common.js';
import { convertTo } from './conversion.js';

const real = (v: SqlValue): string => (v.type === 'real' ? v.sql : `CAST(${convertTo(v, 'real')} AS DOUBLE)`);

const fn = (name: string, count: number, body: (...x: string[]) => string): ScalarFn => (args) => {
  arity(name, args, count);
  return body(...args.map(real));
};

export const specialMathFunctions: Record<string, ScalarFn> = {
  // Γ has poles at 0 and the negative integers, where DuckDB errors and Kusto gives NaN.
  gamma: fn('gamma', 1, (x) => `(CASE WHEN ${x} <= 0 AND ${x} = floor(${x}) THEN CAST('NaN' AS DOUBLE) ELSE gamma(${x}) END)`),
  loggamma: fn('loggamma', 1, (x) => `(CASE WHEN ${x} <= 0 AND ${x} = floor(${x}) THEN CAST('Infinity' AS DOUBLE) ELSE lgamma(${x}) END)`),
  erf: fn('erf', 1, (x) => `kql_erf(${x})`),
  erfc: fn('erfc', 1, (x) => `kql_erfc(${x})`),
  beta_cdf: fn('beta_cdf', 3, (x, a, b) => `kql_beta_cdf(${x}, ${a}, ${b})`),
  beta_pdf: fn('beta_pdf', 3, (x, a, b) => `kql_beta_pdf(${x}, ${a}, ${b})`),
  beta_inv: fn('beta_inv', 3, (p, a, b) => `kql_beta_inv(${p}, ${a}, ${b})`),
  cot: fn('cot', 1, (x) => `(1.0 / tan(${x}))`),
};
