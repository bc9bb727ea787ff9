import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';

/** GET /api/health: no authentication, no database access — says the process serves. */
export function healthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/health', async () => ({
    status: ctx.stopping ? 'stopping' : 'ok',
    workspace: ctx.db.workspace.config.name,
    uptimeSeconds: Math.round((Date.now() - ctx.db.started.getTime()) / 1000),
  }));
}
