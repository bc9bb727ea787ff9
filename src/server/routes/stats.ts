import type { FastifyInstance } from 'fastify';
import { INGEST_BATCHES_TABLE } from '../../ingest/ingestor.js';
import { INGEST_ERRORS_TABLE } from '../../ingest/table-schema.js';
import { sqlIdent } from '../../engine/duckdb/sql-text.js';
import type { ServerContext } from '../context.js';

/** GET /api/stats: events per table, ingestion totals and rate, errors, listeners. */
export function statsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/stats', async () => {
    const { db } = ctx;
    await db.freshCatalog();
    const names = db.engine.databaseTableNames().filter((t) => t !== INGEST_BATCHES_TABLE);
    const tables: Record<string, number> = {};
    await db.engine.exclusive(async (c) => {
      for (const name of names) {
        // Session tables (temporary) are not the workspace's; main.* are.
        const reader = await c.runAndReadAll(`SELECT count(*) FROM main.${sqlIdent(name)}`).catch(() => undefined);
        if (reader) tables[name] = Number(reader.getRows()[0]![0]);
      }
    });
    return {
      tables,
      ingestion: {
        ...db.totals,
        eventsPerSecond: Math.round(db.ingestRate() * 10) / 10,
        pendingBatches: db.pendingBatches,
        maxPendingBatches: db.maxPending,
      },
      errors: tables[INGEST_ERRORS_TABLE] ?? 0,
      syslog: ctx.syslog() ?? null,
      queries: { running: ctx.queries.running().length },
    };
  });
}
