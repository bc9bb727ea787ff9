import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scalar, useEngine } from '../engine/helpers.js';

describe('array functions over several arrays', () => {
  const engine = useEngine();
  const value = (kql: string) => scalar(engine(), kql);

  test('array_iff picks per element; numbers are true when non-zero, other conditions give null (array_iff docs)', async () => {
    assert.deepEqual(await value('print array_iff(dynamic([true,false,true]), dynamic([1,2,3]), dynamic([4,5,6]))'), [1, 5, 3]);
    assert.deepEqual(await value('print array_iff(dynamic([1,0,50]), "yes", "no")'), ['yes', 'no', 'yes']);
    assert.deepEqual(await value('print array_iff(dynamic(["text", null]), 1, 0)'), [null, null]);
    assert.deepEqual(await value('print array_iif(dynamic([true,true,true]), dynamic([1,2]), dynamic([3,4]))'), [1, 2, null]);
  });

  test('array_sort_asc/desc put nulls last unless told otherwise (array_sort_asc docs)', async () => {
    assert.deepEqual(await value('print array_sort_asc(dynamic([null,"blue","yellow","green",null]))'), ['blue', 'green', 'yellow', null, null]);
    assert.deepEqual(await value('print array_sort_asc(dynamic([null,"blue","yellow","green",null]), false)'), [null, null, 'blue', 'green', 'yellow']);
    assert.deepEqual(await value('print array_sort_desc(dynamic([10, 9, 100, null]))'), [100, 10, 9, null]);
    assert.equal(await value('print strcat_array(array_sort_asc(split("John,Paul,Jane,Kao", ",")), ",")'), 'Jane,John,Kao,Paul');
  });

  test('array_sort_asc with several arrays reorders them all by the first; a length mismatch gives null', async () => {
    assert.deepEqual(await value('print x = array_sort_asc(dynamic([1,3,4,5,2]), dynamic(["a","b","c","d","e"]))'), [[1, 2, 3, 4, 5], ['a', 'e', 'b', 'c', 'd']]);
    assert.deepEqual(await value('print x = array_sort_desc(dynamic([1,3,2]), dynamic(["a","b"]))'), [[3, 2, 1], null]);
  });

  test('an unnamed array_sort_asc of several arrays fills one column per array, in print and extend (array_sort_asc docs)', async () => {
    const printed = await engine().query('let array1 = dynamic([1,3,4,5,2]); let array2 = dynamic(["a","b","c","d","e"]); print array_sort_asc(array1, array2)');
    assert.deepEqual(printed.columns.map((c) => c.name), ['array1_sorted', 'array2_sorted']);
    assert.deepEqual(printed.rows[0], [[1, 2, 3, 4, 5], ['a', 'e', 'b', 'c', 'd']]);
    const extended = await engine().query('datatable(a:dynamic, b:dynamic)[dynamic([2,1]), dynamic(["x","y"])] | extend array_sort_asc(a, b)');
    assert.deepEqual(extended.rows[0]!.slice(2), [[1, 2], ['y', 'x']]);
  });

  test('array_split splits before each index; negative indexes count from the end (array_split docs)', async () => {
    assert.deepEqual(await value('print array_split(dynamic([1,2,3,4,5]), 2)'), [[1, 2], [3, 4, 5]]);
    assert.deepEqual(await value('print array_split(dynamic([1,2,3,4,5]), dynamic([1,3]))'), [[1], [2, 3], [4, 5]]);
    assert.deepEqual(await value('print array_split(dynamic([1,2,3,4,5]), -2)'), [[1, 2, 3], [4, 5]]);
  });

  test('zip pairs elements up to the longest array, padding with null (zip docs)', async () => {
    assert.deepEqual(await value('print zip(dynamic([1,3,5]), dynamic([2,4,6]))'), [[1, 2], [3, 4], [5, 6]]);
    assert.deepEqual(await value('print zip(dynamic(["A", 1, 1.5]), dynamic([{}]))'), [['A', {}], [1, null], [1.5, null]]);
  });

  test('bag_zip skips non-string keys and pads values with null; keys that are not an array give null (bag_zip docs)', async () => {
    assert.deepEqual(await value("print bag_zip(dynamic(['a', 'b', 'c']), dynamic([1, '2', 3.4]))"), { a: 1, b: '2', c: 3.4 });
    assert.deepEqual(await value("print bag_zip(dynamic(['a', 8, 'b']), dynamic([1, '2', 2.5]))"), { a: 1, b: 2.5 });
    assert.deepEqual(await value("datatable(k:dynamic, v:dynamic)[dynamic(['a', 'b']), dynamic(1)] | project bag_zip(k, v)"), { a: null, b: null });
    assert.equal(await value("datatable(k:dynamic, v:dynamic)[dynamic('a'), dynamic([1])] | project isnull(bag_zip(k, v))"), true);
  });

  test('set_equals and jaccard_index compare distinct elements (docs)', async () => {
    assert.equal(await value('print set_equals(dynamic([1, 2, 3]), dynamic([3, 2, 1, 1]))'), true);
    assert.equal(await value('print set_equals(dynamic([1, 4, 2]), dynamic([1, 4, 3]))'), false);
    assert.equal(await value('print jaccard_index(dynamic([1,2,3]), dynamic([1,2,3,4]))'), 0.75);
    assert.equal(await value('print jaccard_index(dynamic(["a","s","d"]), dynamic(["f","d","s","a"]))'), 0.75);
    assert.equal(await value('print isnan(todouble(jaccard_index(dynamic([]), dynamic([]))))'), true);
  });
});

describe('bags of the row: pack_all and bag_pack_columns', () => {
  const engine = useEngine();
  const rows = async (kql: string) => (await engine().query(kql)).rows;

  test('pack_all packs every input column; pack_all(true) leaves out nulls and empty strings (pack_all docs)', async () => {
    const r = await rows("datatable(Source:string, Target:string, CharsCount:long)['555-1313', '', 42, '', '555-3456', long(null)] | extend Packed = pack_all(), Ignoring = pack_all(true)");
    assert.deepEqual(r[0]!.slice(3), [{ Source: '555-1313', Target: '', CharsCount: 42 }, { Source: '555-1313', CharsCount: 42 }]);
    assert.deepEqual(r[1]!.slice(3), [{ Source: '', Target: '555-3456', CharsCount: null }, { Target: '555-3456' }]);
  });

  test('pack_all sees the operator input, not columns the same extend adds', async () => {
    assert.deepEqual(await scalar(engine(), 'print x = 1 | extend y = 2, p = pack_all() | project p'), { x: 1 });
  });

  test('bag_pack_columns keys the values by their column names (bag_pack_columns docs)', async () => {
    assert.deepEqual(await scalar(engine(), "datatable(Id:string, Value:long, Other:string)['a', 1, 'x'] | project bag_pack_columns(Id, Value)"), { Id: 'a', Value: 1 });
  });
});
