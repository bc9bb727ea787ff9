/**
 * Appends a batch to a WIDE table of which the batch fills few columns (SecurityEvent has ~230
 * columns; a 4624 event fills a dozen). The Appender sets every value of every column from JS,
 * one native call per string, synchronously on the main thread: for 500 such rows that is ~100,000
 * calls for empty strings. Here only the filled columns go through the Appender, into a temporary
 * staging table, and ONE `INSERT … SELECT` (run by DuckDB off the main thread) adds the rows with
 * '' / NULL in the other columns — the same values the Appender would have written. Inside the
 * caller's transaction, like appendColumns.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { SQL_TYPES } from '../engine/duckdb/functions/common.js';
import { sqlIdent } from '../engine/duckdb/sql-text.js';
import type { Column } from '../kql/types.js';
import { appendColumns } from './chunk-writer.js';
import type { StoredValue } from './values.js';

/** Below this many empty columns the plain Appender is cheaper than staging. */
const MIN_EMPTY_COLUMNS = 24;
/** Staging tables kept per connection (one per shape of filled columns). */
const MAX_STAGING_TABLES = 64;

const stagingNames = new WeakMap<DuckDBConnection, Map<string, string>>();

/** A column no row fills: every value missing, or '' in a string column (what the Appender would store). */
function isEmpty(values: readonly StoredValue[], column: Column, rowCount: number): boolean {
  for (let r = 0; r < rowCount; r++) {
    const v = values[r];
    if (v === null || v === undefined) continue;
    if (column.type === 'string' && v === '') continue;
    return false;
  }
  return true;
}

/** Appends `data` (one array per column of `columns`, as appendColumns takes it) to `table`. */
export async function appendRows(connection: DuckDBConnection, table: string, columns: readonly Column[], data: StoredValue[][], rowCount: number): Promise<void> {
  if (rowCount === 0) return;
  const filled: number[] = [];
  columns.forEach((c, i) => { if (!isEmpty(data[i]!, c, rowCount)) filled.push(i); });
  if (columns.length - filled.length < MIN_EMPTY_COLUMNS || filled.length === 0) {
    return appendColumns(connection, table, columns, data, rowCount);
  }
  const stagedColumns = filled.map((i) => columns[i]!);
  const staging = stagingTable(connection, stagedColumns);
  if (!staging) return appendColumns(connection, table, columns, data, rowCount);
  // IF NOT EXISTS every time: a rolled-back transaction takes a table it created with it.
  await connection.run(`CREATE TEMP TABLE IF NOT EXISTS ${sqlIdent(staging)} (${stagedColumns.map((c, k) => `${sqlIdent(`c${k}`)} ${SQL_TYPES[c.type]}`).join(', ')})`);
  await connection.run(`DELETE FROM temp.main.${sqlIdent(staging)}`);
  await appendColumns(connection, staging, stagedColumns, filled.map((i) => data[i]!), rowCount);
  const slot = new Map(filled.map((i, k) => [i, k]));
  const select = columns.map((c, i) => {
    const k = slot.get(i);
    return k !== undefined ? sqlIdent(`c${k}`) : c.type === 'string' ? "''" : `CAST(NULL AS ${SQL_TYPES[c.type]})`;
  });
  await connection.run(`INSERT INTO main.${sqlIdent(table)} (${columns.map((c) => sqlIdent(c.name)).join(', ')}) SELECT ${select.join(', ')} FROM temp.main.${sqlIdent(staging)}`);
  await connection.run(`DELETE FROM temp.main.${sqlIdent(staging)}`);
}

/** The staging table's name for this shape of columns (positional names c0, c1, … and their types). */
function stagingTable(connection: DuckDBConnection, columns: readonly Column[]): string | undefined {
  let names = stagingNames.get(connection);
  if (!names) stagingNames.set(connection, (names = new Map()));
  const shape = columns.map((c) => c.type).join(',');
  let name = names.get(shape);
  if (name === undefined) {
    if (names.size >= MAX_STAGING_TABLES) return undefined;
    // '$' is in no table name ingestion accepts, so the Appender's lookup finds this temporary table.
    name = `quarry$staging$${names.size}`;
    names.set(shape, name);
  }
  return name;
}
