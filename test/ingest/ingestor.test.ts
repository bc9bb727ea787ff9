// The ingestion core: typing against the catalog, inferred and declared custom tables,
// conflicts, rejections, one transaction per batch, idempotency keys; read back through KQL.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { QueryEngine } from '../../src/engine/engine.js';
import { IngestError, Ingestor } from '../../src/ingest/ingestor.js';
import type { TablesConfig } from '../../src/workspace/tables-config.js';

const dir = mkdtempSync(path.join(tmpdir(), 'quarry-ingestor-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dbFile = () => path.join(dir, `t${n++}.duckdb`);
const fixedNow = new Date('2026-01-02T03:04:05.678Z');

async function withEngine<T>(db: string, fn: (e: QueryEngine) => Promise<T>): Promise<T> {
  const engine = await QueryEngine.open({ databasePath: db });
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

describe('Ingestor', () => {
  it('writes a standard table with the catalog types; unknown fields and conflicts go to AdditionalFields', async () => {
    const db = dbFile();
    const ing = await Ingestor.open(db, { now: () => fixedNow });
    const result = await ing.write({
      source: 'test',
      rows: [
        { table: 'Syslog', values: { HostName: 'h1', ProcessID: '42', SyslogMessage: 'hello', Vendor: 'x', EventTime: '2025-05-06T07:08:09.123456Z' } },
        { table: 'Syslog', values: { HostName: 'h2', ProcessID: 'abc', TimeGenerated: new Date('2025-01-01T00:00:00Z') } },
      ],
    });
    assert.deepEqual(result, { accepted: 2, rejected: 0, conflicts: 1, duplicate: false, tables: { Syslog: { accepted: 2, rejected: 0, conflicts: 1 } } });
    await ing.close();
    await withEngine(db, async (e) => {
      const r = await e.query('Syslog | order by HostName asc | project HostName, ProcessID, SyslogMessage, EventTime, TimeGenerated, Type, AdditionalFields, it=ingestion_time()');
      assert.deepEqual(r.columns.map((c) => `${c.name}:${c.type}`), ['HostName:string', 'ProcessID:int', 'SyslogMessage:string', 'EventTime:datetime', 'TimeGenerated:datetime', 'Type:string', 'AdditionalFields:dynamic', 'it:datetime']);
      assert.deepEqual(r.rows[0], ['h1', 42, 'hello', '2025-05-06T07:08:09.1234560Z', '2026-01-02T03:04:05.6780000Z', 'Syslog', { Vendor: 'x' }, '2026-01-02T03:04:05.6780000Z']);
      assert.deepEqual(r.rows[1], ['h2', null, '', null, '2025-01-01T00:00:00.0000000Z', 'Syslog', { ProcessID: 'abc' }, '2026-01-02T03:04:05.6780000Z']);
      const errors = await e.query('_IngestErrors | project Source, TableName, Outcome, Reason');
      assert.deepEqual(errors.rows, [['test', 'Syslog', 'kept', 'field "ProcessID" (column ProcessID: int): "abc" is not a valid int; stored in AdditionalFields']]);
      const ids = await e.query('Syslog | summarize dcount(_ItemId)');
      assert.equal(ids.rows[0]![0], 2);
    });
  });

  it('infers a _CL table on first write, extends it with new fields, keeps types stable', async () => {
    const db = dbFile();
    const ing = await Ingestor.open(db);
    await ing.write({ source: 's', rows: [{ table: 'App_CL', values: { user: 'a', count: 3, ratio: 0.5, ok: true, at: '2024-05-01T10:00:00Z', tags: ['x'], 'bad.name': 'v' } }] });
    assert.deepEqual(ing.storedColumns('App_CL')!.map((c) => `${c.name}:${c.type}`), [
      'TimeGenerated:datetime', 'Type:string', '_ItemId:string', '_TimeReceived:datetime',
      'user:string', 'count:long', 'ratio:real', 'ok:bool', 'at:datetime', 'tags:dynamic', 'bad_name:string',
    ]);
    const r2 = await ing.write({ source: 's', rows: [{ table: 'App_CL', values: { user: 'b', count: 'many', extra: 7, span: null } }] });
    assert.equal(r2.conflicts, 1);
    const cols = ing.storedColumns('App_CL')!.map((c) => c.name);
    assert.ok(cols.includes('extra') && cols.includes('AdditionalFields'));
    assert.ok(!cols.includes('span'), 'a field that is only ever null creates no column');
    await ing.close();
    await withEngine(db, async (e) => {
      const r = await e.query('App_CL | order by user asc | project user, count, extra, AdditionalFields');
      assert.deepEqual(r.rows, [['a', 3, null, null], ['b', null, 7, { count: 'many' }]]);
    });
  });

  it('creates declared custom tables with their config types (timespan read back as timespan)', async () => {
    const db = dbFile();
    const tables: TablesConfig = { Firewall_CL: { columns: { Src: 'string', Port: 'int', Took: 'timespan', Id: 'guid' } } };
    const ing = await Ingestor.open(db, { tables });
    await ing.write({ source: 's', rows: [{ table: 'Firewall_CL', values: { Src: '1.2.3.4', Port: 443, Took: '00:00:01.5', Id: '{0F8FAD5B-D9CB-469F-A165-70867728950E}', Note: 'n' } }] });
    await ing.close();
    await withEngine(db, async (e) => {
      const r = await e.query('Firewall_CL | project Src, Port, Took, Id, AdditionalFields, ms=Took / 1ms');
      assert.deepEqual(r.columns.map((c) => c.type), ['string', 'int', 'timespan', 'guid', 'dynamic', 'real']);
      assert.deepEqual(r.rows, [['1.2.3.4', 443, '00:00:01.5000000', '0f8fad5b-d9cb-469f-a165-70867728950e', { Note: 'n' }, 1500]]);
    });
  });

  it('rejects rows for unknown tables and stores rejections in _IngestErrors', async () => {
    const db = dbFile();
    const ing = await Ingestor.open(db);
    const r = await ing.write({
      source: 'file.log',
      rows: [{ table: 'NoSuchTable', values: { a: 1 } }, { table: 'Syslog', values: { HostName: 'x' } }],
      rejections: [{ source: 'file.log:7', raw: 'garbage', reason: 'no syslog header', table: 'Syslog' }],
    });
    assert.equal(r.accepted, 1);
    assert.equal(r.rejected, 2);
    assert.deepEqual(r.tables.NoSuchTable, { accepted: 0, rejected: 1, conflicts: 0 });
    await ing.close();
    await withEngine(db, async (e) => {
      const errors = await e.query('_IngestErrors | order by Source asc | project Source, RawText, TableName, Outcome, Reason');
      assert.equal(errors.rows.length, 2);
      assert.deepEqual(errors.rows[0]!.slice(0, 4), ['file.log', '{"a":1}', 'NoSuchTable', 'rejected']);
      assert.match(String(errors.rows[0]![4]), /unknown table "NoSuchTable"/);
      assert.deepEqual(errors.rows[1], ['file.log:7', 'garbage', 'Syslog', 'rejected', 'no syslog header']);
    });
  });

  it('commits a batch whole or not at all', async () => {
    const db = dbFile();
    const tables: TablesConfig = { Money_CL: { columns: { Amount: 'decimal' } } };
    const ing = await Ingestor.open(db, { tables });
    await ing.write({ source: 'ok', rows: [{ table: 'Syslog', values: { HostName: 'before' } }] });
    // 1e999 is number text, but no DECIMAL(38,18): DuckDB refuses it while appending.
    await assert.rejects(
      ing.write({ source: 'bad', rows: [{ table: 'Syslog', values: { HostName: 'lost' } }, { table: 'Money_CL', values: { Amount: '1e999' } }] }),
      (err: unknown) => err instanceof IngestError && /batch from bad not stored/.test(err.message),
    );
    // The Ingestor is still usable after a failed batch.
    await ing.write({ source: 'ok', rows: [{ table: 'Syslog', values: { HostName: 'after' } }] });
    await ing.close();
    await withEngine(db, async (e) => {
      const r = await e.query('Syslog | order by HostName asc | project HostName');
      assert.deepEqual(r.rows, [['after'], ['before']]);
      assert.deepEqual(e.databaseTableNames().includes('Money_CL'), false);
    });
  });

  it('stores a retried batch once (idempotency key)', async () => {
    const db = dbFile();
    const ing = await Ingestor.open(db);
    const batch = { source: 'http', idempotencyKey: 'batch-1', rows: [{ table: 'Syslog', values: { HostName: 'a' } }, { table: 'Syslog', values: { HostName: 'b' } }] };
    const first = await ing.write(batch);
    const again = await ing.write(batch);
    assert.equal(first.duplicate, false);
    assert.equal(again.duplicate, true);
    assert.equal(again.accepted, 2);
    await ing.write({ ...batch, idempotencyKey: 'batch-2' });
    await ing.close();
    // Re-opened: the keys are in the database, not in memory.
    const reopened = await Ingestor.open(db);
    assert.equal((await reopened.write(batch)).duplicate, true);
    await reopened.close();
    await withEngine(db, async (e) => {
      assert.equal((await e.query('Syslog | count')).rows[0]![0], 4);
    });
  });

  it('serialises concurrent batches', async () => {
    const db = dbFile();
    const ing = await Ingestor.open(db);
    const writes = Array.from({ length: 8 }, (_, i) => ing.write({ source: `c${i}`, rows: Array.from({ length: 50 }, (_, j) => ({ table: 'Conc_CL', values: { client: i, seq: j } })) }));
    const results = await Promise.all(writes);
    assert.equal(results.reduce((s, r) => s + r.accepted, 0), 400);
    await ing.close();
    await withEngine(db, async (e) => {
      assert.deepEqual((await e.query('Conc_CL | summarize n=count(), c=dcount(client)')).rows, [[400, 8]]);
    });
  });
});

describe('Ingestor: tables it does not own', () => {
  it('refuses rows for Quarry system tables such as _IngestErrors', async () => {
    const db = dbFile();
    const ing = await Ingestor.open(db);
    await ing.write({ source: 's', rows: [], rejections: [{ source: 'x', raw: 'r', reason: 'first' }] });
    const r = await ing.write({ source: 's', rows: [{ table: '_IngestErrors', values: { Reason: 'forged' } }] });
    assert.equal(r.accepted, 0);
    assert.equal(r.rejected, 1);
    await ing.close();
    await withEngine(db, async (e) => {
      const rows = (await e.query('_IngestErrors | project Reason | order by Reason asc')).rows;
      assert.equal(rows.length, 2);
      assert.match(String(rows[1]![0]), /kept by Quarry itself/);
    });
  });
});
