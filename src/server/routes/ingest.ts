import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SentinelCatalog } from '../../catalog/catalog.js';
import { definitionFor, findDeclared, TableError, type WriteTable } from '../../ingest/table-schema.js';
import type { ServerContext } from '../context.js';
import { ndjsonRecordCount } from '../database.js';
import { RequestError, decodeText, idempotencyKeyOf, parseRecords, requestBytes } from '../ingest-body.js';

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * POST /api/ingest/{table}: a JSON array or NDJSON (gzip/deflate Content-Encoding accepted),
 * optional `Idempotency-Key`. Answers after the batch committed:
 * `{accepted, rejected, conflicts, duplicate, tables}`; 429 + Retry-After when the queue is full.
 *
 * POST /dataCollectionRules/{id}/streams/{stream}: the Azure Monitor Logs Ingestion API shape
 * (a JSON array), mapped by quarry.yaml `server.dataCollectionRules` to a table and renames;
 * answers 204 like Azure does.
 */
export function ingestRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const catalog = new SentinelCatalog();
  const config = ctx.db.workspace.config;

  const checkTable = (table: string): WriteTable => {
    if (!TABLE_NAME.test(table)) throw new RequestError(400, `'${table}' is not a table name (letters, digits and _)`);
    try {
      return definitionFor(table, catalog, config.tables);
    } catch (err) {
      if (err instanceof TableError) throw new RequestError(404, err.message);
      throw err;
    }
  };

  const ingest = async (request: FastifyRequest, def: WriteTable, source: string, mapping: Readonly<Record<string, string>> | undefined) => {
    if (ctx.stopping) throw new RequestError(503, 'the server is stopping');
    const table = def.name;
    const idempotencyKey = idempotencyKeyOf(request.headers);
    const text = decodeText(requestBytes(request));
    // DuckDB's NDJSON reader takes only tables whose columns are all known (standard or declared).
    const fixedColumns = def.kind === 'standard' || def.kind === 'declared';
    if (!idempotencyKey && /^\s*\{/.test(text) && fixedColumns) {
      // NDJSON without a key: parsed in JS only if DuckDB's reader cannot store its group as it is (database.ts).
      return ctx.db.ingest({ source, ndjson: { text, table, mapping }, records: ndjsonRecordCount(text), parse: () => parseRecords(text, table, source, mapping) });
    }
    const { rows, rejections } = parseRecords(text, table, source, mapping);
    return ctx.db.ingest({ source, rows, rejections, idempotencyKey: idempotencyKey ? `${source}\u0000${idempotencyKey}` : undefined });
  };

  app.post<{ Params: { table: string } }>('/api/ingest/:table', async (request) => {
    const def = checkTable(request.params.table);
    const result = await ingest(request, def, `http:/api/ingest/${def.name}`, findDeclared(def.name, config.tables)?.mapping);
    return result;
  });

  app.post<{ Params: { id: string; stream: string } }>('/dataCollectionRules/:id/streams/:stream', async (request, reply) => {
    const { id, stream } = request.params;
    const target = config.server?.dataCollectionRules?.[id]?.[stream];
    if (!target) {
      throw new RequestError(404, `no stream '${stream}' of data collection rule '${id}' is configured (quarry.yaml server.dataCollectionRules)`);
    }
    const def = checkTable(target.table);
    const result = await ingest(request, def, `dcr:${id}/${stream}`, { ...findDeclared(def.name, config.tables)?.mapping, ...target.mapping });
    reply.header('x-quarry-accepted', String(result.accepted)).header('x-quarry-rejected', String(result.rejected));
    return reply.code(204).send();
  });
}
