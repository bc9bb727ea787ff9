/**
 * `quarry ingest` while a server owns the workspace: the CLI reads and maps the files itself
 * and sends each batch to POST /api/ingest-batches. Every batch has an idempotency key (this
 * run's id and the batch's number), so a batch retried after a dropped connection, a 429 or a
 * server restart is stored once.
 */
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { batchJson, encodeBatch } from '../ingest/batch-wire.js';
import { IngestError, type BatchResult, type IngestBatch } from '../ingest/ingestor.js';
import type { ServerInfo } from './state-file.js';

const MAX_ATTEMPTS = 8;
const MAX_WAIT_MS = 10_000;
/** Exponential back-off before attempt `attempt + 1`, capped. */
const backoffMs = (attempt: number) => Math.min(MAX_WAIT_MS, 250 * 2 ** attempt);

export class RemoteIngestor {
  private readonly run = randomUUID();
  private sequence = 0;

  constructor(readonly server: ServerInfo, private readonly sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))) {}

  async write(batch: IngestBatch): Promise<BatchResult> {
    const key = `${this.run}:${++this.sequence}`;
    const body = gzipSync(batchJson(encodeBatch(batch)));
    let lastProblem = '';
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      let res: Response;
      try {
        res = await fetch(new URL('/api/ingest-batches', this.server.url), {
          method: 'POST',
          headers: {
            'content-type': 'application/json', 'content-encoding': 'gzip', 'idempotency-key': key,
            authorization: `Bearer ${this.server.token}`,
          },
          body,
        });
      } catch (err) {
        // The connection failed: the batch may or may not have been stored; the key makes a retry safe.
        lastProblem = `the server at ${this.server.url} did not answer (${(err as Error).message})`;
        await this.sleep(backoffMs(attempt));
        continue;
      }
      const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (res.ok) return data as unknown as BatchResult;
      lastProblem = `the server answered ${res.status}: ${String(data.error ?? res.statusText)}`;
      if (res.status === 429 || res.status === 503 || res.status >= 500) {
        const retryAfter = Number(res.headers.get('retry-after'));
        await this.sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(MAX_WAIT_MS, retryAfter * 1000) : backoffMs(attempt));
        continue;
      }
      throw new IngestError(`${batch.source}: ${lastProblem}`);
    }
    throw new IngestError(`${batch.source}: gave up after ${MAX_ATTEMPTS} attempts; ${lastProblem}`);
  }

  /** DuckDB's own NDJSON reader runs in the server's process only: the CLI sends records instead. */
  async importNdjsonFile(): Promise<undefined> {
    return undefined;
  }

  async close(): Promise<void> {}
}
