import type { EngineOptions } from '../engine/engine.js';
import type { QueryOptions, QueryResult } from '../engine/result.js';

/**
 * What the CLI needs from a query engine: the public surface of QueryEngine. Commands receive
 * an EngineFactory instead of importing QueryEngine, so tests can run them on a fake engine.
 */
export interface Engine {
  query(text: string, options?: QueryOptions): Promise<QueryResult>;
  tableNames(): string[] | Promise<string[]>;
  close(): Promise<void>;
  /** Cancels the running query, if the engine can (it then fails with a `cancelled` KqlError). */
  cancel?(): unknown;
}

export type EngineFactory = (options: EngineOptions) => Promise<Engine>;

/** Opens the real engine. Imported lazily: DuckDB and the KQL parser are slow to load. */
export const openQueryEngine: EngineFactory = async (options) => {
  const { QueryEngine } = await import('../engine/engine.js');
  return QueryEngine.open(options);
};
