import type { FastifyInstance } from 'fastify';
import { wireBatchSchema } from '../../ingest/batch-wire.js';
import type { ServerContext } from '../context.js';
import { RequestError, idempotencyKeyOf, requestBytes } from '../ingest-body.js';
import { parseJsonBody } from '../json-body.js';

/**
 * POST /api/ingest-batches: rows and rejections already read and mapped by a client (how
 * `quarry ingest` sends EVTX, syslog, Zeek… files while the server owns the database). JSON
 * (gzip accepted) as batch-wire.ts encodes it, with an `Idempotency-Key` so a retried batch is
 * stored once. Answers after the commit: `{accepted, rejected, conflicts, duplicate, tables}`.
 */
export function ingestBatchRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/api/ingest-batches', async (request) => {
    if (ctx.stopping) throw new RequestError(503, 'the server is stopping');
    const key = idempotencyKeyOf(request.headers);
    const batch = parseJsonBody(requestBytes(request), wireBatchSchema);
    return ctx.db.ingest({ ...batch, idempotencyKey: key ? `batches\u0000${key}` : undefined });
  });
}
