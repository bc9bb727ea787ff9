/**
 * Queries through the server: one at a time on the engine's connection (DuckDB runs one
 * statement per connection), each with an id the client may choose, so `cancel(id)` stops the
 * right one — a queued query is dropped before it starts, a running one is interrupted.
 * Sessions keep `let` bindings and `%as`-style named results across requests by reusing the
 * notebook kernel's InProcessSession on the server's engine.
 */
import { randomUUID } from 'node:crypto';
import type { QueryResult } from '../engine/result.js';
import { KqlError } from '../kql/diagnostics.js';
import { InProcessSession } from '../notebooks/session/in-process.js';
import type { ServerDatabase } from './database.js';

/** A session unused this long is forgotten. */
const SESSION_IDLE_MS = 60 * 60_000;
const MAX_SESSIONS = 256;

interface Tracked {
  id: string;
  state: 'queued' | 'running';
  cancelled: boolean;
}

export interface QueryRequest {
  query: string;
  id?: string;
  session?: string;
  timeoutMs?: number;
  /** Store the result as a table of this name in the session (needs `session`). */
  storeAs?: string;
  noTruncate?: boolean;
}

export class QueryService {
  private readonly sessions = new Map<string, { session: InProcessSession; used: number }>();
  private readonly queries = new Map<string, Tracked>();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: ServerDatabase) {}

  /** Runs a query; resolves with its id and result (null when a session request only declared bindings). */
  async run(request: QueryRequest): Promise<{ id: string; result: QueryResult | null }> {
    const id = request.id ?? randomUUID();
    if (this.queries.has(id)) throw new KqlError('semantic', `a query with id '${id}' is already running; choose another id`);
    if (request.storeAs && !request.session) throw new KqlError('semantic', 'storeAs needs a session id');
    const tracked: Tracked = { id, state: 'queued', cancelled: false };
    this.queries.set(id, tracked);
    const run = this.chain.then(async () => {
      if (tracked.cancelled) throw new KqlError('cancelled', 'the query was cancelled');
      tracked.state = 'running';
      await this.db.freshCatalog();
      if (request.session) {
        const session = this.session(request.session);
        return session.run(request.query, { timeoutMs: request.timeoutMs, storeAs: request.storeAs });
      }
      return this.db.engine.query(request.query, { timeoutMs: request.timeoutMs, noTruncate: request.noTruncate });
    });
    this.chain = run.catch(() => undefined);
    try {
      return { id, result: await run };
    } finally {
      this.queries.delete(id);
    }
  }

  /** Cancels a queued or running query; false when no query has this id. */
  cancel(id: string): boolean {
    const tracked = this.queries.get(id);
    if (!tracked) return false;
    tracked.cancelled = true;
    if (tracked.state === 'running') this.db.engine.cancel();
    return true;
  }

  running(): string[] {
    return [...this.queries.keys()];
  }

  private session(id: string): InProcessSession {
    const now = Date.now();
    for (const [k, v] of this.sessions) if (now - v.used > SESSION_IDLE_MS) this.sessions.delete(k);
    let entry = this.sessions.get(id);
    if (!entry) {
      if (this.sessions.size >= MAX_SESSIONS) throw new KqlError('semantic', `too many sessions (${MAX_SESSIONS}); close one with DELETE /api/sessions/{id}`);
      // The session shares the server's engine: closing it must not close the engine (see drop).
      entry = { session: InProcessSession.onEngine(this.db.engine, `session ${id}`), used: now };
      this.sessions.set(id, entry);
    }
    entry.used = now;
    return entry.session;
  }

  /** Forgets a session's bindings. */
  drop(id: string): boolean {
    return this.sessions.delete(id);
  }
}
