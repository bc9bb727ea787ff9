import type { PlanOf } from '../../../kql/ir/ir.js';
import type { DuckDbCompiler } from '../compiler.js';
import { sqlIdent, sqlString } from '../sql-text.js';

/**
 * A model plan (evaluate isolation_forest / kmeans / dbscan). The numbered input is aggregated
 * into one list of {row number, feature values…} structs (in any order: the UDF puts each row
 * in its place, which costs less than DuckDB sorting the list) and fitted by one call of kql_ml_fit
 * (udfs/ml.ts), whose result list holds each output column after the other in row-number order;
 * that is unnested with the row numbers and joined back to the input rows, in their order.
 */
export function compileModel(c: DuckDbCompiler, p: PlanOf<'model'>): string {
  const rn = sqlIdent('__rn');
  const features = p.features.map((f, i) => {
    const value = c.expr(f.expr, {}).sql;
    const sql = f.encoding === 'frequency'
      ? `CAST(count(*) OVER (PARTITION BY ${value}) AS DOUBLE) / count(*) OVER ()`
      : `CAST(${value} AS DOUBLE)`;
    return `${sql} AS f${i}`;
  });
  const row = `{'r': CAST(${rn} AS DOUBLE), ${p.features.map((_, i) => `'f${i}': f${i}`).join(', ')}}`;
  const F = c.alias();
  const fit = `SELECT kql_ml_fit(${sqlString(p.options)}, ${p.features.length}, count(*), list(${row})) AS r, count(*) AS n `
    + `FROM (SELECT ${rn}, ${features.join(', ')} FROM (${c.plan(p.input)}))`;
  const unnested = [`unnest(range(1, ${F}.n + 1)) AS ${rn}`, ...p.outputs.map((_, j) => `unnest(${F}.r[${j} * ${F}.n + 1 : ${j + 1} * ${F}.n]) AS o${j}`)];
  const S = c.alias();
  const O = c.alias();
  const inputColumns = p.input.columns.filter((col) => col.name !== '__rn');
  const select = [
    ...inputColumns.map((col) => `${S}.${sqlIdent(col.name)} AS ${sqlIdent(col.name)}`),
    ...p.outputs.map((col, j) => {
      const v = `${O}.o${j}`;
      const typed = col.type === 'bool' ? `(${v} <> 0)` : col.type === 'long' ? `CAST(${v} AS BIGINT)` : v;
      return `${typed} AS ${sqlIdent(col.name)}`;
    }),
  ];
  // The fit is a materialized CTE: as a plain subquery DuckDB would call it once per output column.
  return `SELECT ${select.join(', ')} FROM (${c.plan(p.input)}) AS ${S} `
    + `JOIN (WITH ${F} AS MATERIALIZED (${fit}) SELECT ${unnested.join(', ')} FROM ${F}) AS ${O} ON ${S}.${rn} = ${O}.${rn} ORDER BY ${S}.${rn}`;
}
