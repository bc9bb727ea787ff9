/**
 * Request bodies of the ingestion endpoints → rows and rejections. A body is a JSON array of
 * objects or NDJSON (one object per line), optionally gzip-compressed. Problems with the body
 * as a whole (truncated gzip, invalid UTF-8, an array that does not parse) are RequestErrors
 * (HTTP 400, nothing stored); a record that is not an object is a rejection for _IngestErrors.
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import { applyMapping } from '../ingest/formats/lines.js';
import { describeJson, ndjsonRecord } from '../ingest/formats/json.js';
import type { IngestRejection, IngestRow } from '../ingest/types.js';
import { MAX_RAW_CHARS } from '../ingest/ingestor.js';

/** Largest body after decompression (a gzip bomb stops here). */
export const MAX_DECODED_BYTES = 256 * 1024 * 1024;

export class RequestError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

export interface ParsedBody {
  rows: IngestRow[];
  rejections: IngestRejection[];
}

const MAX_IDEMPOTENCY_KEY_CHARS = 200;

/** An ingestion request's `Idempotency-Key` header, checked; undefined when it has none. */
export function idempotencyKeyOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const header = headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (key !== undefined && (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_CHARS)) {
    throw new RequestError(400, `Idempotency-Key must be 1–${MAX_IDEMPOTENCY_KEY_CHARS} characters`);
  }
  return key;
}

/** A request's body bytes, decompressed as its Content-Encoding says. */
export function requestBytes(request: { body: unknown; headers: Record<string, string | string[] | undefined> }): Buffer {
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const encoding = request.headers['content-encoding'];
  return decodeBody(raw, Array.isArray(encoding) ? encoding[0] : encoding);
}

/** Undoes Content-Encoding (gzip, deflate, identity). */
export function decodeBody(raw: Buffer, contentEncoding: string | undefined): Buffer {
  const enc = (contentEncoding ?? 'identity').trim().toLowerCase();
  try {
    if (enc === 'gzip' || enc === 'x-gzip') return gunzipSync(raw, { maxOutputLength: MAX_DECODED_BYTES });
    if (enc === 'deflate') return inflateSync(raw, { maxOutputLength: MAX_DECODED_BYTES });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new RequestError(413, `the ${enc} body expands beyond ${MAX_DECODED_BYTES} bytes`);
    throw new RequestError(400, `the body is not valid ${enc} data (${(err as Error).message}); was it truncated?`);
  }
  if (enc === 'identity' || enc === '') return raw;
  throw new RequestError(415, `unsupported Content-Encoding '${enc}' (gzip, deflate or none)`);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function decodeText(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new RequestError(400, `the body is not valid UTF-8 (first bad byte at offset ${at})`);
  }
}

function firstInvalidUtf8(bytes: Buffer): number {
  // Binary search on the longest prefix that decodes (a cut inside a character also fails, so step back up to 3).
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

/** Parses a decoded body into rows for `table`, applying `mapping` (source field → column). */
export function parseRecords(text: string, table: string, source: string, mapping?: Readonly<Record<string, string>>): ParsedBody {
  const rows: IngestRow[] = [];
  const rejections: IngestRejection[] = [];
  const start = text.search(/\S/);
  if (start < 0) return { rows, rejections };
  if (text[start] === '[') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new RequestError(400, `the body starts with '[' but is not valid JSON: ${(err as Error).message}`);
    }
    if (!Array.isArray(data)) throw new RequestError(400, 'expected a JSON array of objects or NDJSON');
    data.forEach((value, i) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        rejections.push({ source: `${source}[${i}]`, raw: clip(JSON.stringify(value) ?? String(value)), reason: `element ${i} is JSON ${describeJson(value)}, not an object; each record must be a JSON object`, table });
      } else {
        rows.push({ table, values: applyMapping(value as Record<string, unknown>, mapping) });
      }
    });
    return { rows, rejections };
  }
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    const r = ndjsonRecord(line.endsWith('\r') ? line.slice(0, -1) : line, source, lineNo, table, mapping);
    if (!r) continue;
    if (r.kind === 'row') rows.push(r.row);
    else rejections.push({ ...r.rejection, raw: clip(r.rejection.raw) });
  }
  return { rows, rejections };
}

function clip(s: string): string {
  return s.length > MAX_RAW_CHARS ? s.slice(0, MAX_RAW_CHARS) : s;
}
