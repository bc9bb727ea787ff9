// The NDJSON fast path (DuckDB reads the file) must store exactly what the record-by-record path
// stores, and must step aside, storing nothing, for any file that needs per-record handling.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { QueryEngine } from '../../src/engine/engine.js';
import { Ingestor } from '../../src/ingest/ingestor.js';
import { ingestPaths } from '../../src/ingest/pipeline.js';
import { countRecordLines } from '../../src/ingest/staged-ndjson.js';
import type { TablesConfig } from '../../src/workspace/tables-config.js';

const dir = mkdtempSync(path.join(tmpdir(), 'quarry-staged-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const now = new Date('2026-03-04T05:06:07Z');
const tables: TablesConfig = { Ev_CL: { columns: { Host: 'string', Id: 'int', Big: 'long', Ratio: 'real', Ok: 'bool', At: 'datetime', Bag: 'dynamic', G: 'guid' } } };
let n = 0;

const CLEAN = [
  { TimeGenerated: '2024-01-02T03:04:05.123456Z', Host: 'a"b\\c', Id: 7, Big: 9007199254740993, Ratio: 2, Ok: true, At: '2024-05-06 07:08:09', Bag: { x: [1, 'y'] }, G: '0f8fad5b-d9cb-469f-a165-70867728950e' },
  { Host: 'ünï', Id: -2147483648, Ratio: 0.25, Ok: false, Bag: [1, 2], At: null },
  { Host: '', Bag: 'plain text', Id: null },
  {},
  // Explicit nulls are stored as absent fields are.
  { TimeGenerated: null, Host: null, Id: null, Big: null, Ratio: null, Ok: null, At: null, Bag: null, G: null },
  { Big: -9007199254740991, Ratio: -1.5e-7, Bag: '\t not json {', Host: ' {"a":1}' },
];

async function load(file: string, bulk: boolean, mapping?: Record<string, string>, table = 'Ev_CL') {
  const db = path.join(dir, `s${n++}.duckdb`);
  const ing = await Ingestor.open(db, { tables, now: () => now });
  let used: boolean | undefined;
  if (bulk) used = (await ing.importNdjsonFile(file, table, mapping)) !== undefined;
  else await ingestPaths(ing, [file], { format: 'json', table, mapping }); // the json reader has no fast path
  await ing.close();
  const engine = await QueryEngine.open({ databasePath: db });
  try {
    const exists = engine.databaseTableNames().includes(table);
    const rows = exists ? (await engine.query(`${table} | project-away _ItemId | order by tostring(pack_all()) asc`)).rows : [];
    const errors = engine.databaseTableNames().includes('_IngestErrors') ? (await engine.query('_IngestErrors | count')).rows[0]![0] : 0;
    return { used, rows, errors };
  } finally {
    await engine.close();
  }
}

function ndjson(name: string, records: unknown[], extra = ''): string {
  const p = path.join(dir, name);
  writeFileSync(p, records.map((r) => JSON.stringify(r)).join('\n') + '\n' + extra);
  return p;
}

describe('staged NDJSON import', () => {
  it('stores the same rows as the record-by-record path', async () => {
    // Escapes as other writers spell them (\u00e9, a surrogate pair, \/) and spaces around values.
    const file = ndjson('clean.ndjson', CLEAN, '\n  \n{ "Host" : "caf\\u00e9 \\ud83d\\ude00 \\/" , "Bag" : { "k" : [ 1.0 , true ] } }\n');
    const fast = await load(file, true);
    assert.equal(fast.used, true);
    const slow = await load(file, false);
    assert.equal(fast.rows.length, 7);
    assert.deepEqual(fast.rows, slow.rows);
    assert.equal(fast.errors, 0);
  });

  it('applies --map renames the same way', async () => {
    const file = ndjson('mapped.ndjson', [{ host_name: 'h', when: '2024-01-01T00:00:00Z', id: 3 }]);
    const mapping = { host_name: 'Host', when: 'TimeGenerated', id: 'Id' };
    const fast = await load(file, true, mapping);
    assert.equal(fast.used, true);
    assert.deepEqual(fast.rows, (await load(file, false, mapping)).rows);
  });

  it('steps aside, storing nothing, whenever a record needs per-record handling', async () => {
    const dirty: Array<[string, string]> = [
      ['invalid JSON', '{"Host":\n'],
      ['not an object', '[1,2]\n'],
      ['unknown field', '{"Host":"a","Nope":1}\n'],
      ['number for a string column', '{"Host":5}\n'],
      ['text for an int column', '{"Id":"7"}\n'],
      ['real for an int column', '{"Id":1.5}\n'],
      ['int out of range', '{"Id":2147483648}\n'],
      ['time with an offset', '{"At":"2024-01-01T00:00:00+02:00"}\n'],
      ['date without a time', '{"At":"2024-01-01"}\n'],
      ['JSON text in a dynamic string', '{"Bag":"{\\"a\\":1}"}\n'],
      ['guid in braces', '{"G":"{0f8fad5b-d9cb-469f-a165-70867728950e}"}\n'],
      ['field case differs from the column', '{"host":"a"}\n'],
      ['repeated field', '{"Host":"a","Host":"b"}\n'],
      ['unknown field holding null', '{"Host":"a","Nope":null}\n'],
      ['JSON text after an escaped newline in a dynamic string', '{"Bag":"\\n{\\"a\\":1}"}\n'],
      ['two objects on one line', '{"Host":"a"} {"Host":"b"}\n'],
      ['null line', 'null\n'],
      ['fraction for a long column', '{"Big":2.5}\n'],
    ];
    for (const [what, line] of dirty) {
      const file = path.join(dir, `dirty${n}.ndjson`);
      writeFileSync(file, `{"Host":"ok"}\n${line}`);
      const r = await load(file, true);
      assert.equal(r.used, false, what);
      assert.deepEqual(r.rows, [], what);
    }
    // The first line sets the shape other lines are compared with: a dirty first line too.
    for (const first of ['{"Nope":1}\n', '{"Host":"a","Host":"b"}\n', '{"Ratio":"NaN"}\n', '{"Ok":"true"}\n']) {
      const file = path.join(dir, `first${n}.ndjson`);
      writeFileSync(file, `${first}{"Host":"ok"}\n`);
      const r = await load(file, true);
      assert.equal(r.used, false, first);
      assert.deepEqual(r.rows, [], first);
    }
    // Inferred tables always take the general path.
    const p = ndjson('inferred.ndjson', [{ a: 1 }]);
    assert.equal((await load(p, true, undefined, 'Other_CL')).used, false);
  });

  it('invalid UTF-8 sends the file to the general path, which rejects that line', async () => {
    const file = path.join(dir, 'badutf8.ndjson');
    writeFileSync(file, Buffer.concat([Buffer.from('{"Host":"ok"}\n{"Host":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]));
    const db = path.join(dir, `s${n++}.duckdb`);
    const ing = await Ingestor.open(db, { tables });
    const summary = await ingestPaths(ing, [file], { format: 'ndjson', table: 'Ev_CL' });
    await ing.close();
    assert.equal(summary.accepted, 1);
    assert.equal(summary.rejected, 1);
  });

  it('counts non-blank lines on the bytes', async () => {
    const p = path.join(dir, 'lines.txt');
    writeFileSync(p, 'a\n\n  \r\n b\nc');
    assert.equal(await countRecordLines(p), 3);
  });
});
