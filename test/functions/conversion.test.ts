import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jsonPath } from '../../src/engine/duckdb/functions/index.js';
import { formatReal } from '../../src/engine/duckdb/udfs/index.js';
import { useDb, expr, fn, json, lit } from './helpers.js';

const db = useDb();

const s = (v: string) => lit('string', v);
const tostring = (v: Parameters<typeof fn>[1][number]) => db().value(fn('tostring', [v], 'string'));

describe('tostring', () => {
  test('tostring of a real prints like Kusto: 1.0 → "1", 0.1 → "0.1", large and small in E notation', async () => {
    const cases: [number, string][] = [
      [1, '1'], [0.1, '0.1'], [-2.5, '-2.5'], [123.45, '123.45'], [1e20, '1E+20'], [1.5e-7, '1.5E-07'],
      [123456789012345, '123456789012345'], [1e15, '1E+15'], [1234567890123456.7, '1.2345678901234568E+15'],
      [0.0001, '0.0001'], [0.00001, '1E-05'], [0.1 + 0.2, '0.30000000000000004'],
    ];
    for (const [x, want] of cases) {
      assert.equal(await tostring(lit('real', x)), want, `tostring(${x})`);
      assert.equal(await tostring(expr('real', x)), want, `tostring(${x}) per row`);
    }
    assert.equal(await tostring(lit('real', 'NaN')), 'NaN');
    assert.equal(await tostring(lit('real', 'Infinity')), 'Infinity');
  });

  test('tostring of reals agrees with the .NET round-trip format on random values (native and UDF paths)', async () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const values = Array.from({ length: 400 }, (_, i) => (random() - 0.5) * 10 ** ((i % 40) - 20));
    const list = values.map((v) => `${v.toExponential(17)}::DOUBLE`).join(', ');
    const texts = (await db().value(`list_transform([${list}], lambda kql_v: ${fn('tostring', [{ sql: 'kql_v', type: 'real' }], 'string').sql})`)) as string[];
    values.forEach((v, i) => assert.equal(texts[i], formatReal(v), String(v)));
  });

  test('tostring of a datetime is ISO 8601 with 7 fraction digits and Z', async () => {
    assert.equal(await tostring(lit('datetime', '2015-12-31T23:59:59.9Z')), '2015-12-31T23:59:59.9000000Z');
    assert.equal(await tostring(lit('datetime', '2017-01-01T00:00:00Z')), '2017-01-01T00:00:00.0000000Z');
  });

  test('tostring of a timespan is [-][d.]hh:mm:ss[.fffffff]', async () => {
    const cases: [string, string][] = [
      ['1d', '1.00:00:00'], ['1.5s', '00:00:01.5000000'], ['-12h', '-12:00:00'], ['25min', '00:25:00'],
      ['14d', '14.00:00:00'], ['1tick', '00:00:00.0000001'], ['0s', '00:00:00'],
    ];
    for (const [t, want] of cases) assert.equal(await tostring(lit('timespan', t)), want, t);
  });

  test('tostring of bool, int, guid, decimal', async () => {
    assert.equal(await tostring(lit('bool', true)), 'true');
    assert.equal(await tostring(lit('bool', false)), 'false');
    assert.equal(await tostring(lit('int', -7)), '-7');
    assert.equal(await tostring(lit('guid', '74BE27DE-1E4E-49D9-B579-FE0B331D3642')), '74be27de-1e4e-49d9-b579-fe0b331d3642');
    assert.equal(await tostring(lit('decimal', '1.50')), '1.5');
    assert.equal(await tostring(lit('decimal', '12')), '12');
  });

  test('tostring of null is the empty string for every type', async () => {
    for (const t of ['bool', 'int', 'long', 'real', 'decimal', 'datetime', 'timespan', 'guid', 'dynamic'] as const) {
      assert.equal(await tostring(lit(t, null)), '', t);
    }
  });

  test('tostring of dynamic: a JSON string loses its quotes, objects and arrays are compact JSON', async () => {
    assert.equal(await tostring(lit('dynamic', 'abc')), 'abc');
    assert.equal(await tostring(lit('dynamic', { a: 1, b: [1, 2] })), '{"a":1,"b":[1,2]}');
    assert.equal(await tostring(lit('dynamic', 12)), '12');
    assert.equal(await tostring(lit('dynamic', null)), '');
  });
});

