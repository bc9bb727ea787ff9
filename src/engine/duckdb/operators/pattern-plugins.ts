import type { PlanOf } from '../../../kql/ir/ir.js';
import type { DuckDbCompiler } from '../compiler.js';
import { sqlIdent, sqlString } from '../sql-text.js';

/**
 * A patterns plan (evaluate autocluster / basket / diffpatterns). The input's rows are merged
 * into distinct tuples of the dimension columns (weights summed; diffpatterns: each tuple in set
 * A or B, rows in neither left out), each value coded by its rank among its column's values (0 for null), and
 * mined by one call of kql_patterns (udfs/patterns.ts). Its result names, per pattern and
 * dimension, a tuple holding the pattern's value; the values are read back from those tuples, so
 * each keeps its column's type. Tuples are numbered and listed in no particular order: the
 * mining orders by the codes, which follow the values.
 */
export function compilePatterns(c: DuckDbCompiler, p: PlanOf<'patterns'>): string {
  const n = p.dimensions.length;
  const stride = n + 2;
  const byName = new Map(p.input.columns.map((col) => [col.name, col]));
  const column = (name: string): string => c.expr({ k: 'column', type: byName.get(name)!.type, name }, {}).sql;
  const d = (j: number): string => sqlIdent(`__d${j}`);
  const dims = p.dimensions.map((name, j) => `${column(name)} AS ${d(j)}`);
  const weight = p.weight ? `CAST(${c.expr(p.weight, {}).sql} AS DOUBLE)` : '1.0';
  const split = p.split ? c.expr(p.split.expr, {}).sql : undefined;
  const set = split
    ? `CASE WHEN ${split} = ${sqlString(p.split!.a)} THEN 0 WHEN ${split} = ${sqlString(p.split!.b)} THEN 1 END`
    : '0';
  const dimList = p.dimensions.map((_, j) => d(j)).join(', ');
  // A value's code is its rank among its column's distinct values, joined in (a hash join; a
  // dense_rank() window over all tuples sorts them once per column and is several times slower).
  const codes = p.dimensions.map((_, j) => `coalesce(V${j}."__code", 0) AS ${sqlIdent(`__c${j}`)}`);
  const values = p.dimensions.map((_, j) => `LEFT JOIN (SELECT "__v", row_number() OVER (ORDER BY "__v") AS "__code" FROM (SELECT DISTINCT ${d(j)} AS "__v" FROM "__g0" WHERE ${d(j)} IS NOT NULL)) AS V${j} ON G0.${d(j)} = V${j}."__v"`);
  const vector = ['"__t"', '"__w"', '"__s"', ...p.dimensions.map((_, j) => sqlIdent(`__c${j}`))].map((x) => `CAST(${x} AS DOUBLE)`).join(', ');

  const base = `SELECT ${dims.join(', ')}, coalesce(${weight}, 0.0) AS "__w", ${set} AS "__s" FROM (${c.plan(p.input)})`;
  const grouped = `SELECT ${dimList}, "__s", sum("__w") AS "__w" FROM (${base}) WHERE "__s" IS NOT NULL GROUP BY ${dimList}, "__s"`;
  const tuples = `SELECT G0.*, row_number() OVER () AS "__t", ${codes.join(', ')} FROM "__g0" AS G0 ${values.join(' ')}`;
  const fit = `SELECT kql_patterns(${sqlString(p.options)}, ${n}, coalesce(flatten(list([${vector}])), CAST([] AS DOUBLE[]))) AS r FROM "__g"`;
  const at = (k: string): string => `"__f".r[${k}]`;
  const found = [
    `${at('1')} AS "__ta"`, `${at('2')} AS "__tb"`, 'q.i AS "__seg"',
    `${at(`3 + q.i * ${stride}`)} AS "__wa"`, `${at(`4 + q.i * ${stride}`)} AS "__wb"`,
    ...p.dimensions.map((_, j) => `CAST(${at(`${5 + j} + q.i * ${stride}`)} AS BIGINT) AS ${sqlIdent(`__t${j}`)}`),
  ];
  const patterns = `SELECT ${found.join(', ')} FROM "__f", range(0, (len("__f".r) - 2) // ${stride}) AS q(i)`;

  // Output: the plugin's count columns (named as Kusto.Language names them), then the input's.
  const stats = p.plugin === 'diffpatterns'
    ? ['P."__seg"', 'CAST(round(P."__wa") AS BIGINT)', 'CAST(round(P."__wb") AS BIGINT)', '100.0 * P."__wa" / P."__ta"', '100.0 * P."__wb" / P."__tb"',
      'abs(100.0 * P."__wa" / P."__ta" - 100.0 * P."__wb" / P."__tb")']
    : ['P."__seg"', 'CAST(round(P."__wa") AS BIGINT)', '100.0 * P."__wa" / P."__ta"'];
  const dimIndex = new Map(p.dimensions.map((name, j) => [name, j]));
  const select = p.columns.map((col, i) => {
    if (i < stats.length) return `${stats[i]} AS ${sqlIdent(col.name)}`;
    const wildcard = c.expr(p.wildcards[col.name] ?? { k: 'literal', type: col.type, value: null }, {}).sql;
    const j = dimIndex.get(col.name);
    const value = j === undefined ? wildcard : `CASE WHEN P.${sqlIdent(`__t${j}`)} = 0 THEN ${wildcard} ELSE G${j}.${d(j)} END`;
    return `${value} AS ${sqlIdent(col.name)}`;
  });
  const joins = p.dimensions.map((_, j) => `LEFT JOIN "__g" AS G${j} ON G${j}."__t" = P.${sqlIdent(`__t${j}`)}`).join(' ');
  return `SELECT * FROM (WITH "__g0" AS MATERIALIZED (${grouped}), "__g" AS MATERIALIZED (${tuples}), "__f" AS MATERIALIZED (${fit}), `
    + `"__p" AS (${patterns}) SELECT ${select.join(', ')} FROM "__p" AS P ${joins} ORDER BY P."__seg") AS ${c.alias()}`;
}
