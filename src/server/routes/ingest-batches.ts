import type { FastifyInstance } from 'fastify';
import { wireBatchSchema } from '../../ingest/batch-wire.js';
import type { ServerContext } from '../context.js';
import { RequestError, decodeBody } from '../ingest-body.js';
import { parseJsonBody } from '../json-body.js';

const MAX_KEY_CHARS = 200;

/**
 * POST /api/ingest-batches: rows and rejections already read and mapped by a client (how
 * `quarry ingest` sends EVTX, syslog, Zeek… files while the server owns the database). JSON
 * (gzip accepted) as batch-wire.ts encodes it, with an `Idempotency-Key` so a retried batch is
 * stored once. Answers after the commit: `{accepted, rejected, conflicts, duplicate, tables}`.
 */
export function ingestBatchRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/api/ingest-batches', async (request) => {
    if (ctx.stopping) throw new RequestError(503, 'the server is stopping');
    const header = request.headers['idempotency-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (key !== undefined && (key.length === 0 || key.length > MAX_KEY_CHARS)) {
      throw new RequestError(400, `Idempotency-Key must be 1–${MAX_KEY_CHARS} characters`);
    }
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const encoding = request.headers['content-encoding'];
    const batch = parseJsonBody(decodeBody(raw, Array.isArray(encoding) ? encoding[0] : encoding), wireBatchSchema);
    return ctx.db.ingest({ ...batch, idempotencyKey: key ? `batches\u0000${key}` : undefined });
  });
}
