import type { QueryOptions, QueryResult } from './result.js';

/** Options for opening the engine on a database. */
export interface EngineOptions {
  /** DuckDB database file; ':memory:' (the default) for a throw-away database. */
  databasePath?: string;
}

/**
 * The one KQL engine: text in, typed rows out. The CLI, rules, the kernel and the server all
 * call this and nothing else to run KQL.
 */
export class QueryEngine {
  private constructor() {}

  static async open(_options: EngineOptions = {}): Promise<QueryEngine> {
    throw new Error('QueryEngine: being implemented');
  }

  /** Runs a KQL query (one or more statements). Throws KqlError on any failure. */
  async query(_text: string, _options: QueryOptions = {}): Promise<QueryResult> {
    throw new Error('QueryEngine: being implemented');
  }

  /** Names of the tables a query can use (database tables plus the Sentinel catalog). */
  tableNames(): string[] {
    return [];
  }

  async close(): Promise<void> {}
}
