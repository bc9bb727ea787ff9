/**
 * Kusto's hash() and hash_xxhash64(): XXH64 (seed 0) of the value's UTF-8 text, as a signed
 * long — checked against Kusto's documented hash("Hello") and hash("World"). The WebAssembly
 * build of xxHash is instantiated once, when this module loads.
 */
import { BIGINT, VARCHAR } from '@duckdb/node-api';
import xxhash from 'xxhash-wasm';
import type { RowUdf } from './register.js';

const { h64Raw } = await xxhash();
const encoder = new TextEncoder();

export function xxhash64(text: string): bigint {
  return BigInt.asIntN(64, h64Raw(encoder.encode(text)));
}

export const XXHASH_UDFS: RowUdf[] = [
  { name: 'kql_xxhash64', parameters: [VARCHAR], returns: BIGINT, row: (s: string) => xxhash64(s) },
];
