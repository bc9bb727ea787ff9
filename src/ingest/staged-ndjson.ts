/**
 * The fast path for NDJSON files into a table whose columns are all known (standard or
 * declared): DuckDB reads the file itself (read_json_objects, in parallel) in one INSERT …
 * SELECT that checks every line is a JSON object whose fields all have columns and whose
 * values need no conversion Quarry would do differently. When any line
 * fails the check (invalid JSON or UTF-8, a non-object, an unknown field, a value of another
 * type, a time with a zone offset, …) the caller rolls back and reads the file record by record,
 * so rejections and conflicts are reported exactly as on the general path.
 */
import { open } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlIdent, sqlString } from '../engine/duckdb/sql-text.js';
import type { Column, KqlType } from '../kql/types.js';
import { TIME_RECEIVED } from './table-schema.js';

/** The error a line that needs per-record handling raises inside the INSERT. */
const NOT_CLEAN = 'quarry: record needs per-record ingestion';
const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ISO_NO_OFFSET = '\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?Z?';
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

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

/** The SQL test that a field (JSON type `t`, text `v`) converts to `type` exactly as coerce() would. */
function fits(type: KqlType, t: string, v: string): string {
  const missing = `(${t} IS NULL OR ${t} = 'NULL')`;
  let ok: string;
  switch (type) {
    case 'string': ok = `${t} = 'VARCHAR'`; break;
    case 'int': ok = `${t} IN ('BIGINT', 'UBIGINT') AND TRY_CAST(${v} AS INTEGER) IS NOT NULL`; break;
    case 'long': ok = `${t} IN ('BIGINT', 'UBIGINT') AND TRY_CAST(${v} AS BIGINT) IS NOT NULL`; break;
    case 'real': ok = `${t} IN ('BIGINT', 'UBIGINT', 'DOUBLE')`; break;
    case 'bool': ok = `${t} = 'BOOLEAN'`; break;
    case 'datetime': ok = `${t} = 'VARCHAR' AND regexp_full_match(${v}, ${sqlString(ISO_NO_OFFSET)}) AND TRY_CAST(${v} AS TIMESTAMP) IS NOT NULL`; break;
    case 'guid': ok = `${t} = 'VARCHAR' AND regexp_full_match(${v}, ${sqlString(UUID)})`; break;
    // A string holding JSON object text becomes that object on the general path: leave those to it.
    case 'dynamic': ok = `(${t} <> 'VARCHAR' OR NOT regexp_matches(${v}, '^\\s*[\\[{]'))`; break;
    default: ok = 'false'; // timespan and decimal text: the general path converts them
  }
  return `(${missing} OR (${ok}))`;
}

interface Slot { t: string; v: string; d: string }

function valueSql(column: Column, slot: Slot | undefined, receivedSql: string, table: string): string {
  const name = column.name;
  if (name === 'Type') return sqlString(table);
  if (name === '_ItemId') return 'CAST(uuid() AS VARCHAR)';
  if (name === TIME_RECEIVED) return receivedSql;
  if (slot === undefined) return name === 'TimeGenerated' ? receivedSql : column.type === 'string' ? "''" : 'NULL';
  const v = slot.v;
  switch (column.type) {
    case 'string': return `coalesce(${v}, '')`;
    case 'int': return `CAST(${v} AS INTEGER)`;
    case 'long': return `CAST(${v} AS BIGINT)`;
    case 'real': return `CAST(${v} AS DOUBLE)`;
    case 'bool': return `CAST(${v} AS BOOLEAN)`;
    case 'datetime': return name === 'TimeGenerated' ? `coalesce(CAST(${v} AS TIMESTAMP), ${receivedSql})` : `CAST(${v} AS TIMESTAMP)`;
    case 'guid': return `CAST(${v} AS UUID)`;
    case 'dynamic': return `CASE WHEN coalesce(${slot.t}, 'NULL') = 'NULL' THEN NULL ELSE ${slot.d} END`;
    default: return 'NULL';
  }
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
  const expected = gzip ? undefined : await countRecordLines(file);
  if (expected === undefined) return undefined; // gzip: line count unknown without a second decompression
  // The JSON key each column is read from: its name, or the source field --map sends to it.
  const reverse = new Map<string, string>();
  for (const [src, dest] of Object.entries(mapping ?? {})) reverse.set(dest.toLowerCase(), src);
  const read: Array<{ column: Column; key: string }> = [];
  for (const column of columns) {
    if (column.name === 'Type' || column.name === '_ItemId' || column.name === TIME_RECEIVED) continue;
    const key = reverse.get(column.name.toLowerCase()) ?? column.name;
    if (SIMPLE_KEY.test(key)) read.push({ column, key });
  }
  const keyList = `[${read.map((r) => sqlString(r.key)).join(', ')}]::VARCHAR[]`;
  const pathList = `[${read.map((r) => sqlString(`$.${r.key}`)).join(', ')}]::VARCHAR[]`;
  const slots = new Map<string, Slot>();
  // Each field's JSON fragment is v[i]; its type and text come from that small fragment.
  read.forEach((r, i) => slots.set(r.column.name, { t: `json_type(v[${i + 1}])`, v: `(v[${i + 1}]->>'$')`, d: `v[${i + 1}]` }));
  const checks = read.map((r) => fits(r.column.type, slots.get(r.column.name)!.t, slots.get(r.column.name)!.v));
  const receivedSql = `make_timestamp(${receivedMicros.toString()})`;
  const select = columns.map((c) => valueSql(c, slots.get(c.name), receivedSql, table)).join(', ');
  // One parallel pass: each line parsed into its fields' JSON types and texts, checked, and
  // inserted. A line that needs per-record handling raises an error, which undoes the
  // statement; the caller then rolls back and takes the general path.
  const clean = ['known', ...checks].join(' AND ');
  try {
    const result = await connection.run(
      `INSERT INTO ${sqlIdent(table)} (${columns.map((c) => sqlIdent(c.name)).join(', ')})
       SELECT ${select} FROM (
         SELECT json IS NOT NULL AND starts_with(ltrim(CAST(json AS VARCHAR)), '{') AS object,
                list_has_all(${keyList}, json_keys(json)) AS known,
                json_extract(json, ${pathList}) AS v
           FROM read_json_objects(${sqlString(file)}, format = 'newline_delimited', ignore_errors = true))
       WHERE CASE WHEN object AND ${clean} THEN true ELSE error(${sqlString(NOT_CLEAN)}) END`,
    );
    const n = result.rowsChanged;
    return n === expected ? n : undefined;
  } catch (err) {
    if ((err as Error).message.includes(NOT_CLEAN)) return undefined;
    throw err;
  }
}
