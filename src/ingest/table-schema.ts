/**
 * What a table looks like when Quarry writes to it: standard Sentinel tables take their columns
 * from the shipped catalog, custom tables (`Name_CL`) from quarry.yaml or from the first records
 * they receive. Every table also gets the system columns below.
 */
import type { SentinelCatalog } from '../catalog/catalog.js';
import { DEFENDER_TIME } from '../catalog/defender-timestamp.js';
import { normaliseTypeName, type Column, type KqlType } from '../kql/types.js';
import type { TablesConfig } from '../workspace/tables-config.js';

/** The time each row was received; `ingestion_time()` reads it (Azure Monitor's own column name). */
export const TIME_RECEIVED = '_TimeReceived';
/** Where fields go that have no column of their own, or whose value did not fit its column's type. */
export const ADDITIONAL_FIELDS = 'AdditionalFields';
/** Rejected records and type conflicts. */
export const INGEST_ERRORS_TABLE = '_IngestErrors';

export const SYSTEM_COLUMNS: readonly Column[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'Type', type: 'string' },
  { name: '_ItemId', type: 'string' },
  { name: TIME_RECEIVED, type: 'datetime' },
];

export const INGEST_ERRORS_COLUMNS: readonly Column[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'Source', type: 'string' },
  { name: 'RawText', type: 'string' },
  { name: 'Reason', type: 'string' },
  { name: 'TableName', type: 'string' },
  /** `rejected`: the record was not stored; `kept`: stored, with the field put in AdditionalFields. */
  { name: 'Outcome', type: 'string' },
  { name: 'Type', type: 'string' },
  { name: '_ItemId', type: 'string' },
  { name: TIME_RECEIVED, type: 'datetime' },
];

export type TableKind = 'standard' | 'declared' | 'inferred' | 'system';

/** A table's definition for writing: its kind and its columns (declared or as stored). */
export interface WriteTable {
  name: string;
  kind: TableKind;
  columns: Column[];
}

export class TableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableError';
  }
}

const CUSTOM_TABLE = /^[A-Za-z_][A-Za-z0-9_]*_CL$/;

export function isCustomTableName(name: string): boolean {
  return CUSTOM_TABLE.test(name);
}

/** Columns with the system columns added where the declaration lacks them. */
export function withSystemColumns(columns: readonly Column[], extra: readonly Column[] = SYSTEM_COLUMNS): Column[] {
  const result = [...columns];
  const have = new Set(columns.map((c) => c.name.toLowerCase()));
  for (const c of extra) if (!have.has(c.name.toLowerCase())) result.push(c);
  return result;
}

/**
 * The definition a table gets when it is first written. Standard tables: the catalog's
 * columns. Declared custom tables: their columns from config. Other `_CL` names: the system
 * columns only; the rest is inferred from the records. Any other name is refused, so a typo
 * (`SecurityEvents`) does not silently become a new table.
 */
export function definitionFor(name: string, catalog: SentinelCatalog, tables: TablesConfig | undefined): WriteTable {
  if (name === INGEST_ERRORS_TABLE) return { name, kind: 'system', columns: [...INGEST_ERRORS_COLUMNS] };
  const declared = findDeclared(name, tables);
  if (declared?.columns) {
    const columns = Object.entries(declared.columns).map(([col, type]) => ({ name: col, type: normaliseTypeName(type) as KqlType }));
    return { name, kind: 'declared', columns: withSystemColumns(columns) };
  }
  const standard = catalog.get(name);
  if (standard) {
    // A Defender XDR table's `Timestamp` is read from the stored TimeGenerated (defender-timestamp.ts).
    const hasTimeGenerated = standard.columns.some((c) => c.name === 'TimeGenerated');
    const columns = standard.columns.filter((c) => !(standard.defenderXdr && hasTimeGenerated && c.name === DEFENDER_TIME));
    return { name: standard.name, kind: 'standard', columns: withSystemColumns(columns) };
  }
  if (CUSTOM_TABLE.test(name)) return { name, kind: 'inferred', columns: [...SYSTEM_COLUMNS] };
  throw new TableError(
    `unknown table "${name}": write to a standard Sentinel table (e.g. Syslog, CommonSecurityLog), to a custom table whose name ends in _CL, or declare it under tables: in quarry.yaml`,
  );
}

/** A table's declaration under tables: in quarry.yaml, its name matched case-insensitively as DuckDB does. */
export function findDeclared(name: string, tables: TablesConfig | undefined) {
  if (!tables) return undefined;
  if (tables[name]) return tables[name];
  const lower = name.toLowerCase();
  const key = Object.keys(tables).find((k) => k.toLowerCase() === lower);
  return key ? tables[key] : undefined;
}

/**
 * A column name for a field of an inferred table: letters, digits and `_` (as Log Analytics
 * makes them), so `id.orig_h` becomes `id_orig_h` and `@timestamp` `_timestamp`.
 */
export function columnNameFor(field: string): string {
  let name = field.replace(/[^A-Za-z0-9_]/g, '_');
  if (name === '' || /^[0-9]/.test(name)) name = `_${name}`;
  return name;
}
