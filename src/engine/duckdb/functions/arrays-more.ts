/**
 * Dynamic array functions over several arrays: array_iff, array_sort_asc/desc, array_split,
 * zip, bag_zip, set_equals, jaccard_index. Elements are DuckDB JSON values; JSON null inside an
 * array is the JSON text `null` (not SQL NULL).
 */
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { arity, unsupported } from './common.js';
import { convertTo } from './conversion.js';
import { jsonElement, parseJsonSql, toDynamicSql } from './dynamic.js';

const dyn = (v: SqlValue): string => (v.type === 'dynamic' ? v.sql : v.type === 'string' ? parseJsonSql(v.sql) : toDynamicSql(v));
const isArray = (json: string): string => `coalesce(json_type(${json}) = 'ARRAY', false)`;
const elements = (json: string): string => `(CASE WHEN ${isArray(json)} THEN CAST(${json} AS JSON[]) END)`;
const NULL_JSON = `CAST('null' AS JSON)`;

/**
 * array_iff(conditions, ifTrue, ifFalse): per element, a bool or a number (non-zero is true)
 * picks from ifTrue or ifFalse (arrays by position, scalars as they are); any other condition
 * gives null, and so does a position past the end of a value array.
 */
function arrayIff([conditions, ifTrue, ifFalse]: SqlValue[]): string {
  const c = elements(dyn(conditions!));
  const pick = (v: SqlValue): string => {
    if (v.type !== 'dynamic') return `to_json(${jsonElement(v)})`;
    return `(CASE WHEN ${isArray(v.sql)} THEN coalesce(CAST(${v.sql} AS JSON[])[kql_i + 1], ${NULL_JSON}) ELSE ${v.sql} END)`;
  };
  const e = `${c}[kql_i + 1]`;
  const truth = `(CASE json_type(${e}) WHEN 'BOOLEAN' THEN (${e} ->> '$') = 'true' WHEN 'BIGINT' THEN CAST(${e} ->> '$' AS DOUBLE) <> 0 ` +
    `WHEN 'UBIGINT' THEN CAST(${e} ->> '$' AS DOUBLE) <> 0 WHEN 'DOUBLE' THEN CAST(${e} ->> '$' AS DOUBLE) <> 0 END)`;
  const item = `(CASE WHEN ${truth} THEN ${pick(ifTrue!)} WHEN NOT ${truth} THEN ${pick(ifFalse!)} ELSE ${NULL_JSON} END)`;
  return `to_json(list_transform(range(len(${c})), lambda kql_i: ${item}))`;
}

/** A sort key per element: numbers before strings before other JSON; JSON null is SQL NULL. */
const sortKey = (e: string): string =>
  `(CASE WHEN json_type(${e}) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN struct_pack(t := 0, n := CAST(${e} ->> '$' AS DOUBLE), s := '') ` +
  `WHEN json_type(${e}) = 'BOOLEAN' THEN struct_pack(t := 0, n := CAST((${e} ->> '$') = 'true' AS DOUBLE), s := '') ` +
  `WHEN json_type(${e}) = 'VARCHAR' THEN struct_pack(t := 1, n := 0.0, s := ${e} ->> '$') ` +
  `WHEN json_type(${e}) <> 'NULL' THEN struct_pack(t := 2, n := 0.0, s := CAST(${e} AS VARCHAR)) END)`;

/**
 * array_sort_asc/desc(a1[, a2, …][, nulls_last]): sorts a1 and reorders the others the same way.
 * Nulls go last unless nulls_last is false. With several arrays the result is the array of the
 * reordered arrays; arrays of other lengths than a1 give null.
 */
function arraySort(name: string, ascending: boolean): ScalarFn {
  return (args) => {
    arity(name, args, 1, 64);
    let nullsLast = 'true';
    let arrays = args;
    if (args.length > 1 && args[args.length - 1]!.type === 'bool') {
      nullsLast = `coalesce(${args[args.length - 1]!.sql}, true)`;
      arrays = args.slice(0, -1);
    }
    if (arrays.some((a) => a.type !== 'dynamic')) unsupported(name, 'expects dynamic arrays');
    const first = elements(arrays[0]!.sql);
    const keys = `list_transform(${first}, lambda kql_e: ${sortKey('kql_e')})`;
    const dir = ascending ? 'ASC' : 'DESC';
    const order = `(CASE WHEN ${nullsLast} THEN list_grade_up(${keys}, '${dir}', 'NULLS LAST') ELSE list_grade_up(${keys}, '${dir}', 'NULLS FIRST') END)`;
    const sorted = arrays.map((a) => {
      const l = elements(a.sql);
      return `(CASE WHEN len(${l}) = len(${first}) THEN to_json(list_transform(${order}, lambda kql_k: ${l}[kql_k])) END)`;
    });
    return sorted.length === 1 ? sorted[0]! : `json_array(${sorted.join(', ')})`;
  };
}

/** array_split(array, indexes): sub-arrays split before each index (negative counts from the end). */
function arraySplit([array, at]: SqlValue[]): string {
  const l = elements(dyn(array!));
  const n = `len(${l})`;
  const raw = at!.type === 'dynamic' ? `TRY_CAST(${at!.sql} AS BIGINT[])` : `[${convertTo(at!, 'long')}]`;
  const cuts = `list_transform(${raw}, lambda kql_x: least(greatest(CASE WHEN kql_x < 0 THEN ${n} + kql_x ELSE kql_x END, 0), ${n}))`;
  const bounds = `list_concat([0], ${cuts}, [${n}])`;
  return `(CASE WHEN ${l} IS NOT NULL THEN to_json(list_transform(range(len(${bounds}) - 1), lambda kql_i: ${l}[${bounds}[kql_i + 1] + 1 : ${bounds}[kql_i + 2]])) END)`;
}

