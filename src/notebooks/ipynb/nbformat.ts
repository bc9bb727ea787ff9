import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { NbOutput } from '../cells/outputs.js';
import { KERNEL_NAME, DISPLAY_NAME } from '../kernel/install.js';
import { LANGUAGE_INFO } from '../kernel/language.js';

/** nbformat 4 cells, as far as Quarry reads and writes them (other fields pass through untouched). */
export interface NbCell {
  id: string;
  cell_type: 'code' | 'markdown' | 'raw';
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: NbOutput[];
  execution_count?: number | null;
  attachments?: Record<string, Record<string, string>>;
  [field: string]: unknown;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: NbCell[];
}

/** A file that is not a notebook Quarry can read; the message says why. */
export class NotebookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotebookError';
  }
}

const CELL_ID = /^[a-zA-Z0-9-_]{1,64}$/;

/** A cell's source as one string (nbformat allows a list of lines). */
export function sourceText(cell: NbCell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** Text as nbformat's list of lines, each keeping its newline. */
export function toLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * Reads a notebook and brings it to nbformat 4.5: every cell gets a unique id (4.5 requires
 * them), code cells get outputs and execution_count fields.
 */
export function readNotebook(file: string): Notebook {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new NotebookError(`${file}: cannot read the notebook: ${(err as Error).message}`);
  }
  return normaliseNotebook(data, file);
}

export function normaliseNotebook(data: unknown, file = 'notebook'): Notebook {
  const nb = data as Partial<Notebook> | null;
  if (!nb || typeof nb !== 'object' || !Array.isArray(nb.cells)) throw new NotebookError(`${file}: not a Jupyter notebook (no cells)`);
  if (nb.nbformat !== 4) throw new NotebookError(`${file}: nbformat ${String(nb.nbformat)} is not supported (only 4)`);
  const seen = new Set<string>();
  const cells = nb.cells.map((raw, i): NbCell => {
    const c = raw as NbCell;
    if (!c || typeof c !== 'object' || !['code', 'markdown', 'raw'].includes(c.cell_type)) {
      throw new NotebookError(`${file}: cell ${i + 1} has no valid cell_type`);
    }
    let id = typeof c.id === 'string' && CELL_ID.test(c.id) && !seen.has(c.id) ? c.id : '';
    while (!id || seen.has(id)) id = randomBytes(4).toString('hex');
    seen.add(id);
    const cell: NbCell = { ...c, id, source: c.source ?? '', metadata: c.metadata ?? {} };
    if (cell.cell_type === 'code') {
      cell.outputs = Array.isArray(c.outputs) ? c.outputs : [];
      cell.execution_count = typeof c.execution_count === 'number' ? c.execution_count : null;
    }
    return cell;
  });
  return { ...nb, nbformat: 4, nbformat_minor: Math.max(5, nb.nbformat_minor ?? 0), metadata: nb.metadata ?? {}, cells } as Notebook;
}

/** Marks a notebook as Quarry's (kernelspec and language), keeping what is already there. */
export function withQuarryMetadata(nb: Notebook): Notebook {
  return {
    ...nb,
    metadata: {
      ...nb.metadata,
      kernelspec: { name: KERNEL_NAME, display_name: DISPLAY_NAME, language: 'kusto' },
      language_info: LANGUAGE_INFO,
    },
  };
}

/** Multiline strings of a notebook's JSON as lists of lines, the way Jupyter writes them. */
function splitLines(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    return (key === 'source' || key === 'text' || key === 'text/plain' || key === 'text/html' || key === 'text/markdown' || key === 'image/svg+xml') && value.includes('\n') ? toLines(value) : value;
  }
  if (Array.isArray(value)) return key === 'source' || key === 'text' ? value : value.map((v) => splitLines(v));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // application/json and Vega-Lite specs are JSON values: left as they are.
    for (const [k, v] of Object.entries(value)) out[k] = k === 'application/json' || k.endsWith('+json') ? v : splitLines(v, k);
    return out;
  }
  return value;
}

/** Serialises a notebook as Jupyter does: sorted keys, one-space indent, final newline. */
export function serialiseNotebook(nb: Notebook): string {
  return `${JSON.stringify(sortKeys(splitLines(nb)), null, 1)}\n`;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

export function writeNotebook(file: string, nb: Notebook): void {
  writeFileSync(file, serialiseNotebook(nb));
}
