import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { useDb, agg, column, json, lit, op } from './helpers.js';

const db = useDb();

const x = column('x', 'long');
const y = column('y', 'real');

async function one(sql: string): Promise<unknown> {
  return (await db().aggregate([sql]))[0]![0];
}

describe('aggregates over an empty input (summarize docs: default values)', () => {
  before(async () => {
    await db().table([['x', 'long']], []);
  });

  test('count, countif, dcount, dcountif, sum, sumif, stdev, variance are 0', async () => {
    const positive = op('>', [x, lit('long', 0)]).sql;
    const zeros = await db().aggregate([
      agg('count', [], 'long'), agg('countif', [{ sql: positive, type: 'bool' }], 'long'), agg('dcount', [x], 'long'),
      agg('dcountif', [x, { sql: positive, type: 'bool' }], 'long'), agg('sum', [x], 'long'),
      agg('sumif', [x, { sql: positive, type: 'bool' }], 'long'), agg('stdev', [x], 'real'), agg('variance', [x], 'real'),
    ]);
    assert.deepEqual(zeros[0], [0, 0, 0, 0, 0, 0, 0, 0]);
  });

  test('make_list and make_set are []', async () => {
    assert.deepEqual(json(await one(agg('make_list', [x], 'dynamic'))), []);
    assert.deepEqual(json(await one(agg('make_set', [x], 'dynamic'))), []);
  });

  test('avg is NaN (summarize docs example); min, max, take_any and percentile are null', async () => {
    assert.ok(Number.isNaN(await one(agg('avg', [x], 'real'))));
    const nulls = await db().aggregate([agg('min', [x], 'long'), agg('max', [x], 'long'), agg('take_any', [x], 'long'), agg('percentile', [x, lit('long', 55)], 'long')]);
    assert.deepEqual(nulls[0], [null, null, null, null]);
  });
});

describe('nulls are ignored', () => {
  before(async () => {
    // range x from 1 to 4 | extend y = iff(x == 1, real(null), real(5))
    await db().table([['x', 'long'], ['y', 'real']], [[1, null], [2, 5], [3, 5], [4, 5]]);
  });

  test('sum(y) == 15 and avg(y) == 5 skip the null (summarize docs example)', async () => {
    const [row] = await db().aggregate([agg('sum', [y], 'real'), agg('avg', [y], 'real')]);
    assert.deepEqual(row, [15, 5]);
  });

  test('count(y) counts rows, its argument does not matter (summarize docs example)', async () => {
    assert.equal(await one(agg('count', [y], 'long')), 4);
  });

  test('make_set(y) is [5.0]: nulls skipped, duplicates removed (summarize docs example)', async () => {
    assert.deepEqual(json(await one(agg('make_set', [y], 'dynamic'))), [5]);
    assert.deepEqual(json(await one(agg('make_list', [y], 'dynamic'))), [5, 5, 5]);
  });

  test('sum of a group whose values are all null is 0', async () => {
    const where = op('==', [x, lit('long', 1)]);
    assert.equal(await one(agg('sumif', [y, where], 'real')), 0);
  });

  test('dcount is exact and ignores nulls; its accuracy argument is ignored', async () => {
    assert.equal(await one(agg('dcount', [y, lit('long', 4)], 'long')), 1);
    assert.equal(await one(agg('count_distinct', [x], 'long')), 4);
  });
});

