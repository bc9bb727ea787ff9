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
import { SQL_TYPES } from '../engine/duckdb/functions/common.js';
import { sqlIdent, sqlString } from '../engine/duckdb/sql-text.js';
import type { Column, KqlType } from '../kql/types.js';
import { readHead } from './input.js';
import { TIME_RECEIVED } from './table-schema.js';

/** The error a line that needs per-record handling raises inside the INSERT. */
const NOT_CLEAN = 'quarry: record needs per-record ingestion';
const ISO_NO_OFFSET = '\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?Z?';
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
// A JSON string fragment whose text, after leading white space (or escapes that may be white
// space), opens an object or array: coerce() stores such text as that object or array.
const JSON_TEXT_IN_STRING = '^"(\\s|\\\\[bfnrt/]|\\\\u[0-9a-fA-F]{4})*[\\[{]';

/** The keys, in order, of the file's first record, when its first 1 MiB holds it whole. */
async function firstRecordKeys(file: string): Promise<string[] | undefined> {
  const head = await readHead(file, 1 << 20, false);
  let start = 0;
  for (;;) {
    const end = head.indexOf(0x0a, start);
    if (end === -1) return undefined;
    const text = head.toString('utf8', start, end).trim();
    if (text !== '') {
      try {
        const value: unknown = JSON.parse(text);
        // JS orders integer-like keys first: such a shape never matches, which is only slower.
        return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : undefined;
      } catch {
        return undefined;
      }
    }
    start = end + 1;
  }
}

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
 * fragment `f` (SQL NULL when absent or null; its first byte tells its JSON type: `"` string,
 * `{`/`[` object or array, `t`/`f` boolean, else a number), its text `s` (the string's text for
 * text types, else the fragment itself) and its value `v` as the column's type (TRY_CAST of the
 * text). starts_with compares bytes; left() would decode characters.
 */
function fits(type: KqlType, slot: Slot): string {
  const { f, s, v } = slot;
  const isString = `starts_with(${f}, '"')`;
  let ok: string;
  switch (type) {
    case 'string': ok = isString; break;
    // The integer's own digits, read back unchanged: not a fraction, exponent or out of range.
    case 'int': case 'long': ok = `CAST(${v} AS VARCHAR) = ${s}`; break;
    // A number: not a string, and its text reads as a finite double (true, {…}, NaN do not).
    case 'real': ok = `NOT ${isString} AND isfinite(${v})`; break;
    case 'bool': ok = `${f} IN ('true', 'false')`; break;
    case 'datetime': ok = `${isString} AND ${v} IS NOT NULL AND regexp_full_match(${s}, ${sqlString(ISO_NO_OFFSET)})`; break;
    case 'guid': ok = `${isString} AND regexp_full_match(${s}, ${sqlString(UUID)})`; break;
    // A string holding JSON object text becomes that object on the general path: leave those to it.
    case 'dynamic': ok = `(NOT ${isString} OR NOT regexp_matches(${f}, ${sqlString(JSON_TEXT_IN_STRING)}))`; break;
    default: ok = 'false'; // timespan and decimal text: the general path converts them
  }
  return `(${f} IS NULL OR (${ok}))`;
}

/** One field's SQL column names: JSON fragment, text, typed value. */
interface Slot { f: string; s: string; v: string }

/** The field's value as its column's type, from its text (the fragment itself for dynamic). */
function typedSql(type: KqlType, slot: Slot): string {
  switch (type) {
    case 'string': return slot.s;
    case 'dynamic': return slot.f;
    case 'int': case 'long': case 'real': case 'bool': case 'datetime': case 'guid': return `TRY_CAST(${slot.s} AS ${SQL_TYPES[type]})`;
    default: return 'NULL';
  }
}

function valueSql(column: Column, slot: Slot | undefined, receivedSql: string, table: string): string {
  const name = column.name;
  if (name === 'Type') return sqlString(table);
  if (name === '_ItemId') return 'CAST(uuid() AS VARCHAR)';
  if (name === TIME_RECEIVED) return receivedSql;
  if (slot === undefined) return name === 'TimeGenerated' ? receivedSql : column.type === 'string' ? "''" : 'NULL';
  if (column.type === 'string') return `coalesce(${slot.v}, '')`;
  if (name === 'TimeGenerated' && column.type === 'datetime') return `coalesce(${slot.v}, ${receivedSql})`;
  return slot.v;
}

/** Column types whose value is the fragment's JSON string (the others read the fragment's own text). */
const TEXT_TYPES: ReadonlySet<KqlType> = new Set(['string', 'datetime', 'guid']);

