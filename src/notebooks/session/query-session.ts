import type { QueryResult } from '../../engine/result.js';
import type { CompletionList } from '../../kql/frontend/kusto-language.js';

/** How one cell's query runs. */
export interface CellRunOptions {
  /** Stop the query after this many milliseconds. */
  timeoutMs?: number;
  /** Keep the cell's full result as a table of this name for later cells (`%as name`). */
  storeAs?: string;
}

/**
 * A notebook's connection to a Quarry workspace: runs cells with the session's let bindings,
 * completes and inspects code. The kernel and `quarry notebook run` talk only to this.
 * Implementations: InProcessSession (opens the workspace's database itself) and, once the
 * server exists, a session that uses the server's query API (chosen by `%workspace URL`).
 */
export interface QuerySession {
  /** The workspace folder or server URL, for messages. */
  readonly target: string;
  /**
   * Runs a cell's KQL. Resolves to null when the cell only declares bindings (nothing to show).
   * Rejects with a KqlError whose diagnostics are positioned in `code`.
   */
  run(code: string, options?: CellRunOptions): Promise<QueryResult | null>;
  /** Completions at `cursor` (a UTF-16 offset into `code`); offsets of the result are in `code`. */
  complete(code: string, cursor: number): CompletionList;
  /** Quick info (type, signature) of what is at `cursor`, or undefined. */
  inspect(code: string, cursor: number): string | undefined;
  /** Loads what the first cell and the first completion need (parser, catalog), ahead of them. */
  warmUp?(): Promise<void>;
  /** Stops the running query, if any (it then fails with a `cancelled` KqlError). */
  interrupt(): void;
  close(): Promise<void>;
}

/** Opens a session on a workspace folder (or, later, a server URL). */
export type SessionOpener = (target: string) => Promise<QuerySession>;
