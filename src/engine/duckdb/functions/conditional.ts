/**
 * Conditional and null-handling functions: iff/iif, case, coalesce, isempty/isnull and their
 * negations, min_of/max_of, not.
 */
import type { KqlType } from '../../../kql/types.js';
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { SQL_TYPES, arity, unsupported } from './common.js';
import { convertTo } from './conversion.js';
import { toDynamicSql } from './dynamic.js';

/** A branch value in the SQL type of the announced result, so every CASE branch agrees. */
export function asResultType(v: SqlValue, result: KqlType): string {
  if (v.type === result) return v.sql;
  if (result === 'dynamic') return toDynamicSql(v);
  if (result === 'string') return convertTo(v, 'string');
  if (v.constant && v.constant.value === null) return `CAST(NULL AS ${SQL_TYPES[result]})`;
  if (v.type === 'dynamic') return convertTo(v, result);
  return `CAST(${v.sql} AS ${SQL_TYPES[result]})`;
}

/** A condition: non-bool values (a dynamic bool) are converted; null counts as false. */
function condition(v: SqlValue): string {
  return v.type === 'bool' ? v.sql : convertTo(v, 'bool');
}

const iff: ScalarFn = (args, result) => {
  arity('iff', args, 3);
  return `(CASE WHEN ${condition(args[0]!)} THEN ${asResultType(args[1]!, result)} ELSE ${asResultType(args[2]!, result)} END)`;
};

const caseFn: ScalarFn = (args, result) => {
  if (args.length < 3 || args.length % 2 === 0) unsupported('case', 'expects condition/value pairs and an else value');
  const whens: string[] = [];
  for (let i = 0; i + 1 < args.length; i += 2) whens.push(`WHEN ${condition(args[i]!)} THEN ${asResultType(args[i + 1]!, result)}`);
  return `(CASE ${whens.join(' ')} ELSE ${asResultType(args[args.length - 1]!, result)} END)`;
};

/** JSON null and SQL NULL are both null for dynamic values. */
function sqlNullIfJsonNull(v: SqlValue): string {
  return v.type === 'dynamic' ? `(CASE WHEN json_type(${v.sql}) = 'NULL' THEN NULL ELSE ${v.sql} END)` : v.sql;
}

/** Kusto's coalesce skips nulls, and for strings also empty strings. */
const coalesceFn: ScalarFn = (args, result) => {
  arity('coalesce', args, 1, Infinity);
  if (result === 'string') return `coalesce(${args.map((a) => `nullif(${asResultType(a, 'string')}, '')`).join(', ')}, '')`;
  return `coalesce(${args.map((a) => sqlNullIfJsonNull({ sql: asResultType(a, result), type: result })).join(', ')})`;
};

export function isNullSql(v: SqlValue): string {
  if (v.type === 'string') return 'false';
  if (v.type === 'dynamic') return `coalesce(json_type(${v.sql}) = 'NULL', true)`;
  return `(${v.sql} IS NULL)`;
}

export function isEmptySql(v: SqlValue): string {
  if (v.type === 'string') return `coalesce(${v.sql} = '', true)`;
  if (v.type === 'dynamic') return `coalesce(json_type(${v.sql}) = 'NULL' OR (json_type(${v.sql}) = 'VARCHAR' AND (${v.sql} ->> '$') = ''), true)`;
  return `(${v.sql} IS NULL)`;
}

const predicate = (name: string, body: (v: SqlValue) => string, negate: boolean): ScalarFn => (args) => {
  arity(name, args, 1);
  const sql = body(args[0]!);
  return negate ? `(NOT ${sql})` : sql;
};

/** min_of/max_of ignore null arguments (DuckDB's least/greatest do too). */
const extremum = (name: string, fn: 'least' | 'greatest'): ScalarFn => (args, result) => {
  arity(name, args, 1, Infinity);
  return `${fn}(${args.map((a) => asResultType(a, result)).join(', ')})`;
};

export const conditionalFunctions: Record<string, ScalarFn> = {
  iff,
  iif: iff,
  case: caseFn,
  coalesce: coalesceFn,
  isnull: predicate('isnull', isNullSql, false),
  isnotnull: predicate('isnotnull', isNullSql, true),
  notnull: predicate('notnull', isNullSql, true),
  isempty: predicate('isempty', isEmptySql, false),
  isnotempty: predicate('isnotempty', isEmptySql, true),
  notempty: predicate('notempty', isEmptySql, true),
  min_of: extremum('min_of', 'least'),
  max_of: extremum('max_of', 'greatest'),
  not: (args) => {
    arity('not', args, 1);
    return `(NOT ${condition(args[0]!)})`;
  },
};
