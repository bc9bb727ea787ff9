/**
 * Text → datetime / timespan, one reading for literals (the IR) and values (the engine's UDFs): in the forms Kusto accepts (datetime data type docs: ISO 8601,
 * RFC 822, RFC 850; timespan: `[-][d.]hh:mm[:ss[.fffffff]]` and literals such as `1.5h`).
 * Datetimes are returned as microseconds since the Unix epoch, timespans as 100-ns ticks.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ZONES: Record<string, number> = {
  z: 0, gmt: 0, ut: 0, utc: 0, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
};

/** Offset in minutes of `Z`, `GMT`, `+02:00`, `-0800`…; undefined when the text is not a zone. */
function zoneMinutes(zone: string | undefined): number | undefined {
  if (!zone) return 0;
  const named = ZONES[zone.toLowerCase()];
  if (named !== undefined) return named;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** Two-digit years as in RFC 822 parsers: 00–49 → 20xx, 50–99 → 19xx. */
const fullYear = (y: string): number => (y.length <= 2 ? (Number(y) < 50 ? 2000 + Number(y) : 1900 + Number(y)) : Number(y));

function toMicros(y: number, mo: number, d: number, h: number, mi: number, s: number, fraction: string, zone: string | undefined): bigint | null {
  const offset = zoneMinutes(zone);
  if (offset === undefined) return null;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  if (date.getUTCDate() !== d) return null; // 2023-02-30
  const micros = BigInt(date.getTime()) * 1000n + BigInt((fraction + '000000').slice(0, 6));
  return micros - BigInt(offset) * 60_000_000n;
}

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2}|[A-Za-z]{1,3})?$/;
const RFC822 = /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*([A-Za-z]{1,3}|[+-]\d{4})?$/;
const RFC850 = /^[A-Za-z]+,\s*(\d{1,2})-([A-Za-z]{3})-(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*([A-Za-z]{1,3}|[+-]\d{4})?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:[T ]?(\d{2})(\d{2})(\d{2})?)?(Z)?$/;
/** A year alone, or a year and month: the first instant of that period. */
const YEAR_MONTH = /^(\d{4})(?:-(\d{1,2}))?$/;
/** .NET's invariant culture `MM/dd/yyyy HH:mm:ss` (parse's datetime captures in Kusto's docs read it), also `MM-dd-yyyy`. */
const INVARIANT = /^(\d{1,2})([/-])(\d{1,2})\2(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

export function parseKustoDatetime(input: string): bigint | null {
  const text = input.trim();
  let m = ISO.exec(text) ?? COMPACT.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s, f, zone] = m.length === 9 ? m : [m[0], m[1], m[2], m[3], m[4], m[5], m[6], undefined, m[7]];
    return toMicros(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), f ?? '', zone);
  }
  m = YEAR_MONTH.exec(text);
  if (m) return toMicros(Number(m[1]), Number(m[2] ?? 1), 1, 0, 0, 0, '', undefined);
  m = INVARIANT.exec(text);
  if (m) return toMicros(Number(m[4]), Number(m[1]), Number(m[3]), Number(m[5] ?? 0), Number(m[6] ?? 0), Number(m[7] ?? 0), m[8] ?? '', m[9]);
  m = RFC822.exec(text) ?? RFC850.exec(text);
  if (m) {
    const month = MONTHS.indexOf(m[2]!.toLowerCase());
    if (month < 0) return null;
    return toMicros(fullYear(m[3]!), month + 1, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), m[7] ?? '', m[8]);
  }
  return null;
}

/** 100-ns ticks in one of each unit a timespan literal may name (`1d`, `1.5h`, `100ms`, `10microseconds`). */
const TICKS_PER_UNIT: Record<string, bigint> = {
  d: 864_000_000_000n, day: 864_000_000_000n, days: 864_000_000_000n,
  h: 36_000_000_000n, hr: 36_000_000_000n, hrs: 36_000_000_000n, hour: 36_000_000_000n, hours: 36_000_000_000n,
  m: 600_000_000n, min: 600_000_000n, minute: 600_000_000n, minutes: 600_000_000n,
  s: 10_000_000n, sec: 10_000_000n, second: 10_000_000n, seconds: 10_000_000n,
  ms: 10_000n, milli: 10_000n, millis: 10_000n, millisec: 10_000n, millisecond: 10_000n, milliseconds: 10_000n,
  microsecond: 10n, microseconds: 10n, micros: 10n, micro: 10n,
  tick: 1n, ticks: 1n,
};
const TICKS_PER_DAY = TICKS_PER_UNIT.d!;

/** Multiplies a decimal string by an integer scale exactly (no binary fractions), rounding toward zero. */
function scaleDecimal(num: string, scale: bigint, divisor = 1n): bigint {
  const neg = num.startsWith('-');
  const [intPart, frac = ''] = num.replace(/^[-+]/, '').split('.');
  const v = (BigInt((intPart || '0') + frac) * scale) / (10n ** BigInt(frac.length) * divisor);
  return neg ? -v : v;
}

export interface TimespanReading {
  /**
   * A literal in a query (`time(1.02:00:00)`, `time(2.5)`): Kusto.Language has already checked
   * it, so clock fields are not range-checked and a bare number of days may have a fraction.
   * Values (`totimespan(s)`) are strict: `25:00:00` is not a timespan.
   */
  literal?: boolean;
}

/** Text → 100-ns ticks: `[-][d.]hh:mm[:ss[.fffffff]]`, `<number><unit>`, or a bare number of days. */
export function parseKustoTimespan(input: string, reading: TimespanReading = {}): bigint | null {
  const text = input.trim();
  const clock = reading.literal
    ? /^(-)?(?:(\d+)\.)?(\d+):(\d+)(?::(\d+)(?:\.(\d{1,7})\d*)?)?$/.exec(text)
    : /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7})\d*)?)?$/.exec(text);
  if (clock) {
    const [, neg, d, h, mi, s, f] = clock;
    if (!reading.literal && (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59)) return null;
    const ticks = BigInt(d ?? 0) * TICKS_PER_DAY + BigInt(h!) * TICKS_PER_UNIT.h! + BigInt(mi!) * TICKS_PER_UNIT.m!
      + BigInt(s ?? 0) * TICKS_PER_UNIT.s! + BigInt(((f ?? '') + '0000000').slice(0, 7));
    return neg ? -ticks : ticks;
  }
  const literal = /^(-?\d+(?:\.\d+)?)\s*([A-Za-z]+)$/.exec(text);
  if (literal) {
    const unit = literal[2]!.toLowerCase();
    if (unit === 'nanosecond' || unit === 'nanoseconds') return scaleDecimal(literal[1]!, 1n, 100n);
    const scale = TICKS_PER_UNIT[unit];
    return scale === undefined ? null : scaleDecimal(literal[1]!, scale);
  }
  // A bare number of days, as .NET's TimeSpan.Parse reads it (`time(2.5)` in a query too).
  if (/^-?\d+$/.test(text) || (reading.literal && /^-?\d+\.\d+$/.test(text))) return scaleDecimal(text, TICKS_PER_DAY);
  return null;
}
