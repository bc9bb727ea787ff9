import { z } from 'zod';
import { normaliseTypeName } from '../kql/types.js';

/**
 * The `tables:` section of quarry.yaml: custom tables (`Name_CL`) with declared columns, and
 * retention per table (days counted from ingestion time; 0 keeps forever; default 90).
 *
 * ```yaml
 * tables:
 *   Firewall_CL:
 *     columns: { SrcIp: string, DstPort: int, Bytes: long }
 *     retentionDays: 365
 *     mapping: { src_ip: SrcIp, dst_port: DstPort }
 *   SecurityEvent:
 *     retentionDays: 0
 * ```
 */
export const DEFAULT_RETENTION_DAYS = 90;

const kqlTypeName = z.string().refine((s) => normaliseTypeName(s) !== undefined, {
  message: 'expected a KQL type (string, int, long, real, bool, datetime, timespan, guid, dynamic, decimal)',
});

const tableSchema = z.strictObject({
  /** Column name → KQL type. Only for custom tables; standard tables take the Sentinel catalog's. */
  columns: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a column name of letters, digits and _'), kqlTypeName).optional(),
  retentionDays: z.number().int().min(0).optional(),
  /** Source field → column renames applied when JSON, NDJSON or CSV is ingested into this table (`--map` adds to them). */
  mapping: z.record(z.string().min(1), z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a column name of letters, digits and _')).optional(),
});

export const tablesConfigSchema = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a table name of letters, digits and _'), tableSchema);

export type TablesConfig = z.infer<typeof tablesConfigSchema>;
