import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { QueryEngine } from '../../src/engine/engine.js';
import { useDb, expr, fn, lit } from './helpers.js';

const db = useDb();

const s = (v: string) => lit('string', v);
const long = (v: number) => lit('long', v);
const dt = (v: string) => lit('datetime', v);
const ts = (v: string) => lit('timespan', v);
const value = (name: string, args: Parameters<typeof fn>[1], type: Parameters<typeof fn>[2]) => db().value(fn(name, args, type));

describe('now and ago', () => {
  test('now() is the query\'s time, now(x) and ago(x) offset it (fixed once per query by the compiler)', async () => {
    const engine = await QueryEngine.open();
    try {
      const r = await engine.query('print now(), now(-1h), ago(1d)', { now: new Date('2024-03-15T10:30:00Z') });
      assert.deepEqual(r.rows, [['2024-03-15T10:30:00.0000000Z', '2024-03-15T09:30:00.0000000Z', '2024-03-14T10:30:00.0000000Z']]);
    } finally {
      await engine.close();
    }
  });
});

describe('datetime literals', () => {
  test('read as Kusto reads datetime text: ISO, US invariant M/d/yyyy, a year or year-month alone; make_datetime of one datetime', async () => {
    const engine = await QueryEngine.open();
    try {
      const r = await engine.query('print datetime(1990), datetime("01/16/2022 13:05:00"), datetime(2017-08), datetime(2015-12-31 23:59:59.123456), make_datetime(datetime(2020-01-01) + 1d)');
      assert.deepEqual(r.rows, [['1990-01-01T00:00:00.0000000Z', '2022-01-16T13:05:00.0000000Z', '2017-08-01T00:00:00.0000000Z',
        '2015-12-31T23:59:59.1234560Z', '2020-01-02T00:00:00.0000000Z']]);
      await assert.rejects(engine.query('print datetime("13/45/2022")'), /cannot read the datetime literal/);
    } finally {
      await engine.close();
    }
  });
});

describe('datetime_add, datetime_diff, datetime_part', () => {
  test('datetime_add of each part to 2017-01-01 (datetime_add docs)', async () => {
    const start = fn('make_datetime', [long(2017), long(1), long(1)], 'datetime');
    const add = (part: string, n: number) => value('datetime_add', [s(part), long(n), start], 'datetime');
    assert.equal(await add('year', 1), '2018-01-01 00:00:00');
    assert.equal(await add('quarter', 1), '2017-04-01 00:00:00');
    assert.equal(await add('month', 1), '2017-02-01 00:00:00');
    assert.equal(await add('week', 1), '2017-01-08 00:00:00');
    assert.equal(await add('day', 1), '2017-01-02 00:00:00');
    assert.equal(await add('hour', 1), '2017-01-01 01:00:00');
    assert.equal(await add('minute', 1), '2017-01-01 00:01:00');
    assert.equal(await add('second', 1), '2017-01-01 00:00:01');
    assert.equal(await add('year', -5), '2012-01-01 00:00:00');
    assert.equal(await add('quarter', 12), '2020-01-01 00:00:00');
    assert.equal(await add('month', -15), '2015-10-01 00:00:00');
    assert.equal(await add('week', 100), '2018-12-02 00:00:00');
  });

  test('datetime_add of a month to the 31st clamps to the month’s last day', async () => {
    assert.equal(await value('datetime_add', [s('Month'), long(1), dt('2017-01-31T00:00:00Z')], 'datetime'), '2017-02-28 00:00:00');
    assert.equal(await value('datetime_add', [expr('string', 'day'), long(2), dt('2017-01-31T00:00:00Z')], 'datetime'), '2017-02-02 00:00:00');
  });

  test('datetime_diff counts the part boundaries crossed (datetime_diff docs)', async () => {
    const diff = (part: string, a: string, b: string) => value('datetime_diff', [s(part), dt(a), dt(b)], 'long');
    assert.equal(await diff('year', '2017-01-01', '2000-12-31'), 17);
    assert.equal(await diff('quarter', '2017-07-01', '2017-03-30'), 2);
    assert.equal(await diff('month', '2017-01-01', '2015-12-30'), 13);
    assert.equal(await diff('week', '2017-10-29 00:00', '2017-09-30 23:59'), 5);
    assert.equal(await diff('day', '2017-10-29 00:00', '2017-09-30 23:59'), 29);
    assert.equal(await diff('hour', '2017-10-31 01:00', '2017-10-30 23:59'), 2);
    assert.equal(await diff('minute', '2017-10-30 23:05:01', '2017-10-30 23:00:59'), 5);
    assert.equal(await diff('second', '2017-10-30 23:00:10.100', '2017-10-30 23:00:00.900'), 10);
    assert.equal(await diff('millisecond', '2017-10-30 23:00:00.200100', '2017-10-30 23:00:00.100900'), 100);
    assert.equal(await diff('microsecond', '2017-10-30 23:00:00.1009001', '2017-10-30 23:00:00.1008009'), 100);
  });

  test('datetime_diff in nanoseconds has microsecond resolution (datetimes are stored in µs)', async () => {
    assert.equal(await value('datetime_diff', [s('nanosecond'), dt('2017-10-30 23:00:00.000001'), dt('2017-10-30 23:00:00.000003')], 'long'), -2000);
  });

  test('datetime_diff across negative epochs floors, it does not truncate', async () => {
    assert.equal(await value('datetime_diff', [s('day'), dt('1969-12-31 23:00'), dt('1969-12-30 01:00')], 'long'), 1);
  });

  test('datetime_part names, with weekofyear as ISO 8601 (datetime_part docs)', async () => {
    const d = dt('2017-10-30 01:02:03.7654321');
    const part = (p: string) => value('datetime_part', [s(p), d], 'int');
    assert.equal(await part('Year'), 2017);
    assert.equal(await part('Quarter'), 4);
    assert.equal(await part('Month'), 10);
    assert.equal(await part('weekofyear'), 44);
    assert.equal(await part('week_of_year'), 44);
    assert.equal(await part('Day'), 30);
    assert.equal(await part('DayOfYear'), 303);
    assert.equal(await part('Hour'), 1);
    assert.equal(await part('Minute'), 2);
    assert.equal(await part('Second'), 3);
    assert.equal(await part('Millisecond'), 765);
    assert.equal(await part('Microsecond'), 765432);
    assert.equal(await part('Nanosecond'), 765432000);
  });
});

