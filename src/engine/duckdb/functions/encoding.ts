/**
 * Bytes and encodings: base64 to and from byte arrays and guids, UTF-8 bytes, zlib/gzip
 * compression to base64, punycode. Byte arrays are dynamic arrays of numbers 0–255.
 */
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { arity } from './common.js';
import { toStringSql } from './conversion.js';

const text = (v: SqlValue): string => toStringSql(v);

/** A BLOB as a dynamic array of its bytes. */
function bytesArray(blob: string): string {
  return `(CASE WHEN ${blob} IS NOT NULL THEN to_json(list_transform(range(octet_length(${blob})), lambda kql_i: CAST(('0x' || substr(hex(${blob}), 2 * kql_i + 1, 2)) AS INTEGER))) END)`;
}

/** A dynamic array of byte numbers as a BLOB; null when an element is not a byte. */
function blobOf(array: string): string {
  const bytes = `TRY_CAST(${array} AS BIGINT[])`;
  return `(CASE WHEN json_type(${array}) = 'ARRAY' AND list_bool_and(list_transform(${bytes}, lambda kql_b: kql_b BETWEEN 0 AND 255)) IS NOT false ` +
    `THEN unhex(array_to_string(list_transform(${bytes}, lambda kql_b: printf('%02X', kql_b)), '')) END)`;
}

/**
 * Bytes to guid text: the first two fields little-endian, the rest as written (this is what
 * base64_decode_toguid's documented example shows).
 */
function guidFromHex(h: string): string {
  const at = (i: number, n = 2) => `substr(${h}, ${i}, ${n})`;
  return `(${at(7)} || ${at(5)} || ${at(3)} || ${at(1)} || '-' || ${at(11)} || ${at(9)} || '-' || ${at(13)} || ${at(15)} || '-' || ${at(17, 4)} || '-' || ${at(21, 12)})`;
}

const fn = (name: string, min: number, max: number, body: (args: SqlValue[]) => string): ScalarFn => (args) => {
  arity(name, args, min, max);
  return body(args);
};

const base64Blob = (s: string): string => `try(from_base64(${s}))`;

const punycode = (name: string, udf: string): ScalarFn => fn(name, 1, 1, ([s]) => `coalesce(${udf}(${text(s!)}), '')`);

export const encodingFunctions: Record<string, ScalarFn> = {
  base64_encodestring: fn('base64_encodestring', 1, 1, ([s]) => `to_base64(encode(${text(s!)}))`),
  base64_decodestring: fn('base64_decodestring', 1, 1, ([s]) => `coalesce(try(decode(from_base64(${text(s!)}))), '')`),
  base64_decode_toarray: fn('base64_decode_toarray', 1, 1, ([s]) => bytesArray(base64Blob(text(s!)))),
  base64_encode_fromarray: fn('base64_encode_fromarray', 1, 1, ([a]) => `coalesce(to_base64(${blobOf(a!.sql)}), '')`),
  base64_decode_toguid: fn('base64_decode_toguid', 1, 1, ([s]) => {
    const h = `lower(hex(${base64Blob(text(s!))}))`;
    return `(CASE WHEN length(${h}) = 32 THEN CAST(${guidFromHex(h)} AS UUID) END)`;
  }),
  base64_encode_fromguid: fn('base64_encode_fromguid', 1, 1, ([g]) => {
    const h = `replace(CAST(${g!.sql} AS VARCHAR), '-', '')`;
    // The byte swap is its own inverse; guidFromHex puts dashes in, so they are taken out again.
    return `coalesce(to_base64(unhex(replace(${guidFromHex(h)}, '-', ''))), '')`;
  }),
  to_utf8: fn('to_utf8', 1, 1, ([s]) => bytesArray(`encode(${text(s!)})`)),
  string_size: fn('string_size', 1, 1, ([s]) => `CAST(octet_length(encode(${text(s!)})) AS BIGINT)`),
  isascii: fn('isascii', 1, 1, ([s]) => `coalesce(regexp_matches(${text(s!)}, '^[\\x00-\\x7F]*$'), false)`),
  // DuckDB text is always valid UTF-8.
  isutf8: fn('isutf8', 1, 1, ([s]) => `(${text(s!)} IS NOT NULL)`),
  zlib_compress_to_base64_string: fn('zlib_compress_to_base64_string', 1, 1, ([s]) => `coalesce(kql_zlib_compress(${text(s!)}), '')`),
  zlib_decompress_from_base64_string: fn('zlib_decompress_from_base64_string', 1, 1, ([s]) => `coalesce(kql_zlib_decompress(${text(s!)}), '')`),
  gzip_compress_to_base64_string: fn('gzip_compress_to_base64_string', 1, 1, ([s]) => `coalesce(kql_gzip_compress(${text(s!)}), '')`),
  gzip_decompress_from_base64_string: fn('gzip_decompress_from_base64_string', 1, 1, ([s]) => `coalesce(kql_gzip_decompress(${text(s!)}), '')`),
  punycode_from_string: punycode('punycode_from_string', 'kql_punycode_encode'),
  punycode_to_string: punycode('punycode_to_string', 'kql_punycode_decode'),
  // The domain functions are named the other way round: *_from_string decodes a domain.
  punycode_domain_from_string: punycode('punycode_domain_from_string', 'kql_punycode_domain_decode'),
  punycode_domain_to_string: punycode('punycode_domain_to_string', 'kql_punycode_domain_encode'),
};
