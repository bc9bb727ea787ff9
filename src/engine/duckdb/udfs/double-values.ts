/**
 * Fast reads of a DOUBLE vector's values in a UDF. The node API's getItem() tests validity with
 * BigInt arithmetic per value; its DOUBLE vectors already hold their values in a Float64Array
 * (a copy the bindings made) and the validity as a bit mask, so this reads those directly when
 * they are there (they are private fields: every other shape falls back to getItem()).
 */
import type { DuckDBVector } from '@duckdb/node-api';

export interface DoubleValues {
  /** Value i, NaN for NULL. */
  get(i: number): number;
}

export function doubleValues(vector: DuckDBVector): DoubleValues {
  const raw = vector as unknown as { items?: unknown; validity?: { data?: unknown; offset?: unknown } };
  const items = raw.items;
  const mask = raw.validity?.data;
  if (items instanceof Float64Array && raw.validity?.offset === 0) {
    if (mask === null) return { get: (i) => items[i]! };
    if (mask instanceof BigUint64Array && littleEndian) {
      const words = new Uint32Array(mask.buffer, mask.byteOffset, mask.length * 2);
      return { get: (i) => ((words[i >>> 5]! >>> (i & 31)) & 1 ? items[i]! : NaN) };
    }
  }
  return { get: (i) => (vector.getItem(i) as number | null) ?? NaN };
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
