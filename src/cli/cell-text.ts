import type { KqlType } from '../kql/types.js';

/**
 * The text of one wire-form value, shared by the table and CSV formats: null is empty,
 * dynamic values (and any object that shows up elsewhere) are compact JSON, the rest is
 * the value as it came from the engine.
 */
export function cellText(value: unknown, type: KqlType): string {
  if (value === null || value === undefined) return '';
  if (type === 'dynamic' || typeof value === 'object') return JSON.stringify(value) ?? '';
  return String(value);
}
