/**
 * hll and tdigest sketches, and weighted percentiles. Quarry's sketches are exact: an hll is
 * `{"hll": [distinct values]}` and a tdigest `{"tdigest": type, "points": [[value, weight], …]}`
 * sorted by value (datetimes as Unix microseconds, timespans as ticks). Kusto's are approximate
 * but agree with these on small inputs; the cost is that a sketch grows with its input.
 */
import type { KqlType } from '../../../kql/types.js';
import type { AggregateFn, ScalarFn, SqlValue } from '../../dialect.js';
import { arity, constNumber, constString, unsupported } from './common.js';
import { convertTo } from './conversion.js';
import { jsonElement } from './dynamic.js';
import { aggregates } from './aggregates.js';

// ---- hll -----------------------------------------------------------------------------------

const hllValues = (h: string): string => `TRY_CAST(json_extract(${h}, '$.hll') AS JSON[])`;

const hll = (name: string, withPredicate: boolean): AggregateFn => (args) => {
  arity(name, args, withPredicate ? 2 : 1, withPredicate ? 3 : 2);
  const v = args[0]!;
  const where = [`${v.sql} IS NOT NULL`, ...(withPredicate ? [args[1]!.sql] : [])].join(' AND ');
  return `(CASE WHEN count(*) FILTER (WHERE ${where}) > 0 THEN json_object('hll', to_json(list(DISTINCT to_json(${jsonElement(v)})) FILTER (WHERE ${where}))) END)`;
};

const hllMergeAggregate: AggregateFn = (args) => {
  arity('hll_merge', args, 1, 2);
  const h = args[0]!.sql;
  return `(CASE WHEN count(${h}) > 0 THEN json_object('hll', to_json(list_distinct(flatten(list(${hllValues(h)}))))) END)`;
};

const hllMergeScalar: ScalarFn = (args) => {
  arity('hll_merge', args, 2, 64);
  return `json_object('hll', to_json(list_distinct(list_concat(${args.map((a) => `coalesce(${hllValues(a.sql)}, [])`).join(', ')}))))`;
};

// ---- tdigest -------------------------------------------------------------------------------

/** A value as its sort key (DOUBLE), and back. */
function keyOf(v: SqlValue): string {
  if (v.type === 'datetime') return `CAST(epoch_us(${v.sql}) AS DOUBLE)`;
  if (v.type === 'timespan' || v.type === 'int' || v.type === 'long' || v.type === 'real' || v.type === 'decimal') return `CAST(${v.sql} AS DOUBLE)`;
  if (v.type === 'dynamic') return `CAST(${convertTo(v, 'real')} AS DOUBLE)`;
  return unsupported('tdigest', `expects a number, datetime or timespan, got ${v.type}`);
}

function fromKey(key: string, to: KqlType): string {
  switch (to) {
    case 'datetime': return `make_timestamp(CAST(${key} AS BIGINT))`;
    case 'timespan': case 'long': return `CAST(${key} AS BIGINT)`;
    case 'int': return `CAST(${key} AS INTEGER)`;
    case 'decimal': return `CAST(${key} AS DECIMAL(38,18))`;
    case 'real': return key;
    default: return unsupported('percentile_tdigest', `cannot return ${to}`);
  }
}

const points = (d: string): string => `TRY_CAST(json_extract(${d}, '$.points') AS DOUBLE[][])`;
const digestType = (d: string): string => `json_extract_string(${d}, '$.tdigest')`;

/** The aggregate building a digest of value v with optional weight w. */
function digestOf(v: SqlValue, w: SqlValue | undefined): string {
  const key = keyOf(v);
  const weight = w ? `CAST(${convertTo(w, 'real')} AS DOUBLE)` : '1.0';
  const where = `${key} IS NOT NULL AND ${weight} > 0`;
  const type = v.type === 'dynamic' || v.type === 'decimal' ? 'real' : v.type;
  return `(CASE WHEN count(*) FILTER (WHERE ${where}) > 0 THEN json_object('tdigest', '${type}', 'points', to_json(list([${key}, ${weight}] ORDER BY ${key}) FILTER (WHERE ${where}))) END)`;
}

