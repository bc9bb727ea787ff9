/**
 * The workspace database as the server owns it: ONE DuckDBInstance (DuckDB lets one process
 * open a file for writing), with the QueryEngine on its connection and the Ingestor on a
 * second connection of the same instance (QueryEngine.connect). Readers see each batch once
 * its transaction commits. Ingestion is admitted through a bounded queue: when
 * `maxPendingBatches` batches wait for their commit, new ones are refused (HTTP 429).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { QueryEngine } from '../engine/engine.js';
import { Ingestor, type BatchResult, type IngestBatch } from '../ingest/ingestor.js';
import type { Workspace } from '../workspace/workspace.js';
import { DEFAULT_MAX_PENDING_BATCHES } from '../workspace/server-config.js';

/** The queue is full: come back later. */
export class QueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('the ingestion queue is full; retry later');
    this.name = 'QueueFullError';
  }
}

export interface IngestTotals {
  batches: number;
  accepted: number;
  rejected: number;
  conflicts: number;
  duplicates: number;
  refused: number;
  failed: number;
}

/** Accepted records per second over the last minute, from 1-second buckets. */
class RateMeter {
  private readonly buckets = new Map<number, number>();
  add(n: number, now = Date.now()): void {
    const s = Math.floor(now / 1000);
    this.buckets.set(s, (this.buckets.get(s) ?? 0) + n);
    for (const k of this.buckets.keys()) if (k < s - 60) this.buckets.delete(k);
  }
  perSecond(windowS = 60, now = Date.now()): number {
    const s = Math.floor(now / 1000);
    let total = 0;
    for (const [k, v] of this.buckets) if (k > s - windowS && k <= s) total += v;
    return total / windowS;
  }
}

export class ServerDatabase {
  private pending = 0;
  private catalogStale = false;
  readonly totals: IngestTotals = { batches: 0, accepted: 0, rejected: 0, conflicts: 0, duplicates: 0, refused: 0, failed: 0 };
  private readonly rate = new RateMeter();
  readonly started = new Date();

  private constructor(
    readonly workspace: Workspace,
    readonly engine: QueryEngine,
    readonly ingestor: Ingestor,
    private readonly writerConnection: DuckDBConnection,
    readonly maxPending: number,
  ) {}

  static async open(workspace: Workspace): Promise<ServerDatabase> {
    const engine = await QueryEngine.open({ databasePath: workspace.databasePath, remoteData: { allow: workspace.config.externalData?.allow ?? [] } });
    try {
      const connection = await engine.connect();
      const ingestor = await Ingestor.onConnection(connection, { tables: workspace.config.tables });
      const maxPending = workspace.config.server?.maxPendingBatches ?? DEFAULT_MAX_PENDING_BATCHES;
      return new ServerDatabase(workspace, engine, ingestor, connection, maxPending);
    } catch (err) {
      await engine.close();
      throw err;
    }
  }

  get pendingBatches(): number {
    return this.pending;
  }

  /** True when a batch would be refused now. */
  full(): boolean {
    return this.pending >= this.maxPending;
  }

  /**
   * Writes a batch; resolves after its transaction committed. Throws QueueFullError (nothing
   * stored) when the queue is full. `force` admits it anyway (listeners that buffer themselves).
   */
  async ingest(batch: IngestBatch, options: { force?: boolean } = {}): Promise<BatchResult> {
    if (!options.force && this.full()) {
      this.totals.refused++;
      throw new QueueFullError(1);
    }
    this.pending++;
    try {
      const result = await this.ingestor.write(batch);
      this.totals.batches++;
      if (result.duplicate) this.totals.duplicates++;
      this.totals.accepted += result.accepted;
      this.totals.rejected += result.rejected;
      this.totals.conflicts += result.conflicts;
      this.rate.add(result.accepted);
      this.noteTables(Object.keys(result.tables));
      return result;
    } catch (err) {
      this.totals.failed++;
      throw err;
    } finally {
      this.pending--;
    }
  }

  /** The engine's catalog must see tables and columns the ingestor created. */
  private noteTables(tables: readonly string[]): void {
    if (this.catalogStale) return;
    const known = new Set(this.engine.databaseTableNames());
    for (const t of ['_IngestErrors', ...tables]) {
      const stored = this.ingestor.storedColumns(t);
      if (!stored) continue;
      if (!known.has(t)) { this.catalogStale = true; return; }
      // AdditionalFields or a new field of an inferred table extends a table.
      const seen = this.engine.tableColumns(t)?.filter((c) => c.name !== 'Timestamp').length ?? 0;
      if (stored.length > seen) { this.catalogStale = true; return; }
    }
  }

  /** Call before running a query: re-reads the catalog if ingestion changed tables. */
  async freshCatalog(): Promise<void> {
    if (!this.catalogStale) return;
    this.catalogStale = false;
    await this.engine.exclusive(() => this.engine.refreshCatalog());
  }

  ingestRate(): number {
    return this.rate.perSecond();
  }

  /** Waits for queued batches to commit, then closes both connections and the database. */
  async close(): Promise<void> {
    await this.ingestor.close();
    this.writerConnection.closeSync();
    await this.engine.exclusive(async (c) => { await c.run('CHECKPOINT'); }).catch(() => undefined);
    await this.engine.close();
  }
}
