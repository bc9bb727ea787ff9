// Value conversion to column types (coerce) and type inference for new columns.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TypeConflict, coerce, inferType, parseIsoMicros, parseUsDateMicros } from '../../src/ingest/values.js';

const conflict = (v: unknown) => v instanceof TypeConflict;

describe('coerce', () => {
  it('strings are never null; other values become their text', () => {
    assert.equal(coerce(null, 'string'), '');
    assert.equal(coerce(undefined, 'string'), '');
    assert.equal(coerce(12.5, 'string'), '12.5');
    assert.equal(coerce({ a: 1 }, 'string'), '{"a":1}');
    assert.equal(coerce(new Date('2024-01-01T00:00:00Z'), 'string'), '2024-01-01T00:00:00.000Z');
  });

  it('int and long: integers from numbers and integer text, in range; empty text is null', () => {
    assert.equal(coerce('42', 'int'), 42);
    assert.equal(coerce(' -7 ', 'int'), -7);
    assert.equal(coerce('12.0', 'int'), 12);
    assert.equal(coerce('', 'int'), null);
    assert.ok(conflict(coerce('2147483648', 'int')));
    assert.ok(conflict(coerce(1.5, 'int')));
    assert.ok(conflict(coerce('abc', 'long')));
    assert.equal(coerce('9223372036854775807', 'long'), 9223372036854775807n);
    assert.ok(conflict(coerce('9223372036854775808', 'long')));
    assert.equal(coerce(true, 'long'), 1n);
  });

  it('real, bool, guid, decimal', () => {
    assert.equal(coerce('1e3', 'real'), 1000);
    assert.ok(Number.isNaN(coerce('NaN', 'real') as number));
    assert.ok(conflict(coerce('1,5', 'real')));
    assert.equal(coerce('TRUE', 'bool'), true);
    assert.equal(coerce(0, 'bool'), false);
    assert.ok(conflict(coerce('yes', 'bool')));
    assert.equal(coerce('{0F8FAD5B-D9CB-469F-A165-70867728950E}', 'guid'), '0f8fad5b-d9cb-469f-a165-70867728950e');
    assert.ok(conflict(coerce('not-a-guid', 'guid')));
    assert.equal(coerce('123.456', 'decimal'), '123.456');
  });

  it('datetime: Date, ISO 8601 (µs kept, zones applied, no zone = UTC), M/d/yyyy', () => {
    assert.equal(coerce(new Date('2024-01-01T00:00:00.123Z'), 'datetime'), 1704067200123000n);
    assert.equal(coerce('2024-01-01T00:00:00.1234567Z', 'datetime'), 1704067200123456n);
    assert.equal(coerce('2024-01-01T02:00:00+02:00', 'datetime'), 1704067200000000n);
    assert.equal(coerce('2024-01-01 00:00:00', 'datetime'), 1704067200000000n);
    assert.equal(coerce('1/1/2024 12:00:00 AM', 'datetime'), 1704067200000000n);
    assert.equal(parseUsDateMicros('7/8/2019 16:08'), BigInt(Date.UTC(2019, 6, 8, 16, 8)) * 1000n);
    assert.equal(parseIsoMicros('2023-02-31T00:00:00Z'), undefined);
    assert.ok(conflict(coerce('yesterday', 'datetime')));
    assert.ok(conflict(coerce(1704067200, 'datetime')));
  });

  it('timespan: ticks, seconds, Kusto text', () => {
    assert.equal(coerce(1.5, 'timespan'), 15_000_000n);
    assert.equal(coerce('1.02:03:04.5', 'timespan'), ((86400n + 7384n) * 10_000_000n) + 5_000_000n);
    assert.equal(coerce('-00:00:01', 'timespan'), -10_000_000n);
    assert.equal(coerce(42n, 'timespan'), 42n);
    assert.ok(conflict(coerce('soon', 'timespan')));
  });

  it('dynamic: JSON text of values; JSON object text is kept as that object', () => {
    assert.equal(coerce({ a: [1, 2n] }, 'dynamic'), '{"a":[1,2]}');
    assert.equal(coerce('{"a":1}', 'dynamic'), '{"a":1}');
    assert.equal(coerce('{not json', 'dynamic'), '"{not json"');
    assert.equal(coerce('text', 'dynamic'), '"text"');
    assert.equal(coerce(Infinity, 'dynamic'), '"Infinity"');
  });
});

describe('inferType', () => {
  it('long for integers, real for other numbers, datetime only for date-times', () => {
    assert.equal(inferType(3), 'long');
    assert.equal(inferType(3.5), 'real');
    assert.equal(inferType(10n), 'long');
    assert.equal(inferType(true), 'bool');
    assert.equal(inferType('2024-01-01T00:00:00Z'), 'datetime');
    assert.equal(inferType('2024-01-01'), 'string');
    assert.equal(inferType('hello'), 'string');
    assert.equal(inferType([1]), 'dynamic');
    assert.equal(inferType(new Date()), 'datetime');
    assert.equal(inferType(null), undefined);
  });
});