const tdigest: AggregateFn = (args) => {
  arity('tdigest', args, 1, 2);
  return digestOf(args[0]!, args[1]);
};

const tdigestMergeAggregate = (name: string): AggregateFn => (args) => {
  arity(name, args, 1, 2);
  const d = args[0]!.sql;
  return `(CASE WHEN count(${d}) > 0 THEN json_object('tdigest', any_value(${digestType(d)}), 'points', to_json(list_sort(flatten(list(${points(d)}))))) END)`;
};

const tdigestMergeScalar = (name: string): ScalarFn => (args) => {
  arity(name, args, 1, 64);
  const all = args.map((a) => `coalesce(${points(a.sql)}, [])`).join(', ');
  return `json_object('tdigest', coalesce(${args.map((a) => digestType(a.sql)).join(', ')}), 'points', to_json(list_sort(list_concat(${all}))))`;
};

/** The value at a percentile, as the result type (or, for dynamic, as the digest's own type). */
function percentileOf(d: string, percent: string, result: KqlType): string {
  const key = `kql_weighted_percentile(CAST(json_extract(${d}, '$.points') AS VARCHAR), ${percent})`;
  if (result !== 'dynamic') return fromKey(key, result);
  const t = digestType(d);
  return `(CASE ${t} WHEN 'datetime' THEN to_json(${jsonElement({ sql: fromKey(key, 'datetime'), type: 'datetime' })}) ` +
    `WHEN 'timespan' THEN to_json(${jsonElement({ sql: fromKey(key, 'timespan'), type: 'timespan' })}) ` +
    `WHEN 'long' THEN to_json(${fromKey(key, 'long')}) WHEN 'int' THEN to_json(${fromKey(key, 'long')}) ELSE to_json(${key}) END)`;
}

const percent = (v: SqlValue): string => `CAST(${convertTo(v, 'real')} AS DOUBLE)`;

const percentileTdigest: ScalarFn = (args, result) => {
  arity('percentile_tdigest', args, 2, 3);
  return percentileOf(args[0]!.sql, percent(args[1]!), result);
};

/** percentiles_array_tdigest(digest, p1, p2, …) or (digest, dynamic([p1, …])). */
const percentilesArrayTdigest: ScalarFn = (args) => {
  arity('percentiles_array_tdigest', args, 2, 64);
  const d = args[0]!.sql;
  const item = (p: string) => percentileOf(d, p, 'dynamic');
  if (args.length === 2 && args[1]!.type === 'dynamic') {
    return `to_json(list_transform(TRY_CAST(${args[1]!.sql} AS DOUBLE[]), lambda kql_p: ${item('kql_p')}))`;
  }
  return `json_array(${args.slice(1).map((p) => item(percent(p))).join(', ')})`;
};

// ---- percentiles over rows -----------------------------------------------------------------

/** The literal percentiles of percentiles_array(x, p1, …) / (x, dynamic([…])). */
function literalPercents(name: string, args: SqlValue[]): number[] {
  if (args.length === 1 && args[0]!.type === 'dynamic') {
    const text = constString(args[0]);
    const list = text === undefined ? undefined : (JSON.parse(text) as unknown);
    if (!Array.isArray(list) || list.some((p) => typeof p !== 'number')) unsupported(name, 'the percentiles must be a literal array of numbers');
    return list as number[];
  }
  return args.map((a) => {
    const p = constNumber(a);
    if (p === undefined) unsupported(name, 'the percentiles must be literals');
    return p;
  });
}

function checkPercents(name: string, list: number[]): number[] {
  for (const p of list) if (p < 0 || p > 100) unsupported(name, `percentile ${p} is not between 0 and 100`);
  return list;
}

/** percentiles_array(x, p…): nearest rank, like percentile(); a dynamic array of the values. */
const percentilesArray: AggregateFn = (args) => {
  arity('percentiles_array', args, 2, 64);
  const list = checkPercents('percentiles_array', literalPercents('percentiles_array', args.slice(1)));
  const v = args[0]!;
  const values = `quantile_disc(${v.sql}, [${list.map((p) => p / 100).join(', ')}])`;
  return `to_json(list_transform(${values}, lambda kql_v: ${jsonElement({ sql: 'kql_v', type: v.type })}))`;
};

