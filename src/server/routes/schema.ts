import type { FastifyInstance } from 'fastify';
import { INGEST_BATCHES_TABLE } from '../../ingest/ingestor.js';
import type { ServerContext } from '../context.js';

/** GET /api/schema: the workspace database's tables and their KQL columns (for editors and remote sessions). */
export function schemaRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/schema', async () => {
    await ctx.db.freshCatalog();
    const tables = ctx.db.engine.databaseTableNames()
      .filter((t) => t !== INGEST_BATCHES_TABLE)
      .map((name) => ({ name, columns: (ctx.db.engine.tableColumns(name) ?? []).map((c) => ({ name: c.name, type: c.type })) }));
    return { tables };
  });
}
