import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KqlError } from '../../src/kql/diagnostics.js';
import { useEngine } from './helpers.js';

/** mv-expand and mv-apply, after Microsoft's documented examples and Kusto's expansion rules. */
describe('mv-expand', () => {
  const engine = useEngine();
  const rows = async (kql: string) => (await engine().query(kql)).rows;

  it('expands an array column into one row per element, duplicating the other columns (docs)', async () => {
    assert.deepEqual(await rows("datatable (a: int, b: dynamic)[1, dynamic([10, 20]), 2, dynamic(['a', 'b'])] | mv-expand b"),
      [[1, 10], [1, 20], [2, 'a'], [2, 'b']]);
  });

  it('expands a property bag into one-property bags (docs)', async () => {
    const r = await rows('datatable (a: int, b: dynamic)[1, dynamic({"prop1": "a1", "prop2": "b1"}), 2, dynamic({"prop1": "a2", "prop2": "b2"})] | mv-expand b');
    assert.deepEqual(r, [[1, { prop1: 'a1' }], [1, { prop2: 'b1' }], [2, { prop1: 'a2' }], [2, { prop2: 'b2' }]]);
  });

  it('kind=array expands a property bag into [key, value] pairs (docs)', async () => {
    const r = await rows('datatable (a: int, b: dynamic)[1, dynamic({"prop1": "a1", "prop2": "b1"}), 2, dynamic({"prop1": "a2", "prop2": "b2"})] | mv-expand kind=array b | extend key = tostring(b[0]), val = tostring(b[1]) | project a, key, val');
    assert.deepEqual(r, [[1, 'prop1', 'a1'], [1, 'prop2', 'b1'], [2, 'prop1', 'a2'], [2, 'prop2', 'b2']]);
    const legacy = await rows('print b = dynamic({"k": 1}) | mv-expand bagexpansion=array b');
    assert.deepEqual(legacy, [[['k', 1]]]);
  });

  it('expands two columns in parallel, padding the shorter with null (docs: zipped)', async () => {
    const r = await rows('datatable (a: int, b: dynamic, c: dynamic)[1, dynamic({"prop1": "a", "prop2": "b"}), dynamic([5, 4, 3])] | mv-expand b, c');
    assert.deepEqual(r, [[1, { prop1: 'a' }, 5], [1, { prop2: 'b' }, 4], [1, null, 3]]);
  });

  it('two mv-expand operators give the Cartesian product (docs)', async () => {
    const r = await rows('datatable (a: int, b: dynamic, c: dynamic)[1, dynamic({"prop1": "a", "prop2": "b"}), dynamic([5, 6])] | mv-expand b | mv-expand c');
    assert.deepEqual(r, [[1, { prop1: 'a' }, 5], [1, { prop1: 'a' }, 6], [1, { prop2: 'b' }, 5], [1, { prop2: 'b' }, 6]]);
  });

  it('to typeof() sets the expanded column type; the others keep theirs (docs: getschema)', async () => {
    const r = await rows('datatable (a: string, b: dynamic, c: dynamic)["Constant", dynamic([1, 2, 3, 4]), dynamic([6, 7, 8, 9])] | mv-expand b, c to typeof(int) | getschema');
    assert.deepEqual(r.map((x) => [x[0], x[3]]), [['a', 'string'], ['b', 'dynamic'], ['c', 'int']]);
    assert.deepEqual(await rows('datatable (a: string, b: dynamic, c: dynamic)["Constant", dynamic([1, 2]), dynamic([6, 7])] | mv-expand b, c to typeof(int) | project c'), [[6], [7]]);
  });

  it('to typeof() casts without parsing: elements not of that type become null', async () => {
    // A real truncates to long: Kusto's own output in ../shared/data/notebooks-demo/TimeSeriesDemo.csv
    // (`baseline to typeof(long)` of real baselines, see test/engine/timeseries-demo.test.ts).
    assert.deepEqual(await rows('print x = dynamic([1, "2", 3.5, true, -2.5]) | mv-expand x to typeof(long)'), [[1], [null], [3], [null], [-2]]);
    assert.deepEqual(await rows('print x = dynamic([1, 2.5]) | mv-expand x to typeof(real)'), [[1], [2.5]]);
    assert.deepEqual(await rows('print x = dynamic(["a", "b"]) | mv-expand x to typeof(string)'), [['a'], ['b']]);
  });

  it('with_itemindex adds the 0-based index of each element (docs)', async () => {
    const r = await engine().query('range x from 1 to 4 step 1 | summarize x = make_list(x) | mv-expand with_itemindex=Index x');
    assert.deepEqual(r.columns, [{ name: 'x', type: 'dynamic' }, { name: 'Index', type: 'long' }]);
    assert.deepEqual(r.rows, [[1, 0], [2, 1], [3, 2], [4, 3]]);
  });

  it('limit caps the rows made from each input row', async () => {
    assert.deepEqual(await rows('datatable(k:long, d:dynamic)[1, dynamic([1,2,3]), 2, dynamic([4,5,6])] | mv-expand d limit 2'),
      [[1, 1], [1, 2], [2, 4], [2, 5]]);
  });

  it('an empty array or bag yields no row; null yields one null row; a scalar yields itself', async () => {
    assert.deepEqual(await rows('datatable(k:long, d:dynamic)[1, dynamic([]), 2, dynamic({}), 3, dynamic(null), 4, dynamic(7)] | mv-expand d'),
      [[3, null], [4, 7]]);
    // Zipped: the row stays as long as one of its arrays has elements.
    assert.deepEqual(await rows('print a = dynamic([]), b = dynamic([1]) | mv-expand a, b'), [[null, 1]]);
  });

  it('expands an expression into a new column named Name (docs: Name = ArrayExpression)', async () => {
    const r = await engine().query('print s = "cmd.exe /c whoami" | mv-expand token = split(s, " ") to typeof(string)');
    assert.deepEqual(r.columns.map((c) => `${c.name}:${c.type}`), ['s:string', 'token:string']);
    assert.deepEqual(r.rows.map((x) => x[1]), ['cmd.exe', '/c', 'whoami']);
    assert.deepEqual(await rows('print d = dynamic({"items": [1, 2]}) | mv-expand x = d.items | project x'), [[1], [2]]);
  });

  it('keeps the input order and the elements\' order (a sorted input stays sorted)', async () => {
    assert.deepEqual(await rows('range x from 1 to 3 step 1 | sort by x desc | mv-expand y = range(1, 2) | project x, y'),
      [[3, 1], [3, 2], [2, 1], [2, 2], [1, 1], [1, 2]]);
  });

  it('expands range() arrays of up to 2^20 elements (range docs)', async () => {
    assert.deepEqual(await rows('print r = range(1, 1000000000) | mv-expand r | count'), [[1048576]]);
  });

  it('counts command-line tokens across rows (hunting use)', async () => {
    const r = await rows(`datatable(Computer:string, CommandLine:string)[
      "h1", "powershell -enc AAA", "h2", "powershell -nop -enc BBB", "h1", "cmd /c whoami"]
      | mv-expand Token = split(CommandLine, " ") to typeof(string)
      | summarize n = count() by Token | where n > 1 | order by Token asc`);
    assert.deepEqual(r, [['-enc', 2], ['powershell', 2]]);
  });
});

