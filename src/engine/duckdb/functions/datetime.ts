/**
 * Datetime and timespan functions. datetime is a TIMESTAMP (microseconds), timespan a BIGINT
 * count of 100-ns ticks (docs/value-representation.md). now() and ago() are not here: the IR
 * makes them a `now` node, which the compiler fixes to one literal per query.
 */
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { arity, constString, floorMod, str, unsupported } from './common.js';
import { convertTo, toStringSql } from './conversion.js';
import { addTicks } from './operators.js';
import { formatDatetimeSql, formatTimespanSql } from './time-format.js';

const US = { microsecond: 1n, millisecond: 1_000n, second: 1_000_000n, minute: 60_000_000n, hour: 3_600_000_000n, day: 86_400_000_000n, week: 604_800_000_000n };

const asDatetime = (v: SqlValue): string => (v.type === 'datetime' ? v.sql : convertTo(v, 'datetime'));
const asLong = (v: SqlValue): string => (v.type === 'long' || v.type === 'int' ? v.sql : convertTo(v, 'long'));

/** Floor division of a BIGINT by a positive constant (boundaries counted the same for negatives). */
const floorDiv = (x: string, d: bigint): string => `((${x} - ${floorMod(x, String(d))}) // ${d})`;

// ---- part names -----------------------------------------------------------------------------

type Part = 'year' | 'quarter' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second' | 'millisecond' | 'microsecond' | 'nanosecond';
const PARTS: Part[] = ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second', 'millisecond', 'microsecond', 'nanosecond'];

function partName(fn: string, v: SqlValue): Part {
  const name = constString(v)?.toLowerCase();
  const part = PARTS.find((p) => p === name);
  if (!part) unsupported(fn, 'the part must be a literal: year, quarter, month, week, day, hour, minute, second, millisecond, microsecond or nanosecond');
  return part;
}

/** A runtime part name: one CASE branch per part. */
function perPart(v: SqlValue, body: (p: Part) => string): string {
  const c = constString(v);
  if (c !== undefined) return body(partName('datetime function', v));
  return `(CASE lower(${toStringSql(v)}) ${PARTS.map((p) => `WHEN ${str(p)} THEN ${body(p)}`).join(' ')} END)`;
}

// ---- datetime_add / datetime_diff / datetime_part ------------------------------------------

function addPart(part: Part, amount: string, ts: string): string {
  switch (part) {
    case 'year':
      return `(${ts} + to_years(CAST(${amount} AS INTEGER)))`;
    case 'quarter':
      return `(${ts} + to_months(CAST(${amount} * 3 AS INTEGER)))`;
    case 'month':
      return `(${ts} + to_months(CAST(${amount} AS INTEGER)))`;
    case 'nanosecond':
      return `(${ts} + to_microseconds(${amount} // 1000))`;
    default:
      return `(${ts} + to_microseconds(${amount} * ${US[part]}))`;
  }
}

/** Days since the Unix epoch, shifted so that week boundaries fall on Sundays (1970-01-04). */
const sundayWeek = (ts: string): string => floorDiv(`epoch_us(${ts}) + ${4n * US.day}`, US.week);

/** Kusto counts the part boundaries crossed between the two values (datetime_diff docs). */
function diffPart(part: Part, a: string, b: string): string {
  const months = (t: string) => `(year(${t}) * 12 + month(${t}))`;
  switch (part) {
    case 'year':
      return `(year(${a}) - year(${b}))`;
    case 'quarter':
      return `((year(${a}) * 4 + quarter(${a})) - (year(${b}) * 4 + quarter(${b})))`;
    case 'month':
      return `(${months(a)} - ${months(b)})`;
    case 'week':
      return `(${sundayWeek(a)} - ${sundayWeek(b)})`;
    case 'nanosecond':
      return `((epoch_us(${a}) - epoch_us(${b})) * 1000)`;
    default:
      return `(${floorDiv(`epoch_us(${a})`, US[part])} - ${floorDiv(`epoch_us(${b})`, US[part])})`;
  }
}

/** Fraction of the second in a unit (datetime_part's millisecond/microsecond/nanosecond). */
const subSecond = (ts: string, divisor: bigint): string => `(${floorMod(`epoch_us(${ts})`, '1000000')} // ${divisor})`;

