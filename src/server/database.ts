/**
 * The workspace database as the server owns it: ONE DuckDBInstance (DuckDB lets one process
 * open a file for writing) with four connections, so no kind of work waits behind another's
 * long statement: the QueryEngine's (API queries), the Ingestor's (commits, one operation at a
 * time, stamped by the IngestionClock), and two engine lanes — `detectionLane` (NRT rules, the
 * detection tables, catalog reads) and `ruleLane` (scheduled rules). Readers see each batch once
 * its transaction commits. Ingestion is admitted through a bounded queue: when
 * `maxPendingBatches` batches wait for their commit, new ones are refused (HTTP 429).
 */
import { engineOptionsFor } from '../workspace/engine-options.js';
import { mkdirSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { QueryEngine, type QueryLane } from '../engine/engine.js';
import { Ingestor, type BatchResult, type IngestBatch } from '../ingest/ingestor.js';
import { statePath, type Workspace } from '../workspace/workspace.js';
import { DEFAULT_MAX_PENDING_BATCHES } from '../workspace/server-config.js';
import { IngestionClock } from './ingestion-clock.js';

/** The queue is full: come back later. */
export class QueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('the ingestion queue is full; retry later');
    this.name = 'QueueFullError';
  }
}

/** WAL size at which the server's database checkpoints (DuckDB's default: 16MB). */
const SERVER_CHECKPOINT_THRESHOLD = '256MB';

/** Most rows committed in one group transaction. */
const GROUP_MAX_ROWS = 50_000;

/** The batch as NDJSON text, for DuckDB's own reader (fast path of a group). */
export interface NdjsonForm {
  text: string;
  table: string;
  mapping?: Readonly<Record<string, string>>;
}

/**
 * An NDJSON body not parsed yet: DuckDB's reader stores it when every line of its group is clean,
 * and only otherwise is it parsed record by record (`parse`). For small groups (4,000 records)
 * DuckDB's reader costs ~8% more CPU than typing rows in JS, but that CPU is on DuckDB's threads:
 * the JS path (JSON.parse, coerce, the Appender's synchronous flush) keeps the one main thread
 * busy, and the server's throughput was 10–40% lower with it (bench:ingest section 2, measured
 * side by side on a loaded 2-core machine).
 */
export interface LazyNdjsonBatch {
  source: string;
  ndjson: NdjsonForm;
  /** Its records: lines with something other than blanks (as the NDJSON import counts them). */
  records: number;
  parse: () => Pick<IngestBatch, 'rows' | 'rejections'>;
}

interface GroupEntry {
  source: string;
  rows: number;
  /** Parsed now, or when the fast path cannot take the group. */
  batch: () => IngestBatch;
  ndjson?: NdjsonForm;
  resolve: (result: BatchResult) => void;
  reject: (err: unknown) => void;
}

/** Lines of an NDJSON text holding something other than \n, space, tab or \r (countRecordLines' rule). */
export function ndjsonRecordCount(text: string): number {
  let count = 0;
  for (let start = 0; start < text.length;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0d) { count++; break; }
    }
    start = end + 1;
  }
  return count;
}

