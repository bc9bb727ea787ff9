/**
 * The ingestion core: one Ingestor per workspace database. It takes batches of rows (any
 * tables) and rejections, types the rows against each table's columns, creates and extends
 * tables as needed, and commits each batch in one transaction, so a batch is stored whole or
 * not at all. A batch may carry an idempotency key: a retried batch is stored once. The HTTP
 * server, syslog listeners and `quarry ingest` all write through here.
 */
import { randomUUID } from 'node:crypto';
import { DuckDBInstance, LIST, VARCHAR, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { SentinelCatalog } from '../catalog/catalog.js';
import { readDatabaseTables } from '../engine/duckdb/database-tables.js';
import { SQL_TYPES } from '../engine/duckdb/functions/common.js';
import { sqlIdent, sqlString } from '../engine/duckdb/sql-text.js';
import type { Column, KqlType } from '../kql/types.js';
import type { TablesConfig } from '../workspace/tables-config.js';
import { appendRows } from './sparse-append.js';
import {
  ADDITIONAL_FIELDS, INGEST_ERRORS_TABLE, TIME_RECEIVED, TableError, columnNameFor, definitionFor, findDeclared, isCustomTableName, type WriteTable,
} from './table-schema.js';
import type { IngestRejection, IngestRow } from './types.js';
import { TypeConflict, coerce, inferType, toText, type StoredValue } from './values.js';

/** Table of the idempotency keys of committed batches. */
export const INGEST_BATCHES_TABLE = '_IngestBatches';
/** Raw text kept in _IngestErrors for one record, at most (a 10 MB line is not copied whole). */
export const MAX_RAW_CHARS = 64 * 1024;

export interface IngestBatch {
  /** Where the batch came from (file, endpoint, listener), used for rejections of its rows. */
  source: string;
  rows: readonly IngestRow[];
  rejections?: readonly IngestRejection[];
  /** A retried batch with the same key is acknowledged again but stored only once. */
  idempotencyKey?: string;
  /**
   * Rows of `table` whose `column` is one of `keys` are deleted in the batch's transaction before
   * its rows are added: an upsert by key (threat-intelligence indicators re-imported by id).
   */
  replace?: { table: string; column: string; keys: readonly string[] };
}

export interface TableCounts {
  accepted: number;
  rejected: number;
  /** Rows stored with a field moved to AdditionalFields because its value did not fit the column. */
  conflicts: number;
}

export interface BatchResult {
  accepted: number;
  rejected: number;
  conflicts: number;
  /** True when the idempotency key had been seen: nothing was written this time. */
  duplicate: boolean;
  tables: Record<string, TableCounts>;
}

export interface IngestorOptions {
  /** The workspace's `tables:` config (custom table columns). */
  tables?: TablesConfig;
  catalog?: SentinelCatalog;
  /** The clock for _TimeReceived (tests). */
  now?: () => Date;
}

/** A batch that could not be committed (the database refused it); nothing of it was stored. */
export class IngestError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IngestError';
  }
}

interface Conflict { table: string; field: string; reason: string; raw: string; source: string }

/** A table's rows typed and laid out by column, ready to append. */
interface PreparedTable {
  def: WriteTable;
  data: StoredValue[][];
  rowCount: number;
  /** Columns to add before appending (ALTER TABLE), in order. */
  newColumns: Column[];
  create: boolean;
}

