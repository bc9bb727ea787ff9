import type { QueryResult } from '../engine/result.js';
import { isNumeric } from '../kql/types.js';
import { cellText } from './cell-text.js';
import { displayWidth, padEnd, padStart, truncateToWidth } from './text-width.js';

export interface TableOptions {
  /** Fit the whole table into this many columns (the terminal width), cutting wide columns. */
  maxWidth?: number;
  /** Longest a cell may be before it is cut with `…`. */
  maxCellWidth?: number;
  /** How the user gets all rows; shown with the truncation notice. */
  truncationHint?: string;
}

export const DEFAULT_MAX_CELL_WIDTH = 60;
const GAP = '  ';
// Columns are never narrowed below this to fit the terminal; past it the line wraps instead.
const MIN_FITTED_WIDTH = 6;

/** The result as an aligned text table followed by a footer: row count, time, warnings. */
export function formatTable(result: QueryResult, options: TableOptions = {}): string {
  const lines = result.columns.length > 0 ? tableLines(result, options) : [];
  lines.push(...footerLines(result, options));
  return lines.map((l) => l + '\n').join('');
}

function tableLines(result: QueryResult, options: TableOptions): string[] {
  const maxCell = options.maxCellWidth ?? DEFAULT_MAX_CELL_WIDTH;
  const headers = result.columns.map((c) => oneLine(c.name));
  const cells = result.rows.map((row) => result.columns.map((c, i) => oneLine(cellText(row[i], c.type))));
  const rightAligned = result.columns.map((c) => isNumeric(c.type));

  // A loop, not Math.max(...cells): spreading half a million rows would overflow the stack.
  const widths = headers.map(displayWidth);
  for (const row of cells) row.forEach((text, i) => { widths[i] = Math.max(widths[i]!, displayWidth(text)); });
  widths.forEach((w, i) => { widths[i] = Math.min(maxCell, w); });
  if (options.maxWidth !== undefined) shrinkToFit(widths, options.maxWidth);

  const renderRow = (texts: string[]) => texts
    .map((t, i) => {
      const cut = truncateToWidth(t, widths[i]!);
      return rightAligned[i] ? padStart(cut, widths[i]!) : padEnd(cut, widths[i]!);
    })
    .join(GAP)
    .trimEnd();
  return [
    renderRow(headers),
    widths.map((w) => '-'.repeat(w)).join(GAP),
    ...cells.map(renderRow),
  ];
}

/** Narrows the widest columns, one step at a time, until the table fits `maxWidth`. */
function shrinkToFit(widths: number[], maxWidth: number): void {
  let total = widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);
  while (total > maxWidth) {
    let widest = 0;
    for (let i = 1; i < widths.length; i++) if (widths[i]! > widths[widest]!) widest = i;
    if (widths[widest]! <= MIN_FITTED_WIDTH) return;
    widths[widest]!--;
    total--;
  }
}

function footerLines(result: QueryResult, options: TableOptions): string[] {
  const n = result.rows.length;
  const lines = [`(${n} ${n === 1 ? 'row' : 'rows'}, ${Math.round(result.stats.elapsedMs)} ms)`];
  for (const w of result.warnings) lines.push(`warning: ${w}`);
  if (result.truncated) lines.push(truncationNotice(options.truncationHint));
  if (result.visualization) lines.push(`note: render ${result.visualization.kind} is not drawn in a terminal`);
  return lines;
}

export function truncationNotice(hint?: string): string {
  return `warning: the result was truncated at the row/size limit${hint ? `; ${hint}` : ''}`;
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Control characters shown escaped, so one value never breaks the table over lines. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) =>
    ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
