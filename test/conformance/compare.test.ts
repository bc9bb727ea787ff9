import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KqlType } from '../../src/kql/types.js';
import { cellEquals, compareTables } from './compare.js';

const same = (doc: string, wire: unknown, type?: KqlType) => assert.ok(cellEquals(doc, wire, type), `${doc} should match ${JSON.stringify(wire)} (${type})`);
const differs = (doc: string, wire: unknown, type?: KqlType) => assert.ok(!cellEquals(doc, wire, type), `${doc} should not match ${JSON.stringify(wire)} (${type})`);

describe('cellEquals', () => {
  test('datetimes in every documented form', () => {
    const wire = '2017-01-01T00:00:00.0000000Z';
    for (const doc of ['2017-01-01T00:00:00Z', '2017-01-01T00:00:00.0000000Z', '2017-01-01 00:00:00.0000000', '2017-01-01', '01/01/2017 00:00:00', '1/1/2017 12:00:00 AM']) {
      same(doc, wire, 'datetime');
    }
    same('02/17/2016 08:40:00 PM', '2016-02-17T20:40:00.0000000Z', 'datetime');
    same('2016-12-25 00:00:00.0001234', '2016-12-25T00:00:00.0001000Z', 'datetime'); // below 1 ms is not compared
    differs('2017-01-01', '2017-01-02T00:00:00.0000000Z', 'datetime');
    differs('2017-01-01 00:00:00.001', wire, 'datetime');
  });

  test('timespans to the doc precision', () => {
    same('14.00:00:00', '14.00:00:00', 'timespan');
    same('01:00:00', '01:00:00', 'timespan');
    same('-12:00:00', '-12:00:00', 'timespan');
    same('00:00:01.5', '00:00:01.5000000', 'timespan');
    same('00:00:01.5', '00:00:01.5000400', 'timespan');
    differs('00:00:01.5', '00:00:01.6000000', 'timespan');
    differs('00:00:01.5000000', '00:00:01.5000400', 'timespan');
    same('14:00:00:00', '14.00:00:00', 'timespan');
    differs('01:00:00', '02:00:00', 'timespan');
  });

  test('reals with tolerance, rounding and truncation', () => {
    same('0.54030230586813977', 0.5403023058681398, 'real');
    same('0.226415022388749', 0.22641502238874902, 'real');
    same('2.20904969985854E-05', 2.209049699858544e-5, 'real');
    same('20.5', 20.5, 'real');
    same('3.14', 3.14159, 'real'); // truncated to the doc's digits
    same('3.15', 3.14659, 'real'); // rounded
    differs('3.14', 3.16, 'real');
    same('∞', 'Infinity', 'real');
    same('-∞', '-Infinity', 'real');
    same('NaN', 'NaN', 'real');
    differs('NaN', 1, 'real');
  });

  test('integers are exact, thousands separators allowed', () => {
    same('5', 5, 'long');
    differs('5', 6, 'long');
    differs('1000000', 1000001, 'long');
    same('1,048,576', 1048576, 'long');
    same('9223372036854775807', '9223372036854775807', 'long');
    same('18446744073709551615', '18446744073709551616', 'decimal'); // above 2^53: relative tolerance
  });

  test('booleans', () => {
    for (const doc of ['true', 'True', 'TRUE']) same(doc, true, 'bool');
    same('False', false, 'bool');
    same('0', false, 'bool'); // isfinite-function.md
    differs('true', false, 'bool');
    differs('1', false, 'bool');
  });

  test('dynamic values compared as structures', () => {
    same('{"a": 1, "b": [1, 2]}', { b: [1, 2], a: 1 }, 'dynamic');
    same('{\n  "a":   1\n}', { a: 1 }, 'dynamic');
    same("['a','b']", ['a', 'b'], 'dynamic');
    same("{'a': 1}", { a: 1 }, 'dynamic');
    same('[yes, no, yes]', ['yes', 'no', 'yes'], 'dynamic');
    same('[0.333333]', [1 / 3], 'dynamic');
    same('["2017-01-01T00:00:00.0000000Z"]', ['2017-01-01T00:00:00Z'], 'dynamic');
    same('[1,2,]', [1, 2], 'dynamic');
    differs('{"a": 1}', { a: 1, b: 2 }, 'dynamic');
    differs('[1, 2]', [2, 1], 'dynamic');
    differs('[1]', ['1', 2], 'dynamic');
    same('"abc"', 'abc', 'dynamic');
    same('abc', 'abc', 'dynamic');
    same('12', 12, 'dynamic');
  });

  test('empty cells and nulls', () => {
    same('', null, 'long');
    same('', '', 'string');
    same('null', null, 'dynamic');
    same('', null, 'dynamic');
    differs('', 0, 'long');
    differs('0', null, 'long');
    differs('x', '', 'string');
  });

  test('strings: whitespace runs, quotes, GUID case', () => {
    same('a b', 'a   b', 'string');
    same('line 1 line 2', 'line 1\nline 2', 'string');
    same('"1234567890qwertyuiop"', '1234567890qwertyuiop', 'string');
    same('74be27de-1e4e-49d9-b579-fe0b331d3642', '74BE27DE-1E4E-49D9-B579-FE0B331D3642', 'guid');
    differs('ab', 'a b', 'string');
  });

  test('string columns compare as text, even when they look like numbers or dates', () => {
    same('Number is 1.000000', 'Number is 1.000000', 'string');
    differs('1', '1.0', 'string');
    differs('15-12-2024', '2024-12-15', 'string');
    same('1', 1, 'long'); // the same text is a number in a number column
  });
});

describe('compareTables', () => {
  const cols = (...names: string[]) => names.map((name) => ({ name, type: 'long' as KqlType }));

  test('column names must match in order', () => {
    const r = compareTables({ columns: ['a', 'b'], rows: [], ordered: true }, { columns: cols('b', 'a'), rows: [] });
    assert.equal(r.ok, false);
  });

  test('row count must match', () => {
    const r = compareTables({ columns: ['a'], rows: [['1']], ordered: true }, { columns: cols('a'), rows: [[1], [2]] });
    assert.deepEqual(r, { ok: false, why: 'expected 1 rows, got 2' });
  });

  test('ordered cases compare rows in order', () => {
    const expected = { columns: ['a'], rows: [['1'], ['2']], ordered: true };
    assert.equal(compareTables(expected, { columns: cols('a'), rows: [[1], [2]] }).ok, true);
    assert.equal(compareTables(expected, { columns: cols('a'), rows: [[2], [1]] }).ok, false);
  });

  test('unordered cases compare as multisets', () => {
    const expected = { columns: ['a'], rows: [['1'], ['2'], ['2']], ordered: false };
    assert.equal(compareTables(expected, { columns: cols('a'), rows: [[2], [1], [2]] }).ok, true);
    assert.equal(compareTables(expected, { columns: cols('a'), rows: [[2], [1], [1]] }).ok, false);
  });

  test('multiset matching does not pair greedily', () => {
    // "3.1" matches both 3.14 and 3.18 (truncation), "3.14" only 3.14: pairing the first row
    // with the first match would leave the second without one
    const expected = { columns: ['r'], rows: [['3.1'], ['3.14']], ordered: false };
    const actual = { columns: [{ name: 'r', type: 'real' as KqlType }], rows: [[3.14], [3.18]] };
    assert.equal(compareTables(expected, actual).ok, true);
    assert.equal(compareTables(expected, { ...actual, rows: [[3.18], [3.19]] }).ok, false);
  });
});
