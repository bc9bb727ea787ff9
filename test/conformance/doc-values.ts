/**
 * Parsers for values as Kusto's documentation shows them in result tables: numbers with their
 * shown precision, datetimes and timespans in the several forms the docs use, and dynamic
 * values written leniently. Rules: ../../../shared/conformance/kql-docs/README.md.
 */

export interface DocNumber {
  value: number;
  /** One unit in the last shown digit; 0 for an integer written without exponent. */
  ulp: number;
}

const NUMBER = /^([+-])?(\d+)?(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;

export function parseDocNumber(text: string): DocNumber | null {
  const t = text.trim();
  if (/^[+-]?nan$/i.test(t)) return { value: NaN, ulp: 0 };
  if (/^\+?(∞|inf|infinity)$/i.test(t)) return { value: Infinity, ulp: 0 };
  if (/^-(∞|inf|infinity)$/i.test(t)) return { value: -Infinity, ulp: 0 };
  // some pages print longs and decimals with thousands separators (1,048,576)
  const plain = THOUSANDS.test(t) ? t.replace(/,/g, '') : t;
  const m = NUMBER.exec(plain);
  if (!m || (m[2] === undefined && !m[3])) return null;
  const value = Number(plain);
  if (!Number.isFinite(value)) return null;
  const decimals = m[3]?.length ?? 0;
  const exponent = m[4] !== undefined ? Number(m[4]) : 0;
  const showsPrecision = decimals > 0 || m[4] !== undefined;
  return { value, ulp: showsPrecision ? 10 ** (exponent - decimals) : 0 };
}

/** Strips one pair of surrounding double or single quotes. */
export function unquote(text: string): string {
  const t = text.trim();
  const q = t[0];
  return t.length >= 2 && (q === '"' || q === "'") && t[t.length - 1] === q ? t.slice(1, -1) : t;
}

const ISO_DATETIME = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const US_DATETIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(AM|PM)?)?$/i;

interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  fraction: string;
  zone?: string;
}

/** Epoch milliseconds of a datetime in any of the docs' forms (all UTC); sub-ms digits dropped. */
export function parseDocDatetime(text: string): number | null {
  const parts = isoParts(unquote(text)) ?? usParts(unquote(text));
  if (!parts) return null;
  const { year, month, day, hour, minute, second, fraction, zone } = parts;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (year < 100) date.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900–1999
  let ms = date.getTime() + Number((fraction + '000').slice(0, 3));
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2))) * 60_000;
  }
  return ms;
}

function isoParts(t: string): DateParts | null {
  const m = ISO_DATETIME.exec(t);
  if (!m) return null;
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    fraction: m[7] ?? '',
    zone: m[8],
  };
}

/** The US form M/D/Y with an optional time and AM/PM. */
function usParts(t: string): DateParts | null {
  const m = US_DATETIME.exec(t);
  if (!m) return null;
  let hour = Number(m[4] ?? 0);
  if (m[8]) {
    const pm = m[8].toUpperCase() === 'PM';
    if (hour === 12) hour = pm ? 12 : 0;
    else if (pm) hour += 12;
  }
  return {
    year: Number(m[3]),
    month: Number(m[1]),
    day: Number(m[2]),
    hour,
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    fraction: m[7] ?? '',
  };
}

export interface DocTimespan {
  /** 100-ns ticks. */
  ticks: number;
  /** Fraction digits shown (0–7): the doc's precision. */
  fractionDigits: number;
}

