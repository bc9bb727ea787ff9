import type { PlanOf } from '../../../kql/ir/ir.js';
import type { DuckDbCompiler } from '../compiler.js';
import { sqlIdent, sqlString } from '../sql-text.js';

/**
 * A patterns plan (evaluate autocluster / basket / diffpatterns). The input's rows are merged
 * into distinct tuples of the dimension columns (weights summed; diffpatterns: each tuple in set
 * A or B, rows in neither left out) and numbered. Each value is coded by its rank among its
 * column's values, in one of two ways:
 * - up to WIDE_LIMIT columns, by a hash join per column with its ranked distinct values, each
 *   tuple's codes sent after it (the fastest for many rows);
 * - beyond that, the tuples are unpivoted into (tuple, column, value as text) and ranked by one
 *   window partitioned by column, sent as triples (a join per column would make hundreds of
 *   joins, which DuckDB plans very slowly: a 230-column table took minutes).
 * kql_patterns (udfs/patterns.ts) mines the tuples; per pattern it names one matching tuple and
 * which columns the pattern fixes, and the values are read back from that tuple by one join, so
 * each keeps its type.
 */
const WIDE_LIMIT = 16;

export function compilePatterns(c: DuckDbCompiler, p: PlanOf<'patterns'>): string {
  const n = p.dimensions.length;
  const stride = n + 3;
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
  const texts = p.dimensions.map((_, j) => `CAST(${d(j)} AS VARCHAR)`).join(', ');

  const base = `SELECT ${dims.join(', ')}, coalesce(${weight}, 0.0) AS "__w", ${set} AS "__s" FROM (${c.plan(p.input)})`;
  const grouped = `SELECT ${dimList}, "__s", sum("__w") AS "__w" FROM (${base}) WHERE "__s" IS NOT NULL GROUP BY ${dimList}, "__s"`;
  const wide = n <= WIDE_LIMIT;
  const listOf = (items: string[], from: string): string => `(SELECT coalesce(flatten(list([${items.map((x) => `CAST(${x} AS DOUBLE)`).join(', ')}])), CAST([] AS DOUBLE[])) FROM ${from})`;
  let tuples: string;
  let codes: string;
  let tupleList: string;
  let codeList: string;
  if (wide) {
    const coded = p.dimensions.map((_, j) => `coalesce(V${j}."__code", 0) AS ${sqlIdent(`__c${j}`)}`);
    const ranked = p.dimensions.map((_, j) => `LEFT JOIN (SELECT "__v", row_number() OVER (ORDER BY "__v") AS "__code" FROM (SELECT DISTINCT ${d(j)} AS "__v" FROM "__g0" WHERE ${d(j)} IS NOT NULL)) AS V${j} ON G0.${d(j)} = V${j}."__v"`);
    tuples = `SELECT G0.*, row_number() OVER () AS "__t", ${coded.join(', ')} FROM "__g0" AS G0 ${ranked.join(' ')}`;
    codes = 'SELECT 1';
    tupleList = listOf(['"__t"', '"__w"', '"__s"', ...p.dimensions.map((_, j) => sqlIdent(`__c${j}`))], '"__g"');
    codeList = 'CAST([] AS DOUBLE[])';
  } else {
    tuples = `SELECT *, row_number() OVER () AS "__t" FROM "__g0"`;
    const long = `SELECT "__t", unnest(range(${n})) AS "__j", unnest([${texts}]) AS "__v" FROM "__g"`;
    // Nulls sort last, so the codes of the values are 1 … K in each column.
    codes = `SELECT "__t", "__j", CASE WHEN "__v" IS NULL THEN 0 ELSE dense_rank() OVER (PARTITION BY "__j" ORDER BY "__v") END AS "__code" FROM (${long})`;
    tupleList = listOf(['"__t"', '"__w"', '"__s"'], '"__g"');
    codeList = listOf(['"__t"', '"__j"', '"__code"'], '"__c"');
  }
  const fit = `SELECT kql_patterns(${sqlString(p.options)}, ${n}, ${tupleList}, ${codeList}) AS r`;
  const at = (k: string): string => `"__f".r[${k}]`;
  const found = [
    `${at('1')} AS "__ta"`, `${at('2')} AS "__tb"`, 'q.i AS "__seg"',
    `${at(`3 + q.i * ${stride}`)} AS "__wa"`, `${at(`4 + q.i * ${stride}`)} AS "__wb"`, `CAST(${at(`5 + q.i * ${stride}`)} AS BIGINT) AS "__rep"`,
    ...p.dimensions.map((_, j) => `${at(`${6 + j} + q.i * ${stride}`)} AS ${sqlIdent(`__x${j}`)}`),
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
    const value = j === undefined ? wildcard : `CASE WHEN P.${sqlIdent(`__x${j}`)} = 1 THEN G.${d(j)} ELSE ${wildcard} END`;
    return `${value} AS ${sqlIdent(col.name)}`;
  });
  return `SELECT * FROM (WITH "__g0" AS MATERIALIZED (${grouped}), "__g" AS MATERIALIZED (${tuples}), "__c" AS MATERIALIZED (${codes}), `
    + `"__f" AS MATERIALIZED (${fit}), "__p" AS (${patterns}) `
    + `SELECT ${select.join(', ')} FROM "__p" AS P LEFT JOIN "__g" AS G ON G."__t" = P."__rep" ORDER BY P."__seg") AS ${c.alias()}`;
}