describe('start and end of periods', () => {
  test('startofmonth / startofyear with an offset (docs)', async () => {
    const d = dt('2017-01-01 10:10:17');
    const months = [];
    const years = [];
    for (const offset of [-1, 0, 1]) {
      months.push(await value('startofmonth', [d, long(offset)], 'datetime'));
      years.push(await value('startofyear', [d, long(offset)], 'datetime'));
    }
    assert.deepEqual(months, ['2016-12-01 00:00:00', '2017-01-01 00:00:00', '2017-02-01 00:00:00']);
    assert.deepEqual(years, ['2016-01-01 00:00:00', '2017-01-01 00:00:00', '2018-01-01 00:00:00']);
  });

  test('endofyear with an offset is the last microsecond of the year (endofyear docs, µs storage)', async () => {
    const ends = [];
    for (const offset of [-1, 0, 1]) ends.push(await value('endofyear', [dt('2017-01-01 10:10:17'), long(offset)], 'datetime'));
    assert.deepEqual(ends, ['2016-12-31 23:59:59.999999', '2017-12-31 23:59:59.999999', '2018-12-31 23:59:59.999999']);
  });

  test('startofweek is the Sunday before; endofweek the Saturday after', async () => {
    assert.equal(await value('startofweek', [dt('2017-01-04 10:00')], 'datetime'), '2017-01-01 00:00:00');
    assert.equal(await value('startofweek', [dt('2017-01-01 10:00')], 'datetime'), '2017-01-01 00:00:00');
    assert.equal(await value('startofweek', [dt('2017-01-04 10:00'), long(1)], 'datetime'), '2017-01-08 00:00:00');
    assert.equal(await value('endofweek', [dt('2017-01-04 10:00')], 'datetime'), '2017-01-07 23:59:59.999999');
  });

  test('startofday, endofday, endofmonth', async () => {
    assert.equal(await value('startofday', [dt('2017-01-04 10:00'), long(-1)], 'datetime'), '2017-01-03 00:00:00');
    assert.equal(await value('endofday', [dt('2017-01-04 10:00')], 'datetime'), '2017-01-04 23:59:59.999999');
    assert.equal(await value('endofmonth', [dt('2016-02-10')], 'datetime'), '2016-02-29 23:59:59.999999');
  });
});

