import type { FastifyInstance } from 'fastify';
import { parseLifetime } from '../../ti/indicator.js';
import { FeedError, importFeedText } from '../../ti/import-file.js';
import type { ServerContext } from '../context.js';
import { RequestError, decodeBody, decodeText } from '../ingest-body.js';

interface TiQuery { format?: string; source?: string; lifetime?: string; map?: string | string[] }

/**
 * POST /api/ti/import?format=stix|csv&source=NAME&lifetime=90d&map=column=field: a STIX 2.1
 * bundle or CSV feed as the body (gzip/deflate Content-Encoding accepted), imported like
 * `quarry ti import`. Answers `{indicators, added, updated, stale, rows, rejected, skipped}`.
 */
export function tiRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Querystring: TiQuery }>('/api/ti/import', async (request) => {
    if (ctx.stopping) throw new RequestError(503, 'the server is stopping');
    const q = request.query;
    if (q.format !== undefined && q.format !== 'stix' && q.format !== 'csv') throw new RequestError(400, `format=${q.format}: expected stix or csv`);
    if (q.lifetime !== undefined) {
      try { parseLifetime(q.lifetime); } catch (err) { throw new RequestError(400, `lifetime: ${(err as Error).message}`); }
    }
    const mapping: Record<string, string> = {};
    for (const pair of q.map === undefined ? [] : Array.isArray(q.map) ? q.map : [q.map]) {
      const eq = pair.indexOf('=');
      if (eq <= 0 || eq === pair.length - 1) throw new RequestError(400, `map=${pair}: expected column=field`);
      mapping[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const encoding = request.headers['content-encoding'];
    const text = decodeText(decodeBody(raw, Array.isArray(encoding) ? encoding[0] : encoding));
    if (text.trim() === '') throw new RequestError(400, 'the body is empty: send a STIX bundle or a CSV feed');
    const source = q.source ?? 'http:/api/ti/import';
    let summary;
    try {
      summary = await ctx.db.withIngestor((ingestor) =>
        importFeedText(ingestor, 'http:/api/ti/import', text, { format: q.format as 'stix' | 'csv' | undefined, source, lifetime: q.lifetime, mapping }));
    } catch (err) {
      // A feed the readers refuse as a whole (a CSV without a value column, an unknown --map field).
      if (err instanceof FeedError) throw new RequestError(400, err.message);
      throw err;
    }
    // ThreatIntelIndicators and its legacy view may be new to the engine's catalog.
    await ctx.db.detectionLane.refreshCatalog();
    const { indicators, added, updated, stale, rows, rejected, skipped, republished } = summary;
    return { indicators, added, updated, stale, rows, rejected, skipped, republished };
  });
}
