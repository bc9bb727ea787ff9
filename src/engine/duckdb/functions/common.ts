/**
 * Small helpers shared by the DuckDB function library: SQL types, constants, errors.
 * See docs/value-representation.md for how each KQL type is stored.
 */
import { KqlError } from '../../../kql/diagnostics.js';
import type { KqlType } from '../../../kql/types.js';
import type { SqlValue } from '../../dialect.js';
import { sqlString } from '../sql-text.js';

export const SQL_TYPES: Record<KqlType, string> = {
  bool: 'BOOLEAN', int: 'INTEGER', long: 'BIGINT', real: 'DOUBLE', decimal: 'DECIMAL(38,18)',
  string: 'VARCHAR', datetime: 'TIMESTAMP', timespan: 'BIGINT', guid: 'UUID', dynamic: 'JSON',
};

/** Microseconds from 0001-01-01 (the origin of Kusto's ticks) to the Unix epoch. */
export const US_FROM_YEAR_1_TO_EPOCH = 62_135_596_800_000_000n;

export function unsupported(fn: string, why: string): never {
  throw new KqlError('unsupported', `function ${fn}(): ${why}`);
}

export function arity(fn: string, args: SqlValue[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    unsupported(fn, `expects ${want} argument(s), got ${args.length}`);
  }
}

/** The JS value of a literal argument; `undefined` when the argument is not a constant. */
export function constantOf(v: SqlValue | undefined): unknown {
  return v?.constant ? v.constant.value : undefined;
}

/** A literal string argument (the IR keeps literal values as text). */
export function constString(v: SqlValue | undefined): string | undefined {
  const c = constantOf(v);
  return typeof c === 'string' ? c : undefined;
}

/** A literal numeric argument (literal numbers arrive as decimal text). */
export function constNumber(v: SqlValue | undefined): number | undefined {
  const c = constantOf(v);
  if (typeof c === 'number') return c;
  if (typeof c === 'bigint') return Number(c);
  if (typeof c === 'string' && c.trim() !== '' && !Number.isNaN(Number(c))) return Number(c);
  return undefined;
}

/** True when the argument is the literal null of its type (`int(null)`). */
export function isNullLiteral(v: SqlValue): boolean {
  return v.constant !== undefined && v.constant.value === null;
}

/** A SQL string literal through the audited escaping function. */
export const str = (text: string): string => sqlString(text);

export const isIntegral = (t: KqlType): boolean => t === 'int' || t === 'long';

/** `CAST(sql AS <type>)` unless the value already has that SQL type. */
export function castSql(v: SqlValue, to: KqlType): string {
  if (SQL_TYPES[v.type] === SQL_TYPES[to]) return v.sql;
  return `CAST(${v.sql} AS ${SQL_TYPES[to]})`;
}

/** Floor division and modulo for BIGINT (DuckDB's `//` and `%` truncate toward zero). */
export function floorMod(a: string, b: string): string {
  return `(((${a}) % (${b}) + (${b})) % (${b}))`;
}

/** RE2 escaping of a literal text, so it matches itself inside a pattern. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}
