import { parseKustoDatetime } from '../time-text.js';
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


/** Kusto's accepted datetime spellings (ISO 8601, `yyyy-MM-dd HH:mm:ss.fffffff`, RFC 822-ish). */
export function parseDatetimeText(s: string): string | undefined {
  const micros = parseKustoDatetime(s);
  if (micros === null) return undefined;
  const ms = micros / 1000n;
  const date = new Date(Number(ms));
  if (Number.isNaN(date.getTime())) return undefined;
  const sub = ((micros % 1_000_000n) + 1_000_000n) % 1_000_000n;
  return `${date.toISOString().slice(0, 19)}.${sub.toString().padStart(6, '0')}0Z`;
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
