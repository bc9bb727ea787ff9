import { writeFileSync } from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import type { CliIO } from '../../cli/io.js';
import type { QueryResult } from '../../engine/result.js';
import type { NbOutput } from '../cells/outputs.js';
import { escapeHtml as esc } from '../render/escape.js';
import { htmlTable } from '../render/table.js';
import { readNotebook, sourceText, type NbCell, type Notebook } from './nbformat.js';

// Raw HTML in Markdown is shown as text (html: false), and markdown-it's link check refuses
// javascript:, vbscript:, file: and non-image data: URLs: the report runs no code from the notebook.
const markdown = new MarkdownIt({ html: false, linkify: true });

// Nothing is fetched: scripts only inline (the table sorter), images only embedded.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

const STYLE = `body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
.cell{margin:1.2em 0}.code pre{background:#f6f8fa;border:1px solid #e1e4e8;border-radius:4px;padding:.6em .8em;overflow-x:auto}
.prompt{color:#888;font:12px monospace}.output{margin:.4em 0 .4em 1.5em;overflow-x:auto}
.quarry-table{border-collapse:collapse;font-size:13px}.quarry-table th,.quarry-table td{border:1px solid #ddd;padding:2px 8px;white-space:nowrap;max-width:40em;overflow:hidden;text-overflow:ellipsis}
.quarry-table th{background:#f0f3f6;position:sticky;top:0}.quarry-notice,.quarry-warning{color:#666;font-size:12px;margin-top:.3em}
.stream{white-space:pre-wrap;font:12px monospace;color:#555}.error{white-space:pre-wrap;font:12px monospace;background:#fdecea;color:#8a1c1c;padding:.5em;border-radius:4px}
img{max-width:100%}`;

/** An output value, which nbformat may store as a list of lines. */
function mimeText(v: unknown): string {
  return Array.isArray(v) ? v.join('') : typeof v === 'string' ? v : JSON.stringify(v);
}

/** Strips terminal colour codes from tracebacks (other kernels use them). */
const noAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

function dataUri(mime: string, body: string, base64 = false): string {
  return `data:${mime};base64,${base64 ? body.replace(/\s+/g, '') : Buffer.from(body, 'utf8').toString('base64')}`;
}

/** A Quarry table (application/json of a result) drawn again from its data, escaped. */
function quarryTable(json: unknown): string | undefined {
  const j = json as { columns?: QueryResult['columns']; rows?: unknown[][]; totalRows?: number; truncated?: boolean } | null;
  if (!j || !Array.isArray(j.columns) || !Array.isArray(j.rows)) return undefined;
  const total = typeof j.totalRows === 'number' ? j.totalRows : j.rows.length;
  // Rows beyond those stored are counted, not shown: pad the row list to the total for the notice.
  const rows = total > j.rows.length ? [...j.rows, ...new Array(total - j.rows.length).fill([])] : j.rows;
  return htmlTable({ columns: j.columns, rows, truncated: false, warnings: [], visualization: null, stats: { elapsedMs: 0, rowCount: total } }, j.rows.length).replace(/<script>[\s\S]*<\/script>$/, '');
}

function renderOutput(o: NbOutput): string {
  switch (o.output_type) {
    case 'stream':
      return `<div class="stream">${esc(mimeText(o.text))}</div>`;
    case 'error':
      return `<div class="error">${esc(noAnsi(o.traceback.length ? o.traceback.join('\n') : `${o.ename}: ${o.evalue}`))}</div>`;
    default: {
      const d = o.data;
      // A chart: the SVG drawing, as an image (an <img> runs no script inside the SVG).
      if (d['image/svg+xml'] !== undefined) return `<img alt="chart" src="${dataUri('image/svg+xml', mimeText(d['image/svg+xml']))}">`;
      if (d['image/png'] !== undefined) return `<img alt="image" src="${dataUri('image/png', mimeText(d['image/png']), true)}">`;
      const table = quarryTable(d['application/json']);
      if (table) return table;
      // Other kernels' HTML, kept away from the report: a sandboxed frame runs no script.
      if (d['text/html'] !== undefined) return `<iframe sandbox="" style="width:100%;border:0" srcdoc="${esc(mimeText(d['text/html']))}"></iframe>`;
      if (d['text/markdown'] !== undefined) return markdown.render(mimeText(d['text/markdown']));
      if (d['text/plain'] !== undefined) return `<pre>${esc(mimeText(d['text/plain']))}</pre>`;
      return '';
    }
  }
}

function renderMarkdownCell(cell: NbCell): string {
  let html = markdown.render(sourceText(cell));
  // Images attached to the cell (`![](attachment:x.png)`) become embedded data.
  html = html.replace(/src="attachment:([^"]+)"/g, (all, name: string) => {
    const att = cell.attachments?.[decodeURIComponent(name)];
    const mime = att && Object.keys(att).find((m) => m.startsWith('image/') && m !== 'image/svg+xml');
    return mime ? `src="${dataUri(mime, mimeText(att[mime]), true)}"` : all;
  });
  return html;
}

const SORT_ALL = `<script>document.querySelectorAll('table.quarry-table').forEach(function(t){t.querySelectorAll('th').forEach(function(th,i){th.style.cursor='pointer';th.addEventListener('click',function(){var b=t.tBodies[0],r=Array.prototype.slice.call(b.rows),d=th.dataset.dir==='asc'?-1:1;th.dataset.dir=d>0?'asc':'desc';r.sort(function(x,y){var a=x.cells[i],c=y.cells[i];if(!a||!c)return 0;var p=a.dataset.n,q=c.dataset.n;if(p!==undefined&&q!==undefined)return (p-q)*d;return a.textContent.localeCompare(c.textContent)*d;});r.forEach(function(e){b.appendChild(e);});});});});</script>`;

/** The notebook as one self-contained HTML page (from its saved outputs: nothing is run). */
export function notebookHtml(nb: Notebook, title: string): string {
  const body: string[] = [];
  for (const cell of nb.cells) {
    if (cell.cell_type === 'markdown') body.push(`<div class="cell markdown">${renderMarkdownCell(cell)}</div>`);
    else if (cell.cell_type === 'raw') body.push(`<div class="cell raw"><pre>${esc(sourceText(cell))}</pre></div>`);
    else {
      const n = cell.execution_count ?? ' ';
      const outputs = (cell.outputs ?? []).map((o) => `<div class="output">${renderOutput(o)}</div>`).join('');
      body.push(`<div class="cell code"><div class="prompt">In [${n}]:</div><pre><code>${esc(sourceText(cell))}</code></pre>${outputs}</div>`);
    }
  }
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head>
<body>
${body.join('\n')}
${SORT_ALL}
</body></html>
`;
}

/** The report's title: the notebook's first heading, else its file name. */
export function notebookTitle(nb: Notebook, file: string): string {
  for (const c of nb.cells) {
    if (c.cell_type !== 'markdown') continue;
    const h = /^#{1,6}\s+(.+)$/m.exec(sourceText(c));
    if (h) return h[1]!.trim();
  }
  return path.basename(file, '.ipynb');
}

/** `quarry notebook export NB --html OUT`. */
export async function exportNotebookCommand(file: string, out: string, io: CliIO): Promise<number> {
  const nb = readNotebook(file);
  writeFileSync(out, notebookHtml(nb, notebookTitle(nb, file)));
  io.stderr.write(`wrote ${out}\n`);
  return 0;
}
