/**
 * Generic JSON into a named table: NDJSON (one object per line) and JSON documents (an array
 * of objects, or one object). Fields become columns by name after `--map` renames; a value
 * that is not an object is rejected with its line or array index.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { isGzip } from '../input.js';
import { baseName, firstLine, type FormatDefinition, type ReaderOptions } from '../registry.js';
import type { FormatReader, ReadResult } from '../types.js';
import { applyMapping, readLineRecords, reject } from './lines.js';

/** Largest JSON document read whole (NDJSON has no limit: it streams). */
const MAX_JSON_DOCUMENT_BYTES = 1024 * 1024 * 1024;

function needTable(format: string, options: ReaderOptions): string {
  if (!options.table) throw new Error(`format ${format} needs a target table: pass --table <Table>`);
  return options.table;
}

/** Parses one NDJSON line into a row for `table`, or a rejection that says why not. */
export function ndjsonRecord(text: string, path: string, lineNo: number, table: string, mapping?: Readonly<Record<string, string>>): ReadResult | undefined {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return reject(path, lineNo, text, `line ${lineNo} is not valid JSON: ${(err as Error).message}`, table);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return reject(path, lineNo, text, `line ${lineNo} is JSON ${describeJson(value)}, not an object; each record must be a JSON object`, table);
  }
  return { kind: 'row', row: { table, values: applyMapping(value as Record<string, unknown>, mapping) } };
}

export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

export const ndjsonFormat: FormatDefinition = {
  name: 'ndjson',
  description: 'newline-delimited JSON objects into --table',
  detect(file, head) {
    const line = firstLine(head);
    if (!line.startsWith('{')) return 0;
    return /\.(ndjson|jsonl)$/i.test(baseName(file)) ? 40 : 20;
  },
  create(options): FormatReader {
    const table = needTable('ndjson', options);
    return {
      format: 'ndjson',
      read: ({ path }) => readLineRecords(path, table, (text, lineNo) => ndjsonRecord(text, path, lineNo, table, options.mapping)),
    };
  },
};

export const jsonFormat: FormatDefinition = {
  name: 'json',
  description: 'a JSON array of objects (or one object) into --table; NDJSON content is read as NDJSON',
  detect(file, head) {
    const text = head.toString('utf8').trimStart();
    if (text.startsWith('[')) return 30;
    return /\.json$/i.test(baseName(file)) && text.startsWith('{') ? 15 : 0;
  },
  create(options): FormatReader {
    const table = needTable('json', options);
    return { format: 'json', read: ({ path }) => readJsonDocument(path, table, options.mapping) };
  },
};

async function* readJsonDocument(path: string, table: string, mapping?: Readonly<Record<string, string>>): AsyncGenerator<ReadResult> {
  let bytes = await readFile(path);
  if (await isGzip(path)) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_JSON_DOCUMENT_BYTES });
    } catch (err) {
      yield reject(path, 0, '', `cannot decompress: ${(err as Error).message}`, table);
      return;
    }
  }
  if (bytes.length > MAX_JSON_DOCUMENT_BYTES) {
    yield reject(path, 0, bytes.subarray(0, 1024).toString('utf8'), `JSON document is larger than ${MAX_JSON_DOCUMENT_BYTES} bytes; write it as NDJSON`, table);
    return;
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    // Several objects one per line (NDJSON saved as .json) parse line by line.
    if (text.trimStart().startsWith('{')) {
      yield* readLineRecords(path, table, (line, lineNo) => ndjsonRecord(line, path, lineNo, table, mapping));
      return;
    }
    yield reject(path, 0, text.slice(0, 64 * 1024), `not valid JSON: ${(err as Error).message}`, table);
    return;
  }
  const items = Array.isArray(doc) ? doc : [doc];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      yield { kind: 'rejection', rejection: { source: `${path}[${i}]`, raw: JSON.stringify(item) ?? String(item), reason: `element ${i} is JSON ${describeJson(item)}, not an object`, table } };
      continue;
    }
    yield { kind: 'row', row: { table, values: applyMapping(item as Record<string, unknown>, mapping) } };
  }
}
