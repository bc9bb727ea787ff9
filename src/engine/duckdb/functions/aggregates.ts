/**
 * Aggregates over a group. Kusto's defaults for a group without values (summarize docs,
 * "default values of aggregations"): count/dcount/sum/variance/stdev give 0, make_list/make_set
 * give `[]`, avg gives NaN (summarize docs example), the rest null. Nulls are ignored.
 */
import type { KqlType } from '../../../kql/types.js';
import type { AggregateFn, SqlValue } from '../../dialect.js';
import { SQL_TYPES, arity, constNumber, unsupported } from './common.js';
import { convertTo } from './conversion.js';
import { fromDynamic, jsonElement } from './dynamic.js';

/** `FILTER (WHERE …)` for the *if variants and for skipping nulls. */
function filter(...conditions: (string | undefined)[]): string {
  const parts = conditions.filter((c): c is string => !!c);
  return parts.length ? ` FILTER (WHERE ${parts.join(' AND ')})` : '';
}

/** A value that is neither SQL NULL nor JSON null. */
function present(v: SqlValue): string | undefined {
  if (v.type === 'dynamic') return `coalesce(json_type(${v.sql}) <> 'NULL', false)`;
  if (v.type === 'string') return undefined;
  return `${v.sql} IS NOT NULL`;
}

/** Numeric input: a dynamic argument is read as the announced result type (or real). */
function numeric(v: SqlValue, result: KqlType): SqlValue {
  if (v.type !== 'dynamic') return v;
  const to: KqlType = result === 'int' || result === 'long' || result === 'decimal' || result === 'timespan' ? result : 'real';
  return { sql: fromDynamic(v.sql, to), type: to };
}

const cast = (sql: string, t: KqlType): string => `CAST(${sql} AS ${SQL_TYPES[t]})`;

// ---- counting -------------------------------------------------------------------------------

/** count(): the optional argument does not change the count (summarize docs: count(y) counts rows). */
const count: AggregateFn = () => 'count(*)';

const countif: AggregateFn = (args) => {
  arity('countif', args, 1);
  return `count(*)${filter(args[0]!.sql)}`;
};

/** dcount is exact here; Kusto's accuracy argument is accepted and ignored. */
function distinctCount(name: string, withPredicate: boolean): AggregateFn {
  return (args) => {
    arity(name, args, withPredicate ? 2 : 1, withPredicate ? 3 : 2);
    const v = args[0]!;
    const key = v.type === 'dynamic' ? `CAST(json(${v.sql}) AS VARCHAR)` : v.sql;
    return `count(DISTINCT ${key})${filter(present(v), withPredicate ? args[1]!.sql : undefined)}`;
  };
}

// ---- sums and averages ----------------------------------------------------------------------

function sum(name: string, withPredicate: boolean): AggregateFn {
  return (args, result) => {
    arity(name, args, withPredicate ? 2 : 1);
    const v = numeric(args[0]!, result);
    const type: KqlType = result === 'dynamic' ? 'real' : result;
    return cast(`coalesce(sum(${v.sql})${filter(withPredicate ? args[1]!.sql : undefined)}, 0)`, type);
  };
}

function avg(name: string, withPredicate: boolean): AggregateFn {
  return (args, result) => {
    arity(name, args, withPredicate ? 2 : 1);
    const v = numeric(args[0]!, result);
    const where = filter(withPredicate ? args[1]!.sql : undefined);
    if (v.type === 'timespan') return `CAST(avg(${v.sql})${where} AS BIGINT)`;
    if (v.type === 'datetime') return `make_timestamp(CAST(avg(epoch_us(${v.sql}))${where} AS BIGINT))`;
    if (result === 'decimal') return cast(`avg(${v.sql})${where}`, 'decimal');
    return `coalesce(avg(${v.sql})${where}, CAST('NaN' AS DOUBLE))`;
  };
}

function extreme(name: string, fn: 'min' | 'max', withPredicate: boolean): AggregateFn {
  return (args, result) => {
    arity(name, args, withPredicate ? 2 : 1);
    let v = args[0]!;
    if (v.type === 'dynamic' && result !== 'dynamic') v = { sql: convertTo(v, result), type: result };
    const sql = `${fn}(${v.sql})${filter(withPredicate ? args[1]!.sql : undefined)}`;
    return result === 'string' ? `coalesce(${sql}, '')` : sql;
  };
}

/** Sample (stdev, variance) and population (stdevp, variancep) statistics; 0 without values. */
function statistic(name: string, fn: string, withPredicate: boolean): AggregateFn {
  return (args) => {
    arity(name, args, withPredicate ? 2 : 1);
    const v = numeric(args[0]!, 'real');
    return `coalesce(${fn}(${v.sql})${filter(withPredicate ? args[1]!.sql : undefined)}, 0)`;
  };
}

/** covariance(x, y): sample (covariance) or population (covariancep); 0 without values. */
function covariance(name: string, fn: 'covar_samp' | 'covar_pop', withPredicate: boolean): AggregateFn {
  return (args) => {
    arity(name, args, withPredicate ? 3 : 2);
    const a = numeric(args[0]!, 'real');
    const b = numeric(args[1]!, 'real');
    return `coalesce(${fn}(${a.sql}, ${b.sql})${filter(withPredicate ? args[2]!.sql : undefined)}, 0)`;
  };
}

// ---- collections ----------------------------------------------------------------------------

