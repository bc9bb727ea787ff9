/**
 * Dynamic array, set and bag functions beyond the basics in dynamic.ts: array_reverse/slice/
 * rotate/shift/sum/index_of, set_union/intersect/difference/has_element, strcat_array, range,
 * bag_set_key/bag_remove_keys/bag_merge, unicode code points. Elements are compared as JSON text.
 */
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { arity, constString, str, unsupported } from './common.js';
import { convertTo } from './conversion.js';
import { jsonElement, parseJsonSql, toDynamicSql } from './dynamic.js';

/** Kusto caps generated arrays (range()) at 1,048,576 elements. */
const MAX_ARRAY = 1_048_576;

const dyn = (v: SqlValue): string => (v.type === 'dynamic' ? v.sql : v.type === 'string' ? parseJsonSql(v.sql) : toDynamicSql(v));

/** The elements of a dynamic array as a DuckDB JSON[] (NULL when the value is not an array). */
const elements = (v: SqlValue): string => `(CASE WHEN json_type(${dyn(v)}) = 'ARRAY' THEN CAST(${dyn(v)} AS JSON[]) END)`;

/** A scalar as a JSON element, for comparing with array elements. */
const asElement = (v: SqlValue): string => (v.type === 'dynamic' ? `json(${v.sql})` : `to_json(${jsonElement(v)})`);

/** Kusto's tostring() of a JSON element: strings lose their quotes, null (SQL NULL in a JSON[]) is ''. */
const elementText = (e: string): string => `coalesce(CASE json_type(${e}) WHEN 'VARCHAR' THEN ${e} ->> '$' WHEN 'NULL' THEN '' ELSE CAST(json(${e}) AS VARCHAR) END, '')`;

/** Elements in first-seen order without repeats. */
const distinctInOrder = (list: string): string => `list_filter(${list}, lambda kql_x, kql_i: list_position(${list}, kql_x) = kql_i)`;

const longArg = (v: SqlValue): string => (v.type === 'long' || v.type === 'int' ? v.sql : convertTo(v, 'long'));

const arrayFn = (name: string, min: number, max: number, body: (args: SqlValue[]) => string): ScalarFn => (args) => {
  arity(name, args, min, max);
  return body(args);
};

/** array_rotate_left(arr, n): a negative n rotates right. */
function rotateLeft(arr: SqlValue, n: string): string {
  const l = elements(arr);
  const k = `((${n}) % len(${l}) + len(${l})) % len(${l})`;
  return `(CASE WHEN len(${l}) = 0 THEN to_json(${l}) ELSE to_json(list_concat(${l}[${k} + 1:], ${l}[:${k}])) END)`;
}

/** array_shift_right(arr, n[, fill]): elements move right, the gap is filled (null by default). */
function shiftRight(arr: SqlValue, n: string, fill: SqlValue | undefined): string {
  const l = elements(arr);
  const filler = fill ? asElement(fill) : `CAST('null' AS JSON)`;
  const k = `least(abs(${n}), len(${l}))`;
  const pad = `list_transform(range(${k}), lambda kql_i: ${filler})`;
  return `(CASE WHEN ${n} >= 0 THEN to_json(list_concat(${pad}, ${l}[:len(${l}) - ${k}])) ELSE to_json(list_concat(${l}[${k} + 1:], ${pad})) END)`;
}

/** array_slice(arr, start, end): inclusive end; negative indexes count from the end. */
function slice(arr: SqlValue, start: string, end: string): string {
  const l = elements(arr);
  const from = `(CASE WHEN ${start} < 0 THEN len(${l}) + ${start} ELSE ${start} END)`;
  const to = `(CASE WHEN ${end} < 0 THEN len(${l}) + ${end} ELSE ${end} END)`;
  return `to_json(list_slice(${l}, greatest(${from}, 0) + 1, ${to} + 1))`;
}

