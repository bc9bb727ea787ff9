/** Shared plumbing of line-oriented readers: bad lines become rejections with their place. */
import { readLineBatches } from '../input.js';
import type { ReadResult } from '../types.js';

/**
 * Reads `path` line by line and yields what `parse` makes of each line. Lines that are not
 * valid UTF-8 or too long are rejected with `table` (when known) and their line number.
 */
export async function* readLineRecords(
  path: string,
  table: string | undefined,
  parse: (text: string, lineNo: number) => ReadResult | Iterable<ReadResult> | undefined,
): AsyncGenerator<ReadResult> {
  for await (const batch of readLineBatches(path)) {
    for (const item of batch) {
      if (item.kind === 'bad') {
        yield { kind: 'rejection', rejection: { source: `${path}:${item.lineNo}`, raw: item.raw, reason: item.reason, table } };
        continue;
      }
      const out = parse(item.text, item.lineNo);
      if (out === undefined) continue;
      if ('kind' in out) yield out;
      else yield* out;
    }
  }
}

export function reject(path: string, lineNo: number, raw: string, reason: string, table?: string): ReadResult {
  return { kind: 'rejection', rejection: { source: `${path}:${lineNo}`, raw, reason, table } };
}

/** Applies `--map src=dest` renames to a record's fields. */
export function applyMapping(values: Record<string, unknown>, mapping: Readonly<Record<string, string>> | undefined): Record<string, unknown> {
  if (!mapping) return values;
  const out: Record<string, unknown> = {};
  for (const key in values) out[Object.hasOwn(mapping, key) ? mapping[key]! : key] = values[key];
  return out;
}
