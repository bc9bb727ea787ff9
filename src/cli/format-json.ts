import type { QueryResult } from '../engine/result.js';

/**
 * Exactly the QueryResult fields, in contract order (anything else an engine attaches is left
 * out). Values are already in wire form, so they are passed through unchanged.
 */
export function wireResult(result: QueryResult): QueryResult {
  return {
    columns: result.columns,
    rows: result.rows,
    truncated: result.truncated,
    warnings: result.warnings,
    visualization: result.visualization ?? null,
    stats: result.stats,
  };
}

export function formatJson(result: QueryResult): string {
  return JSON.stringify(wireResult(result)) + '\n';
}

/**
 * One `{column: value}` object per row. Built as text so the keys keep the column order even
 * when a column name looks like an array index (JS objects would move those first).
 */
export function formatNdjson(result: QueryResult): string {
  const keys = result.columns.map((c) => JSON.stringify(c.name));
  return result.rows
    .map((row) => `{${keys.map((k, i) => `${k}:${JSON.stringify(row[i] ?? null)}`).join(',')}}\n`)
    .join('');
}
