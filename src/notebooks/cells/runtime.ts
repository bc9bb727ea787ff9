import { existsSync } from 'node:fs';
import path from 'node:path';
import { KqlError, renderDiagnostic } from '../../kql/diagnostics.js';
import { cellOutputs } from '../render/bundle.js';
import { DEFAULT_DISPLAY_ROWS } from '../render/table.js';
import type { QuerySession, SessionOpener } from '../session/query-session.js';
import { CONFIG_FILE } from '../../workspace/workspace.js';
import { MagicError, parseCell, parsePositive } from './magics.js';
import type { NbOutput } from './outputs.js';

/** How a cell ended. */
export type CellStatus = { ok: true } | { ok: false; ename: string; evalue: string; traceback: string[] };

/** The workspace folder holding `dir` (a notebook sits in `<workspace>/notebooks/`), if any. */
export function findWorkspace(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, CONFIG_FILE))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

export interface RuntimeOptions {
  /** Opens a session on a workspace folder or server URL. */
  open: SessionOpener;
  /** The workspace used until a `%workspace` line names another. */
  workspace?: string;
}

/**
 * Runs notebook cells: magics, then the KQL through a QuerySession, then the outputs. Shared by
 * the Jupyter kernel and `quarry notebook run`, so both give the same outputs.
 */
export class NotebookRuntime {
  private session?: QuerySession;
  private opening?: Promise<QuerySession>;
  private target?: string;
  private timeoutMs?: number;
  private limit = DEFAULT_DISPLAY_ROWS;

  constructor(private readonly options: RuntimeOptions) {
    this.target = options.workspace && resolveTarget(options.workspace);
  }

  /** The open session (opened on first use). */
  async currentSession(): Promise<QuerySession> {
    if (this.session) return this.session;
    if (!this.target) throw new MagicError('no workspace: this notebook is not inside a Quarry workspace; name one with %workspace PATH');
    // One opening at a time: a warm-up and the first cell must not open the database twice.
    this.opening ??= this.options.open(this.target).finally(() => (this.opening = undefined));
    this.session = await this.opening;
    return this.session;
  }

  /** Opens the session and loads the parser in the background; a failure shows on the first cell. */
  async warmUp(): Promise<void> {
    try {
      await (await this.currentSession()).warmUp?.();
    } catch {
      /* reported when a cell needs the session */
    }
  }

  /** The session if one is open (completion must not open a database on a keystroke). */
  openSession(): QuerySession | undefined {
    return this.session;
  }

  /**
   * Runs one cell, handing each output to `emit` as soon as it exists. Never throws: failures
   * become an `error` output and a failed status.
   */
  async runCell(source: string, executionCount: number | null, emit: (o: NbOutput) => void): Promise<CellStatus> {
    try {
      const cell = parseCell(source);
      let storeAs: string | undefined;
      const notes: string[] = [];
      for (const m of cell.magics) {
        if (m.name === 'workspace') {
          await this.switchWorkspace(m.arg);
          notes.push(`workspace: ${this.target}`);
        } else if (m.name === 'timeout') {
          this.timeoutMs = m.arg.toLowerCase() === 'off' ? undefined : Math.round(parsePositive(m, 'seconds') * 1000);
          notes.push(this.timeoutMs ? `timeout: ${this.timeoutMs / 1000} s` : 'timeout: off');
        } else if (m.name === 'limit') {
          this.limit = Math.floor(parsePositive(m, 'rows'));
          notes.push(`showing up to ${this.limit} rows`);
        } else {
          storeAs = m.arg;
        }
      }
      if (cell.code.trim() === '' || /^(\s|\/\/[^\n]*)*$/.test(cell.code)) {
        if (storeAs) throw new MagicError('%as needs a query in the same cell');
        if (notes.length) emit({ output_type: 'stream', name: 'stdout', text: `${notes.join('\n')}\n` });
        return { ok: true };
      }
      const session = await this.currentSession();
      const result = await session.run(cell.code, { timeoutMs: this.timeoutMs, storeAs });
      if (!result) return { ok: true };
      const out = await cellOutputs(result, this.limit);
      if (out.chartError) emit({ output_type: 'stream', name: 'stderr', text: `chart not drawn: ${out.chartError}\n` });
      if (out.chart) emit({ output_type: 'display_data', data: out.chart, metadata: {} });
      if (storeAs) emit({ output_type: 'stream', name: 'stdout', text: `stored as table ${storeAs} (${result.rows.length} rows)\n` });
      emit({ output_type: 'execute_result', data: out.result, metadata: {}, execution_count: executionCount });
      return { ok: true };
    } catch (err) {
      const failure = describeError(err, source);
      emit({ output_type: 'error', ...failure });
      return { ok: false, ...failure };
    }
  }

  private async switchWorkspace(target: string): Promise<void> {
    const resolved = resolveTarget(target);
    // The same workspace again keeps the session (and its bindings and %as tables).
    if (resolved === this.target && this.session) return;
    const next = await this.options.open(resolved);
    await this.session?.close();
    this.session = next;
    this.target = resolved;
  }

  /** Stops the running query, if any. */
  interrupt(): void {
    this.session?.interrupt();
  }

  async close(): Promise<void> {
    await this.session?.close();
    this.session = undefined;
  }
}

/** A workspace folder as an absolute path; a server URL as it is. */
function resolveTarget(target: string): string {
  return /^https?:\/\//i.test(target) ? target : path.resolve(target);
}

/** An error as Jupyter shows it: a name, the message with its position, the source line marked. */
export function describeError(err: unknown, source: string): { ename: string; evalue: string; traceback: string[] } {
  if (err instanceof KqlError) {
    const d = err.diagnostics[0];
    const ename = `KQL ${err.kind} error`;
    const evalue = d && d.start >= 0 && d.line ? `line ${d.line}, column ${d.column}: ${err.message}` : err.message;
    const traceback = [`${ename}: ${evalue}`];
    for (const diag of err.diagnostics) if (diag.line) traceback.push(renderDiagnostic(source, diag));
    return { ename, evalue, traceback };
  }
  if (err instanceof MagicError) return { ename: 'Magic error', evalue: err.message, traceback: [`Magic error: ${err.message}`] };
  const message = err instanceof Error ? err.message : String(err);
  const ename = err instanceof Error && err.name !== 'Error' ? err.name : 'Quarry error';
  return { ename, evalue: message, traceback: [`${ename}: ${message}`] };
}