/** percentilew(x, w, p): the weighted nearest rank (the first value whose cumulative weight reaches p%). */
const percentilew: AggregateFn = (args, result) => {
  arity('percentilew', args, 3);
  const [p] = checkPercents('percentilew', literalPercents('percentilew', [args[2]!]));
  return percentileOf(digestOf(args[0]!, args[1]), String(p), result);
};

const percentileswArray: AggregateFn = (args) => {
  arity('percentilesw_array', args, 3, 64);
  const list = checkPercents('percentilesw_array', literalPercents('percentilesw_array', args.slice(2)));
  const d = digestOf(args[0]!, args[1]);
  return `json_array(${list.map((p) => percentileOf(d, String(p), 'dynamic')).join(', ')})`;
};

// ---- bitwise and lists ---------------------------------------------------------------------

const bitwise = (name: string, fn: string): AggregateFn => (args) => {
  arity(name, args, 1);
  return `${fn}(CAST(${convertTo(args[0]!, 'long')} AS BIGINT))`;
};

/** make_list_with_nulls(x): every row's value, nulls included, in row order. */
const makeListWithNulls: AggregateFn = (args) => {
  arity('make_list_with_nulls', args, 1);
  return `coalesce(to_json(list(coalesce(to_json(${jsonElement(args[0]!)}), CAST('null' AS JSON)))), CAST('[]' AS JSON))`;
};

export const sketchAggregates: Record<string, AggregateFn> = {
  hll: hll('hll', false),
  hll_if: hll('hll_if', true),
  hll_merge: hllMergeAggregate,
  tdigest,
  tdigest_merge: tdigestMergeAggregate('tdigest_merge'),
  merge_tdigest: tdigestMergeAggregate('merge_tdigest'),
  percentiles_array: percentilesArray,
  percentilew,
  percentilesw_array: percentileswArray,
  binary_all_and: bitwise('binary_all_and', 'bit_and'),
  binary_all_or: bitwise('binary_all_or', 'bit_or'),
  binary_all_xor: bitwise('binary_all_xor', 'bit_xor'),
  make_list_with_nulls: makeListWithNulls,
  // The values are gathered as one JSON array and their schema built by a UDF, once per group.
  buildschema: (args) => {
    arity('buildschema', args, 1);
    const v = args[0]!;
    return `CAST(kql_build_schema(CAST(to_json(list(${v.type === 'dynamic' ? v.sql : `to_json(${jsonElement(v)})`})) AS VARCHAR)) AS JSON)`;
  },
  // The deprecated name of make_bag.
  make_dictionary: (args, result, ctx) => aggregates.make_bag!(args, result, ctx),
};

/** rank_tdigest(digest, value): the total weight of the values at or below value. */
function rankOf(d: string, value: SqlValue): string {
  const key = keyOf(value);
  return `list_sum(list_transform(list_filter(${points(d)}, lambda kql_p: kql_p[1] <= ${key}), lambda kql_p: kql_p[2]))`;
}

export const sketchFunctions: Record<string, ScalarFn> = {
  rank_tdigest: (args) => {
    arity('rank_tdigest', args, 2);
    return `CAST(coalesce(${rankOf(args[0]!.sql, args[1]!)}, 0) AS BIGINT)`;
  },
  /** The percentage of the total weight at or below value. */
  percentrank_tdigest: (args) => {
    arity('percentrank_tdigest', args, 2);
    const d = args[0]!.sql;
    const total = `list_sum(list_transform(${points(d)}, lambda kql_p: kql_p[2]))`;
    return `(coalesce(${rankOf(d, args[1]!)}, 0) * 100.0 / ${total})`;
  },
  dcount_hll: (args) => {
    arity('dcount_hll', args, 1);
    return `CAST(len(${hllValues(args[0]!.sql)}) AS BIGINT)`;
  },
  hll_merge: hllMergeScalar,
  tdigest_merge: tdigestMergeScalar('tdigest_merge'),
  merge_tdigest: tdigestMergeScalar('merge_tdigest'),
  percentile_tdigest: percentileTdigest,
  percentiles_array_tdigest: percentilesArrayTdigest,
};