export class Ingestor {
  private readonly catalog: SentinelCatalog;
  private readonly tables = new Map<string, WriteTable>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly connection: DuckDBConnection,
    private readonly instance: DuckDBInstance | undefined,
    private readonly options: IngestorOptions,
  ) {
    this.catalog = options.catalog ?? new SentinelCatalog();
  }

  /** Opens its own connection on a database file (':memory:' for tests). */
  static async open(databasePath: string, options: IngestorOptions = {}): Promise<Ingestor> {
    const instance = await DuckDBInstance.create(databasePath, { autoinstall_known_extensions: 'false' });
    const ingestor = new Ingestor(await instance.connect(), instance, options);
    await ingestor.loadTables();
    return ingestor;
  }

  /** Writes through an existing connection (a server that also queries the same database). */
  static async onConnection(connection: DuckDBConnection, options: IngestorOptions = {}): Promise<Ingestor> {
    const ingestor = new Ingestor(connection, undefined, options);
    await ingestor.loadTables();
    return ingestor;
  }

  /** The columns of a table as stored, or undefined when it does not exist yet. */
  storedColumns(table: string): Column[] | undefined {
    return this.lookup(table)?.columns.slice();
  }

  /**
   * Types and commits one batch in one transaction. Batches are serialised (one writer per
   * database). Rejections are stored in _IngestErrors in the same transaction.
   */
  write(batch: IngestBatch): Promise<BatchResult> {
    return this.enqueue(() => this.writeNow(batch));
  }

  /**
   * Writes several batches in ONE transaction (the last batches of small files read one after
   * another): each gets its own result, as if written alone, but one commit serves them all.
   * All of them are stored or none (IngestError).
   */
  writeAll(batches: readonly IngestBatch[]): Promise<BatchResult[]> {
    return this.enqueue(() => this.writeAllNow(batches));
  }

  /**
   * Imports a whole NDJSON file in one transaction through DuckDB's own JSON reader, when the
   * table's columns are all known (standard or declared) and every line fits them without a
   * conversion (staged-ndjson.ts). Returns undefined, having stored nothing, when the file
   * needs the record-by-record path (rejections, conflicts, unknown fields, inferred tables).
   */
  importNdjsonFile(path: string, table: string, mapping?: Readonly<Record<string, string>>): Promise<BatchResult | undefined> {
    return this.enqueue(() => this.importNow(path, table, mapping));
  }

  /** Runs `work` after every operation queued before it (one writer per database). */
  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new IngestError('the ingestor is closed'));
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async importNow(path: string, table: string, mapping?: Readonly<Record<string, string>>): Promise<BatchResult | undefined> {
    let def: WriteTable;
    try {
      def = this.lookup(table) ?? definitionFor(table, this.catalog, this.options.tables);
    } catch {
      return undefined; // the general path reports the unknown table per record
    }
    if (def.kind !== 'standard' && def.kind !== 'declared') return undefined;
    const { isGzip } = await import('./input.js');
    // Gzip files: the staged path's line count would need a second decompression.
    if (await isGzip(path)) return undefined;
    const { importStagedNdjson } = await import('./staged-ndjson.js');
    const receivedMicros = BigInt((this.options.now?.() ?? new Date()).getTime()) * 1000n;
    await this.connection.run('BEGIN TRANSACTION');
    try {
      const prepared = this.prepare(def, [], receivedMicros, path, []); // creates the table if needed
      await this.applySchema(prepared);
      const n = await importStagedNdjson(this.connection, path, prepared.def.name, prepared.def.columns, mapping, receivedMicros);
      if (n === undefined) {
        await this.connection.run('ROLLBACK');
        await this.loadTables();
        return undefined;
      }
      await this.connection.run('COMMIT');
      return { accepted: n, rejected: 0, conflicts: 0, duplicate: false, tables: { [prepared.def.name]: { accepted: n, rejected: 0, conflicts: 0 } } };
    } catch {
      // DuckDB could not read the file as NDJSON (an oversized object, bad bytes, …): let the
      // record-by-record path find and report the records at fault.
      await this.connection.run('ROLLBACK').catch(() => undefined);
      await this.loadTables();
      return undefined;
    }
  }

  /** Waits for queued batches, then closes the connection if the Ingestor opened it. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    if (this.instance) {
      this.connection.closeSync();
      this.instance.closeSync();
    }
  }

  private async writeAllNow(batches: readonly IngestBatch[]): Promise<BatchResult[]> {
    if (batches.length === 1) return [await this.writeNow(batches[0]!)];
    await this.connection.run('BEGIN TRANSACTION');
    try {
      const results: BatchResult[] = [];
      // Rows are appended once per table for the whole group, not once per batch.
      const deferred: PreparedTable[] = [];
      for (const batch of batches) results.push(await this.writeNow(batch, true, deferred));
      await this.appendMerged(deferred);
      await this.connection.run('COMMIT');
      return results;
    } catch (err) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      await this.loadTables();
      throw err instanceof IngestError ? err : new IngestError(`batches not stored: ${(err as Error).message}`, { cause: err });
    }
  }

  /**
   * Writes one batch in its own transaction, or (`inTransaction`) in the caller's; with
   * `deferred`, its typed rows are left there for the caller to append.
   */
  private async writeNow(batch: IngestBatch, inTransaction = false, deferred?: PreparedTable[]): Promise<BatchResult> {
    const now = this.options.now?.() ?? new Date();
    const receivedMicros = BigInt(now.getTime()) * 1000n;
    const result: BatchResult = { accepted: 0, rejected: 0, conflicts: 0, duplicate: false, tables: {} };
    const counts = (table: string) => (result.tables[table] ??= { accepted: 0, rejected: 0, conflicts: 0 });

    if (!inTransaction) await this.connection.run('BEGIN TRANSACTION');
    try {
      if (batch.idempotencyKey !== undefined) {
        const seen = await this.seenBatch(batch.idempotencyKey);
        if (seen) {
          if (!inTransaction) await this.connection.run('ROLLBACK');
          return { ...seen, duplicate: true };
        }
      }
      const rejections: IngestRejection[] = [...(batch.rejections ?? [])];
      const conflicts: Conflict[] = [];
      const prepared = new Map<string, PreparedTable>();
      const byTable = groupByTable(batch.rows);
      for (const [tableName, rows] of byTable) {
        let def: WriteTable;
        try {
          def = this.lookup(tableName) ?? definitionFor(tableName, this.catalog, this.options.tables);
          if (def.kind === 'system') throw new TableError(`table "${def.name}" is kept by Quarry itself and cannot be ingested into`);
        } catch (err) {
          for (const row of rows) rejections.push({ source: batch.source, raw: rawOf(row.values), reason: (err as Error).message, table: tableName });
          continue;
        }
        prepared.set(def.name, this.prepare(def, rows, receivedMicros, batch.source, conflicts));
        counts(def.name).accepted += rows.length;
        result.accepted += rows.length;
      }
      for (const c of conflicts) {
        counts(c.table).conflicts++;
        result.conflicts++;
      }
      for (const r of rejections) {
        counts(r.table ?? '').rejected++;
        result.rejected++;
      }
      if (result.tables['']) {
        // Rejections that never got as far as a table are still counted, under "(unknown)".
        result.tables['(unknown)'] = result.tables['']!;
        delete result.tables[''];
      }
      const errors = this.errorRows(rejections, conflicts);
      if (errors.rows.length) prepared.set(INGEST_ERRORS_TABLE, this.prepare(errors.def, errors.rows, receivedMicros, batch.source, []));

      for (const p of prepared.values()) await this.applySchema(p);
      if (batch.replace) {
        // Rows of earlier batches of the group may be among those replaced: append them first.
        if (deferred?.length) await this.appendMerged(deferred.splice(0));
        await this.deleteKeys(batch.replace);
      }
      if (deferred) deferred.push(...prepared.values());
      else for (const p of prepared.values()) await appendRows(this.connection, p.def.name, p.def.columns, p.data, p.rowCount);
      if (batch.idempotencyKey !== undefined) await this.recordBatch(batch.idempotencyKey, result, receivedMicros);
      if (!inTransaction) await this.connection.run('COMMIT');
      return result;
    } catch (err) {
      if (!inTransaction) {
        await this.connection.run('ROLLBACK').catch(() => undefined);
        // The schema cache may hold tables or columns the rollback undid.
        await this.loadTables();
      }
      throw new IngestError(`batch from ${batch.source} not stored: ${(err as Error).message}`, { cause: err });
    }
  }

  /**
   * Appends prepared tables, those of one table together. Columns are only ever added at the
   * end (ALTER TABLE … ADD COLUMN), so a table's earlier parts have a prefix of its last part's
   * columns; their rows get null in the rest, as the ALTER gives rows already stored.
   */
  private async appendMerged(parts: readonly PreparedTable[]): Promise<void> {
    const byTable = new Map<string, PreparedTable[]>();
    for (const p of parts) {
      const key = p.def.name.toLowerCase();
      const list = byTable.get(key);
      if (list) list.push(p);
      else byTable.set(key, [p]);
    }
    for (const list of byTable.values()) {
      const last = list[list.length - 1]!;
      const columns = last.def.columns;
      const prefix = list.every((p) => p.def.columns.every((c, i) => c.name.toLowerCase() === columns[i]?.name.toLowerCase()));
      if (list.length === 1 || !prefix) {
        for (const p of list) await appendRows(this.connection, p.def.name, p.def.columns, p.data, p.rowCount);
        continue;
      }
      const rowCount = list.reduce((n, p) => n + p.rowCount, 0);
      const data = columns.map((_, c) => {
        const out = new Array<StoredValue>(rowCount);
        let at = 0;
        for (const p of list) {
          const values = p.data[c];
          for (let r = 0; r < p.rowCount; r++) out[at++] = values ? values[r]! : null;
        }
        return out;
      });
      await appendRows(this.connection, last.def.name, columns, data, rowCount);
    }
  }

  /** Types rows for a table: new columns for inferred tables, other fields into AdditionalFields. */
  private prepare(def: WriteTable, rows: readonly IngestRow[], receivedMicros: bigint, source: string, conflicts: Conflict[]): PreparedTable {
    const create = !this.tables.has(def.name.toLowerCase());
    const working: WriteTable = { ...def, columns: def.columns.slice() };
    const index = new Map(working.columns.map((c, i) => [c.name.toLowerCase(), i]));
    const newColumns: Column[] = [];
    const data: StoredValue[][] = working.columns.map(() => new Array<StoredValue>(rows.length).fill(null));
    const addColumn = (column: Column): number => {
      const i = working.columns.length;
      working.columns.push(column);
      newColumns.push(column);
      index.set(column.name.toLowerCase(), i);
      data.push(new Array<StoredValue>(rows.length).fill(column.type === 'string' ? '' : null));
      return i;
    };
    // String columns are never null: '' until a row fills them.
    working.columns.forEach((c, i) => { if (c.type === 'string') data[i]!.fill(''); });

    const inferred = def.kind === 'inferred';
    // Field name → column index, so each distinct field name is resolved once per batch.
    const fieldColumn = new Map<string, number>();
    for (let r = 0; r < rows.length; r++) {
      const values = rows[r]!.values;
      let extra: Record<string, unknown> | undefined;
      for (const field in values) {
        const value = values[field];
        let ci = fieldColumn.get(field);
        if (ci === undefined) {
          ci = index.get((inferred ? columnNameFor(field) : field).toLowerCase());
          if (ci !== undefined) fieldColumn.set(field, ci);
        }
        if (ci === undefined) {
          const columnName = inferred ? columnNameFor(field) : field;
          const type = inferred ? (rows[r]!.types?.[field] ?? inferType(value)) : undefined;
          if (type === undefined) {
            // Standard and declared tables keep unknown fields in AdditionalFields; an inferred
            // table waits for a non-null value before it creates a column.
            if (!inferred && value !== null && value !== undefined) (extra ??= {})[field] = value;
            continue;
          }
          ci = addColumn({ name: columnName, type });
        }
        const column = working.columns[ci]!;
        if (column.name === ADDITIONAL_FIELDS && typeof value === 'object' && value !== null && !Array.isArray(value)) {
          extra = { ...(value as Record<string, unknown>), ...extra };
          continue;
        }
        const stored = coerce(value, column.type);
        if (stored instanceof TypeConflict) {
          (extra ??= {})[field] = value instanceof Date ? value.toISOString() : value;
          conflicts.push({ table: def.name, field, source, raw: rawOf(values), reason: `field "${field}" (column ${column.name}: ${column.type}): ${stored.reason}; stored in ${ADDITIONAL_FIELDS}` });
          continue;
        }
        data[ci]![r] = stored;
      }
      if (extra) {
        let ci = index.get(ADDITIONAL_FIELDS.toLowerCase());
        if (ci === undefined) ci = addColumn({ name: ADDITIONAL_FIELDS, type: 'dynamic' });
        const type = working.columns[ci]!.type;
        const stored = type === 'dynamic' || type === 'string' ? coerce(extra, type) : new TypeConflict('');
        if (stored instanceof TypeConflict) {
          // A table whose AdditionalFields is not text or dynamic: leave a report, keep the row.
          conflicts.push({ table: def.name, field: ADDITIONAL_FIELDS, source, raw: rawOf(values), reason: `fields ${Object.keys(extra).join(', ')} have no column and ${ADDITIONAL_FIELDS} is ${type}` });
        } else {
          data[ci]![r] = stored;
        }
      }
    }
    this.fillSystemColumns(working, index, data, rows.length, receivedMicros);
    return { def: working, data, rowCount: rows.length, newColumns, create };
  }

  private fillSystemColumns(def: WriteTable, index: Map<string, number>, data: StoredValue[][], n: number, receivedMicros: bigint): void {
    const col = (name: string) => index.get(name.toLowerCase());
    const tg = col('TimeGenerated');
    const type = col('Type');
    const itemId = col('_ItemId');
    const received = col(TIME_RECEIVED);
    for (let r = 0; r < n; r++) {
      // A record without its own time is stamped with the time it arrived, as Sentinel does.
      if (tg !== undefined && data[tg]![r] === null) data[tg]![r] = receivedMicros;
      if (type !== undefined) data[type]![r] = def.name;
      if (itemId !== undefined) data[itemId]![r] = randomUUID();
      if (received !== undefined) data[received]![r] = receivedMicros;
    }
  }

  private errorRows(rejections: readonly IngestRejection[], conflicts: readonly Conflict[]) {
    const def = this.lookup(INGEST_ERRORS_TABLE) ?? definitionFor(INGEST_ERRORS_TABLE, this.catalog, undefined);
    const rows: IngestRow[] = [];
    for (const r of rejections) {
      rows.push({ table: INGEST_ERRORS_TABLE, values: { Source: r.source, RawText: clip(r.raw), Reason: r.reason + truncationNote(r.raw), TableName: r.table ?? '', Outcome: 'rejected', TimeGenerated: null } });
    }
    for (const c of conflicts) {
      rows.push({ table: INGEST_ERRORS_TABLE, values: { Source: c.source, RawText: clip(c.raw), Reason: c.reason + truncationNote(c.raw), TableName: c.table, Outcome: 'kept', TimeGenerated: null } });
    }
    return { def, rows };
  }

  /** Creates the table or adds its new columns, inside the batch's transaction. */
  private async applySchema(p: PreparedTable): Promise<void> {
    const name = sqlIdent(p.def.name);
    if (p.create) {
      const cols = p.def.columns.map((c) => `${sqlIdent(c.name)} ${SQL_TYPES[c.type]}`).join(', ');
      await this.connection.run(`CREATE TABLE IF NOT EXISTS ${name} (${cols})`);
      for (const c of p.def.columns) await this.markColumn(p.def.name, c);
    } else {
      for (const c of p.newColumns) {
        await this.connection.run(`ALTER TABLE ${name} ADD COLUMN ${sqlIdent(c.name)} ${SQL_TYPES[c.type]}`);
        await this.markColumn(p.def.name, c);
      }
    }
    this.tables.set(p.def.name.toLowerCase(), p.def);
  }

  /** Deletes the rows a batch replaces (IngestBatch.replace): one statement, the keys a bound list. */
  private async deleteKeys(replace: NonNullable<IngestBatch['replace']>): Promise<void> {
    const def = this.lookup(replace.table);
    if (!def || replace.keys.length === 0 || !def.columns.some((c) => c.name.toLowerCase() === replace.column.toLowerCase())) return;
    await this.connection.run(
      `DELETE FROM ${sqlIdent(def.name)} WHERE ${sqlIdent(replace.column)} IN (SELECT unnest($1))`,
      [listValue([...replace.keys])], [LIST(VARCHAR)],
    );
  }

  /** Timespans are BIGINT ticks; the comment tells the engine to read them back as timespan. */
  private async markColumn(table: string, c: Column): Promise<void> {
    if (c.type !== 'timespan') return;
    await this.connection.run(`COMMENT ON COLUMN ${sqlIdent(table)}.${sqlIdent(c.name)} IS 'kql:timespan'`);
  }

  private async seenBatch(key: string): Promise<BatchResult | undefined> {
    if (!this.tables.has(INGEST_BATCHES_TABLE.toLowerCase())) return undefined;
    const reader = await this.connection.runAndReadAll(
      `SELECT Result FROM ${sqlIdent(INGEST_BATCHES_TABLE)} WHERE IdempotencyKey = ${sqlString(key)}`,
    );
    const row = reader.getRows()[0];
    return row ? (JSON.parse(String(row[0])) as BatchResult) : undefined;
  }

  private async recordBatch(key: string, result: BatchResult, receivedMicros: bigint): Promise<void> {
    if (!this.tables.has(INGEST_BATCHES_TABLE.toLowerCase())) {
      await this.connection.run(
        `CREATE TABLE IF NOT EXISTS ${sqlIdent(INGEST_BATCHES_TABLE)} (IdempotencyKey VARCHAR PRIMARY KEY, Result VARCHAR, ${sqlIdent(TIME_RECEIVED)} TIMESTAMP)`,
      );
      this.tables.set(INGEST_BATCHES_TABLE.toLowerCase(), { name: INGEST_BATCHES_TABLE, kind: 'system', columns: [] });
    }
    await this.connection.run(
      `INSERT INTO ${sqlIdent(INGEST_BATCHES_TABLE)} VALUES (${sqlString(key)}, ${sqlString(JSON.stringify(result))}, make_timestamp(${receivedMicros.toString()}))`,
    );
  }

  private lookup(table: string): WriteTable | undefined {
    return this.tables.get(table.toLowerCase());
  }

  /** Re-reads the stored tables (after another part of Quarry created a table or view on this database). */
  reloadTables(): Promise<void> {
    return this.loadTables();
  }

  private async loadTables(): Promise<void> {
    const stored = await readDatabaseTables(this.connection);
    const views = await this.connection.runAndReadAll(`SELECT lower(table_name) FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'VIEW'`);
    const viewNames = new Set(views.getRows().map((r) => String(r[0])));
    this.tables.clear();
    for (const [name, columns] of stored) {
      // Tables other parts of Quarry keep (rule runs, batches, …) and views (the legacy
      // ThreatIntelligenceIndicator) are 'system': not written here.
      const kind = viewNames.has(name.toLowerCase()) ? 'system'
        : this.catalog.get(name) ? 'standard'
        : findDeclared(name, this.options.tables)?.columns ? 'declared'
        : isCustomTableName(name) ? 'inferred' : 'system';
      this.tables.set(name.toLowerCase(), { name, kind, columns: columns.map((c) => ({ name: c.name, type: c.type as KqlType })) });
    }
  }
}

/** Rows by table; DuckDB's names are case-insensitive, so `Foo_CL` and `foo_cl` are one table. */
function groupByTable(rows: readonly IngestRow[]): Map<string, IngestRow[]> {
  const groups = new Map<string, IngestRow[]>();
  const names = new Map<string, string>();
  for (const row of rows) {
    const key = row.table.toLowerCase();
    let name = names.get(key);
    if (name === undefined) names.set(key, (name = row.table));
    let g = groups.get(name);
    if (!g) groups.set(name, (g = []));
    g.push(row);
  }
  return groups;
}

function rawOf(values: Record<string, unknown>): string {
  try {
    return toText(values);
  } catch {
    return String(values);
  }
}

function clip(raw: string): string {
  return raw.length > MAX_RAW_CHARS ? raw.slice(0, MAX_RAW_CHARS) : raw;
}

function truncationNote(raw: string): string {
  return raw.length > MAX_RAW_CHARS ? ` (raw text truncated to ${MAX_RAW_CHARS} of ${raw.length} characters)` : '';
}
