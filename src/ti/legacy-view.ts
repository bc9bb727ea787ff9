/**
 * The legacy `ThreatIntelligenceIndicator` table as a DuckDB view over `ThreatIntelIndicators`.
 *
 * Why a view and not a second table filled alongside: one copy of each indicator, so a
 * re-import, a revocation or a republish is seen by old and new rules at once and the two can
 * never disagree. The view has every column of the legacy table (catalog types; strings '' when
 * the indicator has nothing for them), filled from the observable as Sentinel mapped STIX to the
 * legacy schema: ipv4/ipv6 addresses → NetworkIP (CIDR blocks → NetworkCidrBlock), network-traffic
 * source/destination → NetworkSourceIP/NetworkDestinationIP (or their CidrBlock), domain-name → DomainName, url → Url,
 * email-addr → EmailSenderAddress, file hashes → FileHashValue + FileHashType (and FileName);
 * Active = IsActive and not revoked or deleted; ExpirationDateTime = ValidUntil.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { SentinelCatalog } from '../catalog/catalog.js';
import { SQL_TYPES } from '../engine/duckdb/functions/common.js';
import { sqlIdent, sqlString } from '../engine/duckdb/sql-text.js';
import { SYSTEM_COLUMNS, TIME_RECEIVED } from '../ingest/table-schema.js';
import { TI_TABLE } from './indicator.js';

export const LEGACY_TABLE = 'ThreatIntelligenceIndicator';

const KEY = sqlIdent('ObservableKey');
const VALUE = sqlIdent('ObservableValue');
const when = (cond: string) => `CASE WHEN ${cond} THEN ${VALUE} ELSE '' END`;
const jsonText = (column: string, path: string) => `coalesce(json_extract_string(${sqlIdent(column)}, ${sqlString(path)}), '')`;

/** Legacy column → its SQL over ThreatIntelIndicators; the rest get '' or NULL. */
const EXPRESSIONS: Record<string, string> = {
  TimeGenerated: sqlIdent('TimeGenerated'),
  Type: sqlString(LEGACY_TABLE),
  IndicatorId: sqlIdent('Id'),
  ExternalIndicatorId: sqlIdent('Id'),
  Active: `(coalesce(${sqlIdent('IsActive')}, false) AND NOT coalesce(${sqlIdent('Revoked')}, false) AND NOT coalesce(${sqlIdent('IsDeleted')}, false))`,
  ExpirationDateTime: sqlIdent('ValidUntil'),
  ConfidenceScore: `CAST(${sqlIdent('Confidence')} AS DOUBLE)`,
  Description: jsonText('Data', '$.description'),
  ThreatType: jsonText('Data', '$.indicator_types[0]'),
  Tags: `coalesce(${sqlIdent('Tags')}, '')`,
  TrafficLightProtocolLevel: jsonText('AdditionalFields', '$.TLPLevel'),
  NetworkIP: when(`${KEY} IN ('ipv4-addr:value', 'ipv6-addr:value') AND ${VALUE} NOT LIKE '%/%'`),
  NetworkCidrBlock: when(`${KEY} IN ('ipv4-addr:value', 'ipv6-addr:value') AND ${VALUE} LIKE '%/%'`),
  NetworkSourceIP: when(`${KEY} = 'network-traffic:src_ref.value' AND ${VALUE} NOT LIKE '%/%'`),
  NetworkSourceCidrBlock: when(`${KEY} = 'network-traffic:src_ref.value' AND ${VALUE} LIKE '%/%'`),
  NetworkDestinationIP: when(`${KEY} = 'network-traffic:dst_ref.value' AND ${VALUE} NOT LIKE '%/%'`),
  NetworkDestinationCidrBlock: when(`${KEY} = 'network-traffic:dst_ref.value' AND ${VALUE} LIKE '%/%'`),
  DomainName: when(`${KEY} = 'domain-name:value'`),
  Url: when(`${KEY} = 'url:value'`),
  EmailSenderAddress: when(`${KEY} = 'email-addr:value'`),
  FileHashValue: when(`${KEY} LIKE 'file:hashes.%'`),
  FileHashType: jsonText('AdditionalFields', '$.FileHashType'),
  FileName: jsonText('AdditionalFields', '$.FileName'),
  IndicatorProvider: `coalesce(${sqlIdent('SourceSystem')}, '')`,
  SourceSystem: `coalesce(${sqlIdent('SourceSystem')}, '')`,
  TenantId: `coalesce(${sqlIdent('TenantId')}, '')`,
};

/**
 * The CREATE VIEW statement: the catalog's legacy columns and `_ItemId`. Not `_TimeReceived`:
 * jobs that delete by ingestion time (retention) look for tables with that column, and a view
 * has no rows of its own to delete — ThreatIntelIndicators' retention covers them.
 */
export function legacyViewSql(catalog: SentinelCatalog = new SentinelCatalog()): string {
  const legacy = catalog.get(LEGACY_TABLE);
  if (!legacy) throw new Error(`the table catalog has no ${LEGACY_TABLE}`);
  const columns = [...legacy.columns];
  for (const c of SYSTEM_COLUMNS) if (c.name !== TIME_RECEIVED && !columns.some((x) => x.name === c.name)) columns.push(c);
  const select = columns.map((c) => {
    const expr = EXPRESSIONS[c.name]
      ?? (c.name === '_ItemId' ? sqlIdent(c.name)
        : c.type === 'string' ? "''" : `CAST(NULL AS ${SQL_TYPES[c.type]})`);
    return `${expr} AS ${sqlIdent(c.name)}`;
  });
  return `CREATE OR REPLACE VIEW ${sqlIdent(LEGACY_TABLE)} AS SELECT ${select.join(', ')} FROM ${sqlIdent(TI_TABLE)}`;
}

/**
 * Creates (or refreshes) the view. Returns a reason instead when the legacy name is already a
 * table of its own (rows ingested into it directly), which is then left alone.
 */
export async function ensureLegacyView(connection: DuckDBConnection): Promise<string | undefined> {
  const reader = await connection.runAndReadAll(
    `SELECT table_type FROM information_schema.tables WHERE table_schema = 'main' AND lower(table_name) = lower(${sqlString(LEGACY_TABLE)})`,
  );
  const type = reader.getRows()[0]?.[0];
  if (type !== undefined && type !== 'VIEW') {
    return `${LEGACY_TABLE} is a table of its own here (rows were ingested into it directly), so it is not made a view over ${TI_TABLE}`;
  }
  await connection.run(legacyViewSql());
  return undefined;
}
