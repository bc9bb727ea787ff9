/**
 * Reading a KQL series (a dynamic array, as JSON text) for the decomposition, anomaly and
 * period functions: numbers become float64, Quarry's spellings of non-finite reals ("inf",
 * "-inf", "nan") their values (values.ts), anything else (null, text, bags) NaN, which these
 * functions treat as a missing point. Outputs write a missing point (NaN) as null and an infinite
 * one as "inf" / "-inf", as Quarry's dynamic values do.
 */
import { elem } from './values.js';

/** The series as numbers (NaN where a point is missing), or undefined when the value is not an array. */
export function parseSeries(json: string): Float64Array | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  const out = new Float64Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    out[i] = typeof v === 'number' ? v : elem(v) ?? Number.NaN;
  }
  return out;
}

/**
 * The array as JSON values: NaN (missing) as null, ±Infinity as "inf" / "-inf". Copied by a
 * plain loop into a packed array of doubles (Array.from goes through the iterator, several
 * times slower); the non-finite values are only looked for once the copy is made.
 */
function jsonValues(values: ArrayLike<number>): Array<number | string | null> {
  const n = values.length;
  const out: number[] = [];
  let finite = true;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    // v - v is 0 for every finite number, NaN for NaN and ±Infinity.
    if (v - v !== 0) finite = false;
    out.push(v);
  }
  if (finite) return out;
  const mixed: Array<number | string | null> = out;
  for (let i = 0; i < n; i++) {
    const v = out[i]!;
    if (!Number.isFinite(v)) mixed[i] = Number.isNaN(v) ? null : v > 0 ? 'inf' : '-inf';
  }
  return mixed;
}

/** JSON text of a numeric array. */
export const seriesJson = (values: ArrayLike<number>): string => JSON.stringify(jsonValues(values));

/** JSON text of a tuple of arrays (the k-th element is output k of a tuple-valued function). */
export const tupleJson = (parts: ArrayLike<number>[]): string => JSON.stringify(parts.map(jsonValues));
