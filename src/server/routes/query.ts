import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { wireResult } from '../../cli/format-json.js';
import type { ServerContext } from '../context.js';
import { parseJsonBody } from '../json-body.js';

const ID = z.string().min(1).max(128).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');

const queryBody = z.strictObject({
  query: z.string().min(1, 'the query is empty'),
  /** Client-chosen id, for POST /api/query/{id}/cancel; the server makes one otherwise. */
  id: ID.optional(),
  /** Bindings (`let`) and stored results persist across requests of the same session. */
  session: ID.optional(),
  timeoutMs: z.number().int().positive().max(24 * 3600_000).optional(),
  storeAs: z.string().min(1).optional(),
  /** All rows, past Kusto's 500,000-row / 64 MB limit (not with session). */
  noTruncate: z.boolean().optional(),
});

/**
 * POST /api/query → the CLI's JSON shape (`quarry query -f json`) plus `id`; a session request
 * that only declares bindings answers `{id, result: null}`. Errors: 400 `{id, error, kind, diagnostics}`.
 */
export function queryRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/api/query', async (request, reply) => {
    const body = parseJsonBody(request.body, queryBody);
    const { id, result } = await ctx.queries.run(body);
    if (result === null) return reply.send({ id, result: null });
    return reply.send({ id, ...wireResult(result) });
  });

  app.post<{ Params: { id: string } }>('/api/query/:id/cancel', async (request, reply) => {
    const found = ctx.queries.cancel(request.params.id);
    if (!found) return reply.code(404).send({ error: `no running query has id '${request.params.id}'` });
    return reply.send({ id: request.params.id, cancelled: true });
  });

  app.delete<{ Params: { id: string } }>('/api/sessions/:id', async (request, reply) => {
    const found = ctx.queries.drop(request.params.id);
    return reply.code(found ? 200 : 404).send(found ? { session: request.params.id, closed: true } : { error: `no session '${request.params.id}'` });
  });
}
