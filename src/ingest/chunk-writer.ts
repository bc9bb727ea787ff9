/**
 * Appends typed column arrays to a DuckDB table through the Appender, one data chunk (2,048
 * rows, DuckDB's vector size) at a time: far faster than row-by-row appends or INSERTs.
 * The appender joins the connection's open transaction, so a batch commits or rolls back whole.
 */
import {
  BIGINT, BOOLEAN, DOUBLE, DuckDBDataChunk, INTEGER, TIMESTAMP, VARCHAR, timestampValue,
  type DuckDBConnection, type DuckDBType, type DuckDBValue,
} from '@duckdb/node-api';
import type { Column, KqlType } from '../kql/types.js';
import type { StoredValue } from './values.js';

const CHUNK_ROWS = 2048;

// guid, dynamic and decimal travel as text; the appender casts them to UUID, JSON, DECIMAL.
const CHUNK_TYPES: Record<KqlType, DuckDBType> = {
  bool: BOOLEAN, int: INTEGER, long: BIGINT, real: DOUBLE, decimal: VARCHAR, string: VARCHAR,
  datetime: TIMESTAMP, timespan: BIGINT, guid: VARCHAR, dynamic: VARCHAR,
};

/** Appends `columns[i][row]` (values as `coerce` returns them) for the table's columns in order. */
export async function appendColumns(connection: DuckDBConnection, table: string, columns: readonly Column[], data: StoredValue[][], rowCount: number): Promise<void> {
  if (rowCount === 0) return;
  const appender = await connection.createAppender(table);
  try {
    const types = columns.map((c) => CHUNK_TYPES[c.type]);
    for (let start = 0; start < rowCount; start += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, rowCount - start);
      const chunk = DuckDBDataChunk.create(types, n);
      for (let c = 0; c < columns.length; c++) {
        chunk.setColumnValues(c, slice(data[c]!, start, n, columns[c]!.type));
      }
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

function slice(values: StoredValue[], start: number, n: number, type: KqlType): DuckDBValue[] {
  const out: DuckDBValue[] = new Array(n);
  if (type === 'datetime') {
    for (let i = 0; i < n; i++) {
      const v = values[start + i];
      out[i] = v === null || v === undefined ? null : timestampValue(v as bigint);
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const v = values[start + i];
    out[i] = v === undefined ? null : (v as DuckDBValue);
  }
  return out;
}
