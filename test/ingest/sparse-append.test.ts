import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { SQL_TYPES } from '../../src/engine/duckdb/functions/common.js';
import { appendColumns } from '../../src/ingest/chunk-writer.js';
import { appendRows } from '../../src/ingest/sparse-append.js';
import type { Column, KqlType } from '../../src/kql/types.js';
import { coerce, type StoredValue } from '../../src/ingest/values.js';

// A wide table like SecurityEvent: 60 columns of every stored type, few filled per row.
const TYPES: KqlType[] = ['string', 'int', 'long', 'real', 'bool', 'datetime', 'timespan', 'guid', 'dynamic', 'decimal'];
const COLUMNS: Column[] = Array.from({ length: 60 }, (_, i) => ({ name: `C${i}_${TYPES[i % TYPES.length]}`, type: TYPES[i % TYPES.length]! }));

function sample(type: KqlType, r: number): unknown {
  switch (type) {
    case 'string': return r % 3 === 0 ? '' : `text ${r} 'quoted' ünï`;
    case 'int': return r - 7;
    case 'long': return 2 ** 40 + r;
    case 'real': return r / 3;
    case 'bool': return r % 2 === 0;
    case 'datetime': return new Date(Date.UTC(2024, 4, 1, 0, 0, r));
    case 'timespan': return '01:02:03';
    case 'guid': return `00000000-0000-4000-8000-${String(r).padStart(12, '0')}`;
    case 'dynamic': return { n: r, list: [1, 'a', null] };
    case 'decimal': return '12.5';
  }
}

/** Column-major data where row r fills column 0, one of columns 0-9 and one of 10-14 (45 columns stay empty). */
function data(rows: number): StoredValue[][] {
  const out = COLUMNS.map((c) => new Array<StoredValue>(rows).fill(c.type === 'string' ? '' : null));
  for (let r = 0; r < rows; r++) {
    for (const ci of [0, r % 10, 10 + (r % 5)]) {
      const v = coerce(sample(COLUMNS[ci]!.type, r), COLUMNS[ci]!.type);
      assert.ok(!(v instanceof Error), `sample for ${COLUMNS[ci]!.type}`);
      out[ci]![r] = v as StoredValue;
    }
  }
  return out;
}

async function table(c: DuckDBConnection, name: string): Promise<void> {
  await c.run(`CREATE TABLE ${name} (${COLUMNS.map((col) => `"${col.name}" ${SQL_TYPES[col.type]}`).join(', ')})`);
}

async function rows(c: DuckDBConnection, sql: string): Promise<unknown[][]> {
  return (await c.runAndReadAll(sql)).getRowsJson() as unknown[][];
}

test('a sparse batch stored through staging equals the same batch through the Appender, value for value', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await table(c, 'ViaAppender');
  await table(c, 'ViaStaging');
  for (const n of [1, 500, 2049]) {
    const d = data(n);
    await appendColumns(c, 'ViaAppender', COLUMNS, d, n);
    await appendRows(c, 'ViaStaging', COLUMNS, d, n);
  }
  assert.deepEqual(await rows(c, 'SELECT count(*) FROM ViaStaging'), [['2550']]);
  assert.deepEqual(await rows(c, 'SELECT * FROM ViaAppender EXCEPT ALL SELECT * FROM ViaStaging'), []);
  assert.deepEqual(await rows(c, 'SELECT * FROM ViaStaging EXCEPT ALL SELECT * FROM ViaAppender'), []);
  // Strings are never NULL ('' for an empty field), and the empty columns of other types are NULL.
  assert.deepEqual(await rows(c, `SELECT count(*) FROM ViaStaging WHERE "C10_string" IS NULL`), [['0']]);
  assert.deepEqual(await rows(c, `SELECT count(*) FROM ViaStaging WHERE "C0_string" = ''`), [['851']]);
  assert.deepEqual(await rows(c, `SELECT count(*) FROM duckdb_tables() WHERE temporary AND starts_with(table_name, 'quarry$staging$')`), [['1']], 'the staging path was taken');
  c.closeSync();
  db.closeSync();
});

test('staging joins the caller transaction: a rollback stores nothing, and the next batch still goes in', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await table(c, 'T');
  await c.run('BEGIN TRANSACTION');
  await appendRows(c, 'T', COLUMNS, data(100), 100);
  await c.run('ROLLBACK');
  assert.deepEqual(await rows(c, 'SELECT count(*) FROM T'), [['0']]);
  await c.run('BEGIN TRANSACTION');
  await appendRows(c, 'T', COLUMNS, data(100), 100);
  await c.run('COMMIT');
  assert.deepEqual(await rows(c, 'SELECT count(*) FROM T'), [['100']]);
  c.closeSync();
  db.closeSync();
});
