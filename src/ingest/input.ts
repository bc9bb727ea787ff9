/**
 * Reading input files: folders expanded, gzip decompressed (detected by its magic bytes, not
 * the name), text split into lines with UTF-8 checked per line. Damage is reported, never
 * skipped in silence: an invalid line becomes a `bad` item, a truncated gzip an InputError
 * after the lines before the damage.
 */
import { createReadStream, type Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isUtf8 } from 'node:buffer';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

/** A line longer than this is reported instead of read (it would not be one log record). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;
/** How much of a bad line is kept as its raw text. */
const RAW_SAMPLE_BYTES = 64 * 1024;

export class InputError extends Error {
  constructor(readonly source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'InputError';
  }
}

export type LineItem =
  | { kind: 'line'; text: string; lineNo: number }
  | { kind: 'bad'; raw: string; reason: string; lineNo: number };

/** A file found in a folder (not named by the user), whose format may well be unknown. */
export interface FoundFile {
  path: string;
  inFolder: boolean;
}

/** The files named by `paths`, folders walked recursively (sorted, hidden entries skipped). */
export async function* expandPaths(paths: readonly string[]): AsyncGenerator<FoundFile> {
  for (const p of paths) {
    let info: Stats;
    try {
      info = await stat(p);
    } catch (err) {
      throw new InputError(p, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (err as Error).message);
    }
    if (info.isDirectory()) for await (const f of walk(p)) yield { path: f, inFolder: true };
    else yield { path: p, inFolder: false };
  }
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(full);
    else if (e.isFile()) yield full;
  }
}

/** True when the file starts with gzip's magic bytes. */
export async function isGzip(file: string): Promise<boolean> {
  const head = await readHead(file, 2, false);
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** The file's bytes, decompressed when it is gzip. */
export async function openInput(file: string): Promise<Readable> {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  if (!(await isGzip(file))) return raw;
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  raw.on('error', (err) => gunzip.destroy(err));
  return raw.pipe(gunzip);
}

/** Up to `n` bytes from the start of the (decompressed when `decompress`) file, for format detection. */
export async function readHead(file: string, n: number, decompress = true): Promise<Buffer> {
  if (decompress && (await isGzip(file))) {
    const stream = await openInput(file);
    const parts: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of stream) {
        parts.push(chunk as Buffer);
        size += (chunk as Buffer).length;
        if (size >= n) break;
      }
    } catch {
      // A damaged file still gets detected from what could be read; reading it reports the damage.
    } finally {
      stream.destroy();
    }
    return Buffer.concat(parts).subarray(0, n);
  }
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await handle.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The lines of a file (gzip or not), `\n` or `\r\n` ended; empty lines are skipped. */
export async function* readLines(file: string): AsyncGenerator<LineItem> {
  for await (const batch of splitLineBatches(await openInput(file), file)) yield* batch;
}

/** The lines of a file, a read chunk's worth at a time (fewer async steps per line). */
export async function* readLineBatches(file: string): AsyncGenerator<LineItem[]> {
  yield* splitLineBatches(await openInput(file), file);
}

/** Splits a byte stream into lines; each line is checked for UTF-8 and length. */
export async function* splitLines(stream: AsyncIterable<Buffer | string>, source: string): AsyncGenerator<LineItem> {
  for await (const batch of splitLineBatches(stream, source)) yield* batch;
}

/** splitLines, yielding the lines of each chunk of the stream together. */
export async function* splitLineBatches(stream: AsyncIterable<Buffer | string>, source: string): AsyncGenerator<LineItem[]> {
  let out: LineItem[] = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overlong = false;
  let lineNo = 0;
  function finish(bytes: Buffer): void {
    lineNo++;
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 0x0d) end--;
    if (end === 0 && !overlong) return;
    const line = bytes.subarray(0, end);
    if (overlong) {
      out.push({ kind: 'bad', lineNo, raw: line.subarray(0, RAW_SAMPLE_BYTES).toString('utf8'), reason: `line ${lineNo} is longer than ${MAX_LINE_BYTES} bytes; not read` });
    } else if (!isUtf8(line)) {
      out.push({ kind: 'bad', lineNo, raw: line.subarray(0, RAW_SAMPLE_BYTES).toString('latin1'), reason: `line ${lineNo} is not valid UTF-8 (at byte ${firstInvalidUtf8(line)}); raw text shown as Latin-1` });
    } else {
      out.push({ kind: 'line', lineNo, text: line.toString('utf8') });
    }
  }
  try {
    for await (const piece of stream) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
      let start = 0;
      let nl = chunk.indexOf(0x0a, start);
      while (nl !== -1) {
        const part = chunk.subarray(start, nl);
        if (pendingBytes > 0 || overlong) {
          if (!overlong) pending.push(part);
          finish(overlong ? Buffer.concat(pending) : Buffer.concat(pending, pendingBytes + part.length));
          pending = [];
          pendingBytes = 0;
          overlong = false;
        } else {
          finish(part);
        }
        start = nl + 1;
        nl = chunk.indexOf(0x0a, start);
      }
      if (out.length) {
        yield out;
        out = [];
      }
      if (start < chunk.length && !overlong) {
        const rest = chunk.subarray(start);
        pending.push(Buffer.from(rest));
        pendingBytes += rest.length;
        if (pendingBytes > MAX_LINE_BYTES) {
          // Keep the first part as the sample; drop the rest of the line as it streams past.
          pending = [Buffer.concat(pending).subarray(0, RAW_SAMPLE_BYTES)];
          overlong = true;
        }
      }
    }
  } catch (err) {
    if (pendingBytes > 0) {
      lineNo++;
      out.push({ kind: 'bad', lineNo, raw: Buffer.concat(pending).subarray(0, RAW_SAMPLE_BYTES).toString('utf8'), reason: `line ${lineNo} cut off by a read error` });
      yield out;
    }
    throw new InputError(source, describeReadError(err as Error));
  }
  if (pendingBytes > 0 || overlong) finish(Buffer.concat(pending));
  if (out.length) yield out;
}

export function describeReadError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(err.message)) return 'the gzip data is truncated (unexpected end of file); the records before the damage were read';
  if (code === 'Z_DATA_ERROR') return `the gzip data is corrupt (${err.message}); the records before the damage were read`;
  return err.message;
}

function firstInvalidUtf8(buf: Buffer): number {
  // Bisect for the first prefix that is not valid UTF-8 (a cut inside a sequence also fails,
  // so the result points at or just before the bad byte).
  let lo = 0;
  let hi = buf.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (isUtf8(buf.subarray(0, mid + 1)) || isIncompleteTail(buf.subarray(0, mid + 1))) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function isIncompleteTail(buf: Buffer): boolean {
  // A prefix ending inside a valid multi-byte sequence fails isUtf8 without being wrong:
  // a lead byte then fewer continuation bytes (0x80–0xBF) than it announces.
  for (let back = 1; back <= 3 && back <= buf.length; back++) {
    const lead = buf[buf.length - back]!;
    if (lead >= 0x80 && lead <= 0xbf) continue;
    const need = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    return need > back && isUtf8(buf.subarray(0, buf.length - back));
  }
  return false;
}
