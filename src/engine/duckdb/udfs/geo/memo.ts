/**
 * Per-text memo for parsed shapes: a query usually passes the same polygon (a literal, or the
 * few rows of a lookup table) with every row, so parsing it and building its S2 index once per
 * distinct text, not once per row, is what keeps geo_point_in_polygon fast.
 */

/** Distinct shapes kept; the least recently used is dropped beyond this. */
const CAPACITY = 256;

export function memoByText<T>(build: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    if (cache.has(text)) {
      const hit = cache.get(text) as T;
      cache.delete(text);
      cache.set(text, hit);
      return hit;
    }
    const value = build(text);
    cache.set(text, value);
    if (cache.size > CAPACITY) cache.delete(cache.keys().next().value as string);
    return value;
  };
}
