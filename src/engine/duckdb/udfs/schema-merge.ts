/**
 * evaluate schema_merge(): merges the schemas of `getschema` outputs (rows of ColumnName,
 * ColumnOrdinal, DataType, ColumnType, one schema after another — a schema starts where the
 * ordinal stops growing). A column new to the merge goes right after the column before it in its
 * own schema. With PreserveOrder, a column whose merged ordinal differs from its ordinal in the
 * first schema that had it is reported as an error row, as Kusto reports it.
 */
import { BOOLEAN, VARCHAR } from '@duckdb/node-api';
import type { RowUdf } from './register.js';

export interface SchemaColumn { ColumnName: string; ColumnOrdinal: number; DataType: string; ColumnType: string; SchemaIndex?: number }

const OUT_OF_ORDER = 'ERROR(columns are out of order)';

export function mergeSchemas(input: SchemaColumn[], preserveOrder: boolean): SchemaColumn[] {
  // Rows that know their union input are put back in union order (the database may interleave them).
  const rows = input.every((r) => r.SchemaIndex !== undefined)
    ? [...input].sort((a, b) => a.SchemaIndex! - b.SchemaIndex! || a.ColumnOrdinal - b.ColumnOrdinal)
    : input;
  const schemas: SchemaColumn[][] = [];
  for (const r of rows) {
    const current = schemas[schemas.length - 1];
    if (!current || r.ColumnOrdinal <= current[current.length - 1]!.ColumnOrdinal) schemas.push([r]);
    else current.push(r);
  }
  const merged: SchemaColumn[] = [];
  const first = new Map<string, SchemaColumn>();
  for (const schema of schemas) {
    let previous = -1;
    for (const c of schema) {
      const at = merged.findIndex((m) => m.ColumnName === c.ColumnName);
      if (at >= 0) {
        previous = at;
        continue;
      }
      merged.splice(previous + 1, 0, c);
      first.set(c.ColumnName, c);
      previous += 1;
    }
  }
  return merged.map((c, i) => {
    const original = first.get(c.ColumnName)!;
    if (preserveOrder && original.ColumnOrdinal !== i) {
      return { ColumnName: c.ColumnName, ColumnOrdinal: -1, DataType: `ERROR(unknown CSL type:${OUT_OF_ORDER})`, ColumnType: OUT_OF_ORDER };
    }
    return { ColumnName: original.ColumnName, ColumnOrdinal: i, DataType: original.DataType, ColumnType: original.ColumnType };
  });
}

export const SCHEMA_MERGE_UDFS: RowUdf[] = [
  {
    name: 'kql_schema_merge', parameters: [VARCHAR, BOOLEAN], returns: VARCHAR,
    row: (json: string, preserveOrder: boolean) => JSON.stringify(mergeSchemas(JSON.parse(json) as SchemaColumn[], preserveOrder)),
  },
];