describe('conditional and collection aggregates', () => {
  test('make_list_if(name, strlen(name) > 4) == ["George", "Ringo"] (make_list_if docs)', async () => {
    await db().table([['name', 'string'], ['day_of_birth', 'long']], [['John', 9], ['Paul', 18], ['George', 25], ['Ringo', 7]]);
    const name = column('name', 'string');
    const longName = op('>', [{ sql: `length(${name.sql})`, type: 'long' }, lit('long', 4)]);
    assert.deepEqual(json(await one(agg('make_list_if', [name, longName], 'dynamic'))), ['George', 'Ringo']);
    assert.deepEqual(json(await one(agg('make_list', [name, lit('long', 2)], 'dynamic'))), ['John', 'Paul'], 'size limit');
    assert.equal(await one(agg('countif', [longName], 'long')), 2);
    assert.equal(await one(agg('maxif', [column('day_of_birth', 'long'), longName], 'long')), 25);
    assert.equal(await one(agg('minif', [column('day_of_birth', 'long'), longName], 'long')), 7);
    assert.equal(await one(agg('min', [name], 'string')), 'George');
  });

  test('make_bag merges property bags (make_bag docs)', async () => {
    await db().table([['p', 'dynamic']], [[{ prop01: 'val_a' }], [{ prop02: 'val_b' }], [{ prop03: 'val_c' }], [null], ['not a bag']]);
    const bag = json(await one(agg('make_bag', [column('p', 'dynamic')], 'dynamic')));
    assert.deepEqual(bag, { prop01: 'val_a', prop02: 'val_b', prop03: 'val_c' });
  });

  test('make_list of datetimes and dynamic values keeps Kusto’s JSON forms', async () => {
    await db().table([['t', 'datetime'], ['d', 'dynamic']], [['2017-01-01T00:00:00Z', { a: 1 }], [null, null]]);
    assert.deepEqual(json(await one(agg('make_list', [column('t', 'datetime')], 'dynamic'))), ['2017-01-01T00:00:00.0000000Z']);
    assert.deepEqual(json(await one(agg('make_list', [column('d', 'dynamic')], 'dynamic'))), [{ a: 1 }]);
  });

  test('stdevif(x, x % 2 == 0) over 1..100 is 29.1547594742265 (stdevif docs); stdevp over 1..5 is sqrt(2)', async () => {
    await db().table([['x', 'long']], Array.from({ length: 100 }, (_, i) => [i + 1]));
    const even = op('==', [op('%', [x, lit('long', 2)], 'long'), lit('long', 0)]);
    const v = (await one(agg('stdevif', [x, even], 'real'))) as number;
    assert.ok(Math.abs(v - 29.1547594742265) < 1e-9, String(v));
    await db().table([['x', 'long']], [[1], [2], [3], [4], [5]]);
    assert.ok(Math.abs(((await one(agg('stdevp', [x], 'real'))) as number) - 1.4142135623731) < 1e-12);
    assert.equal(await one(agg('variance', [x], 'real')), 2.5);
    assert.equal(await one(agg('stdev', [lit('long', 7)], 'real')), 0, 'a single value has stdev 0');
  });
});

describe('percentile', () => {
  test('percentile is nearest-rank: the smallest value with at least p% of values at or below it', async () => {
    await db().table([['x', 'long']], Array.from({ length: 10 }, (_, i) => [i + 1]));
    const p = async (n: number) => one(agg('percentile', [x, lit('real', n)], 'long'));
    assert.equal(await p(50), 5);
    assert.equal(await p(95), 10);
    assert.equal(await p(30), 3);
    assert.equal(await p(31), 4);
    assert.equal(await p(0), 1);
    assert.equal(await p(100), 10);
  });

  test('percentile of datetimes and timespans keeps the type', async () => {
    await db().table([['t', 'datetime']], [['2020-01-01T00:00:00Z'], ['2020-01-02T00:00:00Z'], ['2020-01-03T00:00:00Z']]);
    assert.equal(await one(agg('percentile', [column('t', 'datetime'), lit('long', 50)], 'datetime')), '2020-01-02 00:00:00');
  });
});

describe('avg, min, max of time values', () => {
  test('avg of timespans is a timespan; avg of datetimes is a datetime', async () => {
    await db().table([['d', 'timespan'], ['t', 'datetime']], [['1h', '2020-01-01T00:00:00Z'], ['3h', '2020-01-03T00:00:00Z']]);
    assert.equal(await one(agg('avg', [column('d', 'timespan')], 'timespan')), 2 * 36_000_000_000);
    assert.equal(await one(agg('avg', [column('t', 'datetime')], 'datetime')), '2020-01-02 00:00:00');
    assert.equal(await one(agg('max', [column('t', 'datetime')], 'datetime')), '2020-01-03 00:00:00');
    assert.equal(await one(agg('sum', [column('d', 'timespan')], 'timespan')), 4 * 36_000_000_000);
  });

  test('take_any picks a value of the group', async () => {
    await db().table([['s', 'string']], [['a'], ['a']]);
    assert.equal(await one(agg('take_any', [column('s', 'string')], 'string')), 'a');
  });
});
