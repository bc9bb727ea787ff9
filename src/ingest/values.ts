/**
 * Converting the plain JS values readers produce into a column's KQL type, and inferring a
 * KQL type for a field of an inferred custom table. Storage follows
 * docs/value-representation.md: datetime as µs since the epoch, timespan as 100-ns ticks,
 * dynamic as JSON text, strings never null.
 */
import type { KqlType } from '../kql/types.js';

/** A value ready for its column: the JS form the writer appends for that type. */
export type StoredValue = string | number | bigint | boolean | null;

/** Why a value does not fit its column; the caller keeps the record and reports this. */
export class TypeConflict {
  constructor(readonly reason: string) {}
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const TICKS_PER_SECOND = 10_000_000;
const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const GUID_TEXT = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;
// ISO 8601 date-time (date alone, or with a time; `T` or a space; optional fraction and zone).
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
// Kusto's timespan text: [-][d.]hh:mm[:ss[.fffffff]]
const TIMESPAN_TEXT = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;

/** Converts `value` for a column of `type`; `null` for a missing value ('' for strings). */
export function coerce(value: unknown, type: KqlType): StoredValue | TypeConflict {
  if (value === null || value === undefined) return type === 'string' ? '' : null;
  switch (type) {
    case 'string': return toText(value);
    case 'int': return toInt(value);
    case 'long': return toLong(value);
    case 'real': return toReal(value);
    case 'decimal': return toDecimal(value);
    case 'bool': return toBool(value);
    case 'datetime': return toDatetimeMicros(value);
    case 'timespan': return toTicks(value);
    case 'guid': return toGuid(value);
    case 'dynamic': return toDynamic(value);
  }
}

/** Text form of any value: strings as they are, objects as JSON, datetimes as ISO 8601. */
export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value, jsonReplacer);
  return String(value);
}

function describe(value: unknown): string {
  const text = toText(value);
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

function conflict(value: unknown, type: KqlType): TypeConflict {
  return new TypeConflict(`${describe(value)} is not a valid ${type}`);
}

function toInt(value: unknown): StoredValue | TypeConflict {
  const n = integerOf(value);
  if (n === '') return null;
  if (n === undefined || n < BigInt(INT32_MIN) || n > BigInt(INT32_MAX)) return conflict(value, 'int');
  return Number(n);
}

function toLong(value: unknown): StoredValue | TypeConflict {
  const n = integerOf(value);
  if (n === '') return null;
  if (n === undefined || n < INT64_MIN || n > INT64_MAX) return conflict(value, 'long');
  return n;
}

/** The integer a value holds; '' for empty text (a missing number), undefined when not an integer. */
function integerOf(value: unknown): bigint | '' | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : undefined;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'string') {
    const t = value.trim();
    if (t === '') return '';
    if (INTEGER_TEXT.test(t)) return BigInt(t);
    // "12.0" and "1e3" are integers written another way.
    if (NUMBER_TEXT.test(t)) {
      const n = Number(t);
      if (Number.isInteger(n) && Number.isSafeInteger(n)) return BigInt(n);
    }
  }
  return undefined;
}

function toReal(value: unknown): StoredValue | TypeConflict {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const t = value.trim();
    if (t === '') return null;
    if (NUMBER_TEXT.test(t)) return Number(t);
    if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
    if (/^nan$/i.test(t)) return NaN;
  }
  return conflict(value, 'real');
}

function toDecimal(value: unknown): StoredValue | TypeConflict {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') {
    const t = value.trim();
    if (t === '') return null;
    if (NUMBER_TEXT.test(t)) return t;
  }
  return conflict(value, 'decimal');
}

function toBool(value: unknown): StoredValue | TypeConflict {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
  if (typeof value === 'string') {
    const t = value.trim().toLowerCase();
    if (t === '') return null;
    if (t === 'true' || t === '1' || t === 't') return true;
    if (t === 'false' || t === '0' || t === 'f') return false;
  }
  return conflict(value, 'bool');
}

/** Microseconds since the Unix epoch of a Date, or of ISO 8601 text (UTC when no zone is given). */
function toDatetimeMicros(value: unknown): StoredValue | TypeConflict {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? conflict(value, 'datetime') : BigInt(ms) * 1000n;
  }
  if (typeof value === 'string') {
    if (value.trim() === '') return null;
    const micros = parseIsoMicros(value.trim()) ?? parseUsDateMicros(value.trim());
    return micros ?? conflict(value, 'datetime');
  }
  return conflict(value, 'datetime');
}