function lazyShare(entry: GroupEntry, table: string): BatchResult {
  return { accepted: entry.rows, rejected: 0, conflicts: 0, duplicate: false, tables: { [table]: { accepted: entry.rows, rejected: 0, conflicts: 0 } } };
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
  private refreshing?: Promise<void>;
  /** Ingestor operations, one at a time (IngestionClock's premise). */
  private writes: Promise<unknown> = Promise.resolve();
  private readonly commitListeners = new Set<() => void>();
  readonly totals: IngestTotals = { batches: 0, accepted: 0, rejected: 0, conflicts: 0, duplicates: 0, refused: 0, failed: 0 };
  private readonly rate = new RateMeter();
  readonly started = new Date();

  private constructor(
    readonly workspace: Workspace,
    readonly engine: QueryEngine,
    private readonly ingestor: Ingestor,
    private readonly writerConnection: DuckDBConnection,
    readonly maxPending: number,
    readonly clock: IngestionClock,
    /** NRT rules, the detection tables and catalog reads: short statements, never behind a long query. */
    readonly detectionLane: QueryLane,
    /** Scheduled rules' queries (they may run for minutes). */
    readonly ruleLane: QueryLane,
  ) {}

  static async open(workspace: Workspace): Promise<ServerDatabase> {
    const engine = await QueryEngine.open(engineOptionsFor(workspace));
    try {
      // DuckDB checkpoints when the WAL passes 16 MB by default; each checkpoint rewrites the
      // table's last, growing row group, which for a wide table fed by many small commits cost
      // more than the commits themselves (SecurityEvent, 228 columns, 100,000 rows in batches of
      // 2,500: commit CPU 82 ms → 45 ms per batch at 256 MB). The WAL is durable either way; a
      // larger one only takes longer to replay after a crash. A clean stop checkpoints.
      await engine.exclusive((c) => c.run(`SET checkpoint_threshold = '${SERVER_CHECKPOINT_THRESHOLD}'`));
      const connection = await engine.connect();
      const clock = new IngestionClock();
      const ingestor = await Ingestor.onConnection(connection, { tables: workspace.config.tables, now: () => clock.stamp() });
      const maxPending = workspace.config.server?.maxPendingBatches ?? DEFAULT_MAX_PENDING_BATCHES;
      return new ServerDatabase(workspace, engine, ingestor, connection, maxPending, clock, await engine.openLane(), await engine.openLane());
    } catch (err) {
      await engine.close();
      throw err;
    }
  }

  /**
   * Runs `work` on the Ingestor as the only ingestion operation running (file imports: the demo
   * data, threat intelligence). Its rows count as committed for NRT rules once it returns.
   */
  withIngestor<T>(work: (ingestor: Ingestor) => Promise<T>): Promise<T> {
    return this.write(() => {
      // `work` may stamp rows with the wall clock itself (SQL on ingestor.connection): a stamp now
      // holds NRT windows before anything it writes until it is done.
      this.clock.stamp();
      return work(this.ingestor);
    });
  }

  /** Every row whose _TimeReceived is below this has been committed (IngestionClock). */
  committedBefore(): Date {
    return this.clock.committedBefore();
  }

  /** Calls `listener` after every ingestion commit; returns the unsubscribe function. */
  onCommit(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  private write<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writes.then(() => this.clock.around(async () => {
      const result = await work();
      // Before the clock moves past these rows: whoever sees them committed (an NRT pass takes
      // its window end first, then refreshes the catalog) must find their tables in the catalog.
      const tables = (result as Partial<BatchResult> | undefined)?.tables;
      if (tables && typeof tables === 'object') this.noteTables(Object.keys(tables));
      // undefined: an NDJSON import that stored nothing. Anything else (a file import's summary):
      // tables unknown here. A refresh makes every query be analysed again, so only then.
      else if (result !== undefined) this.catalogStale = true;
      return result;
    }));
    this.writes = run.catch(() => undefined);
    void run.then(() => { for (const l of this.commitListeners) l(); }, () => undefined);
    return run;
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
   * A LazyNdjsonBatch is parsed in JS only if DuckDB's NDJSON reader cannot take it.
   */
  async ingest(batch: IngestBatch | LazyNdjsonBatch, options: { force?: boolean } = {}): Promise<BatchResult> {
    if (!options.force && this.full()) {
      this.totals.refused++;
      throw new QueueFullError(1);
    }
    this.pending++;
    try {
      let result: BatchResult;
      if ('parse' in batch) {
        result = await this.grouped({ source: batch.source, rows: batch.records, ndjson: batch.ndjson, batch: () => ({ source: batch.source, ...batch.parse() }) });
      } else if (batch.idempotencyKey === undefined) {
        result = await this.grouped({ source: batch.source, rows: batch.rows.length, batch: () => batch });
      } else {
        result = await this.write(() => this.ingestor.write(batch));
      }
      this.totals.batches++;
      if (result.duplicate) this.totals.duplicates++;
      this.totals.accepted += result.accepted;
      this.totals.rejected += result.rejected;
      this.totals.conflicts += result.conflicts;
      this.rate.add(result.accepted);
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
  private grouped(entry: Omit<GroupEntry, 'resolve' | 'reject'>): Promise<BatchResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...entry, resolve, reject });
      if (!this.groupRunning) void this.drainGroups();
    });
  }

  private async drainGroups(): Promise<void> {
    this.groupRunning = true;
    try {
      while (this.waiting.length) {
        const source = this.waiting[0]!.source;
        const group: GroupEntry[] = [];
        let rows = 0;
        for (let i = 0; i < this.waiting.length && rows < GROUP_MAX_ROWS;) {
          const w = this.waiting[i]!;
          if (w.source !== source) { i++; continue; }
          group.push(w);
          rows += w.rows;
          this.waiting.splice(i, 1);
        }
        try {
          const fast = await this.importGroupNdjson(group);
          if (fast) {
            for (const g of group) g.resolve(lazyShare(g, fast.table));
            continue;
          }
        } catch (err) {
          for (const g of group) g.reject(err);
          continue;
        }
        // The record-by-record path: parse what was not parsed yet (a parse error fails its own batch only).
        const parsed: Array<{ entry: GroupEntry; batch: IngestBatch }> = [];
        for (const g of group) {
          try {
            parsed.push({ entry: g, batch: g.batch() });
          } catch (err) {
            g.reject(err);
          }
        }
        if (!parsed.length) continue;
        const merged: IngestBatch = parsed.length === 1 ? parsed[0]!.batch : {
          source,
          rows: parsed.flatMap((p) => p.batch.rows),
          rejections: parsed.flatMap((p) => p.batch.rejections ?? []),
        };
        try {
          const result = await this.write(() => this.ingestor.write(merged));
          for (const p of parsed) p.entry.resolve(parsed.length === 1 ? result : shareOf(p.batch, result));
        } catch (err) {
          for (const p of parsed) p.entry.reject(err);
        }
      }
    } finally {
      this.groupRunning = false;
    }
  }

  /**
   * A group of NDJSON batches into a standard or declared table goes through DuckDB's own
   * JSON reader (Ingestor.importNdjsonFile: one INSERT … SELECT, all lines checked, whole or
   * nothing) from a temporary file; undefined when the group needs the record-by-record path.
   */
  private async importGroupNdjson(group: readonly GroupEntry[]): Promise<{ result: BatchResult; table: string } | undefined> {
    const first = group[0]!.ndjson;
    if (!first || group.some((g) => !g.ndjson || g.ndjson.table !== first.table)) return undefined;
    const file = path.join(this.spoolDir(), `group-${process.pid}-${++this.spoolSeq}.ndjson`);
    try {
      await writeFile(file, group.map((g) => (g.ndjson!.text.endsWith('\n') ? g.ndjson!.text : g.ndjson!.text + '\n')).join(''));
      const result = await this.write(() => this.ingestor.importNdjsonFile(file, first.table, first.mapping));
      if (!result) return undefined;
      const expected = group.reduce((n, g) => n + g.rows, 0);
      if (result.accepted !== expected) {
        throw new Error(`internal: the NDJSON import stored ${result.accepted} rows for a group of ${expected}`);
      }
      return { result, table: Object.keys(result.tables)[0] ?? first.table };
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
    // Callers arriving while a refresh runs wait for it (they may need what it reads).
    for (;;) {
      if (this.refreshing) { await this.refreshing; continue; }
      if (!this.catalogStale) return;
      this.catalogStale = false;
      // Through the detection lane: a long query on the engine's connection does not hold it up.
      this.refreshing = this.detectionLane.refreshCatalog()
        .catch((err: unknown) => { this.catalogStale = true; throw err; })
        .finally(() => { this.refreshing = undefined; });
    }
  }

  ingestRate(): number {
    return this.rate.perSecond();
  }

  /** Waits for queued batches to commit, then closes the four connections and the database. */
  async close(): Promise<void> {
    await this.writes;
    await this.ingestor.close();
    this.writerConnection.closeSync();
    await this.detectionLane.exclusive(async () => undefined);
    await this.ruleLane.exclusive(async () => undefined);
    this.detectionLane.close();
    this.ruleLane.close();
    await this.engine.exclusive(async (c) => { await c.run('CHECKPOINT'); }).catch(() => undefined);
    await this.engine.close();
  }
}
