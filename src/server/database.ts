/**
 * The workspace database as the server owns it: ONE DuckDBInstance (DuckDB lets one process
 * open a file for writing), with the QueryEngine on its connection and the Ingestor on a
 * second connection of the same instance (QueryEngine.connect). Readers see each batch once
 * its transaction commits. Ingestion is admitted through a bounded queue: when
 * `maxPendingBatches` batches wait for their commit, new ones are refused (HTTP 429).
 */
import { engineOptionsFor } from '../workspace/engine-options.js';
import { mkdirSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { QueryEngine } from '../engine/engine.js';
import { Ingestor, type BatchResult, type IngestBatch } from '../ingest/ingestor.js';
import { statePath, type Workspace } from '../workspace/workspace.js';
import { DEFAULT_MAX_PENDING_BATCHES } from '../workspace/server-config.js';

/** The queue is full: come back later. */
export class QueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('the ingestion queue is full; retry later');
    this.name = 'QueueFullError';
  }
}

/** Most rows committed in one group transaction. */
const GROUP_MAX_ROWS = 50_000;

/** The batch as NDJSON text, for DuckDB's own reader (fast path of a group). */
export interface NdjsonForm {
  text: string;
  table: string;
  mapping?: Readonly<Record<string, string>>;
}

interface GroupEntry {
  batch: IngestBatch;
  ndjson?: NdjsonForm;
  resolve: (result: BatchResult) => void;
  reject: (err: unknown) => void;
}

/**
 * One batch's part of a group's result. Rows and rejections are counted per batch (the tables
 * were checked before, so every row is stored); type conflicts (rows kept with a field moved to
 * AdditionalFields) are known per group only and reported as the group's.
 */
function shareOf(batch: IngestBatch, group: BatchResult): BatchResult {
  const tables: BatchResult['tables'] = {};
  const at = (t: string) => (tables[t] ??= { accepted: 0, rejected: 0, conflicts: 0 });
  for (const row of batch.rows) at(row.table).accepted++;
  for (const r of batch.rejections ?? []) at(r.table ?? '(unknown)').rejected++;
  for (const [t, c] of Object.entries(tables)) c.conflicts = group.tables[t]?.conflicts ?? 0;
  const sum = (k: 'accepted' | 'rejected' | 'conflicts') => Object.values(tables).reduce((n, c) => n + c[k], 0);
  return { accepted: sum('accepted'), rejected: sum('rejected'), conflicts: sum('conflicts'), duplicate: false, tables };
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
  private readonly waiting: GroupEntry[] = [];
  private groupRunning = false;
  private spoolSeq = 0;
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
    const engine = await QueryEngine.open(engineOptionsFor(workspace));
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
  async ingest(batch: IngestBatch, options: { force?: boolean; ndjson?: NdjsonForm } = {}): Promise<BatchResult> {
    if (!options.force && this.full()) {
      this.totals.refused++;
      throw new QueueFullError(1);
    }
    this.pending++;
    try {
      const result = batch.idempotencyKey === undefined ? await this.grouped(batch, options.ndjson) : await this.ingestor.write(batch);
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

  /**
   * Group commit: batches without an idempotency key that arrive while a commit is running wait
   * for it, then go in ONE transaction together (same source only, up to GROUP_MAX_ROWS rows).
   * A transaction costs ~20 ms whatever its size (WAL sync, bookkeeping), so this is what lets
   * many small concurrent batches through; each is still acknowledged only after the commit
   * that holds it, and stored whole or not at all. Keyed batches keep their own transaction
   * (their key is recorded with exactly their rows).
   */
  private grouped(batch: IngestBatch, ndjson: NdjsonForm | undefined): Promise<BatchResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ batch, ndjson, resolve, reject });
      if (!this.groupRunning) void this.drainGroups();
    });
  }

  private async drainGroups(): Promise<void> {
    this.groupRunning = true;
    try {
      while (this.waiting.length) {
        const source = this.waiting[0]!.batch.source;
        const group: GroupEntry[] = [];
        let rows = 0;
        for (let i = 0; i < this.waiting.length && rows < GROUP_MAX_ROWS;) {
          const w = this.waiting[i]!;
          if (w.batch.source !== source) { i++; continue; }
          group.push(w);
          rows += w.batch.rows.length;
          this.waiting.splice(i, 1);
        }
        if (group.length === 1) {
          await this.ingestor.write(group[0]!.batch).then(group[0]!.resolve, group[0]!.reject);
          continue;
        }
        const fast = await this.importGroupNdjson(group);
        if (fast) {
          for (const g of group) g.resolve(shareOf(g.batch, fast));
          continue;
        }
        const merged: IngestBatch = {
          source,
          rows: group.flatMap((g) => g.batch.rows),
          rejections: group.flatMap((g) => g.batch.rejections ?? []),
        };
        try {
          const result = await this.ingestor.write(merged);
          for (const g of group) g.resolve(shareOf(g.batch, result));
        } catch (err) {
          for (const g of group) g.reject(err);
        }
      }
    } finally {
      this.groupRunning = false;
    }
  }

  /**
   * A group of clean NDJSON batches into a standard or declared table goes through DuckDB's own
   * JSON reader (Ingestor.importNdjsonFile: one INSERT … SELECT, all lines checked, whole or
   * nothing) from a temporary file; undefined when the group needs the record-by-record path.
   */
  private async importGroupNdjson(group: readonly GroupEntry[]): Promise<BatchResult | undefined> {
    const first = group[0]!.ndjson;
    if (!first || group.some((g) => !g.ndjson || g.ndjson.table !== first.table || (g.batch.rejections?.length ?? 0) > 0)) return undefined;
    const file = path.join(this.spoolDir(), `group-${process.pid}-${++this.spoolSeq}.ndjson`);
    try {
      await writeFile(file, group.map((g) => (g.ndjson!.text.endsWith('\n') ? g.ndjson!.text : g.ndjson!.text + '\n')).join(''));
      const result = await this.ingestor.importNdjsonFile(file, first.table, first.mapping);
      if (result && result.accepted !== group.reduce((n, g) => n + g.batch.rows.length, 0)) {
        throw new Error(`internal: the NDJSON import stored ${result.accepted} rows for a group of other size`);
      }
      return result;
    } finally {
      await rm(file, { force: true });
    }
  }

  private spoolDir(): string {
    const dir = statePath(this.workspace, 'spool');
    mkdirSync(dir, { recursive: true });
    return dir;
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
