import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { SentinelCatalog } from '../catalog/catalog.js';
import { withDefenderTimeColumns } from '../catalog/defender-timestamp.js';
import { KqlError, type Diagnostic } from '../kql/diagnostics.js';
import { compileToIr } from '../kql/compile.js';
import type { QueryIR } from '../kql/ir/ir.js';
import { KustoFrontend, type SavedFunction } from '../kql/frontend/kusto-language.js';
import type { WatchlistSource } from '../kql/ir/builder.js';
import type { Column } from '../kql/types.js';
import { DuckDbCompiler } from './duckdb/compiler.js';
import { DuckDbDialect } from './duckdb/duckdb-dialect.js';
import { readDatabaseTables } from './duckdb/database-tables.js';
import { wireValue } from './duckdb/read-values.js';
import { registerUdfs } from './duckdb/udfs/index.js';
import { suggestNames } from './suggest.js';
import { discoveryPlan, prepareDiscovering } from './schema-discovery.js';
import { checkExternalData, httpFetcher, NO_REMOTE_DATA, RemoteFetchNeeded, type RemoteDataPolicy } from './external-data-policy.js';
import { discoveredKeys, distinctKeysSql } from './duckdb/schema-discovery.js';
import { TRUNCATION_MAX_BYTES, TRUNCATION_MAX_ROWS, type QueryOptions, type QueryResult, type TimeRange, type Visualization } from './result.js';

const IR_CACHE_SIZE = 512;
/** For a find/search over all tables: catalog tables added per referenced column (see reachableTables). */
const CATALOG_TABLES_PER_COLUMN = 2;
/** externaldata reads its source when the query runs; a fetched copy serves the queries of the next minutes. */
const REMOTE_DATA_TTL_MS = 5 * 60_000;

/** Options for opening the engine on a database. */
export interface EngineOptions {
  /** DuckDB database file; ':memory:' (the default) for a throw-away database. */
  databasePath?: string;
  /** Which http(s) URLs externaldata may read, and how they are fetched; none by default. */
  remoteData?: RemoteDataPolicy;
  /** Saved functions usable by name in queries (a workspace's functions/ folder). */
  savedFunctions?: SavedFunctionSource;
  /** Watchlists for `_GetWatchlist('alias')` (a workspace's watchlists/ folder). */
  watchlists?: WatchlistLookup;
}

/** Where saved functions come from; `version()` changes when any of them changes. */
export interface SavedFunctionSource {
  get(name: string): SavedFunction | undefined;
  version(): number;
}

/** Where watchlists come from; `version()` changes when any of their files changes. */
export interface WatchlistLookup {
  get(alias: string): WatchlistSource | undefined;
  version(): string;
}

/** Timings of one query's stages, for benchmarks and `--verbose`. */
export interface QueryTimings {
  analysisMs: number;
  irMs: number;
  sqlMs: number;
  executeMs: number;
}

/** What the compile step produced, for tools that want the SQL (tests, benchmarks, explain). */
export interface PreparedQuery {
  sql: string;
  columns: Column[];
  warnings: string[];
  visualization: Visualization | null;
  noTruncate: boolean;
  timings: Omit<QueryTimings, 'executeMs'>;
}

/**
 * The one KQL engine: text in, typed rows out. The CLI, rules, the kernel and the server all
 * call this and nothing else to run KQL. Pipeline: Kusto.Language analysis → IR → DuckDB SQL →
 * execution → wire values.
 */
