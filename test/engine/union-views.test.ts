import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unionSchema } from '../../src/kql/ir/operators/union-schema.js';
import { useEngine } from './helpers.js';

/** union over let-declared views: wildcards, isfuzzy and Kusto's names for type-conflicting columns (union-operator.md). */
describe('union over views', () => {
  const engine = useEngine();

  it('Kusto rule: a name with several types splits into name_type columns; a derived name yields to a real column (x_long1)', async () => {
    const r = await engine().query(`let View_1 = view () { print x=1 };
      let View_2 = view () { print x=toint(2) };
      let View_3 = view () { print x_long=3 };
      union withsource=TableName View_1, View_2, View_3 | order by TableName asc`);
    assert.deepEqual(r.columns.map((c) => `${c.name}:${c.type}`), ['TableName:string', 'x_long1:long', 'x_int:int', 'x_long:long']);
    assert.deepEqual(r.rows, [['View_1', 1, null, null], ['View_2', null, 2, null], ['View_3', null, null, 3]]);
  });

  it('unionSchema keeps first-appearance order and leaves inputs without conflicts unrenamed', () => {
    const s = unionSchema([[{ name: 'a', type: 'long' }, { name: 'b', type: 'string' }], [{ name: 'b', type: 'string' }, { name: 'c', type: 'real' }]]);
    assert.deepEqual(s.columns.map((c) => c.name), ['a', 'b', 'c']);
    assert.deepEqual([...s.targets[1]!], [['b', 'b'], ['c', 'c']]);
  });

  it('Kusto rule: a wildcard reaches let-declared views; with isfuzzy=true a wildcard matching nothing is skipped', async () => {
    const r = await engine().query(`let View_1 = view () { print x=1 };
      let View_2 = view () { print x=1 };
      let OtherView_1 = view () { print x=1 };
      union isfuzzy=true View*, SomeView*, OtherView* | count`);
    assert.deepEqual(r.rows, [[3]]);
    const sources = await engine().query(`let View_1 = view () { print x=1 }; let View_2 = view () { print x=2 };
      union withsource=T View* | order by T asc`);
    assert.deepEqual(sources.rows, [['View_1', 1], ['View_2', 2]]);
  });

  it('without isfuzzy a wildcard matching nothing is still an error', async () => {
    await assert.rejects(engine().query('let View_1 = view () { print x=1 }; union View_1, SomeView*'), /SomeView\*/);
  });
});
