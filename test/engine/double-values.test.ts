import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DOUBLE, DuckDBInstance, type DuckDBListVector, DuckDBScalarFunction, LIST, VARCHAR } from '@duckdb/node-api';
import { doubleSegment } from '../../src/engine/duckdb/udfs/double-values.js';

describe('doubleSegment', () => {
  it('reads each list row of a DOUBLE child vector, NULL as NaN, across mask words', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    c.registerScalarFunction(DuckDBScalarFunction.create({
      name: 'segment_text', parameterTypes: [LIST(DOUBLE)], returnType: VARCHAR,
      mainFunction: (_info, input, output) => {
        const lists = input.getColumnVector(0) as DuckDBListVector;
        for (let r = 0; r < input.rowCount; r++) {
          const v = doubleSegment(lists.childVector, lists.getEntryOffset(r), lists.getEntryLength(r));
          output.setItem(r, Array.from(v, (x) => (Number.isNaN(x) ? 'n' : String(x))).join(','));
        }
        output.flush();
      },
    }));
    // Rows of 150 values each; NULLs on both sides of 32-bit word boundaries, in every row.
    const nulls = new Set([0, 31, 32, 63, 64, 100, 149]);
    const sql = `SELECT r, segment_text(list(CASE WHEN i IN (${[...nulls].join(',')}) THEN NULL ELSE r * 1000 + i + 0.5 END ORDER BY i)) AS t
      FROM range(3) a(r), range(150) b(i) GROUP BY r ORDER BY r`;
    const rows = (await c.runAndReadAll(sql)).getRows();
    assert.equal(rows.length, 3);
    for (const [r, text] of rows) {
      const expected = Array.from({ length: 150 }, (_, i) => (nulls.has(i) ? 'n' : String(Number(r) * 1000 + i + 0.5))).join(',');
      assert.equal(text, expected);
    }
    const none = (await c.runAndReadAll('SELECT segment_text([1.5, 2.5, 3.0])')).getRows();
    assert.equal(none[0]![0], '1.5,2.5,3');
    c.closeSync();
  });
});
