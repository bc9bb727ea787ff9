import type { QueryResult } from '../engine/result.js';
import { formatCsv } from './format-csv.js';
import { formatJson, formatNdjson } from './format-json.js';
import { formatTable, truncationNotice } from './format-table.js';

export const OUTPUT_FORMATS = ['table', 'json', 'csv', 'ndjson'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface RenderOptions {
  /** Terminal width for tables. */
  maxWidth?: number;
  /** How the user gets all rows, shown with the truncation notice. */
  truncationHint?: string;
}

/**
 * The text for stdout and for stderr. Machine formats keep stdout pure data, so their
 * warnings and the truncation notice go to stderr; json carries them inside the object.
 */
export function renderResult(result: QueryResult, format: OutputFormat, options: RenderOptions = {}): { stdout: string; stderr: string } {
  switch (format) {
    case 'table':
      return { stdout: formatTable(result, options), stderr: '' };
    case 'json':
      return { stdout: formatJson(result), stderr: '' };
    case 'csv':
      return { stdout: formatCsv(result), stderr: sideNotes(result, options) };
    case 'ndjson':
      return { stdout: formatNdjson(result), stderr: sideNotes(result, options) };
  }
}

function sideNotes(result: QueryResult, options: RenderOptions): string {
  const lines = result.warnings.map((w) => `warning: ${w}`);
  if (result.truncated) lines.push(truncationNotice(options.truncationHint));
  return lines.map((l) => l + '\n').join('');
}