function partOf(part: Part | 'dayofyear' | 'weekofyear', ts: string): string {
  switch (part) {
    case 'week':
    case 'weekofyear':
      return `weekofyear(${ts})`;
    case 'millisecond':
      return subSecond(ts, 1000n);
    case 'microsecond':
      return subSecond(ts, 1n);
    case 'nanosecond':
      return `(${subSecond(ts, 1n)} * 1000)`;
    default:
      return `${part}(${ts})`;
  }
}

const datetimePart: ScalarFn = (args) => {
  arity('datetime_part', args, 2);
  const ts = asDatetime(args[1]!);
  const name = constString(args[0])?.toLowerCase().replace(/_/g, '');
  const aliases: Record<string, Part | 'dayofyear' | 'weekofyear'> = { weekofyear: 'weekofyear', dayofyear: 'dayofyear' };
  const part = name !== undefined ? aliases[name] ?? PARTS.find((p) => p === name) : undefined;
  if (!part) unsupported('datetime_part', 'the part must be a literal part name');
  return `CAST(${partOf(part, ts)} AS INTEGER)`;
};

// ---- startof / endof ------------------------------------------------------------------------

type Period = 'day' | 'week' | 'month' | 'year';

function startOf(period: Period, ts: string, offset: string): string {
  switch (period) {
    case 'day':
      return `(CAST(date_trunc('day', ${ts}) AS TIMESTAMP) + to_days(CAST(${offset} AS INTEGER)))`;
    case 'week':
      // Kusto's weeks start on Sunday (DuckDB's dayofweek: Sunday = 0).
      return `(CAST(date_trunc('day', ${ts}) AS TIMESTAMP) - to_days(CAST(dayofweek(${ts}) AS INTEGER)) + to_days(CAST(${offset} * 7 AS INTEGER)))`;
    case 'month':
      return `(CAST(date_trunc('month', ${ts}) AS TIMESTAMP) + to_months(CAST(${offset} AS INTEGER)))`;
    case 'year':
      return `(CAST(date_trunc('year', ${ts}) AS TIMESTAMP) + to_years(CAST(${offset} AS INTEGER)))`;
  }
}

function periodFn(period: Period, end: boolean): ScalarFn {
  const name = `${end ? 'endof' : 'startof'}${period}`;
  return (args) => {
    arity(name, args, 1, 2);
    const ts = asDatetime(args[0]!);
    const offset = args[1] ? asLong(args[1]) : '0';
    // The end is the last tick before the next start; microsecond storage makes it …59.999999.
    return end ? `(${startOf(period, ts, `(${offset}) + 1`)} - INTERVAL 1 MICROSECOND)` : startOf(period, ts, offset);
  };
}

// ---- construction ---------------------------------------------------------------------------

/**
 * make_datetime(y, m, d[, h, min, sec]): invalid components give null. Kusto.Language also
 * accepts one datetime argument (used in Sentinel's own rules): that value itself.
 */
const makeDatetime: ScalarFn = (args) => {
  if (args.length === 1 && args[0]!.type === 'datetime') return args[0]!.sql;
  arity('make_datetime', args, 3, 6);
  const [y, mo, d, h, mi, s] = args.map((a) => a.sql);
  return `try(make_timestamp(CAST(${y} AS BIGINT), CAST(${mo} AS BIGINT), CAST(${d} AS BIGINT), CAST(${h ?? 0} AS BIGINT), CAST(${mi ?? 0} AS BIGINT), CAST(${s ?? 0} AS DOUBLE)))`;
};

/** make_timespan(h, m) | (h, m, s) | (d, h, m, s) → ticks; seconds may be fractional. */
const makeTimespan: ScalarFn = (args) => {
  arity('make_timespan', args, 2, 4);
  const [d, h, m, s] = args.length === 4 ? args.map((a) => a.sql) : ['0', ...args.map((a) => a.sql)];
  return `(CAST(${d} AS BIGINT) * 864000000000 + CAST(${h} AS BIGINT) * 36000000000 + CAST(${m} AS BIGINT) * 600000000 + CAST(round(CAST(${s ?? 0} AS DOUBLE) * 10000000) AS BIGINT))`;
};

