/**
 * Writing indicators: an import is one Ingestor batch (one transaction) that replaces the
 * stored rows of every indicator it brings and adds their new rows, with the feed's rejections
 * in `_IngestErrors`. The latest `modified` wins: an indicator older than the stored one is left
 * out (counted as stale), an equal or newer one replaces it, so re-importing a feed changes
 * nothing but the rows' TimeGenerated and never duplicates.
 *
 * Republishing: as Sentinel republishes its indicators every 7 days (LastUpdateMethod
 * `LogARepublisher`) so that rules looking back 14 days keep seeing them, `republishIndicators`
 * stamps rows written 7 or more days ago with the current time, and re-judges IsActive (expired
 * indicators become inactive the same way, at once).
 */
import { LIST, VARCHAR, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { sqlIdent, sqlString } from '../engine/duckdb/sql-text.js';
import type { BatchResult, Ingestor } from '../ingest/ingestor.js';
import { indicatorRows, TI_TABLE, type Indicator, type RowOptions } from './indicator.js';
import { ensureLegacyView } from './legacy-view.js';
import type { FeedRead } from './stix-bundle.js';

export const REPUBLISH_METHOD = 'LogARepublisher';
export const REPUBLISH_INTERVAL_MS = 7 * 86_400_000;

export interface ImportSummary {
  /** Indicators read from the feed (after merging repeats of one id within it). */
  indicators: number;
  /** Indicators new to the workspace. */
  added: number;
  /** Indicators that replaced a stored version (same or later `modified`). */
  updated: number;
  /** Indicators older than the stored version, left out. */
  stale: number;
  /** Rows written to ThreatIntelIndicators (one per observable). */
  rows: number;
  /** Indicators or records refused (in _IngestErrors). */
  rejected: number;
  /** Objects that are not indicators, by STIX type. */
  skipped: Record<string, number>;
  /** Set when the legacy view could not be made. */
  legacyViewNote?: string;
  batch: BatchResult;
}

/** Stores a feed's indicators and rejections. `source` names the feed file in _IngestErrors. */
export async function importIndicators(ingestor: Ingestor, feed: FeedRead, source: string, options: RowOptions): Promise<ImportSummary> {
  // Repeats of one id within the feed: the latest modified (then the last one) is the one.
  const latest = new Map<string, Indicator>();
  for (const ind of feed.indicators) {
    const prev = latest.get(ind.id);
    if (!prev || ind.modified.getTime() >= prev.modified.getTime()) latest.set(ind.id, ind);
  }
  const stored = await storedModified(ingestor.connection, ingestor.storedColumns(TI_TABLE) !== undefined, [...latest.keys()]);
  const write: Indicator[] = [];
  let added = 0;
  let updated = 0;
  let stale = 0;
  for (const ind of latest.values()) {
    const have = stored.get(ind.id);
    if (have === undefined) added++;
    else if (ind.modified.getTime() >= have) updated++;
    else { stale++; continue; }
    write.push(ind);
  }
  const rows = write.flatMap((ind) => indicatorRows(ind, options));
  const batch = await ingestor.write({
    source,
    rows,
    rejections: feed.rejections,
    replace: { table: TI_TABLE, column: 'Id', keys: write.map((i) => i.id) },
  });
  let legacyViewNote: string | undefined;
  if (ingestor.storedColumns(TI_TABLE)) {
    legacyViewNote = await ensureLegacyView(ingestor.connection);
    await ingestor.reloadTables(); // so rows sent to the view's name are refused, not appended into it
  }
  return { indicators: latest.size, added, updated, stale, rows: rows.length, rejected: batch.rejected, skipped: feed.skipped, legacyViewNote, batch };
}

/** Stored `Modified` (ms) per indicator id. */
async function storedModified(connection: DuckDBConnection, exists: boolean, ids: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!exists || ids.length === 0) return out;
  const reader = await connection.runAndReadAll(
    `SELECT ${sqlIdent('Id')}, epoch_ms(max(${sqlIdent('Modified')})) FROM ${sqlIdent(TI_TABLE)} WHERE ${sqlIdent('Id')} IN (SELECT unnest($1)) GROUP BY 1`,
    [listValue([...ids])], [LIST(VARCHAR)],
  );
  for (const [id, ms] of reader.getRows()) out.set(String(id), Number(ms));
  return out;
}

/**
 * Republishes indicators last written `intervalMs` or more ago, and those still marked active
 * after their ValidUntil: TimeGenerated and _TimeReceived become `now`, LastUpdateMethod
 * LogARepublisher, IsActive is re-judged. Returns the number of rows changed.
 */
export async function republishIndicators(connection: DuckDBConnection, now: Date, intervalMs = REPUBLISH_INTERVAL_MS): Promise<number> {
  const exists = await connection.runAndReadAll(
    `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' AND table_name = ${sqlString(TI_TABLE)}`,
  );
  if (Number(exists.getRows()[0]![0]) === 0) return 0;
  const at = `make_timestamp(${BigInt(now.getTime()) * 1000n})`;
  const due = `make_timestamp(${BigInt(now.getTime() - intervalMs) * 1000n})`;
  const c = (n: string) => sqlIdent(n);
  const active = `(NOT coalesce(${c('Revoked')}, false) AND (${c('ValidUntil')} IS NULL OR ${c('ValidUntil')} > ${at}))`;
  const reader = await connection.runAndReadAll(
    `UPDATE ${c(TI_TABLE)} SET ${c('TimeGenerated')} = ${at}, ${c('_TimeReceived')} = ${at}, ${c('LastUpdateMethod')} = ${sqlString(REPUBLISH_METHOD)}, ${c('IsActive')} = ${active}
      WHERE NOT coalesce(${c('IsDeleted')}, false)
        AND (${c('TimeGenerated')} <= ${due} OR (coalesce(${c('IsActive')}, false) AND NOT ${active}))`,
  );
  return Number(reader.getRows()[0]?.[0] ?? 0);
}
