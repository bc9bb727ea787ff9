/**
 * Conversions between KQL types (`tostring`, `toint`, `todatetime`, …) and the conversion
 * helpers every other family uses (`toStringSql`, `convertTo`).
 */
import type { KqlType } from '../../../kql/types.js';
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { SQL_TYPES, US_FROM_YEAR_1_TO_EPOCH, arity, castSql, str } from './common.js';
import { fromDynamic, parseJsonSql, toDynamicSql } from './dynamic.js';

// ---- to string ------------------------------------------------------------------------------

/** Kusto's `[-][d.]hh:mm:ss[.fffffff]` text of a tick count. */
export function timespanText(ticks: string): string {
  const a = `abs(${ticks})`;
  const two = (e: string) => `lpad(CAST(${e} AS VARCHAR), 2, '0')`;
  return (
    `(CASE WHEN ${ticks} IS NULL THEN '' ELSE ` +
    `(CASE WHEN ${ticks} < 0 THEN '-' ELSE '' END)` +
    ` || (CASE WHEN ${a} >= 864000000000 THEN CAST(${a} // 864000000000 AS VARCHAR) || '.' ELSE '' END)` +
    ` || ${two(`(${a} // 36000000000) % 24`)} || ':' || ${two(`(${a} // 600000000) % 60`)} || ':' || ${two(`(${a} // 10000000) % 60`)}` +
    ` || (CASE WHEN ${a} % 10000000 <> 0 THEN '.' || lpad(CAST(${a} % 10000000 AS VARCHAR), 7, '0') ELSE '' END) END)`
  );
}

/** ISO 8601 UTC with 7 fractional digits (Kusto keeps ticks; DuckDB microseconds, so the 7th is 0). */
export function datetimeText(ts: string): string {
  return `coalesce(strftime(${ts}, '%Y-%m-%dT%H:%M:%S.%f') || '0Z', '')`;
}

/**
 * Kusto's text of a real (.NET round-trip format: `1`, `0.1`, `1E+15`, `1.5E-07`, `NaN`).
 * Integral values below 1e15 print as integers; other values in [1e-4, 1e15) print in fixed
 * notation, where DuckDB's shortest round-trip text is the same as .NET's. Only E notation,
 * NaN and infinities go through the `kql_real_tostring` UDF.
 */
export function realText(x: string): string {
  return `(CASE WHEN ${x} IS NULL THEN '' WHEN ${x} = trunc(${x}) AND abs(${x}) < 1e15 THEN CAST(CAST(${x} AS BIGINT) AS VARCHAR) ` +
    `WHEN abs(${x}) >= 0.0001 AND abs(${x}) < 1e15 THEN CAST(${x} AS VARCHAR) ELSE kql_real_tostring(${x}) END)`;
}

/** `tostring()` of any value: never NULL (a null becomes `''`). */
export function toStringSql(v: SqlValue): string {
  const x = v.sql;
  switch (v.type) {
    case 'string':
      return v.constant ? x : `coalesce(${x}, '')`;
    case 'bool':
      return `(CASE WHEN ${x} THEN 'true' WHEN NOT ${x} THEN 'false' ELSE '' END)`;
    case 'int':
    case 'long':
    case 'guid':
      return `coalesce(CAST(${x} AS VARCHAR), '')`;
    case 'real':
      return realText(x);
    case 'decimal':
      // DECIMAL(38,18) prints 18 fraction digits: drop the trailing zeros as Kusto does.
      return `coalesce(rtrim(rtrim(CAST(${x} AS VARCHAR), '0'), '.'), '')`;
    case 'datetime':
      return datetimeText(x);
    case 'timespan':
      return timespanText(x);
    case 'dynamic':
      return fromDynamic(x, 'string');
  }
}

// ---- parsing text ----------------------------------------------------------------------------

/** A whole-number text (`" 42 "`, `"-7"`) as an integer type; anything else is null. */
export function parseIntegerSql(s: string, to: 'int' | 'long'): string {
  return `(CASE WHEN regexp_full_match(${s}, '\\s*[+-]?[0-9]+\\s*') THEN TRY_CAST(trim(${s}) AS ${SQL_TYPES[to]}) END)`;
}

export function parseRealSql(s: string): string {
  return `TRY_CAST(trim(${s}) AS DOUBLE)`;
}

export function parseBoolSql(s: string): string {
  return `(CASE lower(trim(${s})) WHEN 'true' THEN true WHEN 'false' THEN false WHEN '1' THEN true WHEN '0' THEN false END)`;
}

/**
 * Kusto's datetime formats. ISO 8601 without an offset is cast natively; texts with a UTC
 * offset (DuckDB's TIMESTAMP cast would drop it) and RFC 822/850 forms go to `kql_parse_datetime`.
 */
export function parseDatetimeSql(s: string): string {
  return `(CASE WHEN regexp_matches(${s}, '[+-][0-9]{2}:?[0-9]{2}\\s*$') THEN kql_parse_datetime(${s}) ELSE coalesce(TRY_CAST(${s} AS TIMESTAMP), kql_parse_datetime(${s})) END)`;
}

/** `[-][d.]hh:mm[:ss[.fffffff]]` and literal forms (`1.5h`, `30s`) → ticks, via `kql_parse_timespan`. */
export function parseTimespanSql(s: string): string {
  return `kql_parse_timespan(${s})`;
}

// ---- any type to any type ------------------------------------------------------------------

/** Ticks since 0001-01-01 of a datetime (what `tolong(datetime)` returns). */
export function datetimeTicks(ts: string): string {
  return `((epoch_us(${ts}) + ${US_FROM_YEAR_1_TO_EPOCH}) * 10)`;
}

function numberTo(v: SqlValue, to: 'int' | 'long' | 'real' | 'decimal'): string {
  const target = SQL_TYPES[to];
  switch (v.type) {
    case 'int':
    case 'long':
    case 'decimal':
    case 'real':
      if (v.type === to) return v.sql;
      // Kusto truncates toward zero; NaN, ±inf and overflow give null.
      if (to === 'int' || to === 'long') return v.type === 'real' || v.type === 'decimal' ? `TRY_CAST(trunc(${v.sql}) AS ${target})` : `TRY_CAST(${v.sql} AS ${target})`;
      return `TRY_CAST(${v.sql} AS ${target})`;
    case 'bool':
      return `CAST(CAST(${v.sql} AS INTEGER) AS ${target})`;
    case 'string':
      if (to === 'int' || to === 'long') return parseIntegerSql(v.sql, to);
      return to === 'real' ? parseRealSql(v.sql) : `TRY_CAST(trim(${v.sql}) AS ${target})`;
    case 'datetime':
      return `TRY_CAST(${datetimeTicks(v.sql)} AS ${target})`;
    case 'timespan':
      return `TRY_CAST(${v.sql} AS ${target})`;
    case 'dynamic':
      return fromDynamic(v.sql, to);
    case 'guid':
      return `CAST(NULL AS ${target})`;
  }
}

/** Kusto's `to<type>()` of a value: invalid input gives null (`tolong("abc")`), strings give `''`. */
export function convertTo(v: SqlValue, to: KqlType): string {
  if (v.type === to && to !== 'string') return v.sql;
  switch (to) {
    case 'string':
      return toStringSql(v);
    case 'int':
    case 'long':
    case 'real':
    case 'decimal':
      return numberTo(v, to);
    case 'bool':
      if (v.type === 'string') return parseBoolSql(v.sql);
      if (v.type === 'dynamic') return fromDynamic(v.sql, 'bool');
      if (v.type === 'int' || v.type === 'long' || v.type === 'real' || v.type === 'decimal' || v.type === 'timespan') return `(${v.sql} <> 0)`;
      return 'CAST(NULL AS BOOLEAN)';
    case 'datetime':
      if (v.type === 'string') return parseDatetimeSql(v.sql);
      if (v.type === 'dynamic') return fromDynamic(v.sql, 'datetime');
      if (v.type === 'int' || v.type === 'long') return `make_timestamp((${v.sql} // 10) - ${US_FROM_YEAR_1_TO_EPOCH})`;
      return 'CAST(NULL AS TIMESTAMP)';
    case 'timespan':
      if (v.type === 'string') return parseTimespanSql(v.sql);
      if (v.type === 'dynamic') return fromDynamic(v.sql, 'timespan');
      if (v.type === 'int' || v.type === 'long') return castSql(v, 'long');
      if (v.type === 'real' || v.type === 'decimal') return `TRY_CAST(trunc(${v.sql}) AS BIGINT)`;
      return 'CAST(NULL AS BIGINT)';
    case 'guid':
      if (v.type === 'string') return `TRY_CAST(trim(${v.sql}) AS UUID)`;
      if (v.type === 'dynamic') return fromDynamic(v.sql, 'guid');
      return 'CAST(NULL AS UUID)';
    case 'dynamic':
      return v.type === 'string' ? parseJsonSql(v.sql) : toDynamicSql(v);
  }
}

function converter(name: string, to: KqlType): ScalarFn {
  return (args) => {
    arity(name, args, 1);
    return convertTo(args[0]!, to);
  };
}

/** `todecimal` keeps the SQL type Kusto.Language announced; the rest map one to one. */
export const conversionFunctions: Record<string, ScalarFn> = {
  tostring: converter('tostring', 'string'),
  toint: converter('toint', 'int'),
  tolong: converter('tolong', 'long'),
  toreal: converter('toreal', 'real'),
  todouble: converter('todouble', 'real'),
  tobool: converter('tobool', 'bool'),
  toboolean: converter('toboolean', 'bool'),
  todatetime: converter('todatetime', 'datetime'),
  totimespan: converter('totimespan', 'timespan'),
  totime: converter('totime', 'timespan'),
  todecimal: converter('todecimal', 'decimal'),
  toguid: converter('toguid', 'guid'),
  todynamic: converter('todynamic', 'dynamic'),
  toobject: converter('toobject', 'dynamic'),
  parse_json: converter('parse_json', 'dynamic'),
  parsejson: converter('parsejson', 'dynamic'),
  gettype: (args) => {
    arity('gettype', args, 1);
    const t = args[0]!.type;
    if (t !== 'dynamic') return str(t === 'real' ? 'real' : t === 'datetime' ? 'datetime' : t);
    return `(CASE json_type(${args[0]!.sql}) WHEN 'OBJECT' THEN 'dictionary' WHEN 'ARRAY' THEN 'array' WHEN 'VARCHAR' THEN 'string' WHEN 'BIGINT' THEN 'long' WHEN 'UBIGINT' THEN 'long' WHEN 'DOUBLE' THEN 'real' WHEN 'BOOLEAN' THEN 'bool' ELSE 'null' END)`;
  },
};