const TIMESPAN = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;
// one page writes 14 days as 14:00:00:00
const TIMESPAN_DAYS_COLON = /^(-)?(\d+):(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;

/** `[-][d.]hh:mm:ss[.fffffff]` or `d:hh:mm:ss` as ticks. */
export function parseDocTimespan(text: string): DocTimespan | null {
  const t = unquote(text);
  const m = TIMESPAN.exec(t) ?? TIMESPAN_DAYS_COLON.exec(t);
  if (!m) return null;
  const [days, hours, minutes, seconds] = [m[2] ?? 0, m[3], m[4], m[5]].map(Number) as [number, number, number, number];
  if (minutes > 59 || seconds > 59) return null;
  const fraction = m[6] ?? '';
  const ticks = (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1e7 + Number((fraction + '0000000').slice(0, 7));
  return { ticks: m[1] ? -ticks : ticks, fractionDigits: fraction.length };
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A number in a documented dynamic value, kept as written so its precision is known. */
export class DocNumberLiteral {
  readonly value: number;
  constructor(readonly text: string) {
    this.value = Number(text);
  }
}

export type DocJson = null | boolean | string | DocNumberLiteral | DocJson[] | { [key: string]: DocJson };

/**
 * Parses a documented dynamic value. Beyond JSON it accepts what the docs show: 'single-quoted'
 * strings, bare words as strings (`[yes, no]`), unquoted keys and trailing commas. Throws on
 * text it cannot read.
 */
export function parseDocJson(src: string): DocJson {
  return new LenientJsonParser(src).parseAll();
}

class LenientJsonParser {
  private i = 0;
  constructor(private readonly src: string) {}

  parseAll(): DocJson {
    const v = this.value();
    this.skipSpace();
    if (this.i !== this.src.length) this.fail();
    return v;
  }

  private fail(): never {
    throw new Error(`unreadable JSON at offset ${this.i}`);
  }

  private skipSpace(): void {
    while (this.i < this.src.length && /\s/.test(this.src[this.i]!)) this.i++;
  }

  private value(): DocJson {
    this.skipSpace();
    const c = this.src[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"' || c === "'") return this.string();
    const rest = this.src.slice(this.i);
    const num = /^-?(\d+)(\.\d+)?([eE][+-]?\d+)?(?![\w.])/.exec(rest);
    if (num) {
      this.i += num[0].length;
      return new DocNumberLiteral(num[0]);
    }
    const word = /^[^\s,:[\]{}"']+(?:[ \t]+[^\s,:[\]{}"']+)*/.exec(rest);
    if (!word) this.fail();
    this.i += word[0].length;
    switch (word[0]) {
      case 'true': return true;
      case 'false': return false;
      case 'null': return null;
      case 'NaN': return new DocNumberLiteral('NaN');
      default: return word[0];
    }
  }

  private object(): DocJson {
    this.i++; // {
    const out: { [key: string]: DocJson } = {};
    this.skipSpace();
    if (this.src[this.i] === '}') { this.i++; return out; }
    for (;;) {
      this.skipSpace();
      const key = this.key();
      this.skipSpace();
      if (this.src[this.i] !== ':') this.fail();
      this.i++;
      out[key] = this.value();
      if (this.endOfList('}')) return out;
    }
  }

  private array(): DocJson {
    this.i++; // [
    const out: DocJson[] = [];
    this.skipSpace();
    if (this.src[this.i] === ']') { this.i++; return out; }
    for (;;) {
      out.push(this.value());
      if (this.endOfList(']')) return out;
    }
  }

  /** After an element: true at the closing bracket (a trailing comma allowed), false after a comma. */
  private endOfList(close: string): boolean {
    this.skipSpace();
    if (this.src[this.i] === ',') {
      this.i++;
      this.skipSpace();
      if (this.src[this.i] !== close) return false;
    }
    if (this.src[this.i] !== close) this.fail();
    this.i++;
    return true;
  }

  private key(): string {
    const c = this.src[this.i];
    if (c === '"' || c === "'") return this.string();
    const bare = /^[A-Za-z_$][\w$]*/.exec(this.src.slice(this.i));
    if (!bare) this.fail();
    this.i += bare[0].length;
    return bare[0];
  }

  private string(): string {
    const quote = this.src[this.i]!;
    const start = this.i++;
    while (this.i < this.src.length && this.src[this.i] !== quote) {
      if (this.src[this.i] === '\\') this.i++;
      this.i++;
    }
    if (this.i >= this.src.length) this.fail();
    this.i++;
    if (quote === '"') return JSON.parse(this.src.slice(start, this.i)) as string;
    // single-quoted, Kusto style: re-quote as a JSON string
    const body = this.src.slice(start + 1, this.i - 1);
    return JSON.parse('"' + body.replace(/\\'/g, "'").replace(/"/g, '\\"') + '"') as string;
  }
}
