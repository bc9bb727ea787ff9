/**
 * The fast path for NDJSON files into a table whose columns are all known (standard or
 * declared): DuckDB reads the file itself (read_json, in parallel, each line parsed once into
 * a map of key → JSON fragment) in one INSERT … SELECT that checks every line is a JSON object
 * whose fields all have columns and whose values need no conversion Quarry would do
 * differently. When any line fails the check (invalid JSON or UTF-8, a non-object, an unknown
 * or repeated field, a value of another type, a time with a zone offset, …) the caller rolls
 * back and reads the file record by record, so rejections and conflicts are reported exactly as
 * on the general path.
 */
import { open } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlIdent, sqlString } from '../engine/duckdb/sql-text.js';
import type { Column, KqlType } from '../kql/types.js';
import { TIME_RECEIVED } from './table-schema.js';

/** The error a line that needs per-record handling raises inside the INSERT. */
const NOT_CLEAN = 'quarry: record needs per-record ingestion';
const ISO_NO_OFFSET = '\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?Z?';
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
// A JSON string fragment whose text, after leading white space (or escapes that may be white
// space), opens an object or array: coerce() stores such text as that object or array.
const JSON_TEXT_IN_STRING = '^"(\\s|\\\\[bfnrt/]|\\\\u[0-9a-fA-F]{4})*[\\[{]';

/** Non-blank lines of a plain (not gzip) file, counted on the bytes. */
export async function countRecordLines(file: string): Promise<number> {
  const handle = await open(file, 'r');
  let count = 0;
  let inLine = false;
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      let i = 0;
      while (i < bytesRead) {
        if (!inLine) {
          const b = buf[i]!;
          if (b === 0x0a || b === 0x20 || b === 0x09 || b === 0x0d) { i++; continue; }
          inLine = true;
          count++;
        }
        const nl = buf.indexOf(0x0a, i);
        if (nl === -1 || nl >= bytesRead) break;
        inLine = false;
        i = nl + 1;
      }
    }
  } finally {
    await handle.close();
  }
  return count;
}

/**
 * The SQL test that a field converts to `type` exactly as coerce() would, from its JSON
 * fragment `f` (SQL NULL when absent or null), the fragment's first character `c` (its JSON
 * type: `"` string, `t`/`f` boolean, a digit or `-` number, `{`/`[` object or array) and its
 * text `s` (the string's text for text types, else the fragment itself).
 */
function fits(type: KqlType, slot: Slot): string {
  const { f, c, s } = slot;
  let ok: string;
  switch (type) {
    case 'string': ok = `${c} = '"'`; break;
    // The integer's own digits, read back unchanged: not a fraction, exponent or out of range.
    case 'int': ok = `CAST(TRY_CAST(${s} AS INTEGER) AS VARCHAR) = ${s}`; break;
    case 'long': ok = `CAST(TRY_CAST(${s} AS BIGINT) AS VARCHAR) = ${s}`; break;
    case 'real': ok = `(${c} = '-' OR ${c} BETWEEN '0' AND '9')`; break;
    case 'bool': ok = `${c} IN ('t', 'f')`; break;
    case 'datetime': ok = `${c} = '"' AND regexp_full_match(${s}, ${sqlString(ISO_NO_OFFSET)}) AND TRY_CAST(${s} AS TIMESTAMP) IS NOT NULL`; break;
    case 'guid': ok = `${c} = '"' AND regexp_full_match(${s}, ${sqlString(UUID)})`; break;
    // A string holding JSON object text becomes that object on the general path: leave those to it.
    case 'dynamic': ok = `(${c} <> '"' OR NOT regexp_matches(${f}, ${sqlString(JSON_TEXT_IN_STRING)}))`; break;
    default: ok = 'false'; // timespan and decimal text: the general path converts them
  }
  return `(${f} IS NULL OR (${ok}))`;
}

/** One field's SQL column names: JSON fragment, first character, text. */
interface Slot { f: string; c: string; s: string }

function valueSql(column: Column, slot: Slot | undefined, receivedSql: string, table: string): string {
  const name = column.name;
  if (name === 'Type') return sqlString(table);
  if (name === '_ItemId') return 'CAST(uuid() AS VARCHAR)';
  if (name === TIME_RECEIVED) return receivedSql;
  if (slot === undefined) return name === 'TimeGenerated' ? receivedSql : column.type === 'string' ? "''" : 'NULL';
  const s = slot.s;
  switch (column.type) {
    case 'string': return `coalesce(${s}, '')`;
    case 'int': return `CAST(${s} AS INTEGER)`;
    case 'long': return `CAST(${s} AS BIGINT)`;
    case 'real': return `CAST(${s} AS DOUBLE)`;
    case 'bool': return `CAST(${s} AS BOOLEAN)`;
    case 'datetime': return name === 'TimeGenerated' ? `coalesce(CAST(${s} AS TIMESTAMP), ${receivedSql})` : `CAST(${s} AS TIMESTAMP)`;
    case 'guid': return `CAST(${s} AS UUID)`;
    case 'dynamic': return slot.f;
    default: return 'NULL';
  }
}

