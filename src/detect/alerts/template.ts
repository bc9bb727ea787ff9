import { TEMPLATE_PLACEHOLDER } from '../rules/compile.js';

/** Text of a result value inside an alert name or description. */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/**
 * Fills an alertDetailsOverride format: `{{Column}}` becomes the row's value of that column.
 * Sentinel leaves a placeholder of a missing column as written; so does this.
 */
export function fillTemplate(format: string, row: Readonly<Record<string, unknown>>): string {
  return format.replace(TEMPLATE_PLACEHOLDER, (whole, name: string) => (name in row ? valueText(row[name]) : whole));
}