/**
 * The INSERT … SELECT that reads, checks and stores `file` in `table` (whose stored columns are
 * `columns`); it raises NOT_CLEAN at the first line that needs per-record handling.
 * `shape`: the keys, in order, most lines are expected to have (the first line's); a line with
 * exactly those keys is checked and read by position instead of key by key.
 */
export function stagedNdjsonSql(
  file: string, table: string, columns: readonly Column[], mapping: Readonly<Record<string, string>> | undefined, receivedMicros: bigint,
  shape?: readonly string[],
): string {
  // The JSON key each column is read from: its name, or the source field --map sends to it.
  const reverse = new Map<string, string>();
  for (const [src, dest] of Object.entries(mapping ?? {})) reverse.set(dest.toLowerCase(), src);
  const read: Array<{ column: Column; key: string; slot: Slot }> = [];
  for (const column of columns) {
    if (column.name === 'Type' || column.name === '_ItemId' || column.name === TIME_RECEIVED) continue;
    const i = read.length;
    read.push({ column, key: reverse.get(column.name.toLowerCase()) ?? column.name, slot: { f: `f${i}`, s: `s${i}`, v: `v${i}` } });
  }
  const slots = new Map(read.map((r) => [r.column.name, r.slot]));
  const receivedSql = `make_timestamp(${receivedMicros.toString()})`;
  const values = columns.map((c) => valueSql(c, slots.get(c.name), receivedSql, table));
  const list = (items: string[]) => items.map((x) => `, ${x}`).join('');
  // j[key] is the field's JSON fragment (SQL NULL when absent or null). A line is clean when it
  // is an object all of whose keys are read, each once (as many entries as keys found), and
  // each value fits its column as it is.
  const found = read.length ? read.map((r) => `map_contains(j, ${sqlString(r.key)})::INTEGER`).join(' + ') : '0';
  const clean = ['keys_ok', ...read.map((r) => fits(r.column.type, r.slot))].join(' AND ');
  // A line whose keys are the shape's (all read, none repeated) needs neither the count nor a
  // search per key: its values are at known positions.
  const keys = new Set(read.map((r) => r.key));
  const usable = shape && shape.every((k) => keys.has(k)) && new Set(shape).size === shape.length ? shape : undefined;
  const position = new Map(usable?.map((k, i) => [k, i + 1]));
  const same = usable ? `map_keys(j) = [${usable.map(sqlString).join(', ')}]::VARCHAR[]` : 'false';
  const fragment = (key: string) => {
    const p = position.get(key);
    return `CASE WHEN same THEN ${p === undefined ? 'CAST(NULL AS JSON)' : `map_values(j)[${p}]`} ELSE j[${sqlString(key)}] END`;
  };
  // Each step is its own projection, never a filter: DuckDB pushes a filter's expressions down
  // into the projection below, which would then parse each line once per reference.
  // A line that needs per-record handling raises an error, which undoes the statement; the
  // caller then rolls back and takes the general path.
  return `INSERT INTO ${sqlIdent(table)} (${columns.map((c) => sqlIdent(c.name)).join(', ')})
    SELECT CASE WHEN ok THEN ${values[0]} END${list(values.slice(1))} FROM (
      SELECT CASE WHEN ${clean} THEN true ELSE error(${sqlString(NOT_CLEAN)}) END AS ok${list(read.map((r) => r.slot.v))} FROM (
       SELECT keys_ok${list(read.map(({ column, slot }) => `${slot.f}, ${slot.s}, ${typedSql(column.type, slot)} AS ${slot.v}`))} FROM (
        SELECT keys_ok${list(read.map(({ column, slot: { f, s } }) =>
          `${f}, ${TEXT_TYPES.has(column.type) ? `(${f}->>'$')` : `CAST(${f} AS VARCHAR)`} AS ${s}`))} FROM (
          SELECT CASE WHEN same THEN true ELSE cardinality(j) = ${found} END AS keys_ok${list(read.map((r) => `${fragment(r.key)} AS ${r.slot.f}`))} FROM (
            SELECT j, ${same} AS same
              FROM read_json(${sqlString(file)}, format = 'newline_delimited', records = false, columns = {j: 'MAP(VARCHAR, JSON)'}))))))`;
}

/**
 * Stages and checks `file` (plain, not gzip: the caller checks); when every line passes, inserts it into `table` (whose stored
 * columns are `columns`) and returns the row count, else returns undefined having written
 * nothing. Runs inside the caller's transaction.
 */
export async function importStagedNdjson(
  connection: DuckDBConnection, file: string, table: string, columns: readonly Column[],
  mapping: Readonly<Record<string, string>> | undefined, receivedMicros: bigint,
): Promise<number | undefined> {
  const sql = stagedNdjsonSql(file, table, columns, mapping, receivedMicros, await firstRecordKeys(file));
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