/** Column types whose value is the fragment's JSON string (the others read the fragment's own text). */
const TEXT_TYPES: ReadonlySet<KqlType> = new Set(['string', 'datetime', 'guid']);

/**
 * The INSERT … SELECT that reads, checks and stores `file` in `table` (whose stored columns are
 * `columns`); it raises NOT_CLEAN at the first line that needs per-record handling.
 */
export function stagedNdjsonSql(
  file: string, table: string, columns: readonly Column[], mapping: Readonly<Record<string, string>> | undefined, receivedMicros: bigint,
): string {
  // The JSON key each column is read from: its name, or the source field --map sends to it.
  const reverse = new Map<string, string>();
  for (const [src, dest] of Object.entries(mapping ?? {})) reverse.set(dest.toLowerCase(), src);
  const read: Array<{ column: Column; key: string; slot: Slot }> = [];
  for (const column of columns) {
    if (column.name === 'Type' || column.name === '_ItemId' || column.name === TIME_RECEIVED) continue;
    const i = read.length;
    read.push({ column, key: reverse.get(column.name.toLowerCase()) ?? column.name, slot: { f: `f${i}`, c: `c${i}`, s: `s${i}` } });
  }
  const slots = new Map(read.map((r) => [r.column.name, r.slot]));
  const receivedSql = `make_timestamp(${receivedMicros.toString()})`;
  const values = columns.map((c) => valueSql(c, slots.get(c.name), receivedSql, table));
  const list = (items: string[]) => items.map((x) => `, ${x}`).join('');
  // j[key] is the field's JSON fragment (SQL NULL when absent or null). A line is clean when it
  // is an object all of whose keys are read, each once (as many entries as keys found), and
  // each value fits its column as it is.
  const found = read.length ? read.map((r) => `map_contains(j, ${sqlString(r.key)})::INTEGER`).join(' + ') : '0';
  const clean = ['entries = found', ...read.map((r) => fits(r.column.type, r.slot))].join(' AND ');
  // Each step is its own projection, never a filter: DuckDB pushes a filter's expressions down
  // into the projection below, which would then parse each line once per reference.
  // A line that needs per-record handling raises an error, which undoes the statement; the
  // caller then rolls back and takes the general path.
  return `INSERT INTO ${sqlIdent(table)} (${columns.map((c) => sqlIdent(c.name)).join(', ')})
    SELECT CASE WHEN ok THEN ${values[0]} END${list(values.slice(1))} FROM (
      SELECT CASE WHEN ${clean} THEN true ELSE error(${sqlString(NOT_CLEAN)}) END AS ok${list(read.map((r) => `${r.slot.f}, ${r.slot.s}`))} FROM (
        SELECT entries, found${list(read.map(({ column, slot: { f, c, s } }) =>
          `${f}, left(${f}, 1) AS ${c}, ${TEXT_TYPES.has(column.type) ? `(${f}->>'$')` : `CAST(${f} AS VARCHAR)`} AS ${s}`))} FROM (
          SELECT cardinality(j) AS entries, ${found} AS found${list(read.map((r) => `j[${sqlString(r.key)}] AS ${r.slot.f}`))}
            FROM read_json(${sqlString(file)}, format = 'newline_delimited', records = false, columns = {j: 'MAP(VARCHAR, JSON)'}))))`;
}

/**
 * Stages and checks `file`; when every line passes, inserts it into `table` (whose stored
 * columns are `columns`) and returns the row count, else returns undefined having written
 * nothing. Runs inside the caller's transaction.
 */
export async function importStagedNdjson(
  connection: DuckDBConnection, file: string, gzip: boolean, table: string, columns: readonly Column[],
  mapping: Readonly<Record<string, string>> | undefined, receivedMicros: bigint,
): Promise<number | undefined> {
  if (gzip) return undefined; // the line count below would need a second decompression
  const sql = stagedNdjsonSql(file, table, columns, mapping, receivedMicros);
  // Lines are counted (in JS) while DuckDB reads: a line read_json skipped would show here.
  const counting = countRecordLines(file);
  counting.catch(() => undefined);
  let stored: number;
  try {
    stored = (await connection.run(sql)).rowsChanged;
  } catch (err) {
    await counting.catch(() => undefined);
    if ((err as Error).message.includes(NOT_CLEAN)) return undefined;
    throw err;
  }
  return stored === (await counting) ? stored : undefined;
}
