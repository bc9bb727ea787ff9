import type { Column } from '../../../kql/types.js';
import type { Plan } from '../../../kql/ir/ir.js';
import { sqlIdent } from '../sql-text.js';

/**
 * The join the lookup plug-ins share (geo_polygon_lookup, ipv4_lookup, …): every input column,
 * then the lookup's `lookupColumns`, named as the plan's `columns` say. A LEFT join keeps the
 * unmatched input rows for return_unmatched = true, their lookup strings '' (Kusto's strings are
 * never null).
 */
export function lookupJoin(spec: {
  L: string;
  R: string;
  inputSql: string;
  lookupSql: string;
  input: Plan;
  lookupColumns: Column[];
  columns: Column[];
  returnUnmatched: boolean;
  condition: string;
}): string {
  const { L, R, input, lookupColumns, columns, returnUnmatched } = spec;
  const inputCount = input.columns.length;
  const select = [
    ...input.columns.map((col, i) => `${L}.${sqlIdent(col.name)} AS ${sqlIdent(columns[i]!.name)}`),
    ...lookupColumns.map((col, i) => {
      const ref = `${R}.${sqlIdent(col.name)}`;
      const value = returnUnmatched && col.type === 'string' ? `coalesce(${ref}, '')` : ref;
      return `${value} AS ${sqlIdent(columns[inputCount + i]!.name)}`;
    }),
  ];
  const join = returnUnmatched ? 'LEFT JOIN' : 'JOIN';
  return `SELECT ${select.join(', ')} FROM (${spec.inputSql}) AS ${L} ${join} (${spec.lookupSql}) AS ${R} ON ${spec.condition}`;
}