/** zip(a1, a2, …): the i-th elements side by side, as long as the longest array, missing ones null. */
function zip(arrays: SqlValue[]): string {
  const lists = arrays.map((a) => elements(dyn(a)));
  const longest = `greatest(${lists.map((l) => `len(${l})`).join(', ')})`;
  const row = `[${lists.map((l) => `coalesce(${l}[kql_i + 1], ${NULL_JSON})`).join(', ')}]`;
  return `(CASE WHEN ${lists.map((l) => `${l} IS NOT NULL`).join(' AND ')} THEN to_json(list_transform(range(${longest}), lambda kql_i: ${row})) END)`;
}

/**
 * bag_zip(keys, values): a bag of keys[i] → values[i]; keys that are not strings are skipped,
 * values past the end (or a values argument that is not an array) are null; keys not an array: null.
 */
function bagZip([keys, values]: SqlValue[]): string {
  const k = elements(dyn(keys!));
  const v = dyn(values!);
  const value = `(CASE WHEN ${isArray(v)} THEN coalesce(CAST(${v} AS JSON[])[kql_i + 1], ${NULL_JSON}) ELSE ${NULL_JSON} END)`;
  const kept = `list_filter(range(len(${k})), lambda kql_i: json_type(${k}[kql_i + 1]) = 'VARCHAR')`;
  const names = `list_transform(${kept}, lambda kql_i: ${k}[kql_i + 1] ->> '$')`;
  const vals = `list_transform(${kept}, lambda kql_i: ${value})`;
  return `(CASE WHEN ${k} IS NOT NULL THEN CAST(to_json(map(${names}, ${vals})) AS JSON) END)`;
}

/** Distinct elements compared by their normalised JSON text. */
const distinctTexts = (v: SqlValue): string => `list_distinct(list_transform(${elements(dyn(v))}, lambda kql_e: CAST(json(kql_e) AS VARCHAR)))`;

export const moreArrayFunctions: Record<string, ScalarFn> = {
  array_iff: (args) => {
    arity('array_iff', args, 3);
    return arrayIff(args);
  },
  array_iif: (args) => {
    arity('array_iif', args, 3);
    return arrayIff(args);
  },
  array_sort_asc: arraySort('array_sort_asc', true),
  array_sort_desc: arraySort('array_sort_desc', false),
  array_split: (args) => {
    arity('array_split', args, 2);
    return arraySplit(args);
  },
  zip: (args) => {
    arity('zip', args, 2, 16);
    return zip(args);
  },
  bag_zip: (args) => {
    arity('bag_zip', args, 2);
    return bagZip(args);
  },
  set_equals: (args) => {
    arity('set_equals', args, 2);
    return `coalesce(list_sort(${distinctTexts(args[0]!)}) = list_sort(${distinctTexts(args[1]!)}), false)`;
  },
  /** |A ∩ B| / |A ∪ B| over distinct elements. */
  // Kusto.Language types the result as dynamic (holding a real).
  jaccard_index: (args, result) => {
    arity('jaccard_index', args, 2);
    const a = distinctTexts(args[0]!);
    const b = distinctTexts(args[1]!);
    const union = `len(list_distinct(list_concat(${a}, ${b})))`;
    const ratio = `(CASE WHEN ${union} = 0 THEN CAST('NaN' AS DOUBLE) ELSE len(list_intersect(${a}, ${b})) / ${union} END)`;
    return result === 'dynamic' ? toDynamicSql({ sql: ratio, type: 'real' }) : ratio;
  },
};

/**
 * pack_all / bag_pack_columns, as the builder hands them over: (ignore_null_empty, name1,
 * value1, …). With the flag, null values and empty strings are left out.
 */
export const packColumnsFunctions: Record<string, ScalarFn> = {
  pack_all: (args) => {
    if (args.length % 2 !== 1) unsupported('pack_all', 'expects the builder\'s name/value pairs');
    const pairs: Array<[SqlValue, SqlValue]> = [];
    for (let i = 1; i < args.length; i += 2) pairs.push([args[i]!, args[i + 1]!]);
    if (!pairs.length) return `CAST('{}' AS JSON)`;
    const all = `json_object(${pairs.map(([k, v]) => `${k.sql}, ${jsonElement(v)}`).join(', ')})`;
    const keep = (v: SqlValue): string => (v.type === 'string' ? `${v.sql} <> ''` : v.type === 'dynamic' ? `coalesce(json_type(${v.sql}) <> 'NULL', false)` : `${v.sql} IS NOT NULL`);
    const entries = `[${pairs.map(([k, v]) => `{'k': ${k.sql}, 'v': CAST(to_json(${jsonElement(v)}) AS JSON), 'keep': ${keep(v)}}`).join(', ')}]`;
    const kept = `list_filter(${entries}, lambda kql_e: kql_e.keep)`;
    const some = `CAST(to_json(map(list_transform(${kept}, lambda kql_e: kql_e.k), list_transform(${kept}, lambda kql_e: kql_e.v))) AS JSON)`;
    return `(CASE WHEN ${args[0]!.sql} THEN ${some} ELSE ${all} END)`;
  },
};
