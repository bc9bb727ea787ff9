/**
 * The contract between log-format readers and the ingestion core. A reader turns raw input
 * into rows for named tables, or into rejections that keep the raw text and the reason; the
 * core (the `Ingestor`) types, batches and commits them, and writes rejections to
 * `_IngestErrors`. Readers never touch the database.
 */
import type { KqlType } from '../kql/types.js';

/** One row for one table; keys are the table's KQL column names, values plain JS values. */
export interface IngestRow {
  table: string;
  /** Column name → value: string, number, bigint, boolean, Date (datetime), object/array (dynamic), null. */
  values: Record<string, unknown>;
  /**
   * Types the source declares for its fields (Zeek's `#types`, for instance). Used when a field
   * creates a new column of an inferred custom table; otherwise the type is inferred from the value.
   */
  types?: Record<string, KqlType>;
}

/** A record that could not be read or mapped: stored in `_IngestErrors`, never dropped. */
export interface IngestRejection {
  /** Where it came from: a file path (with record number or byte offset) or a listener/endpoint name. */
  source: string;
  /** The record's raw text, as far as it could be recovered (may be truncated for huge records). */
  raw: string;
  /** Why it was rejected, in words a person can act on. */
  reason: string;
  /** The table it was meant for, when known. */
  table?: string;
}

export type ReadResult = { kind: 'row'; row: IngestRow } | { kind: 'rejection'; rejection: IngestRejection };

/** A reader of one format: yields rows and rejections from a file (or stream) in order. */
export interface FormatReader {
  /** Short format name used by `--format` (e.g. `evtx`, `syslog`, `ndjson`). */
  readonly format: string;
  read(input: { path: string }): AsyncIterable<ReadResult>;
}
