import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useDb, agg, column, expr, fn, json, lit } from './helpers.js';

const db = useDb();

const d = (v: unknown) => lit('dynamic', v);
const long = (v: number) => lit('long', v);
const dynValue = async (name: string, ...args: Parameters<typeof fn>[1]) => json(await db().value(fn(name, args, 'dynamic')));

describe('arrays', () => {
  const arr = d(['this', 'is', 'an', 'example', 'an', 'example']);

  test('array_index_of with start, length, occurrence (array_index_of docs)', async () => {
    const idx = (...args: Parameters<typeof fn>[1]) => db().value(fn('array_index_of', [arr, ...args], 'long'));
    assert.equal(await idx(lit('string', 'an')), 2);
    assert.equal(await idx(lit('string', 'example'), long(1), long(3)), 3);
    assert.equal(await idx(lit('string', 'example'), long(1), long(2)), -1);
    assert.equal(await idx(lit('string', 'is'), long(2), long(4)), -1);
    assert.equal(await idx(lit('string', 'example'), long(2), long(-1)), 3);
    assert.equal(await idx(lit('string', 'an'), long(1), long(-1), long(2)), 4);
    assert.equal(await idx(lit('string', 'an'), long(1), long(-1), long(3)), -1);
    assert.equal(await idx(lit('string', 'an'), long(-3)), 4);
    assert.equal(await idx(lit('string', 'is'), long(-4)), -1);
  });

  test('array_reverse, array_slice, array_sum, array_concat', async () => {
    assert.deepEqual(await dynValue('array_reverse', d(['this', 'is', 'an', 'example'])), ['example', 'an', 'is', 'this']);
    assert.deepEqual(await dynValue('array_slice', d([1, 2, 3, 4, 5]), long(1), long(3)), [2, 3, 4]);
    assert.deepEqual(await dynValue('array_slice', d([1, 2, 3, 4, 5]), long(-2), long(-1)), [4, 5]);
    assert.equal(await db().value(fn('array_sum', [d([1, 2, 3, 4])], 'real')), 10);
    assert.deepEqual(await dynValue('array_concat', d([1, 2]), d(['a']), expr('dynamic', [{ b: 1 }])), [1, 2, 'a', { b: 1 }]);
  });

  test('array_rotate_left and array_shift_right (docs)', async () => {
    assert.deepEqual(await dynValue('array_rotate_left', d([1, 2, 3, 4, 5]), long(2)), [3, 4, 5, 1, 2]);
    assert.deepEqual(await dynValue('array_rotate_left', d([1, 2, 3, 4, 5]), long(-2)), [4, 5, 1, 2, 3]);
    assert.deepEqual(await dynValue('array_shift_right', d([1, 2, 3, 4, 5]), long(2)), [null, null, 1, 2, 3]);
    assert.deepEqual(await dynValue('array_shift_right', d([1, 2, 3, 4, 5]), long(2), long(-1)), [-1, -1, 1, 2, 3]);
    assert.deepEqual(await dynValue('array_shift_right', d([1, 2, 3, 4, 5]), long(-2), long(-1)), [3, 4, 5, -1, -1]);
  });

  test('range(start, stop, step) includes stop (range docs)', async () => {
    assert.deepEqual(await dynValue('range', long(1), long(8), long(3)), [1, 4, 7]);
    assert.deepEqual(await dynValue('range', long(1), long(3)), [1, 2, 3]);
    assert.deepEqual(await dynValue('range', lit('datetime', '2020-01-01'), lit('datetime', '2020-01-02'), lit('timespan', '12h')),
      ['2020-01-01T00:00:00.0000000Z', '2020-01-01T12:00:00.0000000Z', '2020-01-02T00:00:00.0000000Z']);
    const big = await db().value(`json_array_length(${fn('range', [long(1), long(1_000_000_000)], 'dynamic').sql})`);
    assert.equal(big, 1_048_576, 'capped at 1,048,576 elements');
  });

  test('strcat_array applies tostring to the elements (strcat_array docs)', async () => {
    assert.equal(await db().value(fn('strcat_array', [d([1, 2, 3]), lit('string', '->')], 'string')), '1->2->3');
    assert.equal(await db().value(fn('strcat_array', [d(['a', null, 'b']), lit('string', ',')], 'string')), 'a,,b');
  });
});

