import type { QueryResult } from '../../engine/result.js';
import { escapeHtml as esc } from './escape.js';

/** Rows a cell shows unless `%limit` says otherwise; the rest is counted, not shown. */
export const DEFAULT_DISPLAY_ROWS = 200;

/** A value as one line of text (dynamic as JSON, null as empty). */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The notice under a capped table: how many rows exist and how many are shown. */
export function rowNotice(result: QueryResult, shown: number): string {
  const total = result.rows.length;
  const parts = [`${total.toLocaleString('en-US')} row${total === 1 ? '' : 's'}`];
  if (shown < total) parts.push(`showing the first ${shown.toLocaleString('en-US')}`);
  if (result.truncated) parts.push('the result itself was truncated by the engine');
  return parts.join('; ');
}

// Sorts a table when a header is clicked; numbers (data-n) sort as numbers. Runs in Jupyter's
// trusted output and in exported reports; without scripts the table is still readable.
const SORT_SCRIPT = `<script>(function(){var s=document.currentScript,t=s&&s.previousElementSibling&&s.previousElementSibling.querySelector('table');if(!t)return;t.querySelectorAll('th').forEach(function(th,i){th.style.cursor='pointer';th.addEventListener('click',function(){var b=t.tBodies[0],r=Array.prototype.slice.call(b.rows),d=th.dataset.dir==='asc'?-1:1;th.dataset.dir=d>0?'asc':'desc';r.sort(function(x,y){var a=x.cells[i],c=y.cells[i],p=a.dataset.n,q=c.dataset.n;if(p!==undefined&&q!==undefined)return (p-q)*d;return a.textContent.localeCompare(c.textContent)*d;});r.forEach(function(e){b.appendChild(e);});});});})();</script>`;

const NUMERIC = new Set(['int', 'long', 'real', 'decimal']);

/** A sortable HTML table of the first `limit` rows, every value escaped. */
export function htmlTable(result: QueryResult, limit = DEFAULT_DISPLAY_ROWS): string {
  const shown = Math.min(limit, result.rows.length);
  const numeric = result.columns.map((c) => NUMERIC.has(c.type));
  const head = result.columns.map((c) => `<th title="${esc(c.type)}">${esc(c.name)}</th>`).join('');
  const body: string[] = [];
  for (let r = 0; r < shown; r++) {
    const row = result.rows[r]!;
    body.push(`<tr>${row.map((v, i) => {
      const n = numeric[i] && v !== null ? ` data-n="${esc(String(v))}"` : '';
      return `<td${n}${numeric[i] ? ' style="text-align:right"' : ''}>${esc(cellText(v))}</td>`;
    }).join('')}</tr>`);
  }
  const warnings = result.warnings.map((w) => `<div class="quarry-warning">⚠ ${esc(w)}</div>`).join('');
  return `<div class="quarry-result"><table class="quarry-table"><thead><tr>${head}</tr></thead><tbody>${body.join('')}</tbody></table><div class="quarry-notice">${esc(rowNotice(result, shown))}</div>${warnings}</div>${SORT_SCRIPT}`;
}

/** The first `limit` rows as an aligned text table (Jupyter's text/plain). */
export function plainTable(result: QueryResult, limit = DEFAULT_DISPLAY_ROWS): string {
  const shown = Math.min(limit, result.rows.length);
  const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 59)}…` : s).replace(/[\r\n\t]/g, ' ');
  const cells = [result.columns.map((c) => c.name), ...result.rows.slice(0, shown).map((r) => r.map((v) => clip(cellText(v))))];
  const widths = result.columns.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((s, i) => s.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)];
  out.push(`(${rowNotice(result, shown)})`);
  for (const w of result.warnings) out.push(`warning: ${w}`);
  return out.join('\n');
}

/** Columns and the first `limit` rows as JSON (Jupyter's application/json). */
export function jsonTable(result: QueryResult, limit = DEFAULT_DISPLAY_ROWS): Record<string, unknown> {
  return {
    columns: result.columns,
    rows: result.rows.slice(0, limit),
    totalRows: result.rows.length,
    truncated: result.truncated || result.rows.length > limit,
    ...(result.visualization ? { visualization: result.visualization } : {}),
  };
}
