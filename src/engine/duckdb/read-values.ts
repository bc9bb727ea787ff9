import type { KqlType } from '../../kql/types.js';

/**
 * Turns DuckDB's JS values into the wire form of QueryResult rows (see ../result.ts).
 * Runs only on result rows (at most the truncation limit), never inside a query.
 */
export function wireValue(v: unknown, type: KqlType): unknown {
  if (v === null || v === undefined) return type === 'string' ? '' : null;
  switch (type) {
    case 'bool':
      return Boolean(v);
    case 'int':
      return Number(v);
    case 'long':
      return wireLong(typeof v === 'bigint' ? v : BigInt(String(v)));
    case 'real': {
      const n = Number(v);
      return Number.isFinite(n) ? n : String(n);
    }
    case 'decimal':
      return String(v);
    case 'string':
    case 'guid':
      return String(v);
    case 'datetime':
      return formatDatetimeMicros(microsOf(v));
    case 'timespan':
      return formatTimespanTicks(typeof v === 'bigint' ? v : BigInt(String(v)));
    case 'dynamic':
      return parseDynamic(String(v));
  }
}

function microsOf(v: unknown): bigint {
  const o = v as { micros?: bigint };
  if (typeof o.micros === 'bigint') return o.micros;
  if (v instanceof Date) return BigInt(v.getTime()) * 1000n;
  return BigInt(Date.parse(String(v))) * 1000n;
}

export function wireLong(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

function parseDynamic(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `2024-01-02T03:04:05.1234560Z` from microseconds since the epoch (Kusto prints 7 digits). */
export function formatDatetimeMicros(micros: bigint): string {
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const subMs = micros - ms * 1000n;
  const base = new Date(Number(ms)).toISOString(); // yyyy-mm-ddThh:mm:ss.sssZ
  return `${base.slice(0, 23)}${subMs.toString().padStart(3, '0')}0Z`;
}

/** `[-][d.]hh:mm:ss[.fffffff]` from 100-ns ticks. */
export function formatTimespanTicks(ticks: bigint): string {
  const neg = ticks < 0n;
  let t = neg ? -ticks : ticks;
  const frac = t % 10_000_000n;
  t /= 10_000_000n;
  const s = t % 60n;
  t /= 60n;
  const m = t % 60n;
  t /= 60n;
  const h = t % 24n;
  const d = t / 24n;
  const two = (x: bigint) => x.toString().padStart(2, '0');
  return `${neg ? '-' : ''}${d > 0n ? `${d}.` : ''}${two(h)}:${two(m)}:${two(s)}${frac > 0n ? `.${frac.toString().padStart(7, '0')}` : ''}`;
}