/** The optional size limit: a literal; null means Kusto's default (no practical limit here). */
function sizeLimit(name: string, v: SqlValue | undefined): number | undefined {
  if (!v) return undefined;
  const n = constNumber(v);
  if (n === undefined || !Number.isInteger(n) || n < 1) unsupported(name, 'the size limit must be a positive integer literal');
  return n;
}

function makeList(name: string, distinct: boolean, withPredicate: boolean): AggregateFn {
  return (args) => {
    arity(name, args, withPredicate ? 2 : 1, withPredicate ? 3 : 2);
    const v = args[0]!;
    const limit = sizeLimit(name, args[withPredicate ? 2 : 1]);
    let list = `list(${distinct ? 'DISTINCT ' : ''}${jsonElement(v)})${filter(present(v), withPredicate ? args[1]!.sql : undefined)}`;
    // Kusto's make_list and make_set take an array value's elements, not the array (one level): a
    // list of pack_array(polygon.coordinates) is a MultiPolygon's coordinates
    // (geo-point-in-polygon-function.md); make_set of array values is the set of their elements
    // (make-set-aggregation-function.md).
    if (v.type === 'dynamic') {
      const spread = `flatten(list(CASE WHEN json_type(${v.sql}) = 'ARRAY' THEN CAST(${v.sql} AS JSON[]) ELSE [${v.sql}] END)${filter(present(v), withPredicate ? args[1]!.sql : undefined)})`;
      list = distinct ? `list_distinct(${spread})` : spread;
    }
    if (limit !== undefined) list = `${list}[1:${limit}]`;
    return `coalesce(to_json(${list}), CAST('[]' AS JSON))`;
  };
}

/**
 * make_bag: the union of the property bags in the group (non-bags are ignored). When a key
 * repeats Kusto keeps an arbitrary value; here a later row's value wins.
 */
function makeBag(name: string, withPredicate: boolean): AggregateFn {
  return (args) => {
    arity(name, args, withPredicate ? 2 : 1, withPredicate ? 3 : 2);
    const v = args[0]!;
    if (v.type !== 'dynamic') unsupported(name, `expects a dynamic property bag, got ${v.type}`);
    sizeLimit(name, args[withPredicate ? 2 : 1]);
    const bags = `list(${v.sql})${filter(`json_type(${v.sql}) = 'OBJECT'`, withPredicate ? args[1]!.sql : undefined)}`;
    return `list_reduce(${bags}, lambda kql_a, kql_b: json_merge_patch(kql_a, kql_b), CAST('{}' AS JSON))`;
  };
}

// ---- picking values -------------------------------------------------------------------------

function takeAny(name: string, withPredicate: boolean): AggregateFn {
  return (args, result) => {
    if (args.length !== (withPredicate ? 2 : 1)) unsupported(name, 'with several arguments is expanded by the compiler');
    const v = args[0]!;
    const sql = `any_value(${v.sql})${filter(withPredicate ? args[1]!.sql : undefined)}`;
    return result === 'string' ? `coalesce(${sql}, '')` : sql;
  };
}

/**
 * percentile(x, p): nearest rank, the smallest value with at least p% of the values at or below
 * it. DuckDB's quantile_disc picks exactly that element.
 */
const percentile: AggregateFn = (args, result) => {
  arity('percentile', args, 2);
  const p = constNumber(args[1]);
  if (p === undefined || p < 0 || p > 100) unsupported('percentile', 'the percentile must be a literal between 0 and 100');
  let v = args[0]!;
  if (v.type === 'dynamic') v = { sql: fromDynamic(v.sql, 'real'), type: 'real' };
  const sql = `quantile_disc(${v.sql}, ${p / 100})`;
  return result === v.type || result === 'dynamic' ? sql : cast(sql, result);
};

export const aggregates: Record<string, AggregateFn> = {
  count,
  countif,
  dcount: distinctCount('dcount', false),
  dcountif: distinctCount('dcountif', true),
  count_distinct: distinctCount('count_distinct', false),
  count_distinctif: distinctCount('count_distinctif', true),
  sum: sum('sum', false),
  sumif: sum('sumif', true),
  avg: avg('avg', false),
  avgif: avg('avgif', true),
  min: extreme('min', 'min', false),
  max: extreme('max', 'max', false),
  minif: extreme('minif', 'min', true),
  maxif: extreme('maxif', 'max', true),
  stdev: statistic('stdev', 'stddev_samp', false),
  stdevif: statistic('stdevif', 'stddev_samp', true),
  stdevp: statistic('stdevp', 'stddev_pop', false),
  stdevpif: statistic('stdevpif', 'stddev_pop', true),
  variance: statistic('variance', 'var_samp', false),
  varianceif: statistic('varianceif', 'var_samp', true),
  variancep: statistic('variancep', 'var_pop', false),
  variancepif: statistic('variancepif', 'var_pop', true),
  covariance: covariance('covariance', 'covar_samp', false),
  covarianceif: covariance('covarianceif', 'covar_samp', true),
  covariancep: covariance('covariancep', 'covar_pop', false),
  covariancepif: covariance('covariancepif', 'covar_pop', true),
  make_list: makeList('make_list', false, false),
  make_list_if: makeList('make_list_if', false, true),
  makelist: makeList('makelist', false, false),
  make_set: makeList('make_set', true, false),
  make_set_if: makeList('make_set_if', true, true),
  makeset: makeList('makeset', true, false),
  make_bag: makeBag('make_bag', false),
  make_bag_if: makeBag('make_bag_if', true),
  take_any: takeAny('take_any', false),
  any: takeAny('any', false),
  take_anyif: takeAny('take_anyif', true),
  anyif: takeAny('anyif', true),
  percentile,
  percentiles: percentile,
};
