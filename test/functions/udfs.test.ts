import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDatetimeJs, formatTimespanJs, tokenizeFormat } from '../../src/engine/duckdb/functions/time-format.js';
import { countCaptureGroups } from '../../src/engine/duckdb/functions/regex.js';
import { termPattern } from '../../src/engine/duckdb/functions/text-match.js';
import { formatReal, parseKustoDatetime, parseKustoTimespan } from '../../src/engine/duckdb/udfs/index.js';

const micros = (iso: string) => BigInt(Date.parse(iso)) * 1000n;

describe('formatReal (.NET round-trip text)', () => {
  test('fixed notation for exponents -5 < e < 15, E notation otherwise', () => {
    assert.equal(formatReal(1), '1');
    assert.equal(formatReal(-0.5), '-0.5');
    assert.equal(formatReal(100000000000000), '100000000000000');
    assert.equal(formatReal(1e15), '1E+15');
    assert.equal(formatReal(-1.5e300), '-1.5E+300');
    assert.equal(formatReal(0.0001), '0.0001');
    assert.equal(formatReal(0.00001234), '1.234E-05');
    assert.equal(formatReal(5e-324), '5E-324');
  });
});

describe('parseKustoDatetime', () => {
  test('ISO 8601 with offsets, RFC 822 and RFC 850; invalid dates are null', () => {
    assert.equal(parseKustoDatetime('2014-05-25T08:20:03.123456Z'), micros('2014-05-25T08:20:03Z') + 123456n);
    assert.equal(parseKustoDatetime('2014-05-25T08:20:03-0130'), micros('2014-05-25T09:50:03Z'));
    assert.equal(parseKustoDatetime('Sat, 8 Nov 14 15:05:02 GMT'), micros('2014-11-08T15:05:02Z'));
    assert.equal(parseKustoDatetime('8 Nov 14 15:05 EST'), micros('2014-11-08T20:05:00Z'));
    assert.equal(parseKustoDatetime('Saturday, 08-Nov-14 15:05:02 GMT'), micros('2014-11-08T15:05:02Z'));
    assert.equal(parseKustoDatetime('20141108'), micros('2014-11-08T00:00:00Z'));
    assert.equal(parseKustoDatetime('2023-02-30'), null);
    assert.equal(parseKustoDatetime('hello'), null);
  });
  test(".NET's invariant month-first dates, with / or - (the array_iff docs write datetime(\"01-01-2022\"))", () => {
    assert.equal(parseKustoDatetime('01-02-2022'), micros('2022-01-02T00:00:00Z'));
    assert.equal(parseKustoDatetime('12/31/2021 10:00'), micros('2021-12-31T10:00:00Z'));
    assert.equal(parseKustoDatetime('13-01-2022'), null);
    assert.equal(parseKustoDatetime('01-02/2022'), null);
  });
});

describe('parseKustoTimespan', () => {
  test('clock form, literal units and bare days', () => {
    assert.equal(parseKustoTimespan('1.02:03:04.5'), 864_000_000_000n + 2n * 36_000_000_000n + 3n * 600_000_000n + 45_000_000n);
    assert.equal(parseKustoTimespan('-00:00:01'), -10_000_000n);
    assert.equal(parseKustoTimespan('100ms'), 1_000_000n);
    assert.equal(parseKustoTimespan('2d'), 1_728_000_000_000n);
    assert.equal(parseKustoTimespan('300nanoseconds'), 3n);
    assert.equal(parseKustoTimespan('3'), 3n * 864_000_000_000n);
    assert.equal(parseKustoTimespan('25:00:00'), null);
  });
});

describe('format patterns', () => {
  test('the tokenizer splits specifier runs, quoted text and escapes', () => {
    assert.deepEqual(tokenizeFormat("yyyy-MM 'at' \\h"), [
      { kind: 'field', spec: 'yyyy' }, { kind: 'literal', text: '-' }, { kind: 'field', spec: 'MM' }, { kind: 'literal', text: ' at h' },
    ]);
  });

  test('formatDatetimeJs and formatTimespanJs (docs examples)', () => {
    const t = micros('2017-01-29T09:00:05Z');
    assert.equal(formatDatetimeJs(t, 'yy-MM-dd [hh:mm:ss tt]'), '17-01-29 [09:00:05 AM]');
    assert.equal(formatDatetimeJs(t + 617000n, 'ddd, MMM d HH:mm:ss.FFF'), 'Sun, Jan 29 09:00:05.617');
    assert.equal(formatTimespanJs(29n * 864_000_000_000n + 9n * 36_000_000_000n + 51_234_500n, 'dd.hh:mm:ss:FF'), '29.09:00:05:12');
  });
});

describe('regex helpers', () => {
  test('countCaptureGroups counts capturing and named groups only', () => {
    assert.equal(countCaptureGroups('(\\w)(\\w+)(\\w)'), 3);
    assert.equal(countCaptureGroups('(?:a)(?i)(b)[(]\\('), 1);
    assert.equal(countCaptureGroups('(?P<x>a)(?<y>b)'), 2);
  });

  test('termPattern adds boundaries only where the term starts or ends with a letter or digit', () => {
    assert.equal(termPattern('cmd.exe', 'has'), '(?:^|[^0-9A-Za-z])cmd\\.exe(?:$|[^0-9A-Za-z])');
    assert.equal(termPattern('-enc', 'has'), '-enc(?:$|[^0-9A-Za-z])');
    assert.equal(termPattern('abc', 'hasprefix'), '(?:^|[^0-9A-Za-z])abc');
    assert.equal(termPattern('abc', 'hassuffix'), 'abc(?:$|[^0-9A-Za-z])');
  });
});
