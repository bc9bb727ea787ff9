import type { QueryResult } from '../engine/result.js';
import { cellText } from './cell-text.js';

/** RFC 4180: a header record, CRLF line ends, fields quoted when they hold `,` `"` CR or LF. */
export function formatCsv(result: QueryResult): string {
  const records = [result.columns.map((c) => c.name)];
  for (const row of result.rows) records.push(result.columns.map((c, i) => cellText(row[i], c.type)));
  return records.map((fields) => fields.map(csvField).join(',') + '\r\n').join('');
}

export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
