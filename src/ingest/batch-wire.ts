/**
 * Read batches on the wire: when a server owns the workspace, `quarry ingest` reads and maps the
 * files itself and sends the resulting rows and rejections to the server as JSON. JSON has no
 * datetime or 64-bit integer, so those travel as text with their type declared beside them; the
 * server's coercion turns the text back into the same stored value the local path would store.
 */
import { z } from 'zod';
import { isKqlType, type KqlType } from '../kql/types.js';
import type { IngestRejection, IngestRow } from './types.js';
import { jsonReplacer } from './values.js';

export interface WireBatch {
  source: string;
  rows: { table: string; values: Record<string, unknown>; types?: Record<string, KqlType> }[];
  rejections: IngestRejection[];
}

/** What a client may send: checked before anything is stored. */
export const wireBatchSchema = z.strictObject({
  source: z.string().min(1).max(2000),
  rows: z.array(z.object({
    table: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a table name is letters, digits and _'),
    values: z.record(z.string(), z.unknown()),
    types: z.record(z.string(), z.string().refine(isKqlType, 'not a KQL type')).optional(),
  })),
  rejections: z.array(z.object({
    source: z.string(),
    raw: z.string(),
    reason: z.string(),
    table: z.string().optional(),
  })),
});

/** A value JSON can carry, and the type it needs declared when JSON would lose it. */
function wireValue(value: unknown): { value: unknown; type?: KqlType } {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? { value: null } : { value: value.toISOString(), type: 'datetime' };
  if (typeof value === 'bigint') return { value: value.toString(), type: 'long' };
  if (typeof value === 'number' && !Number.isFinite(value)) return { value: String(value), type: 'real' };
  return { value };
}

export function encodeBatch(batch: { source: string; rows: readonly IngestRow[]; rejections?: readonly IngestRejection[] }): WireBatch {
  const rows = batch.rows.map((row) => {
    const values: Record<string, unknown> = {};
    let types = row.types ? { ...row.types } : undefined;
    for (const [key, raw] of Object.entries(row.values)) {
      const { value, type } = wireValue(raw);
      values[key] = value;
      if (type && !types?.[key]) (types ??= {})[key] = type;
    }
    return types ? { table: row.table, values, types } : { table: row.table, values };
  });
  return { source: batch.source, rows, rejections: [...(batch.rejections ?? [])] };
}

/** The batch as JSON text; 64-bit integers nested in dynamic values stay exact. */
export function batchJson(batch: WireBatch): string {
  return JSON.stringify(batch, jsonReplacer);
}
