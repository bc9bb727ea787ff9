import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { QueryEngine } from '../../src/engine/engine.js';

let engine: QueryEngine;
before(async () => { engine = await QueryEngine.open(); });
after(() => engine.close());

const row = async (q: string) => (await engine.query(q)).rows[0];

test('in / in~ with a tabular list: a column of arrays (summarize make_list) contributes its elements', async () => {
  const lets = "let l = datatable(t:string)['Zone', 'com'] | summarize make_list(t);";
  assert.deepEqual(await row(`${lets} print a = 'zone' in~ (l), b = 'zone' in (l), c = 'Zone' in (l), d = 'org' in~ (l), e = 'org' !in~ (l)`), [true, false, true, false, true]);
  // A dynamic left side (an element of split()) is compared by its text.
  assert.deepEqual(await row(`${lets} print f = split('test.zone', '.')[1] in~ (l), g = split('a.b', '.')[1] in~ (l)`), [true, false]);
  assert.deepEqual(await row(`let s = datatable(t:string)['zone']; print h = split('test.zone', '.')[1] in~ (s), i = split('test.zone', '.')[1] in (s)`), [true, true]);
});

test('in with a typed tabular list is unchanged: numbers compare as numbers, strings case-sensitively', async () => {
  assert.deepEqual(await row("let n = datatable(x:long)[1, 2]; print a = 2 in (n), b = 3 in (n), c = 3 !in (n)"), [true, false, true]);
  assert.deepEqual(await row("let s = datatable(x:string)['Abc']; print a = 'abc' in (s), b = 'abc' in~ (s), c = 'Abc' in (s)"), [false, true, true]);
});
