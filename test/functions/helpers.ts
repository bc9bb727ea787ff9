import { after, before } from 'node:test';
/**
 * Test harness for the function library: builds SqlValue arguments from literals, runs the
 * generated SQL in a real in-memory DuckDB (with the kql_* UDFs) and reads the value back.
 */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { FnContext, SqlValue } from '../../src/engine/dialect.js';
import { aggregateFunctions, binaryOperators, scalarFunctions } from '../../src/engine/duckdb/functions/index.js';
import { sqlIdent, sqlString } from '../../src/engine/duckdb/sql-text.js';
import { registerUdfs, parseKustoTimespan } from '../../src/engine/duckdb/udfs/index.js';
import type { KqlType } from '../../src/kql/types.js';

const SQL_TYPES: Record<KqlType, string> = {
  bool: 'BOOLEAN', int: 'INTEGER', long: 'BIGINT', real: 'DOUBLE', decimal: 'DECIMAL(38,18)',
  string: 'VARCHAR', datetime: 'TIMESTAMP', timespan: 'BIGINT', guid: 'UUID', dynamic: 'JSON',
};

/** The IR's literal text of a JS value (numbers as text, timespans as ticks, dynamic as JSON). */
function irValue(type: KqlType, value: unknown): string | boolean | null {
  if (value === null || value === undefined) return null;
  if (type === 'bool') return Boolean(value);
  if (type === 'timespan' && typeof value === 'string' && !/^-?\d+$/.test(value)) return String(parseKustoTimespan(value));
  if (type === 'dynamic') return JSON.stringify(value);
  return String(value);
}

function sqlLiteral(type: KqlType, value: string | boolean | null): string {
  if (value === null) return type === 'string' ? "''" : `CAST(NULL AS ${SQL_TYPES[type]})`;
  switch (type) {
    case 'string':
      return sqlString(String(value));
    case 'bool':
      return value ? 'TRUE' : 'FALSE';
    case 'datetime':
      return `CAST(${sqlString(String(value).replace('T', ' ').replace('Z', ''))} AS TIMESTAMP)`;
    default:
      return `CAST(${sqlString(String(value))} AS ${SQL_TYPES[type]})`;
  }
}

/** A literal argument, as the compiler passes it (with `constant`). */
export function lit(type: KqlType, value: unknown): SqlValue {
  const v = irValue(type, value);
  return { sql: sqlLiteral(type, v), type, constant: { value: v } };
}

/** The same value as a non-constant expression, to exercise the per-row code paths. */
export function expr(type: KqlType, value: unknown): SqlValue {
  // Not foldable at plan time and no subquery (lambdas cannot capture subqueries).
  return { sql: `(CASE WHEN random() < 2 THEN ${sqlLiteral(type, irValue(type, value))} END)`, type };
}

/** A column of the aggregate test table. */
export const column = (name: string, type: KqlType): SqlValue => ({ sql: sqlIdent(name), type });

export const ctx: FnContext = {
  literal: (value, type) => sqlLiteral(type, irValue(type, value)),
  ident: sqlIdent,
  warn: () => {},
};

export function fn(name: string, args: SqlValue[], resultType: KqlType): SqlValue {
  const f = scalarFunctions.get(name);
  if (!f) throw new Error(`no scalar function ${name}`);
  return { sql: f(args, resultType, ctx), type: resultType };
}

export function op(name: string, args: SqlValue[], resultType: KqlType = 'bool'): SqlValue {
  const f = binaryOperators.get(name);
  if (!f) throw new Error(`no operator ${name}`);
  return { sql: f(args, resultType, ctx), type: resultType };
}

export function agg(name: string, args: SqlValue[], resultType: KqlType): string {
  const f = aggregateFunctions.get(name);
  if (!f) throw new Error(`no aggregate ${name}`);
  return f(args, resultType, ctx);
}

/** A JS value of a result: numbers for safe integers, strings for datetimes (µs precision). */
function normalise(value: unknown, jsonValue: unknown, sqlType: string): unknown {
  if (value === null) return null;
  if (sqlType.startsWith('TIMESTAMP')) return jsonValue;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  return value;
}

/** One Db per test file, closed after its tests. */
export function useDb(): () => Db {
  let db: Db | undefined;
  before(async () => {
    db = await Db.open();
  });
  after(() => db?.connection.closeSync());
  return () => db!;
}

export class Db {
  private constructor(readonly connection: DuckDBConnection) {}

  static async open(): Promise<Db> {
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    registerUdfs(connection);
    return new Db(connection);
  }

  async rows(sql: string): Promise<unknown[][]> {
    const reader = await this.connection.runAndReadAll(sql);
    const types = reader.columnTypes().map(String);
    const js = reader.getRowsJS();
    const json = reader.getRowsJson();
    return js.map((row, r) => row.map((v, c) => normalise(v, json[r]![c], types[c]!)));
  }

  /** Evaluates one expression. */
  async value(v: SqlValue | string): Promise<unknown> {
    const sql = typeof v === 'string' ? v : v.sql;
    return (await this.rows(`SELECT ${sql} AS v`))[0]![0];
  }

  /** The SQL type DuckDB infers for an expression (to check it matches the KQL type's column type). */
  async typeOf(v: SqlValue): Promise<string> {
    const reader = await this.connection.runAndReadAll(`SELECT ${v.sql} AS v`);
    return String(reader.columnTypes()[0]);
  }

  /** Creates table `t` with the given typed columns and rows of JS values. */
  async table(columns: [string, KqlType][], rows: unknown[][]): Promise<void> {
    await this.connection.run(`CREATE OR REPLACE TABLE t (${columns.map(([n, t]) => `${sqlIdent(n)} ${SQL_TYPES[t]}`).join(', ')})`);
    if (!rows.length) return;
    const values = rows.map((row) => `(${row.map((v, i) => lit(columns[i]![1], v).sql).join(', ')})`);
    await this.connection.run(`INSERT INTO t VALUES ${values.join(', ')}`);
  }

  /** Runs aggregates over table `t`, optionally grouped. */
  async aggregate(aggs: string[], groupBy?: string): Promise<unknown[][]> {
    const by = groupBy ? ` GROUP BY ${groupBy} ORDER BY ${groupBy}` : '';
    return this.rows(`SELECT ${groupBy ? `${groupBy}, ` : ''}${aggs.join(', ')} FROM t${by}`);
  }
}

export const json = (text: unknown): unknown => (typeof text === 'string' ? JSON.parse(text) : text);
