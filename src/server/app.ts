/**
 * The HTTP API (fastify). Bodies arrive as raw Buffers (every content type): the ingestion
 * routes decompress and decode them themselves, the query route validates JSON with zod.
 * The error handler turns every failure into a JSON error; nothing a request sends stops the
 * server.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { isKqlError, diagnosticsOf } from '../cli/error-output.js';
import { authHook } from './auth.js';
import type { ServerContext } from './context.js';
import { QueueFullError } from './database.js';
import { RequestError } from './ingest-body.js';
import { healthRoutes } from './routes/health.js';
import { ingestRoutes } from './routes/ingest.js';
import { ingestBatchRoutes } from './routes/ingest-batches.js';
import { queryRoutes } from './routes/query.js';
import { schemaRoutes } from './routes/schema.js';
import { statsRoutes } from './routes/stats.js';
import { tiRoutes } from './routes/ti.js';
import type { TokenVerifier } from './tokens.js';

/** Largest request body as sent (before gunzip). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export function buildApp(ctx: ServerContext, verifier: TokenVerifier): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: MAX_BODY_BYTES });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addHook('onRequest', authHook(verifier, ctx.db.workspace.config.localOnly, new Set(['/api/health'])));

  app.setErrorHandler((err, request, reply) => {
    if (err instanceof QueueFullError) {
      return reply.code(429).header('Retry-After', String(err.retryAfterSeconds)).send({ error: err.message });
    }
    if (err instanceof RequestError) return reply.code(err.statusCode).send({ error: err.message });
    if (isKqlError(err)) {
      const body: Record<string, unknown> = { error: err.message, kind: err.kind };
      const diagnostics = diagnosticsOf(err);
      if (diagnostics) body.diagnostics = diagnostics;
      return reply.code(err.kind === 'cancelled' || err.kind === 'timeout' ? 408 : 400).send(body);
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) return reply.code(status).send({ error: (err as Error).message });
    ctx.log(`error: ${request.method} ${request.url}: ${(err as Error).stack ?? String(err)}`);
    return reply.code(500).send({ error: `internal error: ${(err as Error).message}` });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` }));

  healthRoutes(app, ctx);
  statsRoutes(app, ctx);
  queryRoutes(app, ctx);
  schemaRoutes(app, ctx);
  ingestRoutes(app, ctx);
  ingestBatchRoutes(app, ctx);
  tiRoutes(app, ctx);
  return app;
}