export class QueryEngine {
  private readonly sentinel = new SentinelCatalog();
  private databaseTables = new Map<string, Column[]>();
  private readonly frontend: KustoFrontend;
  private readonly dialect = new DuckDbDialect();
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * Analysed queries by text: rules, notebooks and dashboards run the same text again and again.
   * The IR holds no time (now() is a node, fixed when compiling to SQL), so it can be reused
   * until the catalog changes.
   */
  private readonly irCache = new Map<string, QueryIR>();
  lastTimings?: QueryTimings;
  private remoteData: RemoteDataPolicy = NO_REMOTE_DATA;
  private savedFunctions?: SavedFunctionSource;
  private watchlists?: WatchlistLookup;
  /** Local copies of remote externaldata sources by URL, re-fetched when older than REMOTE_DATA_TTL_MS. */
  private readonly fetchedSources = new Map<string, { file: string; at: number }>();

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {
    this.frontend = new KustoFrontend({
      tableColumns: (name) => this.tableColumns(name),
      reachableTables: (ids, wildcards) => this.reachableTables(ids, wildcards),
      savedFunction: (name) => this.savedFunctions?.get(name),
      watchlistColumns: (alias) => {
        try {
          return this.watchlists?.get(alias)?.columns;
        } catch {
          return undefined; // a malformed file is reported when the query compiles
        }
      },
    });
  }

  static async open(options: EngineOptions = {}): Promise<QueryEngine> {
    // Nothing is downloaded at run time: DuckDB must not fetch extensions (e.g. httpfs) itself.
    const instance = await DuckDBInstance.create(options.databasePath ?? ':memory:', { autoinstall_known_extensions: 'false' });
    const connection = await instance.connect();
    registerUdfs(connection);
    const engine = new QueryEngine(instance, connection);
    engine.remoteData = options.remoteData ?? NO_REMOTE_DATA;
    engine.savedFunctions = options.savedFunctions;
    engine.watchlists = options.watchlists;
    await engine.refreshCatalog();
    return engine;
  }

  /**
   * Re-reads the database's tables (call after creating or altering tables). `connection`: read
   * them through another connection of the database (a lane's), not the engine's own.
   */
  async refreshCatalog(connection: DuckDBConnection = this.connection): Promise<void> {
    this.databaseTables = await readDatabaseTables(connection);
    this.frontend.invalidate();
    this.irCache.clear();
  }

  /** Columns of a table: the database's own first, then the Sentinel catalog's. */
  tableColumns(name: string): Column[] | undefined {
    const stored = this.databaseTables.get(name);
    if (!stored) return this.sentinel.get(name)?.columns;
    // A stored Defender XDR table answers to Timestamp as well as TimeGenerated (defender-timestamp.ts).
    return this.sentinel.get(name)?.defenderXdr ? withDefenderTimeColumns(stored) : stored;
  }

  /** Column names of a table as stored in the database, for the compiler. */
  private storedColumnNames(name: string): ReadonlySet<string> | undefined {
    const stored = this.databaseTables.get(name);
    return stored && new Set(stored.map((c) => c.name));
  }

  /** Names of the tables a query can use (database tables plus the Sentinel catalog). */
  tableNames(): string[] {
    return [...new Set([...this.databaseTables.keys(), ...this.sentinel.names()])].sort();
  }