describe('mv-apply', () => {
  const engine = useEngine();
  const rows = async (kql: string) => (await engine().query(kql)).rows;
  const sorted = (r: unknown[][]) => [...r].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  it('runs the sub-query per row: top 1 by the element (docs: largest element)', async () => {
    const r = await rows('datatable (index: int, Arr: dynamic)[0, dynamic([1, 5, 3]), 1, dynamic([10, 2, 5, 7])] | mv-apply topElem=Arr to typeof(long) on (top 1 by topElem)');
    assert.deepEqual(sorted(r), [[0, [1, 5, 3], 5], [1, [10, 2, 5, 7], 10]]);
  });

  it('summarizes the top two elements of each row (docs)', async () => {
    const r = await rows('datatable (index: int, Arr: dynamic)[0, dynamic([5, 1, 3]), 1, dynamic([4, 10, 8, 7])] | mv-apply Arr2=Arr to typeof(long) on (top 2 by Arr2 | summarize Top2=make_list(Arr2))');
    assert.deepEqual(sorted(r), [[0, [5, 1, 3], [5, 3]], [1, [4, 10, 8, 7], [10, 8]]]);
  });

  it('sums the two largest elements; the expanded column leaves the result (docs)', async () => {
    const r = await engine().query('datatable (Val:int, Arr:dynamic)[1, dynamic([1, 3, 7]), 5, dynamic([4, 2, 9])] | mv-apply Arr to typeof(long) on (top 2 by Arr | summarize SumOfTop2=sum(Arr))');
    assert.deepEqual(r.columns.map((c) => c.name), ['Val', 'SumOfTop2']);
    assert.deepEqual(sorted(r.rows), [[1, 10], [5, 13]]);
  });

  it('with_itemindex is visible in the sub-query (docs)', async () => {
    const r = await rows('datatable (row: int, Arr: dynamic)[0, dynamic([5, 1, 3]), 1, dynamic([4, 10, 8, 7])] | mv-apply with_itemindex=index value=Arr to typeof(long) on (where index >= 2)');
    assert.deepEqual(sorted(r), [[0, [5, 1, 3], 3, 2], [1, [4, 10, 8, 7], 7, 3], [1, [4, 10, 8, 7], 8, 2]]);
  });

  it('expands several arrays in parallel into the sub-query (docs: zipped strcat)', async () => {
    const r = await rows(`datatable (Val: int, Arr1: dynamic, Arr2: dynamic)[1, dynamic(['A1', 'A2']), dynamic(['B1', 'B2', 'B3']), 5, dynamic(['C1', 'C2']), dynamic(['D1'])]
      | mv-apply T1=Arr1, T2=Arr2 on (extend Out = strcat(T1, "_", T2) | summarize Out = make_list(Out))`);
    assert.deepEqual(sorted(r).map((x) => x[3]), [['A1_B1', 'A2_B2', '_B3'], ['C1_D1', 'C2_']]);
  });

  it('a summarize over an empty array still gives the row its aggregate', async () => {
    const r = await rows('datatable (k:long, d:dynamic)[1, dynamic([]), 2, dynamic([4, 5])] | mv-apply d to typeof(long) on (summarize c = count(), s = sum(d)) | order by k asc');
    assert.deepEqual(r, [[1, 0, 0], [2, 2, 9]]);
  });

  it('a sub-query may itself mv-expand (kind=array over a bag)', async () => {
    const r = await rows(`datatable(Source: string, Target: string)['555-1234', 'x', '555-2424', '555-1']
      | extend Pack = bag_pack("Source", Source, "Target", Target)
      | mv-apply p = Pack on (mv-expand kind = array p | where tostring(p[1]) !startswith "555" | summarize keys = make_set(p[0]))
      | project Source, keys | order by Source asc`);
    assert.deepEqual(r, [['555-1234', ['Target']], ['555-2424', []]]);
  });
});

describe('mv-expand errors', () => {
  const engine = useEngine();
  it('names the operator when asked to expand an unnamed expression in mv-apply', async () => {
    await assert.rejects(engine().query('print a = 1 | mv-apply pack_array(a, a) on (take 1)'), (e: unknown) => {
      assert.ok(e instanceof KqlError);
      assert.match(e.message, /mv-apply/);
      return true;
    });
  });
});
