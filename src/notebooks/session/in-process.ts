import { engineOptionsFor } from '../../workspace/engine-options.js';
import { QueryEngine } from '../../engine/engine.js';
import type { QueryResult } from '../../engine/result.js';
import { KqlError } from '../../kql/diagnostics.js';
import { KustoEditorService, type CompletionList } from '../../kql/frontend/kusto-language.js';
import { openWorkspace } from '../../workspace/workspace.js';
import { sqlIdent, sqlString } from '../../engine/duckdb/sql-text.js';
import { SessionBindings } from './bindings.js';
import type { CellRunOptions, QuerySession } from './query-session.js';

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A session that opens the workspace's DuckDB database in this process with QueryEngine.
 * `%as` results are DuckDB temporary tables: they live as long as the session and never reach
 * the workspace's database file.
 */
export class InProcessSession implements QuerySession {
  private readonly bindings = new SessionBindings();
  private readonly stored = new Set<string>();
  private readonly editor: KustoEditorService;
  /** The cell being run, while one is. */
  private running?: Promise<unknown>;

  private constructor(readonly target: string, private readonly engine: QueryEngine) {
    this.editor = new KustoEditorService({ tableColumns: (n) => engine.tableColumns(n), tableNames: () => engine.tableNames() });
  }

  /** Opens the workspace in `dir` (which must exist: a notebook never creates one by accident). */
  static async open(dir: string): Promise<InProcessSession> {
    const ws = openWorkspace(dir);
    // externaldata reads only the http(s) URL prefixes the workspace lists.
    const engine = await QueryEngine.open(engineOptionsFor(ws));
    return new InProcessSession(ws.dir, engine);
  }

  /** A session on an existing engine (tests, `:memory:` databases). */
  static onEngine(engine: QueryEngine, target = ':memory:'): InProcessSession {
    return new InProcessSession(target, engine);
  }

  async run(code: string, options: CellRunOptions = {}): Promise<QueryResult | null> {
    const running = this.runCell(code, options);
    this.running = running;
    try {
      return await running;
    } finally {
      this.running = undefined;
    }
  }

  private async runCell(code: string, options: CellRunOptions): Promise<QueryResult | null> {
    const composed = this.bindings.compose(code);
    try {
      if (!composed.hasQuery) {
        // Only bindings: check they analyse (Kusto.Language reports errors in unused lets too).
        this.engine.prepare(`${composed.text}print __bindings_ok = true`);
        composed.commit();
        return null;
      }
      const result = options.storeAs
        ? await this.runAndStore(composed.text, options.storeAs, options.timeoutMs)
        : await this.engine.query(composed.text, { timeoutMs: options.timeoutMs });
      composed.commit();
      return result;
    } catch (err) {
      throw composed.mapError(err);
    }
  }

  /** Runs the query into a temporary table, then reads the table as the cell's result. */
  private async runAndStore(text: string, name: string, timeoutMs?: number): Promise<QueryResult> {
    if (!TABLE_NAME.test(name)) throw new KqlError('semantic', `%as: '${name}' is not a valid table name (letters, digits and _, not starting with a digit)`);
    if (!this.stored.has(name) && this.engine.databaseTableNames().includes(name)) {
      throw new KqlError('semantic', `%as: the workspace already has a table '${name}'; choose another name`);
    }
    const prepared = await this.engine.prepareWithData(text);
    let timedOut = false;
    const timer = timeoutMs ? setTimeout(() => { timedOut = true; this.engine.cancel(); }, timeoutMs) : undefined;
    try {
      await this.engine.connection.run(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(name)} AS ${prepared.sql}`);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      if (/INTERRUPT/i.test(msg)) throw timedOut ? new KqlError('timeout', `the query was stopped after its ${(timeoutMs! / 1000).toFixed(1)} s timeout`) : new KqlError('cancelled', 'the query was cancelled');
      throw new KqlError('runtime', `%as ${name}: the query failed while running: ${msg.split('\n')[0]}`);
    } finally {
      if (timer) clearTimeout(timer);
    }
    // Timespans are BIGINT ticks in DuckDB; the catalog reads this comment to type them (database-tables.ts).
    for (const c of prepared.columns) {
      if (c.type === 'timespan') await this.engine.connection.run(`COMMENT ON COLUMN temp.main.${sqlIdent(name)}.${sqlIdent(c.name)} IS ${sqlString('kql:timespan')}`);
    }
    this.stored.add(name);
    this.bindings.remove(name);
    await this.engine.refreshCatalog();
    const result = await this.engine.query(`['${name}']`, { timeoutMs });
    return { ...result, visualization: prepared.visualization, warnings: [...prepared.warnings, ...result.warnings] };
  }

  complete(code: string, cursor: number): CompletionList {
    const { text, offset } = this.bindings.prefixFor(code);
    const list = this.editor.complete(text, offset + cursor);
    return { start: Math.max(0, list.start - offset), end: Math.max(0, list.end - offset), items: list.items };
  }

  inspect(code: string, cursor: number): string | undefined {
    const { text, offset } = this.bindings.prefixFor(code);
    return this.editor.quickInfo(text, offset + cursor);
  }

  async warmUp(): Promise<void> {
    this.engine.prepare('print warm = 1');
    this.editor.complete('print warm = 1', 5);
  }

  interrupt(): void {
    const running = this.running;
    if (!running) return;
    // DuckDB can only interrupt a statement that has started: an interrupt that arrives while the
    // cell is still being analysed is repeated until the cell ends.
    this.engine.cancel();
    const again = setInterval(() => this.engine.cancel(), 100);
    void running.catch(() => undefined).finally(() => clearInterval(again));
  }

  async close(): Promise<void> {
    await this.engine.close();
  }
}
