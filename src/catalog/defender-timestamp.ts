import type { Column } from '../kql/types.js';

/**
 * Defender XDR's advanced hunting calls the event time `Timestamp` where Sentinel (Log Analytics)
 * calls it `TimeGenerated`; the same tables streamed into Sentinel carry `TimeGenerated`, and
 * queries written for Defender use `Timestamp`. Quarry's Defender XDR tables answer to both: the
 * catalog declares `Timestamp` where only `TimeGenerated` is there, and the compiler reads a
 * declared-but-unstored `Timestamp` from the stored `TimeGenerated` (see `storedSource`).
 */
export const DEFENDER_TIME = 'Timestamp';
const SENTINEL_TIME = 'TimeGenerated';

/** `columns` plus a datetime `Timestamp` when it is missing and `TimeGenerated` is there. */
export function withDefenderTimeColumns(columns: Column[]): Column[] {
  if (columns.some((c) => c.name === DEFENDER_TIME)) return columns;
  if (!columns.some((c) => c.name === SENTINEL_TIME && c.type === 'datetime')) return columns;
  return [...columns, { name: DEFENDER_TIME, type: 'datetime' }];
}

/**
 * The stored column to read for `column` of a table whose stored columns are `stored`: the
 * column itself when stored, `TimeGenerated` for an unstored `Timestamp`, else undefined.
 */
export function storedSource(column: string, stored: ReadonlySet<string>): string | undefined {
  if (stored.has(column)) return column;
  if (column === DEFENDER_TIME && stored.has(SENTINEL_TIME)) return SENTINEL_TIME;
  return undefined;
}
