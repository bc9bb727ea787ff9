// Several batches in one transaction (Ingestor.writeAll) and the file pipeline's use of it:
// small files share a commit, yet each file's counts and each batch's error sources stay its own,
// and a failed commit stores nothing of the group.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { QueryEngine } from '../../src/engine/engine.js';
import { IngestError, Ingestor } from '../../src/ingest/ingestor.js';
import { ingestPaths } from '../../src/ingest/pipeline.js';

const dir = mkdtempSync(path.join(tmpdir(), 'quarry-grouped-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dbFile = () => path.join(dir, `g${n++}.duckdb`);

async function query(db: string, kql: string): Promise<unknown[][]> {
  const engine = await QueryEngine.open({ databasePath: db });
  try {
    return (await engine.query(kql)).rows;
  } finally {
    await engine.close();
  }
}

/** Counts the statements starting with `word` that the Ingestor's connection runs. */
function countStatements(ing: Ingestor, word: string): { count: number } {
  const seen = { count: 0 };
  const connection = ing.connection as unknown as { run: (sql: string, ...rest: unknown[]) => Promise<unknown> };
  const run = connection.run.bind(connection);
  connection.run = (sql, ...rest) => {
    if (sql.trimStart().toUpperCase().startsWith(word)) seen.count++;
    return run(sql, ...rest);
  };
  return seen;
}

describe('grouped commits', () => {
  it('writeAll returns one result per batch; conflicts and rejections keep their own batch as source', async () => {
    const db = dbFile();
    const ing = await Ingestor.open(db);
    const commits = countStatements(ing, 'COMMIT');
    const results = await ing.writeAll([
      { source: 'a.log', rows: [{ table: 'Syslog', values: { HostName: 'h1', ProcessID: 'abc' } }] },
      { source: 'b.log', rows: [{ table: 'Syslog', values: { HostName: 'h2' } }, { table: 'App_CL', values: { x: 1 } }], rejections: [{ source: 'b.log:3', raw: 'zz', reason: 'no header', table: 'Syslog' }] },
      { source: 'c.log', rows: [{ table: 'App_CL', values: { x: 2, y: 'new column' } }], idempotencyKey: 'k1' },
      { source: 'c.log', rows: [{ table: 'App_CL', values: { x: 3 } }], idempotencyKey: 'k1' },
    ]);
    await ing.close();
    assert.equal(commits.count, 1);
    assert.deepEqual(results.map((r) => [r.accepted, r.rejected, r.conflicts, r.duplicate]), [[1, 0, 1, false], [2, 1, 0, false], [1, 0, 0, false], [1, 0, 0, true]]);
    assert.deepEqual(await query(db, '_IngestErrors | order by Source asc | project Source, Outcome'), [['a.log', 'kept'], ['b.log:3', 'rejected']]);
    assert.deepEqual(await query(db, 'Syslog | order by HostName asc | project HostName, tostring(AdditionalFields)'), [['h1', '{"ProcessID":"abc"}'], ['h2', '']]);
    // The column c.log's batch added exists; the row written before it in the group has none.
    assert.deepEqual(await query(db, 'App_CL | order by x asc | project x, y'), [[1, ''], [2, 'new column']]);
  });

  it('a failed commit stores nothing of the group and leaves the Ingestor usable', async () => {
    const db = dbFile();
    const ing = await Ingestor.open(db);
    const connection = ing.connection as unknown as { run: (sql: string, ...rest: unknown[]) => Promise<unknown> };
    const run = connection.run.bind(connection);
    let fail = true;
    connection.run = (sql, ...rest) => {
      if (fail && sql.trim() === 'COMMIT') {
        fail = false;
        return Promise.reject(new Error('disk full'));
      }
      return run(sql, ...rest);
    };
    await assert.rejects(
      ing.writeAll([{ source: 'a', rows: [{ table: 'New_CL', values: { v: 1 } }] }, { source: 'b', rows: [{ table: 'Syslog', values: { HostName: 'h' } }] }]),
      (err: unknown) => err instanceof IngestError && /disk full/.test(err.message),
    );
    assert.equal(ing.storedColumns('New_CL'), undefined);
    await ing.write({ source: 'c', rows: [{ table: 'New_CL', values: { w: 'x' } }] });
    await ing.close();
    assert.deepEqual(await query(db, 'New_CL | project w'), [['x']]);
    const engine = await QueryEngine.open({ databasePath: db });
    try {
      assert.deepEqual(engine.databaseTableNames().filter((t) => t === 'Syslog'), []);
    } finally {
      await engine.close();
    }
  });

  it('ingestPaths commits small files together, each file counted on its own', async () => {
    const folder = path.join(dir, 'logs');
    mkdirSync(folder);
    const names: string[] = [];
    for (let f = 0; f < 12; f++) {
      const name = `f${String(f).padStart(2, '0')}.ndjson`;
      const lines = Array.from({ length: f + 1 }, (_, i) => JSON.stringify({ file: f, i, extra: i === 0 ? 'x' : undefined }));
      if (f === 5) lines.push('not json');
      writeFileSync(path.join(folder, name), lines.join('\n') + '\n');
      names.push(name);
    }
    const db = dbFile();
    const ing = await Ingestor.open(db);
    const commits = countStatements(ing, 'COMMIT');
    const summary = await ingestPaths(ing, [folder], { format: 'ndjson', table: 'Small_CL', batchSize: 20 });
    await ing.close();
    assert.deepEqual(summary.files.map((f) => [path.basename(f.path), f.accepted, f.rejected]), names.map((name, f) => [name, f + 1, f === 5 ? 1 : 0]));
    assert.equal(summary.accepted, 78);
    assert.equal(summary.rejected, 1);
    // 79 records in groups of about 20 (a group closes once it reaches 20): far fewer commits than files.
    assert.ok(commits.count <= 5, `${commits.count} commits`);
    assert.deepEqual(await query(db, 'Small_CL | summarize n=count() by file | order by file asc | project n'), names.map((_, f) => [f + 1]));
    assert.deepEqual(await query(db, '_IngestErrors | project Source'), [[`${path.join(folder, 'f05.ndjson')}:7`]]);
  });
});
