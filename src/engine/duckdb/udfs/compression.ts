/**
 * zlib/gzip compression to and from base64 (node:zlib), as Kusto's *_compress_to_base64_string
 * and *_decompress_from_base64_string functions. Invalid input decompresses to ''.
 */
import { deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';

/** .NET's gzip header has no extra flags and OS 255 ("unknown"); zlib writes its own. */
const GZIP_XFL_BYTE = 8;
const GZIP_OS_BYTE = 9;

function strictBase64(s: string): Buffer | null {
  const t = s.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length % 4 !== 0) return null;
  return Buffer.from(t, 'base64');
}

export function zlibCompress(text: string): string {
  return deflateSync(Buffer.from(text, 'utf8'), { level: 0 }).toString('base64');
}

export function gzipCompress(text: string): string {
  const out = gzipSync(Buffer.from(text, 'utf8'), { level: 0 });
  out[GZIP_XFL_BYTE] = 0;
  out[GZIP_OS_BYTE] = 0xff;
  return out.toString('base64');
}

function decompress(base64: string, inflate: (b: Buffer) => Buffer): string {
  const bytes = strictBase64(base64);
  if (!bytes) return '';
  try {
    return inflate(bytes).toString('utf8');
  } catch {
    return '';
  }
}

export const zlibDecompress = (base64: string): string => decompress(base64, inflateSync);
export const gzipDecompress = (base64: string): string => decompress(base64, gunzipSync);
