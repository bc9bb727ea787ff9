import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reducePatterns, termSplitter } from '../../src/engine/duckdb/udfs/reduce-patterns.js';
import { objects, useEngine } from './helpers.js';

/** The reduce operator (reduce-operator.md): strings grouped under `*` patterns. */
describe('reduce operator', () => {
  const engine = useEngine();

  it('terms: the separators go with the term after them; by default every non-ASCII-alphanumeric character separates', () => {
    assert.deepEqual(termSplitter('Z')('fooZ1'), ['foo', 'Z1']);
    assert.deepEqual(termSplitter()('fooZ1'), ['fooZ1']);
    assert.deepEqual(termSplitter()('a, b=1'), ['a', ', b', '=1']);
    assert.deepEqual(termSplitter()(''), []);
  });

  it('Kusto rule: without characters, fooZ1…fooZ10 share no term, so all ten rows are "others" with an empty representative', async () => {
    const r = await engine().query('range x from 1 to 10 step 1 | project str = strcat("foo", "Z", tostring(x)) | reduce by str');
    assert.deepEqual(r.columns.map((c) => `${c.name}:${c.type}`), ['Pattern:string', 'Count:long', 'Representative:string']);
    assert.deepEqual(r.rows, [['others', 10, '']]);
  });

  it('Kusto rule: characters="Z" makes foo a term of every value: one group foo* (the separator goes into the wildcard)', async () => {
    const r = await engine().query('range x from 1 to 10 step 1 | project str = strcat("foo", "Z", tostring(x)) | reduce by str with characters="Z"');
    assert.deepEqual(r.rows, [['foo*', 10, 'fooZ1']]);
  });

  it('Kusto rule: a smaller threshold groups more values together (0.001: one group; 0.9: a group per digit)', async () => {
    // As in the doc's random data, one digit is more common than the rest (the doc's X9: 177 of 1,000).
    const q = (t: number) => `range x from 1 to 1000 step 1 | project MyText = strcat("MachineLearningX", tostring(iff(x % 10 == 5, 9, x % 10)))
      | reduce by MyText with threshold=${t}, characters="X"`;
    assert.deepEqual((await engine().query(q(0.001))).rows, [['MachineLearning*', 1000, 'MachineLearningX9']]);
    const wide = objects(await engine().query(q(0.9)));
    assert.equal(wide.length, 9);
    assert.ok(wide.every((g) => g['Count'] === (g['Pattern'] === 'MachineLearningX9' ? 200 : 100) && g['Pattern'] === g['Representative']));
  });

  it('the reduced positions are found per shape (number of terms): templates of different lengths do not blur each other', () => {
    const values: Array<[string, number]> = [];
    for (let i = 0; i < 300; i++) values.push([`login ok for user${i}`, 1]);
    for (let i = 0; i < 13; i++) values.push([`disk ${i} full`, 10]);
    const { groups } = reducePatterns(values, 0.01);
    assert.deepEqual(groups.map((g) => [g.pattern, g.count]).sort(), [['disk* full', 130], ['login ok for*', 300]]);
  });

  it('a term every row shares is kept however few the rows; varying runs become one *', () => {
    const { groups } = reducePatterns([['user 1 logged in', 1], ['user 22 logged in', 3], ['user 3 logged in', 1]]);
    assert.deepEqual(groups, [{ pattern: 'user* logged in', count: 5, representative: 'user 22 logged in' }]);
    const twoRuns = reducePatterns([['a 1 2 b', 1], ['a 3 4 b', 1], ['a 5 6 b', 1]]).groups;
    assert.deepEqual(twoRuns.map((g) => g.pattern), ['a* b']);
  });

  it('kind=source keeps every row and appends its group (the columns Kusto.Language gives: Pattern, Count, Representative)', async () => {
    const r = await engine().query(`datatable(id:long, s:string)[1,'disk a full', 2,'disk b full', 3,'disk c full']
      | reduce kind=source by s | order by id asc`);
    assert.deepEqual(r.columns.map((c) => c.name), ['id', 's', 'Pattern', 'Count', 'Representative']);
    assert.deepEqual(r.rows.map((row) => [row[0], row[2], row[3]]), [[1, 'disk* full', 3], [2, 'disk* full', 3], [3, 'disk* full', 3]]);
  });

  it('rejects a threshold outside [0, 1], saying where', async () => {
    await assert.rejects(engine().query('print s="a" | reduce by s with threshold=2'), (e: Error & { diagnostics?: Array<{ column: number }> }) =>
      /threshold must be between 0 and 1, got 2/.test(e.message) && e.diagnostics?.[0]?.column === 42);
  });

  it('an empty input gives no groups', async () => {
    assert.deepEqual((await engine().query('datatable(s:string)[] | reduce by s')).rows, []);
  });
});