function fromUnix(name: string, microsPerUnit: number): ScalarFn {
  return (args) => {
    arity(name, args, 1);
    const v = args[0]!;
    if (v.type === 'int' || v.type === 'long') {
      const us = microsPerUnit >= 1 ? `(CAST(${v.sql} AS BIGINT) * ${microsPerUnit})` : `(CAST(${v.sql} AS BIGINT) // ${1 / microsPerUnit})`;
      return `try(make_timestamp(${us}))`;
    }
    return `try(make_timestamp(CAST(trunc(${convertTo(v, 'real')} * ${microsPerUnit}) AS BIGINT)))`;
  };
}

// ---- formatting -----------------------------------------------------------------------------

const formatDatetime: ScalarFn = (args) => {
  arity('format_datetime', args, 2);
  const ts = asDatetime(args[0]!);
  const pattern = constString(args[1]);
  return pattern !== undefined ? formatDatetimeSql(ts, pattern) : `coalesce(kql_format_datetime(${ts}, ${toStringSql(args[1]!)}), '')`;
};

const formatTimespan: ScalarFn = (args) => {
  arity('format_timespan', args, 2);
  const ticks = args[0]!.type === 'timespan' ? args[0]!.sql : convertTo(args[0]!, 'timespan');
  const pattern = constString(args[1]);
  return pattern !== undefined ? formatTimespanSql(ticks, pattern) : `coalesce(kql_format_timespan(${ticks}, ${toStringSql(args[1]!)}), '')`;
};

// ---- the table ------------------------------------------------------------------------------

const datePart = (name: string, sql: (ts: string) => string): ScalarFn => (args) => {
  arity(name, args, 1);
  return sql(asDatetime(args[0]!));
};

export const datetimeFunctions: Record<string, ScalarFn> = {
  datetime_add: (args) => {
    arity('datetime_add', args, 3);
    const amount = asLong(args[1]!);
    const ts = asDatetime(args[2]!);
    return perPart(args[0]!, (p) => addPart(p, amount, ts));
  },
  datetime_diff: (args) => {
    arity('datetime_diff', args, 3);
    const a = asDatetime(args[1]!);
    const b = asDatetime(args[2]!);
    return `CAST(${perPart(args[0]!, (p) => diffPart(p, a, b))} AS BIGINT)`;
  },
  datetime_part: datetimePart,
  startofday: periodFn('day', false),
  startofweek: periodFn('week', false),
  startofmonth: periodFn('month', false),
  startofyear: periodFn('year', false),
  endofday: periodFn('day', true),
  endofweek: periodFn('week', true),
  endofmonth: periodFn('month', true),
  endofyear: periodFn('year', true),
  dayofweek: datePart('dayofweek', (ts) => `(CAST(dayofweek(${ts}) AS BIGINT) * 864000000000)`),
  dayofmonth: datePart('dayofmonth', (ts) => `CAST(day(${ts}) AS INTEGER)`),
  dayofyear: datePart('dayofyear', (ts) => `CAST(dayofyear(${ts}) AS INTEGER)`),
  hourofday: datePart('hourofday', (ts) => `CAST(hour(${ts}) AS INTEGER)`),
  getmonth: datePart('getmonth', (ts) => `CAST(month(${ts}) AS INTEGER)`),
  monthofyear: datePart('monthofyear', (ts) => `CAST(month(${ts}) AS INTEGER)`),
  getyear: datePart('getyear', (ts) => `CAST(year(${ts}) AS INTEGER)`),
  week_of_year: datePart('week_of_year', (ts) => `CAST(weekofyear(${ts}) AS INTEGER)`),
  weekofyear: datePart('weekofyear', (ts) => `CAST(weekofyear(${ts}) AS INTEGER)`),
  format_datetime: formatDatetime,
  format_timespan: formatTimespan,
  make_datetime: makeDatetime,
  make_timespan: makeTimespan,
  unixtime_seconds_todatetime: fromUnix('unixtime_seconds_todatetime', 1_000_000),
  unixtime_milliseconds_todatetime: fromUnix('unixtime_milliseconds_todatetime', 1_000),
  unixtime_microseconds_todatetime: fromUnix('unixtime_microseconds_todatetime', 1),
  unixtime_nanoseconds_todatetime: fromUnix('unixtime_nanoseconds_todatetime', 0.001),
};
