import { z } from 'zod';

/**
 * The `server:` section of quarry.yaml (all optional; `quarry serve` flags override port/host).
 *
 * ```yaml
 * server:
 *   port: 8686
 *   host: 127.0.0.1
 *   maxPendingBatches: 64        # ingest batches waiting for their commit; more → 429
 *   syslog: { udpPort: 5514, tcpPort: 5514, host: 127.0.0.1 }
 *   dataCollectionRules:         # Azure Monitor Logs Ingestion API shape
 *     dcr-00000000000000000000000000000000:
 *       Custom-MyStream: { table: MyTable_CL, mapping: { src: SrcIp } }
 * ```
 */
export const DEFAULT_SERVER_PORT = 8686;
export const DEFAULT_MAX_PENDING_BATCHES = 64;

const columnName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a column name of letters, digits and _');
const port = z.number().int().min(0).max(65535);

const streamSchema = z.strictObject({
  table: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a table name of letters, digits and _'),
  /** Source field → column renames (no KQL: a plain rename). */
  mapping: z.record(z.string().min(1), columnName).optional(),
});

export const serverConfigSchema = z.strictObject({
  port: port.optional(),
  host: z.string().min(1).optional(),
  maxPendingBatches: z.number().int().min(1).optional(),
  /** Hours between retention runs (a run also happens at start). */
  retentionIntervalHours: z.number().positive().optional(),
  syslog: z.strictObject({
    udpPort: port.optional(),
    tcpPort: port.optional(),
    host: z.string().min(1).optional(),
  }).optional(),
  dataCollectionRules: z.record(z.string().min(1), z.record(z.string().min(1), streamSchema)).optional(),
});

export type ServerConfig = z.infer<typeof serverConfigSchema>;
