import { KqlError } from '../diagnostics.js';

/** Parses KQL literal texts that Kusto.Language does not decode reliably. */

const TICKS_PER = {
  d: 864_000_000_000n, day: 864_000_000_000n, days: 864_000_000_000n,
  h: 36_000_000_000n, hr: 36_000_000_000n, hrs: 36_000_000_000n, hour: 36_000_000_000n, hours: 36_000_000_000n,
  m: 600_000_000n, min: 600_000_000n, minute: 600_000_000n, minutes: 600_000_000n,
  s: 10_000_000n, sec: 10_000_000n, second: 10_000_000n, seconds: 10_000_000n,
  ms: 10_000n, milli: 10_000n, millis: 10_000n, millisec: 10_000n, millisecond: 10_000n, milliseconds: 10_000n,
  microsecond: 10n, microseconds: 10n, micros: 10n, micro: 10n,
  nanosecond: 0n, nanoseconds: 0n, tick: 1n, ticks: 1n,
} as const;

/** Multiplies a decimal string by an integer scale exactly, rounding toward zero. */
function scaleDecimal(num: string, scale: bigint): bigint {
  const neg = num.startsWith('-');
  const [intPart, frac = ''] = num.replace(/^[-+]/, '').split('.');
  const digits = BigInt((intPart || '0') + frac);
  const denom = 10n ** BigInt(frac.length);
  const v = (digits * scale) / denom;
  return neg ? -v : v;
}

/** `[-][d.]hh:mm[:ss[.fffffff]]` → ticks, or undefined when the text is not in that form. */
export function parseClockTimespan(text: string): bigint | undefined {
  const m = /^\s*(-)?(?:(\d+)\.)?(\d+):(\d+)(?::(\d+)(?:\.(\d+))?)?\s*$/.exec(text);
  if (!m) return undefined;
  const [, neg, d, h, mi, s, f] = m;
  let t = BigInt(d ?? 0) * TICKS_PER.d + BigInt(h!) * TICKS_PER.h + BigInt(mi!) * TICKS_PER.m + BigInt(s ?? 0) * TICKS_PER.s;
  if (f) t += BigInt((f + '0000000').slice(0, 7));
  return neg ? -t : t;
}

/** A timespan literal (`1d`, `1.5h`, `100ms`, `time(1.02:00:00)`, `timespan(2d)`) → ticks, null for `time(null)`. */
export function parseTimespanLiteral(text: string): bigint | null {
  let t = text.trim();
  const wrapped = /^(?:time|timespan)\s*\(\s*(.*?)\s*\)$/is.exec(t);
  if (wrapped) {
    t = wrapped[1]!;
    if (t.toLowerCase() === 'null') return null;
    const clock = parseClockTimespan(t);
    if (clock !== undefined) return clock;
    if (/^-?\d+(\.\d+)?$/.test(t)) return scaleDecimal(t, TICKS_PER.d); // time(2) is two days
  }
  const m = /^(-?\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(t);
  if (m) {
    const unit = m[2]!.toLowerCase() as keyof typeof TICKS_PER;
    const scale = TICKS_PER[unit];
    if (scale !== undefined) {
      if (unit.startsWith('nano')) return scaleDecimal(m[1]!, 1n) / 100n;
      return scaleDecimal(m[1]!, scale);
    }
  }
  throw new KqlError('syntax', `cannot read the timespan literal ${text}`);
}

/** A datetime literal's inner text → ISO 8601 UTC with 7 fractional digits, null for `datetime(null)`. */
export function parseDatetimeLiteral(text: string): string | null {
  const wrapped = /^(?:datetime|date)\s*\(\s*(.*?)\s*\)$/is.exec(text.trim());
  // The docs also write datetime("2015-12-14") and datetime(2017 - 08 - 01); Kusto accepts both.
  const inner = (wrapped ? wrapped[1]! : text.trim()).replace(/^(['"])(.*)\1$/s, '$2').replace(/\s*-\s*/g, '-').trim();
  if (inner.toLowerCase() === 'null') return null;
  const iso = parseDatetimeText(inner);
  if (iso === undefined) throw new KqlError('syntax', `cannot read the datetime literal ${text}`);
  return iso;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Kusto's accepted datetime spellings (ISO 8601, `yyyy-MM-dd HH:mm:ss.fffffff`, RFC 822-ish). */
export function parseDatetimeText(s: string): string | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s.trim());
  let y: number, mo: number, d: number, h = 0, mi = 0, sec = 0, frac = '', offsetMin = 0;
  if (m) {
    y = +m[1]!; mo = +m[2]!; d = +m[3]!;
    h = +(m[4] ?? 0); mi = +(m[5] ?? 0); sec = +(m[6] ?? 0); frac = m[7] ?? '';
    if (m[8] && m[8].toUpperCase() !== 'Z') {
      const o = m[8].replace(':', '');
      offsetMin = (o[0] === '-' ? -1 : 1) * (+o.slice(1, 3) * 60 + +o.slice(3, 5));
    }
  } else {
    // RFC 822 / 850 forms: "Sat, 8 Nov 2014 15:05:02 GMT", "8 Nov 2014 15:05:02"
    const r = /^(?:[a-z]{3,9},?\s+)?(\d{1,2})[\s-]([a-z]{3})[a-z]*[\s-](\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(GMT|UTC|Z)?$/i.exec(s.trim());
    if (!r) return undefined;
    const mon = MONTHS.indexOf(r[2]!.toLowerCase());
    if (mon < 0) return undefined;
    d = +r[1]!; mo = mon + 1; y = +r[3]!; if (y < 100) y += 2000;
    h = +r[4]!; mi = +r[5]!; sec = +(r[6] ?? 0);
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, sec) - offsetMin * 60_000;
  const date = new Date(ms);
  if (Number.isNaN(ms) || date.getUTCDate() !== new Date(Date.UTC(y, mo - 1, d)).getUTCDate()) return undefined;
  const base = date.toISOString().slice(0, 19);
  return `${base}.${(frac + '0000000').slice(0, 7)}Z`;
}

/** A number literal's text (decimal, hex, exponent) → canonical decimal text. */
export function parseNumberText(text: string): string {
  const t = text.trim();
  if (/^-?0x[0-9a-f]+$/i.test(t)) {
    const neg = t.startsWith('-');
    const v = BigInt(t.replace('-', ''));
    return (neg ? -v : v).toString();
  }
  return t;
}
