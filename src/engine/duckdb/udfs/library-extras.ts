/**
 * The `kql_*` UDFs of the wider function library (text formats, punycode, compression, IPv6,
 * special functions, time zones). Registered with the others by udfs/index.ts.
 */
import { BIGINT, BOOLEAN, DOUBLE, DuckDBTimestampValue, TIMESTAMP, VARCHAR } from '@duckdb/node-api';
import { gzipCompress, gzipDecompress, zlibCompress, zlibDecompress } from './compression.js';
import { formatBytes } from './format-bytes.js';
import { parseIpv4, formatIpv4 } from './ipv4.js';
import { compareIpv6, formatIpv6, ipv6InRange, maskedV6, parseIpv6 } from './ipv6.js';
import { domainFromPunycode, domainToPunycode, punycodeDecode, punycodeEncode } from './punycode.js';
import type { RowUdf } from './register.js';
import { betaCdf, betaInv, betaPdf, erf, erfc } from './special-math.js';
import { parseCsv, parsePath, parseUrl, parseUrlQuery, parseVersion, parseWindowsCommandLine } from './text-formats.js';
import { localToUtc, utcToLocal } from './timezones.js';
import { weightedPercentile } from './weighted-rank.js';
import { canonicalJson, replaceStrings, treePaths } from './json-text.js';
import { parseXml } from './xml.js';
import { buildSchema } from './build-schema.js';

const timestamp = (micros: bigint | null): DuckDBTimestampValue | null => (micros === null ? null : new DuckDBTimestampValue(micros));

/** The CIDR blocks that exactly cover an inclusive IPv4 range, largest first. */
export function ipv4RangeToCidrs(start: string, end: string): string | null {
  const a = parseIpv4(start);
  const b = parseIpv4(end);
  if (!a || !b || a.address > b.address) return null;
  const blocks: string[] = [];
  let lo = a.address;
  const hi = b.address;
  while (lo <= hi) {
    let size = 32;
    while (size > 0) {
      const block = 2 ** (32 - (size - 1));
      if (lo % block !== 0 || lo + block - 1 > hi) break;
      size--;
    }
    blocks.push(`${formatIpv4(lo)}/${size}`);
    lo += 2 ** (32 - size);
  }
  return JSON.stringify(blocks);
}

const text1 = (name: string, row: (s: string) => unknown): RowUdf => ({ name, parameters: [VARCHAR], returns: VARCHAR, row });
const real = (name: string, arity: number, row: (...x: number[]) => number | null): RowUdf =>
  ({ name, parameters: Array<typeof DOUBLE>(arity).fill(DOUBLE), returns: DOUBLE, row: row as (...args: never[]) => unknown });

export const LIBRARY_UDFS: RowUdf[] = [
  text1('kql_parse_url', parseUrl),
  text1('kql_parse_urlquery', parseUrlQuery),
  text1('kql_parse_path', parsePath),
  text1('kql_parse_csv', parseCsv),
  text1('kql_parse_command_line_windows', parseWindowsCommandLine),
  text1('kql_parse_version', parseVersion),
  text1('kql_parse_xml', parseXml),
  text1('kql_punycode_encode', punycodeEncode),
  text1('kql_punycode_decode', punycodeDecode),
  text1('kql_punycode_domain_encode', domainToPunycode),
  text1('kql_punycode_domain_decode', domainFromPunycode),
  text1('kql_zlib_compress', zlibCompress),
  text1('kql_zlib_decompress', zlibDecompress),
  text1('kql_gzip_compress', gzipCompress),
  text1('kql_gzip_decompress', gzipDecompress),
  {
    name: 'kql_ipv6_compare', parameters: [VARCHAR, VARCHAR, BIGINT], returns: BIGINT,
    row: (a: string, b: string, prefix: bigint) => {
      const r = compareIpv6(a, b, Number(prefix));
      return r === null ? null : BigInt(r);
    },
  },
  { name: 'kql_ipv6_in_range', parameters: [VARCHAR, VARCHAR], returns: BOOLEAN, row: (ip: string, range: string) => ipv6InRange(ip, range) },
  {
    name: 'kql_ipv6_masked_text', parameters: [VARCHAR, BIGINT], returns: VARCHAR,
    row: (s: string, prefix: bigint) => {
      const ip = parseIpv6(s);
      if (!ip || prefix < 0n || prefix > 128n) return null;
      return formatIpv6(maskedV6(ip.address, Math.min(ip.prefix, Number(prefix))));
    },
  },
  { name: 'kql_ipv4_range_to_cidrs', parameters: [VARCHAR, VARCHAR], returns: VARCHAR, row: ipv4RangeToCidrs },
  real('kql_erf', 1, erf),
  real('kql_erfc', 1, erfc),
  real('kql_beta_cdf', 3, betaCdf),
  real('kql_beta_pdf', 3, betaPdf),
  real('kql_beta_inv', 3, betaInv),
  {
    name: 'kql_format_bytes', parameters: [DOUBLE, BIGINT, VARCHAR, BIGINT], returns: VARCHAR,
    row: (size: number, precision: bigint, units: string, base: bigint) => formatBytes(size, Number(precision), units, Number(base)),
  },
  text1('kql_canonical_json', canonicalJson),
  text1('kql_treepath', treePaths),
  text1('kql_build_schema', buildSchema),
  { name: 'kql_replace_strings', parameters: [VARCHAR, VARCHAR, VARCHAR], returns: VARCHAR, row: replaceStrings },
  { name: 'kql_weighted_percentile', parameters: [VARCHAR, DOUBLE], returns: DOUBLE, row: weightedPercentile },
  {
    name: 'kql_utc_to_local', parameters: [TIMESTAMP, VARCHAR], returns: TIMESTAMP,
    row: (ts: DuckDBTimestampValue, zone: string) => timestamp(utcToLocal(ts.micros, zone)),
  },
  {
    name: 'kql_local_to_utc', parameters: [TIMESTAMP, VARCHAR], returns: TIMESTAMP,
    row: (ts: DuckDBTimestampValue, zone: string) => timestamp(localToUtc(ts.micros, zone)),
  },
];
