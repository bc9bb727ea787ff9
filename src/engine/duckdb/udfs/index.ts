/**
 * KQL functions DuckDB cannot express natively, registered as `kql_*` scalar UDFs on every
 * connection the engine opens. Per-row hot paths stay native SQL; these cover text formats
 * (.NET number and date formatting, Kusto's datetime/timespan parsing, URL encoding, IPv4 text).
 */
import { BIGINT, BOOLEAN, DOUBLE, type DuckDBConnection, DuckDBTimestampValue, TIMESTAMP, VARCHAR } from '@duckdb/node-api';
import { formatDatetimeJs, formatTimespanJs } from '../functions/time-format.js';
import { LIBRARY_UDFS } from './library-extras.js';
import { type Ipv4, formatIpv4, isPrivate, masked, parseIpv4 } from './ipv4.js';
import { formatReal } from './real-text.js';
import { GEO_UDFS } from './geo/index.js';
import { USER_AGENT_UDFS } from './user-agent.js';
import { XXHASH_UDFS } from './xxhash.js';
import { SCHEMA_MERGE_UDFS } from './schema-merge.js';
import { REDUCE_UDFS } from './reduce-patterns.js';
import { registerMlUdfs } from './ml.js';
import { registerPatternUdfs } from './patterns.js';
import { type RowUdf, registerRowUdf } from './register.js';
import { SERIES_UDFS } from './series/math-udfs.js';
import { SERIES_ANALYSIS_UDFS } from './series/analysis-udfs.js';
import { arrayIndexOf, indexOfOccurrence, urlDecode, urlEncode } from './text.js';
import { parseKustoDatetime, parseKustoTimespan } from '../../../kql/time-text.js';

const ipv4Field = <T>(s: string, field: (ip: Ipv4) => T): T | null => {
  const ip = parseIpv4(s);
  return ip ? field(ip) : null;
};

const timestamp = (micros: bigint | null): DuckDBTimestampValue | null => (micros === null ? null : new DuckDBTimestampValue(micros));

const UDFS: RowUdf[] = [
  { name: 'kql_real_tostring', parameters: [DOUBLE], returns: VARCHAR, row: (x: number) => formatReal(x) },
  { name: 'kql_parse_datetime', parameters: [VARCHAR], returns: TIMESTAMP, row: (s: string) => timestamp(parseKustoDatetime(s)) },
  { name: 'kql_parse_timespan', parameters: [VARCHAR], returns: BIGINT, row: (s: string) => parseKustoTimespan(s) },
  {
    name: 'kql_format_datetime', parameters: [TIMESTAMP, VARCHAR], returns: VARCHAR,
    row: (ts: DuckDBTimestampValue, pattern: string) => formatDatetimeJs(ts.micros, pattern),
  },
  { name: 'kql_format_timespan', parameters: [BIGINT, VARCHAR], returns: VARCHAR, row: (t: bigint, pattern: string) => formatTimespanJs(t, pattern) },
  {
    name: 'kql_indexof', parameters: [VARCHAR, VARCHAR, BIGINT, BIGINT, BIGINT], returns: BIGINT,
    row: (s: string, lookup: string, start: bigint, length: bigint, occurrence: bigint) => indexOfOccurrence([...s], [...lookup], start, length, occurrence),
  },
  {
    name: 'kql_array_index_of', parameters: [VARCHAR, VARCHAR, BIGINT, BIGINT, BIGINT], returns: BIGINT,
    row: (array: string, element: string, start: bigint, length: bigint, occurrence: bigint) => arrayIndexOf(array, element, start, length, occurrence),
  },
  {
    name: 'kql_ipv4_masked', parameters: [VARCHAR, BIGINT], returns: BIGINT,
    row: (s: string, prefix: bigint) => {
      const ip = parseIpv4(s);
      if (!ip || prefix < 0n || prefix > 32n) return null;
      return BigInt(masked(ip.address, Math.min(ip.prefix, Number(prefix))));
    },
  },
  { name: 'kql_ipv4_prefix', parameters: [VARCHAR], returns: BIGINT, row: (s: string) => ipv4Field(s, (ip) => BigInt(ip.prefix)) },
  { name: 'kql_ipv4_is_private', parameters: [VARCHAR], returns: BOOLEAN, row: (s: string) => ipv4Field(s, (ip) => isPrivate(ip.address)) },
  {
    name: 'kql_ipv4_compare', parameters: [VARCHAR, VARCHAR, BIGINT], returns: BIGINT,
    row: (a: string, b: string, prefix: bigint) => {
      const x = parseIpv4(a);
      const y = parseIpv4(b);
      if (!x || !y || prefix < 0n || prefix > 32n) return null;
      const bits = Math.min(x.prefix, y.prefix, Number(prefix));
      return BigInt(Math.sign(masked(x.address, bits) - masked(y.address, bits)));
    },
  },
  { name: 'kql_ipv4_text', parameters: [BIGINT], returns: VARCHAR, row: (n: bigint) => (n >= 0n && n <= 0xffffffffn ? formatIpv4(Number(n)) : null) },
  { name: 'kql_url_encode', parameters: [VARCHAR], returns: VARCHAR, row: (s: string) => urlEncode(s) },
  { name: 'kql_url_decode', parameters: [VARCHAR], returns: VARCHAR, row: (s: string) => urlDecode(s) },
];

export function registerUdfs(connection: DuckDBConnection): void {
  for (const udf of [...UDFS, ...LIBRARY_UDFS, ...GEO_UDFS, ...SERIES_UDFS]) registerRowUdf(connection, udf);
  for (const udf of SERIES_ANALYSIS_UDFS) registerRowUdf(connection, udf);
  for (const udf of [...USER_AGENT_UDFS, ...XXHASH_UDFS, ...SCHEMA_MERGE_UDFS, ...REDUCE_UDFS]) registerRowUdf(connection, udf);
  registerMlUdfs(connection);
  registerPatternUdfs(connection);
}

export { formatReal } from './real-text.js';
export { parseKustoDatetime, parseKustoTimespan } from '../../../kql/time-text.js';