/** range(start, stop[, step]): numbers, datetimes (timespan step) or timespans; inclusive of stop. */
function range(args: SqlValue[]): string {
  const [start, stop, step] = args as [SqlValue, SqlValue, SqlValue | undefined];
  if (start.type === 'datetime') {
    if (!step) unsupported('range', 'a datetime range needs a timespan step');
    const count = `((epoch_us(${stop.sql}) - epoch_us(${start.sql})) * 10 // ${step.sql}) + 1`;
    const item = `(${start.sql} + to_microseconds((kql_i * ${step.sql}) // 10))`;
    return `to_json(list_transform(range(least(greatest(${count}, 0), ${MAX_ARRAY})), lambda kql_i: ${jsonElement({ sql: item, type: 'datetime' })}))`;
  }
  if (start.type === 'timespan') {
    if (!step) unsupported('range', 'a timespan range needs a timespan step');
    const count = `((${stop.sql} - ${start.sql}) // ${step.sql}) + 1`;
    const item = `(${start.sql} + kql_i * ${step.sql})`;
    return `to_json(list_transform(range(least(greatest(${count}, 0), ${MAX_ARRAY})), lambda kql_i: ${jsonElement({ sql: item, type: 'timespan' })}))`;
  }
  const s = step?.sql ?? '1';
  const integral = [start, stop, ...(step ? [step] : [])].every((a) => a.type === 'int' || a.type === 'long');
  const count = integral ? `((${stop.sql} - ${start.sql}) // ${s}) + 1` : `CAST(floor((${stop.sql} - ${start.sql}) / ${s}) AS BIGINT) + 1`;
  return `(CASE WHEN ${s} <> 0 THEN to_json(list_transform(range(least(greatest(${count}, 0), ${MAX_ARRAY})), lambda kql_i: ${start.sql} + kql_i * ${s})) END)`;
}

/** A bag key, or a `$.a.b` JSONPath, as the nested object that sets it. */
function keyPatch(key: SqlValue, value: string): string {
  const literal = constString(key);
  if (literal === undefined) return `json_object(${key.sql}, ${value})`;
  const path = literal.startsWith('$.') ? literal.slice(2).split('.') : literal === '$' ? [] : [literal];
  if (!path.length) unsupported('bag_set_key', 'the key must name a property');
  return path.reduceRight((inner, k) => `json_object(${str(k)}, ${inner})`, value);
}

function setFunction(kind: 'union' | 'intersect' | 'difference'): ScalarFn {
  return (args) => {
    arity(`set_${kind}`, args, 2, 64);
    const lists = args.map(elements);
    if (kind === 'union') return `to_json(${distinctInOrder(`list_concat(${lists.join(', ')})`)})`;
    const first = distinctInOrder(lists[0]!);
    const others = lists.slice(1).map((l) => `list_contains(coalesce(${l}, []), kql_e)`);
    const keep = kind === 'intersect' ? others.join(' AND ') : `NOT (${others.join(' OR ')})`;
    return `to_json(list_filter(${first}, lambda kql_e: ${keep}))`;
  };
}

/**
 * bag_remove_keys with keys computed per row (e.g. a make_set in mv-apply): the bag rebuilt
 * from its other top-level properties, in order; each is read by JSON Pointer, so any key text works.
 */
function removeTopLevelKeys(bag: string, keys: SqlValue): string {
  const removed = `list_transform(${elements(keys)}, lambda kql_k: kql_k ->> '$')`;
  const pointer = `('/' || replace(replace(kql_k, '~', '~0'), '/', '~1'))`;
  const kept = `list_filter(json_keys(${bag}), lambda kql_k: NOT coalesce(list_contains(${removed}, kql_k), false))`;
  return `(CASE WHEN json_type(${bag}) = 'OBJECT' THEN to_json(map_from_entries(list_transform(${kept}, lambda kql_k: struct_pack(k := kql_k, v := ${bag} -> ${pointer})))) END)`;
}