describe('to number and bool', () => {
  test('toint("123") == 123 and toint(2.3) == 2 (toint docs); reals truncate toward zero', async () => {
    assert.equal(await db().value(fn('toint', [s('123')], 'int')), 123);
    assert.equal(await db().value(fn('toint', [lit('real', 2.3)], 'int')), 2);
    assert.equal(await db().value(fn('toint', [lit('real', 2.9)], 'int')), 2);
    assert.equal(await db().value(fn('toint', [lit('real', -2.9)], 'int')), -2);
  });

  test('tolong("abc") is null; text that is not a whole number is null', async () => {
    assert.equal(await db().value(fn('tolong', [s('abc')], 'long')), null);
    assert.equal(await db().value(fn('tolong', [s('2.5')], 'long')), null);
    assert.equal(await db().value(fn('tolong', [s(' 42 ')], 'long')), 42);
    assert.equal(await db().value(fn('tolong', [s('-9007199254740993')], 'long')), '-9007199254740993');
  });

  test('coalesce(tolong("not a number"), tolong("42"), 33) == 42 (coalesce docs)', async () => {
    const v = fn('coalesce', [fn('tolong', [s('not a number')], 'long'), fn('tolong', [s('42')], 'long'), lit('long', 33)], 'long');
    assert.equal(await db().value(v), 42);
  });

  test('toreal / todouble parse text; tolong of a timespan is ticks', async () => {
    assert.equal(await db().value(fn('toreal', [s('1e3')], 'real')), 1000);
    assert.equal(await db().value(fn('todouble', [s('x')], 'real')), null);
    assert.equal(await db().value(fn('tolong', [lit('timespan', '1s')], 'long')), 10_000_000);
    assert.equal(await db().value(fn('todecimal', [s('1.5')], 'decimal')), 1.5);
  });

  test('tobool("true"), tobool("false"), tobool(1), tobool(123) (tobool docs)', async () => {
    assert.equal(await db().value(fn('tobool', [s('true')], 'bool')), true);
    assert.equal(await db().value(fn('tobool', [s('false')], 'bool')), false);
    assert.equal(await db().value(fn('tobool', [lit('long', 1)], 'bool')), true);
    assert.equal(await db().value(fn('tobool', [lit('long', 123)], 'bool')), true);
    assert.equal(await db().value(fn('tobool', [s('TRUE')], 'bool')), true);
    assert.equal(await db().value(fn('tobool', [s('yes')], 'bool')), null);
  });
});

describe('to datetime, timespan, guid', () => {
  test('todatetime parses Kusto’s formats (datetime docs: ISO 8601, RFC 822, RFC 850)', async () => {
    const cases: [string, string][] = [
      ['2015-12-31 23:59:59.9', '2015-12-31 23:59:59.9'],
      ['2014-05-25T08:20:03.123456Z', '2014-05-25 08:20:03.123456'],
      ['2014-05-25T08:20', '2014-05-25 08:20:00'],
      ['2014-11-08', '2014-11-08 00:00:00'],
      ['2014-11-08 15:55:55+02:00', '2014-11-08 13:55:55'],
      ['Sat, 8 Nov 14 15:05:02 GMT', '2014-11-08 15:05:02'],
      ['8 Nov 14 15:05 GMT', '2014-11-08 15:05:00'],
      ['Saturday, 08-Nov-14 15:05:02 GMT', '2014-11-08 15:05:02'],
    ];
    for (const [text, want] of cases) {
      assert.equal(await db().value(fn('todatetime', [s(text)], 'datetime')), want, text);
    }
    assert.equal(await db().value(fn('todatetime', [s('not a date')], 'datetime')), null);
  });

  test('totimespan("0.00:03:00") is 3 minutes (totimespan docs); timespan literal forms parse', async () => {
    const t = (text: string) => db().value(fn('totimespan', [s(text)], 'timespan'));
    assert.equal(await t('0.00:03:00'), 3 * 600_000_000);
    assert.equal(await t('00:00:01.5'), 15_000_000);
    assert.equal(await t('-1.02:00:00'), -(864_000_000_000 + 2 * 36_000_000_000));
    assert.equal(await t('1.5h'), 54_000_000_000);
    assert.equal(await t('nonsense'), null);
  });

  test('toguid parses a guid; invalid text is null', async () => {
    assert.equal(await db().value(fn('tostring', [fn('toguid', [s('74be27de-1e4e-49d9-b579-fe0b331d3642')], 'guid')], 'string')), '74be27de-1e4e-49d9-b579-fe0b331d3642');
    assert.equal(await db().value(fn('toguid', [s('nope')], 'guid')), null);
  });
});

