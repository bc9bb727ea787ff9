/**
 * Dynamic values (DuckDB JSON): path access for the compiler, conversions between JSON and
 * scalar types, and the functions that build or inspect bags and arrays.
 */
import type { KqlType } from '../../../kql/types.js';
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { arity, str, unsupported } from './common.js';
import { datetimeText, parseBoolSql, parseDatetimeSql, parseIntegerSql, parseRealSql, parseTimespanSql, timespanText, toStringSql } from './conversion.js';

// ---- path access ----------------------------------------------------------------------------

export type PathStep = string | number | SqlValue;

/** `."key"` in a DuckDB JSON path: inside the quotes only `"` and `\` are escaped. */
function keyStep(key: string): string {
  return `."${key.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `[i]`, and `[#-n]` counting from the end (Kusto's `arr[-1]` is the last element). */
function indexStep(i: number): string {
  if (!Number.isInteger(i)) unsupported('dynamic index', `${i} is not an integer`);
  return i < 0 ? `[#${i}]` : `[${i}]`;
}

/** The SQL text of a runtime step: a string is a key, a number an index. */
function runtimeStep(v: SqlValue): string {
  if (v.type === 'string' || v.type === 'dynamic') {
    const key = v.type === 'dynamic' ? fromDynamic(v.sql, 'string') : v.sql;
    return `('."' || replace(replace(${key}, '\\', '\\\\'), '"', '\\"') || '"')`;
  }
  return `(CASE WHEN ${v.sql} < 0 THEN '[#' || CAST(${v.sql} AS VARCHAR) || ']' ELSE '[' || CAST(${v.sql} AS VARCHAR) || ']' END)`;
}

/**
 * `d.a.b`, `d["k"]`, `arr[-1]`: the JSON value at the path, SQL NULL when it is missing.
 * Literal steps become one constant JSONPath; runtime steps are spliced in as escaped text.
 * The empty key cannot be written in a JSONPath, so it is reached with the JSON pointer `/`.
 */
export function jsonPath(base: SqlValue, steps: PathStep[]): string {
  let json = base.type === 'dynamic' ? base.sql : base.type === 'string' ? parseJsonSql(base.sql) : toDynamicSql(base);
  let constantPart = '$';
  let pieces: string[] = [];
  const flush = () => {
    if (constantPart !== '$' || pieces.length) {
      if (constantPart) pieces.push(str(constantPart));
      json = `json_extract(${json}, ${pieces.join(' || ')})`;
    }
    constantPart = '$';
    pieces = [];
  };
  for (const step of steps) {
    if (step === '') {
      flush();
      json = `json_extract(${json}, '/')`;
    } else if (typeof step === 'string') constantPart += keyStep(step);
    else if (typeof step === 'number') constantPart += indexStep(step);
    else if (step.constant && typeof step.constant.value === 'string' && step.type === 'string' && step.constant.value !== '') {
      constantPart += keyStep(step.constant.value);
    } else if (step.constant && typeof step.constant.value === 'string' && (step.type === 'int' || step.type === 'long')) {
      constantPart += indexStep(Number(step.constant.value));
    } else {
      pieces.push(str(constantPart));
      constantPart = '';
      pieces.push(runtimeStep(step));
    }
  }
  flush();
  return json;
}

// ---- JSON to scalar -------------------------------------------------------------------------

/** The scalar inside a JSON value, as text (a JSON string loses its quotes). */
const scalarText = (json: string): string => `(${json} ->> '$')`;

/**
 * Converts a JSON value to a KQL scalar type the way Kusto's `to<type>(dynamic)` does:
 * a JSON string is parsed as text, numbers and booleans convert, anything else is null
 * (`''` for string, where objects and arrays give their compact JSON text).
 */
export function fromDynamic(json: string, to: KqlType): string {
  const t = `json_type(${json})`;
  const text = scalarText(json);
  switch (to) {
    case 'dynamic':
      return json;
    case 'string':
      return `(CASE ${t} WHEN 'VARCHAR' THEN ${text} WHEN 'NULL' THEN '' ELSE coalesce(CAST(json(${json}) AS VARCHAR), '') END)`;
    case 'int':
    case 'long': {
      const sqlType = to === 'int' ? 'INTEGER' : 'BIGINT';
      return `(CASE ${t} WHEN 'BIGINT' THEN TRY_CAST(${text} AS ${sqlType}) WHEN 'UBIGINT' THEN TRY_CAST(${text} AS ${sqlType}) ` +
        `WHEN 'DOUBLE' THEN TRY_CAST(trunc(TRY_CAST(${text} AS DOUBLE)) AS ${sqlType}) WHEN 'BOOLEAN' THEN CAST(${text} = 'true' AS ${sqlType}) ` +
        `WHEN 'VARCHAR' THEN ${parseIntegerSql(text, to)} END)`;
    }
    case 'real':
      return `(CASE ${t} WHEN 'VARCHAR' THEN ${parseRealSql(text)} WHEN 'BOOLEAN' THEN CAST(${text} = 'true' AS DOUBLE) ` +
        `WHEN 'BIGINT' THEN TRY_CAST(${text} AS DOUBLE) WHEN 'UBIGINT' THEN TRY_CAST(${text} AS DOUBLE) WHEN 'DOUBLE' THEN TRY_CAST(${text} AS DOUBLE) END)`;
    case 'decimal':
      return `(CASE ${t} WHEN 'VARCHAR' THEN TRY_CAST(trim(${text}) AS DECIMAL(38,18)) WHEN 'BIGINT' THEN TRY_CAST(${text} AS DECIMAL(38,18)) ` +
        `WHEN 'UBIGINT' THEN TRY_CAST(${text} AS DECIMAL(38,18)) WHEN 'DOUBLE' THEN TRY_CAST(${text} AS DECIMAL(38,18)) END)`;
    case 'bool':
      return `(CASE ${t} WHEN 'BOOLEAN' THEN ${text} = 'true' WHEN 'VARCHAR' THEN ${parseBoolSql(text)} ` +
        `WHEN 'BIGINT' THEN TRY_CAST(${text} AS DOUBLE) <> 0 WHEN 'UBIGINT' THEN true WHEN 'DOUBLE' THEN TRY_CAST(${text} AS DOUBLE) <> 0 END)`;
    case 'datetime':
      return `(CASE ${t} WHEN 'VARCHAR' THEN ${parseDatetimeSql(text)} END)`;
    case 'timespan':
      return `(CASE ${t} WHEN 'VARCHAR' THEN ${parseTimespanSql(text)} WHEN 'BIGINT' THEN TRY_CAST(${text} AS BIGINT) END)`;
    case 'guid':
      return `(CASE ${t} WHEN 'VARCHAR' THEN TRY_CAST(trim(${text}) AS UUID) END)`;
  }
}

// ---- scalar to JSON -------------------------------------------------------------------------

/**
 * A value ready to be an element of a JSON array or object (json_object, json_array, list):
 * datetimes and timespans become Kusto's text, guids their text, dynamic stays JSON.
 * SQL NULL stays NULL (a JSON null inside containers).
 */
export function jsonElement(v: SqlValue): string {
  switch (v.type) {
    case 'datetime':
      return `(CASE WHEN ${v.sql} IS NOT NULL THEN ${datetimeText(v.sql)} END)`;
    case 'timespan':
      return `(CASE WHEN ${v.sql} IS NOT NULL THEN ${timespanText(v.sql)} END)`;
    case 'guid':
      return `CAST(${v.sql} AS VARCHAR)`;
    case 'real':
      // JSON has no NaN or infinities: Kusto writes them as strings.
      return `(CASE WHEN isfinite(${v.sql}) THEN to_json(${v.sql}) WHEN ${v.sql} IS NOT NULL THEN to_json(CAST(${v.sql} AS VARCHAR)) END)`;
    default:
      return v.sql;
  }
}

/** A scalar as a dynamic value (`dynamic(null)` for null). */
export function toDynamicSql(v: SqlValue): string {
  if (v.type === 'dynamic') return v.sql;
  return `to_json(${jsonElement(v)})`;
}

/** `parse_json(text)`: JSON text becomes its value; other text becomes a JSON string; `''` is null. */
export function parseJsonSql(s: string): string {
  return `(CASE WHEN ${s} IS NULL OR ${s} = '' THEN CAST(NULL AS JSON) WHEN json_valid(${s}) THEN CAST(${s} AS JSON) ELSE to_json(${s}) END)`;
}

// ---- functions ------------------------------------------------------------------------------

function dyn(v: SqlValue): string {
  return v.type === 'dynamic' ? v.sql : v.type === 'string' ? parseJsonSql(v.sql) : toDynamicSql(v);
}

const packBag: ScalarFn = (args) => {
  if (args.length % 2 !== 0) unsupported('bag_pack', 'expects key/value pairs');
  if (args.length === 0) return `CAST('{}' AS JSON)`;
  const parts: string[] = [];
  for (let i = 0; i < args.length; i += 2) parts.push(toStringSql(args[i]!), jsonElement(args[i + 1]!));
  return `json_object(${parts.join(', ')})`;
};

export const dynamicFunctions: Record<string, ScalarFn> = {
  array_length: (args) => {
    arity('array_length', args, 1);
    const d = dyn(args[0]!);
    return `(CASE WHEN json_type(${d}) = 'ARRAY' THEN json_array_length(${d}) END)`;
  },
  bag_keys: (args) => {
    arity('bag_keys', args, 1);
    const d = dyn(args[0]!);
    return `(CASE WHEN json_type(${d}) = 'OBJECT' THEN to_json(json_keys(${d})) END)`;
  },
  // The key may be a JSONPath to a nested property (`$.a.b`).
  bag_has_key: (args) => {
    arity('bag_has_key', args, 2);
    const d = dyn(args[0]!);
    const key = toStringSql(args[1]!);
    const literal = args[1]!.constant && typeof args[1]!.constant.value === 'string' ? args[1]!.constant.value : undefined;
    const test = literal === undefined
      ? `(CASE WHEN starts_with(${key}, '$') THEN json_exists(${d}, ${key}) ELSE list_contains(json_keys(${d}), ${key}) END)`
      : literal.startsWith('$') ? `json_exists(${d}, ${str(literal)})` : `list_contains(json_keys(${d}), ${str(literal)})`;
    return `coalesce(json_type(${d}) = 'OBJECT' AND ${test}, false)`;
  },
  pack: packBag,
  bag_pack: packBag,
  pack_dictionary: packBag,
  pack_array: (args) => `json_array(${args.map(jsonElement).join(', ')})`,
  array_concat: (args) => {
    arity('array_concat', args, 1, Infinity);
    const lists = args.map((a) => `CAST(${dyn(a)} AS JSON[])`);
    return `(CASE WHEN ${args.map((a) => `json_type(${dyn(a)}) = 'ARRAY'`).join(' AND ')} THEN to_json(list_concat(${lists.join(', ')})) END)`;
  },
};
