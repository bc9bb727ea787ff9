/**
 * The CLI's engine when a server owns the workspace (DuckDB lets one process write the file):
 * queries go to the server's POST /api/query with the owner token from server.json.
 */
import { randomUUID } from 'node:crypto';
import type { QueryOptions, QueryResult } from '../engine/result.js';
import { KqlError, type KqlErrorKind, type Diagnostic } from '../kql/diagnostics.js';
import type { ServerInfo } from './state-file.js';

export class RemoteEngine {
  private running?: string;

  constructor(readonly server: ServerInfo) {}

  private async post(path: string, body: unknown): Promise<{ status: number; data: Record<string, unknown> }> {
    const res = await fetch(new URL(path, this.server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.server.token}` },
      body: JSON.stringify(body),
    });
    const data = (await res.json().catch(() => ({ error: `the server answered ${res.status} without JSON` }))) as Record<string, unknown>;
    return { status: res.status, data };
  }

  async query(text: string, options: QueryOptions = {}): Promise<QueryResult> {
    const id = randomUUID();
    this.running = id;
    try {
      const { status, data } = await this.post('/api/query', { query: text, id, timeoutMs: options.timeoutMs, noTruncate: options.noTruncate });
      if (status !== 200) {
        throw new KqlError((data.kind as KqlErrorKind | undefined) ?? 'runtime', String(data.error ?? `the server answered ${status}`), (data.diagnostics as Diagnostic[] | undefined) ?? []);
      }
      const { id: _id, ...result } = data;
      return result as unknown as QueryResult;
    } finally {
      this.running = undefined;
    }
  }

  async tableNames(): Promise<string[]> {
    const res = await fetch(new URL('/api/stats', this.server.url), { headers: { authorization: `Bearer ${this.server.token}` } });
    const data = (await res.json()) as { tables?: Record<string, number> };
    return Object.keys(data.tables ?? {}).sort();
  }

  cancel(): void {
    if (this.running) void this.post(`/api/query/${this.running}/cancel`, {}).catch(() => undefined);
  }

  async close(): Promise<void> {}
}
