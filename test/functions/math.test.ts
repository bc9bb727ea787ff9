import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useDb, expr, fn, lit } from './helpers.js';

const db = useDb();

const real = (v: number | string) => lit('real', v);
const long = (v: number) => lit('long', v);
const value = (name: string, args: Parameters<typeof fn>[1], type: Parameters<typeof fn>[2] = 'real') => db().value(fn(name, args, type));
const close = (a: unknown, b: number) => assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-12 * Math.max(1, Math.abs(b)), `${String(a)} ≈ ${b}`);

describe('math', () => {
  test('abs(-5) == 5, sign, ceiling (docs)', async () => {
    assert.equal(await value('abs', [long(-5)], 'long'), 5);
    assert.equal(await value('abs', [lit('timespan', '-1h')], 'timespan'), 36_000_000_000);
    assert.equal(await value('sign', [real(-2.5)]), -1);
    assert.equal(await value('ceiling', [real(-1.1)]), -1);
    assert.equal(await value('ceiling', [long(0)], 'long'), 0);
    assert.equal(await value('ceiling', [real(0.9)]), 1);
  });

  test('exp(2), log10(5), log2(5) (docs)', async () => {
    close(await value('exp', [long(2)]), 7.38905609893065);
    close(await value('log10', [long(5)]), 0.69897000433601886);
    close(await value('log2', [long(5)]), 2.3219280948873622);
    close(await value('log', [real(Math.E)]), 1);
    close(await value('pow', [long(2), long(10)]), 1024);
    close(await value('sqrt', [long(16)]), 4);
  });

  test('log of 0 is -inf and of a negative NaN; sqrt of a negative is NaN (where DuckDB would raise)', async () => {
    assert.equal(await value('log', [real(0)]), -Infinity);
    assert.ok(Number.isNaN(await value('log', [real(-1)])));
    assert.ok(Number.isNaN(await value('log10', [expr('real', -1)])));
    assert.ok(Number.isNaN(await value('sqrt', [real(-1)])));
  });

  test('round with precision (round docs)', async () => {
    assert.equal(await value('round', [real(2.98765), long(3)]), 2.988);
    assert.equal(await value('round', [real(2.15), long(1)]), 2.2);
    assert.equal(await value('round', [real(2.15)]), 2);
    assert.equal(await value('round', [real(-50.55), long(-2)]), -100);
    assert.equal(await value('round', [real(21.5), long(-1)]), 20);
  });

  test('isnan, isinf, isfinite over 1.0*x/0.0 for x in -1..1 (isinf and isfinite docs)', async () => {
    const results = [];
    for (const x of [-1, 0, 1]) {
      const div = { sql: `(${x}.0 / 0.0::DOUBLE)`, type: 'real' as const };
      results.push([await value('isinf', [div], 'bool'), await value('isfinite', [div], 'bool'), await value('isnan', [div], 'bool')]);
    }
    assert.deepEqual(results, [[true, false, false], [false, false, true], [true, false, false]]);
    assert.equal(await value('isfinite', [long(3)], 'bool'), true);
    assert.equal(await value('isnan', [lit('real', null)], 'bool'), null);
  });

  test('min_of / max_of (docs); null arguments are ignored', async () => {
    assert.equal(await value('min_of', [long(10), long(1), long(-3), long(17)], 'long'), -3);
    assert.equal(await value('max_of', [long(10), long(1), long(-3), long(17)], 'long'), 17);
    assert.equal(await value('max_of', [long(1), lit('long', null)], 'long'), 1);
    assert.equal(await value('max_of', [lit('datetime', '2024-12-15 07:15:22'), lit('datetime', '2024-12-15 07:15:24')], 'datetime'), '2024-12-15 07:15:24');
  });

  test('radians (docs)', async () => {
    close(await value('radians', [long(180)]), Math.PI);
  });
});

describe('conditionals', () => {
  test('case picks the first true branch (case docs: Size buckets)', async () => {
    const buckets = [];
    for (const size of [1, 3, 5, 7, 9, 11, 13, 15]) {
      const x = long(size);
      const le = (n: number) => ({ sql: `(${x.sql} <= ${n})`, type: 'bool' as const });
      buckets.push(await value('case', [le(3), lit('string', 'Small'), le(10), lit('string', 'Medium'), lit('string', 'Large')], 'string'));
    }
    assert.deepEqual(buckets, ['Small', 'Small', 'Medium', 'Medium', 'Medium', 'Large', 'Large', 'Large']);
  });

  test('iff with a null condition takes the else branch; branches are brought to the result type', async () => {
    assert.equal(await value('iff', [lit('bool', null), long(1), long(2)], 'long'), 2);
    assert.equal(await value('iff', [lit('bool', true), lit('real', null), real(5)], 'real'), null);
    assert.equal(await value('iif', [lit('bool', true), lit('int', 1), long(2)], 'long'), 1);
  });

  test('coalesce skips nulls, and empty strings for strings', async () => {
    assert.equal(await value('coalesce', [lit('string', ''), lit('string', 'b')], 'string'), 'b');
    assert.equal(await value('coalesce', [lit('string', ''), lit('string', '')], 'string'), '');
    assert.equal(await value('coalesce', [lit('long', null), long(2)], 'long'), 2);
    assert.equal(await value('coalesce', [lit('dynamic', null), lit('dynamic', 1)], 'dynamic'), '1');
  });

  test('isempty is true for "" and null; isnull is false for any string (isempty docs)', async () => {
    assert.equal(await value('isempty', [lit('string', '')], 'bool'), true);
    assert.equal(await value('isempty', [lit('string', 'x')], 'bool'), false);
    assert.equal(await value('isempty', [fn('parse_json', [lit('string', '')], 'dynamic')], 'bool'), true);
    assert.equal(await value('isempty', [lit('dynamic', [])], 'bool'), false);
    assert.equal(await value('isempty', [lit('dynamic', {})], 'bool'), false);
    assert.equal(await value('isempty', [lit('long', null)], 'bool'), true);
    assert.equal(await value('isnotempty', [lit('string', 'x')], 'bool'), true);
    assert.equal(await value('isnull', [lit('string', '')], 'bool'), false);
    assert.equal(await value('isnull', [lit('long', null)], 'bool'), true);
    assert.equal(await value('isnull', [lit('dynamic', null)], 'bool'), true);
    assert.equal(await value('isnotnull', [long(1)], 'bool'), true);
  });
});
