import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { objects, useEngine } from './helpers.js';

const T = 'datatable(k:string, a:long, b:string)["x", 1, "p", "x", 2, "q", "y", 3, "r"]';

describe('take_any with several arguments or * (values of one row)', () => {
  const engine = useEngine();

  it('take_any(a, b) returns a and b from the same row of each group', async () => {
    const r = await engine().query(`${T} | summarize take_any(a, b) by k | order by k asc`);
    assert.deepEqual(r.columns.map((c) => [c.name, c.type]), [['k', 'string'], ['a', 'long'], ['b', 'string']]);
    const rows = objects(r);
    assert.equal(rows.length, 2);
    const pairs = new Set(['1p', '2q', '3r']);
    for (const row of rows) assert.ok(pairs.has(`${row['a']}${row['b']}`), JSON.stringify(row));
    assert.deepEqual(rows[1], { k: 'y', a: 3, b: 'r' });
  });

  it('take_any(*) returns every non-key column of one row', async () => {
    const r = await engine().query(`${T} | where k == "y" | summarize take_any(*) by k`);
    assert.deepEqual(objects(r), [{ k: 'y', a: 3, b: 'r' }]);
  });

  it('mixes with other aggregates and with any()', async () => {
    const r = await engine().query(`${T} | summarize n = count(), any(a, b)`);
    assert.equal(r.columns.length, 3);
    const [n, a, b] = r.rows[0]!;
    assert.equal(n, 3);
    assert.ok(['1p', '2q', '3r'].includes(`${a}${b}`), `${r.columns.map((c) => c.name)} ${r.rows[0]}`);
  });
});

describe('argmax / argmin (deprecated spellings of arg_max / arg_min)', () => {
  const engine = useEngine();

  it('argmax(by, *) returns the row with the largest value per group', async () => {
    const r = await engine().query(`${T} | summarize argmax(a, *) by k | order by k asc`);
    assert.deepEqual(r.rows, [['x', 2, 'q'], ['y', 3, 'r']]);
    const m = await engine().query(`${T} | summarize argmin(a, b)`);
    assert.deepEqual(m.rows, [[1, 'p']]);
  });
});
