import type { KqlType } from '../kql/types.js';

/**
 * The one result shape shared by the CLI, batch mode, the server API and the kernel.
 * Row values are already in wire form:
 *  - bool → boolean; int/real → number; long → number, or a decimal string beyond ±2^53;
 *  - decimal → string; string/guid → string (strings are never null: "" instead);
 *  - datetime → ISO 8601 UTC with 7 fractional digits (`2024-01-01T00:00:00.0000000Z`);
 *  - timespan → `[-][d.]hh:mm:ss[.fffffff]`; dynamic → the JSON value itself;
 *  - null → null.
 */
export interface ResultColumn {
  name: string;
  type: KqlType;
}

export interface Visualization {
  kind: string;
  [property: string]: unknown;
}

export interface QueryStats {
  elapsedMs: number;
  rowCount: number;
}

export interface QueryResult {
  columns: ResultColumn[];
  rows: unknown[][];
  truncated: boolean;
  warnings: string[];
  visualization: Visualization | null;
  stats: QueryStats;
}

export interface QueryOptions {
  /** Stop the query after this many milliseconds with a `timeout` KqlError. */
  timeoutMs?: number;
  /** Return all rows, as `set notruncation;` does. */
  noTruncate?: boolean;
  /** The value of now() for this query (defaults to the wall clock at query start). */
  now?: Date;
  /** Values for the query's `declare query_parameters(...)`, by name (declared defaults fill the rest). */
  parameters?: Record<string, unknown>;
  /**
   * Restrict every stored table to rows with `column` in [from, to) before the query sees them, as
   * Log Analytics' `timespan` does for a scheduled rule's query period. Default column: TimeGenerated;
   * tables without that column are not restricted.
   */
  timeRange?: TimeRange;
}

export interface TimeRange {
  from: Date;
  to: Date;
  column?: string;
}

/** Kusto's default result limits. */
export const TRUNCATION_MAX_ROWS = 500_000;
export const TRUNCATION_MAX_BYTES = 64 * 1024 * 1024;