/** ISO 8601 text → µs since the epoch, keeping the fraction to the microsecond; undefined when not ISO. */
export function parseIsoMicros(text: string): bigint | undefined {
  const m = ISO_DATETIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const ms = Date.UTC(Number(y), month - 1, day, hour, minute, second);
  if (Number.isNaN(ms)) return undefined;
  // Date.UTC rolls 31 Feb over into March; such text is not a date.
  if (new Date(ms).getUTCDate() !== day) return undefined;
  let micros = BigInt(ms) * 1000n + BigInt((frac + '000000').slice(0, 6));
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1n : 1n;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    micros -= sign * offsetMinutes * 60_000_000n;
  }
  return micros;
}

/**
 * `M/d/yyyy[ H:mm[:ss[.f]]][ AM|PM]` (the invariant-culture form .NET and so Kusto's
 * todatetime() read, and what Log Analytics exports write) → µs since the epoch, as UTC.
 */
export function parseUsDateMicros(text: string): bigint | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?\s*([AaPp][Mm])?)?$/.exec(text);
  if (!m) return undefined;
  const [, mo, d, y, h = '0', mi = '0', s = '0', frac = '', ampm] = m;
  let hour = Number(h);
  if (ampm) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (ampm.toLowerCase() === 'pm' ? 12 : 0);
  }
  const iso = `${y}-${mo!.padStart(2, '0')}-${d!.padStart(2, '0')}T${String(hour).padStart(2, '0')}:${mi}:${s.padStart(2, '0')}${frac ? `.${frac}` : ''}Z`;
  return parseIsoMicros(iso);
}

/** Ticks of a timespan: bigint as ticks, a number as seconds, or Kusto's `[d.]hh:mm:ss[.f]` text. */
function toTicks(value: unknown): StoredValue | TypeConflict {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? BigInt(Math.round(value * TICKS_PER_SECOND)) : conflict(value, 'timespan');
  if (typeof value === 'string') {
    const t = value.trim();
    if (t === '') return null;
    const m = TIMESPAN_TEXT.exec(t);
    if (m) {
      const [, neg, days = '0', hh, mm, ss = '0', frac = ''] = m;
      const seconds = BigInt(days) * 86400n + BigInt(hh!) * 3600n + BigInt(mm!) * 60n + BigInt(ss);
      const ticks = seconds * 10_000_000n + BigInt((frac + '0000000').slice(0, 7));
      return neg ? -ticks : ticks;
    }
    if (NUMBER_TEXT.test(t)) return BigInt(Math.round(Number(t) * TICKS_PER_SECOND));
  }
  return conflict(value, 'timespan');
}

function toGuid(value: unknown): StoredValue | TypeConflict {
  if (typeof value === 'string') {
    const t = value.trim();
    if (t === '') return null;
    if (GUID_TEXT.test(t)) return t.replace(/^\{|\}$/g, '').toLowerCase();
  }
  return conflict(value, 'guid');
}

/** JSON text of a dynamic value; text that is a JSON object or array is stored as that object or array. */
function toDynamic(value: unknown): StoredValue {
  if (typeof value === 'string') {
    const t = value.trimStart();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        JSON.parse(value);
        return value;
      } catch {
        // Not JSON after all: keep it as a JSON string.
      }
    }
    return JSON.stringify(value);
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return JSON.stringify(String(value));
  return JSON.stringify(value, jsonReplacer);
}

/** JSON.stringify's replacer for stored values: a 64-bit integer stays exact (text when beyond 2^53). */
export function jsonReplacer(this: unknown, _key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  return v;
}

/**
 * The KQL type of a new column of an inferred custom table, from its first value. Integers are
 * `long`, other numbers `real`, ISO 8601 date-times `datetime`, objects and arrays `dynamic`,
 * everything else `string`. Undefined for null (the column waits for a real value).
 */
export function inferType(value: unknown): KqlType | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'bigint') return 'long';
  if (typeof value === 'number') return Number.isInteger(value) ? 'long' : 'real';
  if (value instanceof Date) return 'datetime';
  if (typeof value === 'object') return 'dynamic';
  if (typeof value === 'string') {
    // Only unmistakable date-times (a date and a time) become datetime; plain dates stay text.
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value) && parseIsoMicros(value.trim()) !== undefined) return 'datetime';
    return 'string';
  }
  return 'string';
}