describe('date parts', () => {
  test('dayofweek is a timespan of days since Sunday (dayofweek docs)', async () => {
    assert.equal(await value('dayofweek', [dt('1947-11-30 10:00:05')], 'timespan'), 0);
    assert.equal(await value('dayofweek', [dt('1970-05-11')], 'timespan'), 864_000_000_000);
    assert.equal(await value('dayofweek', [dt('1970-05-12')], 'timespan'), 2 * 864_000_000_000);
  });

  test('monthofyear(2015-12-14) == 12 and the other part getters', async () => {
    const d = dt('2015-12-14 13:05:00');
    assert.equal(await value('monthofyear', [d], 'int'), 12);
    assert.equal(await value('getmonth', [d], 'int'), 12);
    assert.equal(await value('getyear', [d], 'int'), 2015);
    assert.equal(await value('dayofmonth', [d], 'int'), 14);
    assert.equal(await value('dayofyear', [d], 'int'), 348);
    assert.equal(await value('hourofday', [d], 'int'), 13);
  });

  test('week_of_year is the ISO 8601 week', async () => {
    assert.equal(await value('week_of_year', [dt('2020-12-31')], 'int'), 53);
    assert.equal(await value('week_of_year', [dt('2021-01-01')], 'int'), 53);
    assert.equal(await value('week_of_year', [dt('2020-06-15')], 'int'), 25);
    assert.equal(await value('week_of_year', [dt('1970-01-01')], 'int'), 1);
    assert.equal(await value('week_of_year', [dt('2000-01-01')], 'int'), 52);
  });
});

describe('bin', () => {
  test('bin floors to a multiple; negative values round down (bin docs)', async () => {
    assert.equal(await value('bin', [lit('real', 4.5), long(1)], 'real'), 4);
    assert.equal(await value('bin', [lit('real', -4.5), long(1)], 'real'), -5);
    assert.equal(await value('bin', [long(-7), long(5)], 'long'), -10);
    assert.equal(await value('bin', [long(7), long(5)], 'long'), 5);
    assert.equal(await value('floor', [long(7), long(5)], 'long'), 5);
    assert.equal(await value('bin', [expr('long', 7), expr('long', 5)], 'long'), 5);
  });

  test('bin with a zero or negative size is null', async () => {
    assert.equal(await value('bin', [long(7), long(0)], 'long'), null);
    assert.equal(await value('bin', [long(7), expr('long', -5)], 'long'), null);
  });

  test('bin of timespans: bin(time(16d), 7d) == 14d', async () => {
    assert.equal(await value('bin', [ts('16d'), ts('7d')], 'timespan'), 14 * 864_000_000_000);
  });

  test('bin(datetime, 1d) and 1h align to whole days and hours', async () => {
    assert.equal(await value('bin', [dt('1970-05-11 13:45:07'), ts('1d')], 'datetime'), '1970-05-11 00:00:00');
    assert.equal(await value('bin', [dt('2024-03-15 10:59:59.9'), ts('1h')], 'datetime'), '2024-03-15 10:00:00');
    assert.equal(await value('bin', [dt('1969-12-31 23:30'), ts('1h')], 'datetime'), '1969-12-31 23:00:00');
  });

  test('bin(datetime, 7d) aligns to Kusto’s tick origin 0001-01-01, so weeks start on Monday', async () => {
    assert.equal(await value('bin', [dt('2024-03-15 10:00'), ts('7d')], 'datetime'), '2024-03-11 00:00:00');
  });

  test('bin_at (bin_at docs)', async () => {
    assert.equal(await value('bin_at', [lit('real', 6.5), lit('real', 2.5), long(7)], 'real'), 4.5);
    assert.equal(await value('bin_at', [ts('1h'), ts('1d'), ts('12h')], 'timespan'), -12 * 36_000_000_000);
    assert.equal(await value('bin_at', [dt('2017-05-15 10:20:00'), ts('1d'), dt('1970-01-01 12:00:00')], 'datetime'), '2017-05-14 12:00:00');
    assert.equal(await value('bin_at', [dt('2017-05-17 10:20:00'), ts('7d'), dt('2017-06-04 00:00:00')], 'datetime'), '2017-05-14 00:00:00');
    assert.equal(await value('bin_at', [dt('2018-02-23T16:14'), ts('1d'), dt('2018-02-24 15:14:00')], 'datetime'), '2018-02-23 15:14:00');
  });
});

