/**
 * Retention: rows older than their table's `retentionDays` (quarry.yaml `tables.T.retentionDays`,
 * default 90, 0 = forever) are deleted, counted from INGESTION time (`_TimeReceived`), so
 * evidence imported from an old incident is not purged because its events are old. Runs at
 * start and then every `intervalHours` (default 1), after republishing threat-intelligence
 * indicators that are due (src/ti/store.ts).
 */
import { sqlIdent, sqlString } from '../engine/duckdb/sql-text.js';
import { INGEST_BATCHES_TABLE } from '../ingest/ingestor.js';
import { TIME_RECEIVED, findDeclared } from '../ingest/table-schema.js';
import { republishIndicators } from '../ti/store.js';
import { DEFAULT_RETENTION_DAYS, type TablesConfig } from '../workspace/tables-config.js';
import type { ServerDatabase } from './database.js';

const DAY_MS = 86_400_000;

export function retentionDays(table: string, tables: TablesConfig | undefined): number {
  return findDeclared(table, tables)?.retentionDays ?? DEFAULT_RETENTION_DAYS;
}

/** Deletes expired rows in every table with `_TimeReceived`; returns rows deleted per table. */
export async function enforceRetention(db: ServerDatabase, now = new Date()): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  await db.freshCatalog();
  const tables = db.engine.databaseTableNames().filter((t) => t !== INGEST_BATCHES_TABLE);
  for (const table of tables) {
    const days = retentionDays(table, db.workspace.config.tables);
    if (days === 0) continue;
    if (!db.engine.tableColumns(table)?.some((c) => c.name === TIME_RECEIVED)) continue;
    const cutoff = new Date(now.getTime() - days * DAY_MS).toISOString().replace('T', ' ').replace('Z', '');
    const n = await db.engine.exclusive(async (c) => {
      const result = await c.run(`DELETE FROM main.${sqlIdent(table)} WHERE ${sqlIdent(TIME_RECEIVED)} < CAST(${sqlString(cutoff)} AS TIMESTAMP)`);
      return result.rowsChanged;
    });
    if (n > 0) deleted[table] = n;
  }
  return deleted;
}

export class RetentionJob {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly db: ServerDatabase, private readonly intervalHours: number, private readonly log: (line: string) => void) {}

  start(): void {
    this.running = this.runOnce();
    this.timer = setInterval(() => { this.running = this.runOnce(); }, this.intervalHours * 3600_000);
    this.timer.unref();
  }

  async runOnce(): Promise<void> {
    try {
      // Threat-intelligence indicators written 7+ days ago are republished first (as Sentinel
      // does weekly), so rule lookbacks and retention keep the ones still in force.
      const republished = await this.db.withIngestor((i) => republishIndicators(i.connection, new Date()));
      if (republished) this.log(`threat intelligence: republished ${republished} indicator rows`);
      const deleted = await enforceRetention(this.db);
      const parts = Object.entries(deleted).map(([t, n]) => `${t}: ${n}`);
      this.log(`retention: ${parts.length ? `deleted ${parts.join(', ')}` : 'nothing expired'}`);
    } catch (err) {
      this.log(`retention: failed: ${(err as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
