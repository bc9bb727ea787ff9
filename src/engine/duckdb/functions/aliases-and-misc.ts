/**
 * Deprecated aliases that name an existing function, and small functions that fit no family:
 * around, dynamic_to_json, treepath, replace_strings, datetime_list_timezones, estimate_data_size,
 * bin_auto.
 */
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { arity, str, unsupported } from './common.js';
import { convertTo, toStringSql } from './conversion.js';
import { arrayFunctions } from './arrays.js';
import { datetimeFunctions } from './datetime.js';
import { dynamicFunctions } from './dynamic.js';

const alias = (target: ScalarFn | undefined): ScalarFn => {
  if (!target) throw new Error('alias of a missing function');
  return target;
};

/** around(value, center, delta): center − delta ≤ value ≤ center + delta (numbers, datetimes, timespans). */
const around: ScalarFn = (args) => {
  arity('around', args, 3);
  const [value, center, delta] = args as [SqlValue, SqlValue, SqlValue];
  if (value.type === 'datetime') {
    const us = `to_microseconds(CAST(${convertTo(delta, 'timespan')} AS BIGINT) // 10)`;
    return `(${value.sql} BETWEEN ${convertTo(center, 'datetime')} - ${us} AND ${convertTo(center, 'datetime')} + ${us})`;
  }
  const num = (v: SqlValue) => (v.type === 'timespan' || v.type === 'long' || v.type === 'int' ? v.sql : `CAST(${convertTo(v, 'real')} AS DOUBLE)`);
  return `(${num(value)} BETWEEN ${num(center)} - ${num(delta)} AND ${num(center)} + ${num(delta)})`;
};

const dynamicToJson: ScalarFn = (args) => {
  arity('dynamic_to_json', args, 1);
  const d = args[0]!;
  if (d.type !== 'dynamic') return `coalesce(kql_canonical_json(CAST(to_json(${toStringSql(d)}) AS VARCHAR)), '')`;
  return `coalesce(kql_canonical_json(CAST(${d.sql} AS VARCHAR)), 'null')`;
};

const replaceStrings: ScalarFn = (args) => {
  arity('replace_strings', args, 3);
  const [text, lookups, rewrites] = args as [SqlValue, SqlValue, SqlValue];
  return `coalesce(kql_replace_strings(${toStringSql(text)}, CAST(${lookups.sql} AS VARCHAR), CAST(${rewrites.sql} AS VARCHAR)), '')`;
};

/** The IANA zones Node's tz database knows: a constant, so it is folded into the query. */
const listTimezones: ScalarFn = (args) => {
  arity('datetime_list_timezones', args, 0);
  return `CAST(${str(JSON.stringify(Intl.supportedValuesOf('timeZone')))} AS JSON)`;
};

const treepath: ScalarFn = (args) => {
  arity('treepath', args, 1);
  const d = args[0]!;
  if (d.type !== 'dynamic') return `CAST('[]' AS JSON)`;
  return `coalesce(CAST(kql_treepath(CAST(${d.sql} AS VARCHAR)) AS JSON), CAST('[]' AS JSON))`;
};

/** The bytes a value takes: fixed widths for scalars, UTF-8 length for text and dynamic JSON. */
function dataSize(v: SqlValue): string {
  switch (v.type) {
    case 'string': return `octet_length(encode(${v.sql}))`;
    case 'dynamic': return `coalesce(octet_length(encode(CAST(${v.sql} AS VARCHAR))), 0)`;
    case 'bool': return '1';
    case 'int': return '4';
    case 'guid': case 'decimal': return '16';
    default: return '8';
  }
}

/** estimate_data_size(c1, …) or (*): the sum of the values' sizes (estimate_data_size docs). */
const estimateDataSize: ScalarFn = (args) => {
  arity('estimate_data_size', args, 1, Infinity);
  return `CAST(${args.map(dataSize).join(' + ')} AS BIGINT)`;
};

/**
 * ingestion_time(): Kusto returns null for tables without an ingestion-time policy, which is
 * what every table is until ingestion records the time each row arrived.
 */
const ingestionTime: ScalarFn = (args) => {
  arity('ingestion_time', args, 0);
  return 'CAST(NULL AS TIMESTAMP)';
};

/** assert(condition, message): true, or the query fails with `message` when the condition is false. */
const assertFn: ScalarFn = (args) => {
  arity('assert', args, 2);
  const message = `'assert() failed: ' || ${toStringSql(args[1]!)}`;
  return `(CASE WHEN ${convertTo(args[0]!, 'bool')} THEN true ELSE error(${message}) END)`;
};

export const miscFunctions: Record<string, ScalarFn> = {
  assert: assertFn,
  ingestion_time: ingestionTime,
  array_strcat: alias(arrayFunctions.strcat_array),
  arraylength: alias(dynamicFunctions.array_length),
  make_string: alias(arrayFunctions.unicode_codepoints_to_string),
  datepart: alias(datetimeFunctions.datetime_part),
  around,
  dynamic_to_json: dynamicToJson,
  treepath,
  estimate_data_size: estimateDataSize,
  replace_strings: replaceStrings,
  datetime_list_timezones: listTimezones,
  bin_auto: () => unsupported('bin_auto', 'needs the query_bin_auto_size and query_bin_auto_at settings, which Quarry does not support; use bin() with an explicit size'),
};