describe('sets', () => {
  test('set_intersect and set_difference keep the first array’s order (set docs)', async () => {
    assert.deepEqual(await dynValue('set_intersect', d([1, 2, 1, 4]), d([1, 2]), d([8, 1])), [1]);
    assert.deepEqual(await dynValue('set_intersect', d([1, 2, 3]), d([4, 5])), []);
    assert.deepEqual(await dynValue('set_difference', d([1, 2, 1, 4]), d([1, 2]), d([1, 2, 8])), [4]);
    assert.deepEqual(await dynValue('set_difference', d([1, 2, 3]), d([1, 2, 3])), []);
    assert.deepEqual(await dynValue('set_union', d([1, 2, 1]), d([3, 2])), [1, 2, 3]);
    assert.equal(await db().value(fn('set_has_element', [d(['a', 'b']), lit('string', 'b')], 'bool')), true);
    assert.equal(await db().value(fn('set_has_element', [d([1, 2]), long(3)], 'bool')), false);
  });
});

describe('bags', () => {
  test('bag_has_key takes a key or a JSONPath (bag_has_key docs)', async () => {
    const bag = d({ key1: 123, key2: { prop1: 'abc', prop2: 'xyz' }, key3: [100, 200] });
    assert.equal(await db().value(fn('bag_has_key', [bag, lit('string', 'key1')], 'bool')), true);
    assert.equal(await db().value(fn('bag_has_key', [bag, lit('string', '$.key2.prop1')], 'bool')), true);
    assert.equal(await db().value(fn('bag_has_key', [bag, lit('string', '$.key2.nope')], 'bool')), false);
    assert.equal(await db().value(fn('bag_has_key', [bag, expr('string', 'key3')], 'bool')), true);
  });

  test('bag_set_key sets a key or a nested JSONPath (bag_set_key docs)', async () => {
    assert.deepEqual(await dynValue('bag_set_key', d({ key1: 1, key3: 'abc' }), lit('string', 'key3'), long(3)), { key1: 1, key3: 3 });
    assert.deepEqual(await dynValue('bag_set_key', d({ key1: 123 }), lit('string', '$.key2.prop1'), lit('string', 'abc')), { key1: 123, key2: { prop1: 'abc' } });
  });

  test('bag_remove_keys and bag_merge (the leftmost bag wins)', async () => {
    assert.deepEqual(await dynValue('bag_remove_keys', d({ a: 1, b: 2, c: { d: 1, e: 2 } }), d(['a', '$.c.d'])), { b: 2, c: { e: 2 } });
    assert.deepEqual(await dynValue('bag_merge', d({ a: 1 }), d({ a: 2, b: 2 })), { a: 1, b: 2 });
  });
});

describe('code points and hex', () => {
  test('unicode_codepoints_from_string / _to_string (docs)', async () => {
    assert.deepEqual(await dynValue('unicode_codepoints_from_string', lit('string', '⒦⒰⒮⒯⒪')), [9382, 9392, 9390, 9391, 9386]);
    assert.equal(await db().value(fn('unicode_codepoints_to_string', [long(75), long(117), long(115), long(116), long(111)], 'string')), 'Kusto');
    assert.equal(await db().value(fn('unicode_codepoints_to_string', [d([75, 117, 115]), long(116), long(111)], 'string')), 'Kusto');
  });

  test('tohex is two’s complement of the value’s width, with an optional minimum length', async () => {
    assert.equal(await db().value(fn('tohex', [long(256)], 'string')), '100');
    assert.equal(await db().value(fn('tohex', [long(-546)], 'string')), 'fffffffffffffdde');
    assert.equal(await db().value(fn('tohex', [lit('int', -546)], 'string')), 'fffffdde');
    assert.equal(await db().value(fn('tohex', [long(256), long(8)], 'string')), '00000100');
  });
});

describe('covariance', () => {
  test('covariance is the sample covariance, covariancep the population one', async () => {
    await db().table([['x', 'long'], ['y', 'long']], [[1, 2], [2, 4], [3, 6]]);
    const rows = await db().aggregate([
      agg('covariance', [column('x', 'long'), column('y', 'long')], 'real'),
      agg('covariancep', [column('x', 'long'), column('y', 'long')], 'real'),
    ]);
    assert.equal(rows[0]![0], 2);
    assert.ok(Math.abs((rows[0]![1] as number) - 4 / 3) < 1e-12);
  });
});
