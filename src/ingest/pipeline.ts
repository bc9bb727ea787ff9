/**
 * Files in, committed batches out: expands paths, picks each file's format (given or
 * detected), reads records and writes them through the Ingestor in batches. A file that
 * cannot be read (unknown format, truncated gzip, …) is reported in its summary and as an
 * _IngestErrors row, and the next file is read.
 */
import './formats/index.js';
import { InputError, expandPaths } from './input.js';
import { IngestError, type BatchResult, type IngestBatch, type Ingestor, type TableCounts } from './ingestor.js';
import { detectFormat, formatNames, getFormat, type FormatDefinition, type ReaderOptions } from './registry.js';
import type { FormatReader, IngestRejection, IngestRow } from './types.js';

export interface IngestFilesOptions extends ReaderOptions {
  /** Format name; detected per file when omitted. */
  format?: string;
  /** Rows per committed batch. */
  batchSize?: number;
  /** Called after each committed batch. */
  onProgress?: (progress: IngestProgress) => void;
}

export interface IngestProgress {
  file: string;
  filesDone: number;
  records: number;
  accepted: number;
  rejected: number;
}

export interface FileSummary {
  path: string;
  format?: string;
  accepted: number;
  rejected: number;
  conflicts: number;
  /** Why the file was not (completely) read. */
  error?: string;
  /** Why a file found in a folder was left alone. */
  skipped?: string;
}

export interface IngestSummary {
  files: FileSummary[];
  tables: Record<string, TableCounts>;
  accepted: number;
  rejected: number;
  conflicts: number;
}

export const DEFAULT_BATCH_SIZE = 20_000;

export class UnknownFormatError extends Error {
  constructor(name: string) {
    super(`unknown format "${name}" (known: ${formatNames().join(', ')})`);
    this.name = 'UnknownFormatError';
  }
}

/** Where read batches go: the workspace's Ingestor, or a server that owns the database. */
export type IngestTarget = Pick<Ingestor, 'write' | 'importNdjsonFile'> & Partial<Pick<Ingestor, 'writeAll'>>;

export async function ingestPaths(ingestor: IngestTarget, paths: readonly string[], options: IngestFilesOptions = {}): Promise<IngestSummary> {
  const given = options.format ? getFormat(options.format) : undefined;
  if (options.format && !given) throw new UnknownFormatError(options.format);
  const summary: IngestSummary = { files: [], tables: {}, accepted: 0, rejected: 0, conflicts: 0 };
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let records = 0;

  const add = (file: FileSummary, result: BatchResult) => {
    file.accepted += result.accepted;
    file.rejected += result.rejected;
    file.conflicts += result.conflicts;
    summary.accepted += result.accepted;
    summary.rejected += result.rejected;
    summary.conflicts += result.conflicts;
    for (const [table, c] of Object.entries(result.tables)) {
      const t = (summary.tables[table] ??= { accepted: 0, rejected: 0, conflicts: 0 });
      t.accepted += c.accepted;
      t.rejected += c.rejected;
      t.conflicts += c.conflicts;
    }
  };

  // Batches read but not yet committed, each with the file it counts for. A file's last batch
  // waits here for the next files' batches, so that small files (an EVTX log holds ~35 records)
  // share one commit instead of paying one each; a file's counts stay its own.
  let group: Array<{ batch: IngestBatch; file: FileSummary }> = [];
  let groupSize = 0;
  // One group is committed while the next is read: the reader does not wait on the disk.
  let inflight: Promise<void> = Promise.resolve();
  const commit = async () => {
    if (group.length === 0) return;
    const items = group;
    group = [];
    groupSize = 0;
    await inflight;
    const recordsSoFar = records;
    const batches = items.map((i) => i.batch);
    const written = ingestor.writeAll && batches.length > 1
      ? ingestor.writeAll(batches)
      : batches.reduce<Promise<BatchResult[]>>(async (done, b) => [...(await done), await ingestor.write(b)], Promise.resolve([]));
    inflight = written.then((results) => {
      results.forEach((result, k) => add(items[k]!.file, result));
      options.onProgress?.({ file: items.at(-1)!.file.path, filesDone: summary.files.length - 1, records: recordsSoFar, accepted: summary.accepted, rejected: summary.rejected });
    });
    // A failed commit must not go unobserved while the next batch is being read.
    inflight.catch(() => undefined);
  };
  const queue = async (file: FileSummary, batch: IngestBatch) => {
    group.push({ batch, file });
    groupSize += batch.rows.length + (batch.rejections?.length ?? 0);
    if (groupSize >= batchSize) await commit();
  };

  for await (const { path, inFolder } of expandPaths(paths)) {
    const file: FileSummary = { path, accepted: 0, rejected: 0, conflicts: 0 };
    summary.files.push(file);
    let format: FormatDefinition | undefined = given;
    try {
      format ??= await detectFormat(path);
    } catch (err) {
      file.error = `cannot read: ${(err as Error).message}`;
    }
    if (!format && inFolder && !file.error) {
      // A README or licence next to the logs: listed as skipped, not an ingestion error.
      file.skipped = 'format not recognised';
      continue;
    }
    let reader: FormatReader | undefined;
    try {
      if (format) reader = format.create(options);
    } catch (err) {
      file.error = (err as Error).message;
    }
    if (!format || !reader) {
      file.error ??= `format not recognised; pass --format (${formatNames().join(', ')})`;
      await queue(file, { source: path, rows: [], rejections: [{ source: path, raw: '', reason: file.error, table: options.table }] });
      continue;
    }
    file.format = format.name;
    if (format.name === 'ndjson' && options.table) {
      // Bulk path first; it stores nothing unless the whole file is clean.
      const bulk = await ingestor.importNdjsonFile(path, options.table, options.mapping);
      if (bulk) {
        records += bulk.accepted;
        add(file, bulk);
        options.onProgress?.({ file: path, filesDone: summary.files.length - 1, records, accepted: summary.accepted, rejected: summary.rejected });
        continue;
      }
    }
    let rows: IngestRow[] = [];
    let rejections: IngestRejection[] = [];
    const flush = async () => {
      if (rows.length === 0 && rejections.length === 0) return;
      const batch = { source: path, rows, rejections };
      rows = [];
      rejections = [];
      await queue(file, batch);
    };
    try {
      for await (const item of reader.read({ path })) {
        records++;
        if (item.kind === 'row') rows.push(item.row);
        else rejections.push(item.rejection);
        if (rows.length + rejections.length >= batchSize) await flush();
      }
    } catch (err) {
      // A batch the database refused is not a property of the file: stop.
      if (err instanceof IngestError || !(err instanceof Error)) throw err;
      // The records read before the damage are kept; the damage itself is recorded.
      file.error = err instanceof InputError ? err.message.slice(path.length + 2) : (err as Error).message;
      rejections.push({ source: path, raw: '', reason: file.error, table: options.table });
    }
    await flush();
  }
  await commit();
  await inflight;
  return summary;
}
