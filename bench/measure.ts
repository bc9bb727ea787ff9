/** Small helpers for the query benchmark: medians, timing, row normalisation, a text table. */
import type { KqlType } from '../src/kql/types.js';
import { wireValue } from '../src/engine/duckdb/read-values.js';

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await run();
  return { ms: performance.now() - t0, value };
}

/** Median milliseconds of `runs` runs after one warm-up. */
export async function medianMs(runs: number, work: () => Promise<unknown>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) times.push((await timed(work)).ms);
  return median(times);
}

/**
 * Rows as comparable strings, sorted. Raw DuckDB values are first put in the engine's wire form
 * for the column's KQL type, so both sides print the same; reals are rounded to 9 significant
 * digits (sums may be added up in another order).
 */
export function normaliseRows(rows: readonly unknown[][], types: readonly KqlType[], raw: boolean): string[] {
  return rows
    .map((row) =>
      JSON.stringify(
        row.map((v, i) => {
          const w = raw ? wireValue(v, types[i]!) : v;
          return typeof w === 'number' && !Number.isInteger(w) ? Number(w.toPrecision(9)) : w;
        }),
      ),
    )
    .sort();
}

/** Multiset inclusion of normalised rows. */
export function isSubMultiset(part: readonly string[], whole: readonly string[]): boolean {
  const counts = new Map<string, number>();
  for (const r of whole) counts.set(r, (counts.get(r) ?? 0) + 1);
  for (const r of part) {
    const n = counts.get(r) ?? 0;
    if (n === 0) return false;
    counts.set(r, n - 1);
  }
  return true;
}

/** A plain text table with right-aligned numeric columns. */
export function textTable(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const numeric = header.map((_, i) => rows.every((r) => /^[-\d.,×x%]*$/.test(r[i]!)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const ms = (x: number) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)) : '-');