describe('dynamic', () => {
  const metrics = '{"duration":{"value":118.0,"count":5.0,"min":100.0,"max":150.0,"stdDev":0.0,"sampledValue":118.0,"sum":118.0}}';

  test('parse_json and path access: d.duration.value == 118 (parse_json docs)', async () => {
    const d = fn('parse_json', [s(metrics)], 'dynamic');
    assert.equal(await db().value(fn('toreal', [{ sql: jsonPath(d, ['duration', 'value']), type: 'dynamic' }], 'real')), 118);
    assert.equal(await db().value(fn('tolong', [{ sql: jsonPath(d, ['duration', 'min']), type: 'dynamic' }], 'long')), 100);
  });

  test('parse_json(tostring(parse_json(d).b)).c == 456: a JSON string holding JSON (parse_json docs)', async () => {
    const d = fn('parse_json', [s('{"a":123, "b":"{\\"c\\":456}"}')], 'dynamic');
    const b = fn('tostring', [{ sql: jsonPath(d, ['b']), type: 'dynamic' }], 'string');
    const inner = fn('parse_json', [b], 'dynamic');
    assert.equal(await db().value(fn('tolong', [{ sql: jsonPath(inner, ['c']), type: 'dynamic' }], 'long')), 456);
  });

  test('parse_json of text that is not JSON is that string; of "" is null', async () => {
    assert.equal(await db().value(fn('parse_json', [s('abc')], 'dynamic')), '"abc"');
    assert.equal(await db().value(fn('parse_json', [s('')], 'dynamic')), null);
  });

  test('jsonPath: missing keys are null, negative indexes count from the end, odd keys are escaped', async () => {
    const d = lit('dynamic', { arr: [1, 2, 3], 'a "b"': { 'c.d': 5 }, '': 7 });
    assert.equal(await db().value(jsonPath(d, ['arr', -1])), '3');
    assert.equal(await db().value(jsonPath(d, ['nope', 'x'])), null);
    assert.equal(await db().value(jsonPath(d, ['a "b"', 'c.d'])), '5');
    assert.equal(await db().value(jsonPath(d, [''])), '7');
    assert.equal(await db().value(jsonPath(d, ['arr', expr('long', -2)])), '2');
    assert.equal(await db().value(jsonPath(d, [expr('string', 'a "b"'), 'c.d'])), '5');
  });

  test('array_length, bag_keys, pack, pack_array', async () => {
    assert.equal(await db().value(fn('array_length', [lit('dynamic', [1, 2, 3])], 'long')), 3);
    assert.equal(await db().value(fn('array_length', [lit('dynamic', { a: 1 })], 'long')), null, 'not an array: null');
    assert.deepEqual(json(await db().value(fn('bag_keys', [lit('dynamic', { a: 1, b: 2 })], 'dynamic'))), ['a', 'b']);
    const bag = fn('bag_pack', [s('k'), s('v'), s('n'), lit('long', 1), s('t'), lit('datetime', '2017-01-01T00:00:00Z'), s('d'), lit('dynamic', [1])], 'dynamic');
    assert.deepEqual(json(await db().value(bag)), { k: 'v', n: 1, t: '2017-01-01T00:00:00.0000000Z', d: [1] });
    assert.deepEqual(json(await db().value(fn('pack', [s('a'), lit('timespan', '1h')], 'dynamic'))), { a: '01:00:00' });
    assert.deepEqual(json(await db().value(fn('pack_array', [lit('long', 1), s('x'), lit('real', null)], 'dynamic'))), [1, 'x', null]);
  });
});