describe('formatting', () => {
  const t = dt('2017-01-29 09:00:05');

  test('format_datetime (format_datetime docs)', async () => {
    assert.equal(await value('format_datetime', [t, s('yy-MM-dd [HH:mm:ss]')], 'string'), '17-01-29 [09:00:05]');
    assert.equal(await value('format_datetime', [t, s('yyyy-M-dd [H:mm:ss]')], 'string'), '2017-1-29 [9:00:05]');
    assert.equal(await value('format_datetime', [t, s('yy-MM-dd [hh:mm:ss tt]')], 'string'), '17-01-29 [09:00:05 AM]');
  });

  test('format_datetime fractions: f digits always, F digits without trailing zeros', async () => {
    const d = dt('2009-06-15T13:45:30.617');
    assert.equal(await value('format_datetime', [d, s('HH:mm:ss.fff')], 'string'), '13:45:30.617');
    assert.equal(await value('format_datetime', [d, s('fffffff')], 'string'), '6170000');
    assert.equal(await value('format_datetime', [d, s('ss.FFFF')], 'string'), '30.617');
    assert.equal(await value('format_datetime', [dt('2009-06-15T13:45:30'), s('ss.FFF')], 'string'), '30', 'an empty F run drops its dot');
    assert.equal(await value('format_datetime', [d, s('y/yyy/h%')], 'string'), '9/2009/1%');
  });

  test('format_datetime with a per-row format uses the UDF and agrees with the SQL form', async () => {
    for (const f of ['yy-MM-dd [HH:mm:ss]', 'yyyy-M-dd [H:mm:ss]', 'yy-MM-dd [hh:mm:ss tt]', 'ss.FFF', 'dd/MM/yyyy HH:mm:ss.fffffff']) {
      assert.equal(await value('format_datetime', [t, expr('string', f)], 'string'), await value('format_datetime', [t, s(f)], 'string'), f);
    }
  });

  test('format_datetime of a null is the empty string', async () => {
    assert.equal(await value('format_datetime', [lit('datetime', null), s('yyyy')], 'string'), '');
  });

  test('format_timespan (format_timespan docs)', async () => {
    assert.equal(await value('format_timespan', [ts('29.09:00:05.12345'), s('dd.hh:mm:ss:FF')], 'string'), '29.09:00:05:12');
    assert.equal(await value('format_timespan', [ts('1d'), s('ddd.h:mm:ss [fffffff]')], 'string'), '001.0:00:00 [0000000]');
    assert.equal(await value('format_timespan', [ts('15.13:45:30'), s('d')], 'string'), '15');
    assert.equal(await value('format_timespan', [ts('29.09:00:05.12345'), expr('string', 'dd.hh:mm:ss:FF')], 'string'), '29.09:00:05:12');
  });
});

describe('construction', () => {
  test('make_datetime (make_datetime docs)', async () => {
    assert.equal(await value('make_datetime', [long(2017), long(10), long(1)], 'datetime'), '2017-10-01 00:00:00');
    assert.equal(await value('make_datetime', [long(2017), long(10), long(1), long(12), long(10)], 'datetime'), '2017-10-01 12:10:00');
    assert.equal(await value('make_datetime', [long(2017), long(10), long(1), long(12), long(11), lit('real', 0.1234567)], 'datetime'), '2017-10-01 12:11:00.123457');
  });

  test('make_datetime of an invalid date is null', async () => {
    assert.equal(await value('make_datetime', [long(2017), long(13), long(1)], 'datetime'), null);
  });

  test('make_timespan(h, m), (h, m, s), (d, h, m, s)', async () => {
    assert.equal(await value('make_timespan', [long(1), long(12)], 'timespan'), 36_000_000_000 + 12 * 600_000_000);
    assert.equal(await value('make_timespan', [long(1), long(12), lit('real', 30.55)], 'timespan'), 36_000_000_000 + 12 * 600_000_000 + 305_500_000);
    assert.equal(await value('make_timespan', [long(12), long(11), long(45), lit('real', 0.1)], 'timespan'), 12 * 864_000_000_000 + 11 * 36_000_000_000 + 45 * 600_000_000 + 1_000_000);
  });

  test('unixtime_*_todatetime (docs)', async () => {
    assert.equal(await value('unixtime_seconds_todatetime', [long(1546300800)], 'datetime'), '2019-01-01 00:00:00');
    assert.equal(await value('unixtime_seconds_todatetime', [lit('real', 1546300800.5)], 'datetime'), '2019-01-01 00:00:00.5');
    assert.equal(await value('unixtime_milliseconds_todatetime', [long(1546300800123)], 'datetime'), '2019-01-01 00:00:00.123');
    assert.equal(await value('unixtime_microseconds_todatetime', [long(1546300800123456)], 'datetime'), '2019-01-01 00:00:00.123456');
    assert.equal(await value('unixtime_nanoseconds_todatetime', [long(1546300800123456789)], 'datetime'), '2019-01-01 00:00:00.123456');
  });
});