  /**
   * The tables `find`/`search` over all tables (or a wildcard union) are analysed against: the
   * database's own, plus, for each column the query names that none of those has, a few catalog
   * tables that have it. Kusto.Language then resolves the same columns as against the whole
   * catalog, without the seconds that analysing hundreds of tables costs. Execution reads only
   * the database's tables (schema discovery), so the extra ones change no result.
   */
  private reachableTables(identifiers: ReadonlySet<string>, wildcards: readonly string[]): string[] {
    const tables = new Set(this.databaseTables.keys());
    // `union Security*`: every table the pattern matches, stored or from the catalog.
    const patterns = wildcards.map((w) => new RegExp(`^${w.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
    if (patterns.length) for (const name of this.tableNames()) if (patterns.some((p) => p.test(name))) tables.add(name);
    const stored = new Set([...this.databaseTables.values()].flatMap((cols) => cols.map((c) => c.name)));
    for (const id of identifiers) {
      if (stored.has(id)) continue;
      for (const t of this.sentinel.tablesWithColumn(id).slice(0, CATALOG_TABLES_PER_COLUMN)) tables.add(t);
    }
    return [...tables];
  }

  /** Tables that hold data in this database. */
  databaseTableNames(): string[] {
    return [...this.databaseTables.keys()].sort();
  }

  /**
   * Analyses and compiles a query without running it. Throws KqlError. `useCache: false` analyses
   * afresh (for measuring analysis time).
   */
  prepare(text: string, options: QueryOptions = {}, { useCache = true }: { useCache?: boolean } = {}): PreparedQuery {
    const t0 = performance.now();
    // Parameter values and saved functions (expanded into the IR) are part of the cache key.
    const functionsVersion = (this.savedFunctions ? `\u0001${this.savedFunctions.version()}` : '') +
      (this.watchlists && text.includes('_GetWatchlist') ? `\u0002${this.watchlists.version()}` : '');
    const cacheKey = (options.parameters ? `${text}\u0000${JSON.stringify(options.parameters)}` : text) + functionsVersion;
    let cached = useCache ? this.irCache.get(cacheKey) : undefined;
    let analysisMs = 0;
    let irMs = 0;
    if (cached) {
      // Refresh its place in the LRU order.
      this.irCache.delete(cacheKey);
      this.irCache.set(cacheKey, cached);
    } else {
      const analysis = this.frontend.analyze(text);
      const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length) throw this.diagnosticError(text, errors);
      const t1 = performance.now();
      cached = compileToIr(analysis, {
        tableExists: (name) => this.databaseTables.has(name),
        queryParameters: options.parameters,
        databaseIsEmpty: () => this.databaseTables.size === 0,
        watchlist: (alias) => this.watchlists?.get(alias),
      });
      irMs = performance.now() - t1;
      analysisMs = t1 - t0;
      this.irCache.set(cacheKey, cached);
      if (this.irCache.size > IR_CACHE_SIZE) this.irCache.delete(this.irCache.keys().next().value!);
    }
    const ir = cached;
    checkExternalData(ir.plan, this.remoteData);
    const t2 = performance.now();
    const queryNow = typeof ir.options['query_now'] === 'string' ? new Date(ir.options['query_now'] as string) : undefined;
    const compiled = this.compiler(queryNow ?? options.now ?? new Date(), options.timeRange).compile(ir);
    const t3 = performance.now();
    // The chart type is `kind`; render's own `kind=` property (stacked, unstacked, stacked100, map)
    // would overwrite it, so it travels as `variant`.
    const visualization = ir.render ? renderVisualization(ir.render.kind, ir.render.properties) : null;
    return {
      sql: compiled.sql,
      columns: compiled.columns,
      warnings: compiled.warnings,
      visualization,
      noTruncate: Boolean(options.noTruncate || ir.options['notruncation']),
      timings: { analysisMs, irMs, sqlMs: t3 - t2 },
    };
  }

  /**
   * prepare(), learning the columns of data-dependent operators (evaluate pivot()/bag_unpack()
   * without an output schema) by running their input first.
   */
  async prepareWithData(text: string, options: QueryOptions = {}, connection: DuckDBConnection = this.connection): Promise<PreparedQuery> {
    // Allowed remote externaldata sources are fetched into local files, then compiling resumes.
    for (;;) {
      try {
        return await this.prepareDiscoveringSchemas(text, options, connection);
      } catch (err) {
        if (!(err instanceof RemoteFetchNeeded)) throw err;
        const fetch = this.remoteData.fetch ?? httpFetcher;
        for (const url of err.urls) this.fetchedSources.set(url, { file: await fetch(url), at: Date.now() });
      }
    }
  }

  private compiler(now: Date, timeRange?: TimeRange): DuckDbCompiler {
    const compiler = new DuckDbCompiler(this.dialect, now, (t) => this.storedColumnNames(t), (url) => {
      const fetched = this.fetchedSources.get(url);
      return fetched && Date.now() - fetched.at < REMOTE_DATA_TTL_MS ? fetched.file : undefined;
    });
    compiler.timeRange = timeRange;
    return compiler;
  }

  private prepareDiscoveringSchemas(text: string, options: QueryOptions, connection: DuckDBConnection): Promise<PreparedQuery> {
    return prepareDiscovering(text, (t) => this.prepare(t, options), async ({ request }) => {
      if (request.kind === 'databaseTables') return this.databaseTableNames().map((name) => ({ name }));
      const plan = discoveryPlan(request);
      // The discovery query reads the same sources as the query itself: same network policy.
      checkExternalData(plan, this.remoteData);
      const keys = this.compiler(options.now ?? new Date(), options.timeRange).compile({ plan, render: null, options: {} });
      try {
        const reader = await connection.runAndReadAll(distinctKeysSql(request, keys.sql));
        return discoveredKeys(reader.getRows());
      } catch (err) {
        throw runtimeError(err, text);
      }
    });
  }

  /** Runs a KQL query (one or more statements). Throws KqlError on any failure. */
  query(text: string, options: QueryOptions = {}): Promise<QueryResult> {
    return this.exclusive((c) => this.runOn(c, text, options));
  }

  /**
   * A lane: another connection on the engine's database with its own queue, sharing this
   * engine's catalog, analysis and IR cache. Queries on different lanes run at the same time
   * (the server runs detections beside user queries, so a long query delays neither).
   */
  async openLane(): Promise<QueryLane> {
    const connection = await this.instance.connect();
    registerUdfs(connection);
    return new QueryLane(this, connection);
  }

  /** Another connection on the engine's database, for a writer in the same process (ingestion). */
  connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  /**
   * Runs `work` on the engine's connection between queries, never during one: how other parts
   * of Quarry (detections' tables) write to the database the engine reads.
   */
  exclusive<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const run = this.queue.then(() => work(this.connection));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Stops the query that is running now, if any. */
  cancel(): void {
    this.connection.interrupt();
  }

  /** Runs a query on `connection` now (callers queue: one statement at a time per connection). */
  async runOn(connection: DuckDBConnection, text: string, options: QueryOptions): Promise<QueryResult> {
    const started = performance.now();
    const prepared = await this.prepareWithData(text, options, connection);
    const limit = prepared.noTruncate ? undefined : TRUNCATION_MAX_ROWS;
    let timedOut = false;
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          connection.interrupt();
        }, options.timeoutMs)
      : undefined;
    const t0 = performance.now();
    let rows: unknown[][];
    try {
      // Truncation reads the result as a stream and stops past the limit, rather than adding a
      // LIMIT to the SQL (which makes DuckDB keep the row order of every query).
      const reader = limit === undefined
        ? await connection.runAndReadAll(prepared.sql)
        : await connection.streamAndReadUntil(prepared.sql, limit + 1);
      rows = reader.getRows() as unknown[][];
    } catch (err) {
      if (timedOut) throw new KqlError('timeout', `the query was stopped after its ${(options.timeoutMs! / 1000).toFixed(1)} s timeout`);
      throw runtimeError(err, text);
    } finally {
      if (timer) clearTimeout(timer);
    }
    const executeMs = performance.now() - t0;
    const warnings = [...prepared.warnings];
    let truncated = false;
    if (limit !== undefined && rows.length > limit) {
      rows = rows.slice(0, limit);
      truncated = true;
      warnings.push(`the result was truncated to ${limit} rows (use 'set notruncation;' or --no-truncate for all rows)`);
    }
    const types = prepared.columns.map((c) => c.type);
    const out: unknown[][] = new Array(rows.length);
    let bytes = 0;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const w = types.map((t, j) => wireValue(r[j], t));
      out[i] = w;
      if (limit !== undefined) {
        bytes += approximateSize(w);
        if (bytes > TRUNCATION_MAX_BYTES) {
          out.length = i;
          truncated = true;
          warnings.push(`the result was truncated at ${i} rows because it exceeds 64 MB (use 'set notruncation;' or --no-truncate)`);
          break;
        }
      }
    }
    this.lastTimings = { ...prepared.timings, executeMs };
    return {
      columns: prepared.columns.map((c) => ({ name: c.name, type: c.type })),
      rows: out,
      truncated,
      warnings,
      visualization: prepared.visualization,
      stats: { elapsedMs: Math.round((performance.now() - started) * 1000) / 1000, rowCount: out.length },
    };
  }

  private diagnosticError(text: string, errors: Diagnostic[]): KqlError {
    const candidates = () => {
      const names = new Set<string>(this.tableNames());
      const cols = new Set<string>();
      for (const m of text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
        for (const c of this.tableColumns(m[0]) ?? []) cols.add(c.name);
      }
      for (const m of text.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s*(?::|=(?!=))/g)) cols.add(m[1]!);
      return [...cols, ...names];
    };
    const enriched = errors.map((d) => {
      const unknown = /The name '([^']+)' does not refer to any known/.exec(d.message);
      if (!unknown) return d;
      const best = suggestNames(unknown[1]!, candidates());
      return best.length ? { ...d, message: `${d.message} Did you mean ${best.map((b) => `'${b}'`).join(' or ')}?` } : d;
    });
    const syntax = enriched.some((d) => /expected|missing|unexpected/i.test(d.message));
    return new KqlError(syntax ? 'syntax' : 'semantic', enriched[0]!.message, enriched);
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

function renderVisualization(kind: string, properties: Record<string, unknown>): Visualization {
  const { kind: variant, ...rest } = properties;
  return variant === undefined ? { ...rest, kind } : { ...rest, kind, variant };
}

function approximateSize(row: unknown[]): number {
  let n = 8;
  for (const v of row) n += typeof v === 'string' ? v.length + 2 : typeof v === 'object' && v !== null ? JSON.stringify(v).length : 8;
  return n;
}

/** RE2's messages for a pattern it cannot compile. */
const RE2_ERROR = /^(missing [)\]]|invalid (escape|repetition|character class|named capture|perl operator|UTF-8|nested repetition)|bad repetition|trailing \\|unexpected \)|no argument for repetition|unknown|pattern too large)/i;
const REGEX_FUNCTIONS = /\b(matches\s+regex|extract_all|extract|replace_regex|parse(?:-where)?\s+kind\s*=\s*regex|parse-kv|split|countof|indexof_regex|regex_\w+)\b/gi;

/** DuckDB's error text, reworded to name the KQL function where one can be told. */
function runtimeError(err: unknown, query: string): KqlError {
  const msg = err instanceof Error ? err.message : String(err);
  if (/INTERRUPT/i.test(msg)) return new KqlError('cancelled', 'the query was cancelled');
  // regexp_extract with group names words RE2's errors as `Pattern failed to parse: …`.
  const detail = msg.replace(/^[A-Za-z ]+Error: /, '').split('\n')[0]!.replace(/^Pattern failed to parse: /, '');
  if (RE2_ERROR.test(detail) || /regex|regular expression/i.test(detail)) {
    const fns = [...new Set([...query.matchAll(REGEX_FUNCTIONS)].map((m) => m[1]!.replace(/\s+/g, ' ')))];
    return new KqlError('runtime', `invalid regular expression${fns.length ? ` in ${fns.join(' / ')}` : ''}: ${detail}`);
  }
  const kql = /kql_(\w+)/.exec(msg);
  return new KqlError('runtime', kql ? `${kql[1]}(): ${detail}` : `the query failed while running: ${detail}`);
}

/**
 * A QueryEngine lane (QueryEngine.openLane): its own connection and queue, the engine's catalog
 * and analysis. It has the engine surface rules and the detection store use.
 */
export class QueryLane {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly engine: QueryEngine, readonly connection: DuckDBConnection) {}

  query(text: string, options: QueryOptions = {}): Promise<QueryResult> {
    return this.exclusive((c) => this.engine.runOn(c, text, options));
  }

  /** Runs `work` on this lane's connection between its queries. */
  exclusive<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const run = this.queue.then(() => work(this.connection));
    this.queue = run.catch(() => undefined);
    return run;
  }

  prepare(text: string, options: QueryOptions = {}): PreparedQuery {
    return this.engine.prepare(text, options);
  }

  prepareWithData(text: string, options: QueryOptions = {}): Promise<PreparedQuery> {
    return this.exclusive((c) => this.engine.prepareWithData(text, options, c));
  }

  /** Re-reads the shared catalog through this lane's connection. */
  refreshCatalog(): Promise<void> {
    return this.exclusive((c) => this.engine.refreshCatalog(c));
  }

  /** Stops the statement running on this lane, if any. */
  cancel(): void {
    this.connection.interrupt();
  }

  close(): void {
    this.connection.closeSync();
  }
}
