import { parseKustoDatetime, parseKustoTimespan } from '../time-text.js';
import { KqlError } from '../diagnostics.js';
import type { Expr } from './ir.js';

/** Parses KQL literal texts that Kusto.Language does not decode reliably. */

/** A timespan literal (`1d`, `1.5h`, `100ms`, `time(1.02:00:00)`, `timespan(2d)`) → ticks, null for `time(null)`. */
export function parseTimespanLiteral(text: string): bigint | null {
  const wrapped = /^(?:time|timespan)\s*\(\s*(.*?)\s*\)$/is.exec(text.trim());
  if (wrapped && wrapped[1]!.toLowerCase() === 'null') return null;
  // Outside time(…) only the `<number><unit>` form is a literal.
  const inner = wrapped ? wrapped[1]! : text.trim();
  const ticks = wrapped || /^-?\d+(?:\.\d+)?\s*[a-z]+$/i.test(inner) ? parseKustoTimespan(inner, { literal: true }) : null;
  if (ticks === null) throw new KqlError('syntax', `cannot read the timespan literal ${text}`);
  return ticks;
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

/** A negated numeric literal (`-1`, `int(-1)`) folded into one literal; any other expression unchanged. */
export function foldNegatedLiteral(e: Expr): Expr {
  if (e.k !== 'op' || e.op !== 'neg' || e.args.length !== 1) return e;
  const inner = foldNegatedLiteral(e.args[0]!);
  if (inner.k !== 'literal' || inner.value === null || !['int', 'long', 'real', 'decimal'].includes(inner.type)) return e;
  const text = String(inner.value);
  return { ...inner, value: text.startsWith('-') ? text.slice(1) : `-${text}` };
}
