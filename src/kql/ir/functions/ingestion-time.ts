/**
 * ingestion_time(): the time the row was received, which Quarry's ingestion stores in the
 * `_TimeReceived` column (src/ingest/table-schema.ts; Azure Monitor's own name for it). Rows
 * without that column in scope (a projection dropped it, or the table was not filled by
 * ingestion) get null, as Kusto gives for tables without an ingestion-time policy.
 */
import type { Column } from '../../types.js';
import type { Expr } from '../ir.js';

export const INGESTION_TIME_COLUMN = '_TimeReceived';

/** The column reference, or undefined to fall back to the function library's null. */
export function ingestionTimeExpr(rowColumns: Column[]): Expr | undefined {
  const column = rowColumns.find((c) => c.name === INGESTION_TIME_COLUMN && c.type === 'datetime');
  return column ? { k: 'column', type: 'datetime', name: column.name } : undefined;
}
