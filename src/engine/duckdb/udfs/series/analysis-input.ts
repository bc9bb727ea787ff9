/**
 * Reading a KQL series (a dynamic array, as JSON text) for the decomposition, anomaly and
 * period functions: numbers become float64, anything else (null, text, bags) becomes NaN, which
 * these functions treat as a missing point.
 */

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
    out[i] = typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : Number.NaN;
  }
  return out;
}

/** JSON text of a numeric array; NaN and ±Infinity (not JSON numbers) are written as null. */
export const seriesJson = (values: ArrayLike<number>): string => JSON.stringify(Array.from(values));

/** JSON text of a tuple of arrays (the k-th element is output k of a tuple-valued function). */
export const tupleJson = (parts: ArrayLike<number>[]): string => JSON.stringify(parts.map((p) => Array.from(p)));
