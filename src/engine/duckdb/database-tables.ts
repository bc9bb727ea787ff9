import type { DuckDBConnection } from '@duckdb/node-api';
import type { Column, KqlType } from '../../kql/types.js';

/** KQL type of a DuckDB column type (the inverse of docs/value-representation.md). */
export function kqlTypeOfSql(sqlType: string): KqlType {
  const t = sqlType.toUpperCase();
  if (t === 'BOOLEAN') return 'bool';
  if (t === 'INTEGER' || t === 'SMALLINT' || t === 'TINYINT' || t === 'UTINYINT' || t === 'USMALLINT') return 'int';
  if (t === 'BIGINT' || t === 'UINTEGER' || t === 'UBIGINT' || t === 'HUGEINT') return 'long';
  if (t === 'DOUBLE' || t === 'FLOAT' || t === 'REAL') return 'real';
  if (t.startsWith('DECIMAL')) return 'decimal';
  if (t.startsWith('TIMESTAMP') || t === 'DATE') return 'datetime';
  if (t === 'UUID') return 'guid';
  if (t === 'JSON' || t.endsWith('[]') || t.startsWith('STRUCT') || t.startsWith('MAP')) return 'dynamic';
  return 'string';
}

/** Tables of the main schema with their columns as KQL types. Timespans are stored as BIGINT
 * ticks; a column comment `kql:timespan` marks them (the ingestion layer writes it). */
export async function readDatabaseTables(connection: DuckDBConnection): Promise<Map<string, Column[]>> {
  const reader = await connection.runAndReadAll(
    `SELECT c.table_name, c.column_name, c.data_type, coalesce(d.comment, '') AS comment
       FROM information_schema.columns c
       LEFT JOIN duckdb_columns() d ON d.table_name = c.table_name AND d.column_name = c.column_name AND d.schema_name = c.table_schema
      WHERE c.table_schema = 'main'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, Column[]>();
  for (const [table, column, dataType, comment] of reader.getRows() as string[][]) {
    const type: KqlType = comment === 'kql:timespan' ? 'timespan' : kqlTypeOfSql(dataType!);
    let cols = tables.get(table!);
    if (!cols) tables.set(table!, (cols = []));
    cols.push({ name: column!, type });
  }
  return tables;
}
