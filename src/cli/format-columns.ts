import { displayWidth, padEnd } from './text-width.js';

/** Lays short items out in columns, filled top to bottom, like `ls`. */
export function formatColumns(items: readonly string[], width: number): string {
  if (items.length === 0) return '';
  const cell = items.reduce((max, item) => Math.max(max, displayWidth(item)), 0) + 2;
  const perLine = Math.max(1, Math.floor((width + 2) / cell));
  const lineCount = Math.ceil(items.length / perLine);
  const lines: string[] = [];
  for (let r = 0; r < lineCount; r++) {
    const row: string[] = [];
    for (let c = 0; c < perLine; c++) {
      const item = items[c * lineCount + r];
      if (item !== undefined) row.push(padEnd(item, cell));
    }
    lines.push(row.join('').trimEnd());
  }
  return lines.map((l) => l + '\n').join('');
}
