/**
 * Fast reads of a DOUBLE vector's values in a UDF. The node API's getItem() tests validity with
 * BigInt arithmetic per value; its DOUBLE vectors already hold their values in a Float64Array
 * (a copy the bindings made) and the validity as a bit mask, so this reads those directly when
 * they are there (they are private fields: every other shape falls back to getItem()).
 */
import type { DuckDBVector } from '@duckdb/node-api';

/**
 * Values [from, from + count) of a DOUBLE vector, NaN for NULL: a read-only view of the node
 * API's array when none is NULL, else a copy.
 */
export function doubleSegment(vector: DuckDBVector, from: number, count: number): Float64Array {
  const raw = vector as unknown as { items?: unknown; validity?: { data?: unknown; offset?: unknown } };
  const items = raw.items;
  const mask = raw.validity?.data;
  if (items instanceof Float64Array && raw.validity?.offset === 0 && from + count <= items.length) {
    if (mask === null) return items.subarray(from, from + count);
    if (mask instanceof BigUint64Array && littleEndian) {
      const out = items.slice(from, from + count);
      const words = new Uint32Array(mask.buffer, mask.byteOffset, mask.length * 2);
      const end = from + count;
      for (let w = from >>> 5; w <= (end - 1) >>> 5; w++) {
        if (words[w] === 0xffffffff) continue;
        for (let i = Math.max(from, w << 5); i < Math.min(end, (w + 1) << 5); i++) if (!((words[w]! >>> (i & 31)) & 1)) out[i - from] = NaN;
      }
      return out;
    }
  }
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = (vector.getItem(from + i) as number | null) ?? NaN;
  return out;
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