export const arrayFunctions: Record<string, ScalarFn> = {
  array_reverse: arrayFn('array_reverse', 1, 1, ([a]) => `to_json(list_reverse(${elements(a!)}))`),
  array_slice: arrayFn('array_slice', 3, 3, ([a, s, e]) => slice(a!, longArg(s!), longArg(e!))),
  array_rotate_left: arrayFn('array_rotate_left', 2, 2, ([a, n]) => rotateLeft(a!, longArg(n!))),
  array_rotate_right: arrayFn('array_rotate_right', 2, 2, ([a, n]) => rotateLeft(a!, `-(${longArg(n!)})`)),
  array_shift_right: arrayFn('array_shift_right', 2, 3, ([a, n, fill]) => shiftRight(a!, longArg(n!), fill)),
  array_shift_left: arrayFn('array_shift_left', 2, 3, ([a, n, fill]) => shiftRight(a!, `-(${longArg(n!)})`, fill)),
  array_sum: arrayFn('array_sum', 1, 1, ([a]) => `list_sum(TRY_CAST(${elements(a!)} AS DOUBLE[]))`),
  array_index_of: arrayFn('array_index_of', 2, 5, ([a, v, start, length, occurrence]) =>
    `kql_array_index_of(CAST(${dyn(a!)} AS VARCHAR), CAST(${asElement(v!)} AS VARCHAR), ${start ? longArg(start) : '0'}, ${length ? longArg(length) : '-1'}, ${occurrence ? longArg(occurrence) : '1'})`),
  set_has_element: arrayFn('set_has_element', 2, 2, ([a, v]) => `coalesce(list_contains(${elements(a!)}, ${asElement(v!)}), false)`),
  set_union: setFunction('union'),
  set_intersect: setFunction('intersect'),
  set_difference: setFunction('difference'),
  strcat_array: arrayFn('strcat_array', 2, 2, ([a, d]) =>
    `coalesce(array_to_string(list_transform(${elements(a!)}, lambda kql_e: ${elementText('kql_e')}), ${convertTo(d!, 'string')}), '')`),
  range: arrayFn('range', 2, 3, range),
  bag_set_key: arrayFn('bag_set_key', 3, 3, ([b, k, v]) => `(CASE WHEN json_type(${dyn(b!)}) = 'OBJECT' THEN json_merge_patch(${dyn(b!)}, ${keyPatch(k!, asElement(v!))}) END)`),
  bag_remove_keys: arrayFn('bag_remove_keys', 2, 2, ([b, keys]) => {
    const list = constString(keys);
    if (list === undefined) return removeTopLevelKeys(dyn(b!), keys!);
    // Literal keys may be JSONPaths ('$.a.b'), removed by merge patches.
    const names = JSON.parse(list) as unknown[];
    const patches = names.map((k) => keyPatch({ sql: str(String(k)), type: 'string', constant: { value: String(k) } }, `CAST('null' AS JSON)`));
    return patches.reduce((bag, patch) => `json_merge_patch(${bag}, ${patch})`, dyn(b!));
  }),
  // The leftmost bag wins on a repeated key: merge from the right.
  bag_merge: arrayFn('bag_merge', 2, 64, (args) => args.map(dyn).reduceRight((acc, bag) => `json_merge_patch(${acc}, ${bag})`)),
  unicode_codepoints_from_string: arrayFn('unicode_codepoints_from_string', 1, 1, ([s]) =>
    `to_json(list_transform(string_split(${convertTo(s!, 'string')}, ''), lambda kql_c: unicode(kql_c)))`),
  unicode_codepoints_to_string: arrayFn('unicode_codepoints_to_string', 1, 64, (args) =>
    `concat(${args.map((a) => (a.type === 'dynamic' ? `coalesce(array_to_string(list_transform(TRY_CAST(${a.sql} AS BIGINT[]), lambda kql_c: chr(CAST(kql_c AS INTEGER))), ''), '')` : `chr(CAST(${a.sql} AS INTEGER))`)).join(', ')})`),
  tohex: arrayFn('tohex', 1, 2, ([x, width]) => {
    // Two's complement of the value's own width: 32 bits for int, 64 for long.
    const v = x!.type === 'int' ? `(CAST(${x!.sql} AS BIGINT) & 4294967295)` : longArg(x!);
    const hex = `lower(hex(${v}))`;
    return width ? `coalesce(CASE WHEN length(${hex}) >= ${width.sql} THEN ${hex} ELSE lpad(${hex}, CAST(${width.sql} AS INTEGER), '0') END, '')` : `coalesce(${hex}, '')`;
  }),
};
