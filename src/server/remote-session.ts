/**
 * A notebook QuerySession on a Quarry server (the seam src/notebooks/session/query-session.ts
 * describes): cells run through POST /api/query with a session id, so the server keeps their
 * `let` bindings and `%as` results (with the same InProcessSession logic the kernel uses
 * locally); errors come back positioned in the cell. Completion and quick info run locally on
 * the server's schema (GET /api/schema) plus the Sentinel catalog.
 */
import { randomUUID } from 'node:crypto';
import { SentinelCatalog } from '../catalog/catalog.js';
import type { QueryResult } from '../engine/result.js';
import { KqlError, type Diagnostic, type KqlErrorKind } from '../kql/diagnostics.js';
import { KustoEditorService, type CompletionList } from '../kql/frontend/kusto-language.js';
import type { Column } from '../kql/types.js';
import type { CellRunOptions, QuerySession } from '../notebooks/session/query-session.js';

export class RemoteSession implements QuerySession {
  private readonly session = randomUUID();
  private running?: string;
  private tables = new Map<string, Column[]>();
  private readonly catalog = new SentinelCatalog();
  private readonly editor: KustoEditorService;

  private constructor(readonly target: string, private readonly url: string, private readonly token: string | undefined) {
    this.editor = new KustoEditorService({
      tableColumns: (n) => this.tables.get(n) ?? this.catalog.get(n)?.columns,
      tableNames: () => [...new Set([...this.tables.keys(), ...this.catalog.names()])].sort(),
    });
  }

  /** Connects to the server at `url` (checks /api/health and reads the schema). */
  static async open(url: string, token?: string, target = url): Promise<RemoteSession> {
    const session = new RemoteSession(target, url, token);
    const health = await fetch(new URL('/api/health', url)).catch((err: Error) => {
      throw new Error(`${url}: no Quarry server answers (${err.message})`);
    });
    if (!health.ok) throw new Error(`${url}: /api/health answered ${health.status}`);
    await session.refreshSchema();
    return session;
  }

  private headers(): Record<string, string> {
    return { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) };
  }

  private async refreshSchema(): Promise<void> {
    const res = await fetch(new URL('/api/schema', this.url), { headers: this.headers() });
    if (!res.ok) throw new Error(`${this.url}: /api/schema answered ${res.status}: ${await res.text()}`);
    const data = (await res.json()) as { tables: { name: string; columns: Column[] }[] };
    this.tables = new Map(data.tables.map((t) => [t.name, t.columns]));
  }

  async run(code: string, options: CellRunOptions = {}): Promise<QueryResult | null> {
    const id = randomUUID();
    this.running = id;
    try {
      const res = await fetch(new URL('/api/query', this.url), {
        method: 'POST',
        headers: this.headers(),
        body: JSON.stringify({ query: code, id, session: this.session, timeoutMs: options.timeoutMs, storeAs: options.storeAs }),
      });
      const data = (await res.json()) as Record<string, unknown>;
      if (res.status !== 200) {
        throw new KqlError((data.kind as KqlErrorKind | undefined) ?? 'runtime', String(data.error ?? `the server answered ${res.status}`), (data.diagnostics as Diagnostic[] | undefined) ?? []);
      }
      if (options.storeAs) await this.refreshSchema().catch(() => undefined);
      if ('result' in data && data.result === null) return null;
      const { id: _id, ...result } = data;
      return result as unknown as QueryResult;
    } finally {
      this.running = undefined;
    }
  }

  complete(code: string, cursor: number): CompletionList {
    return this.editor.complete(code, cursor);
  }

  inspect(code: string, cursor: number): string | undefined {
    return this.editor.quickInfo(code, cursor);
  }

  interrupt(): void {
    if (!this.running) return;
    void fetch(new URL(`/api/query/${this.running}/cancel`, this.url), { method: 'POST', headers: this.headers(), body: '{}' }).catch(() => undefined);
  }

  async close(): Promise<void> {
    await fetch(new URL(`/api/sessions/${this.session}`, this.url), { method: 'DELETE', headers: this.headers() }).catch(() => undefined);
  }
}
