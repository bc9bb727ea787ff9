import type { PlanOf } from '../../../kql/ir/ir.js';
import type { DuckDbCompiler } from '../compiler.js';
import { sqlIdent } from '../sql-text.js';

/**
 * top-nested, level by level over CTEs: level i groups the rows labelled by levels 1..i-1 by its
 * key, ranks the groups within their parent by the aggregate, and labels each row with its
 * group's key when the group is in the top N (with others: the others value; without: the row
 * is dropped). Each level's aggregate is then computed over the rows it labelled, so an others
 * group gets its own aggregate (not a sum of the others' aggregates), and the result has one
 * row per leaf group with every level's key and aggregate.
 */
export function compileTopNested(c: DuckDbCompiler, p: PlanOf<'topNested'>): string {
  const key = (i: number) => `"__k${i}"`;
  const parentKeys = (i: number) => Array.from({ length: i }, (_, j) => key(j));
  const ctes: string[] = [];
  let rows = c.alias();
  ctes.push(`${rows} AS MATERIALIZED (${c.plan(p.input)})`);
  const labelled: string[] = [];
  p.levels.forEach((level, i) => {
    const parents = parentKeys(i);
    const groups = c.alias();
    const keySql = c.expr(level.key, {}).sql;
    const agg = c.expr(level.aggregate, { aggregating: true }).sql;
    const order = `"__a" ${level.descending ? 'DESC' : 'ASC'} NULLS ${level.nullsFirst ? 'FIRST' : 'LAST'}`;
    const partition = parents.length ? `PARTITION BY ${parents.join(', ')} ` : '';
    const groupBy = [...parents, '"__g"'].join(', ');
    ctes.push(`${groups} AS (SELECT *, row_number() OVER (${partition}ORDER BY ${order}) AS "__r" FROM (SELECT ${[...parents, `${keySql} AS "__g"`, `${agg} AS "__a"`].join(', ')} FROM ${rows} GROUP BY ${groupBy}) AS ${c.alias()})`);
    const inTop = level.count ? `g."__r" <= ${c.expr(level.count, {}).sql}` : 'true';
    const on = [...parents.map((k) => `g.${k} IS NOT DISTINCT FROM r.${k}`), `g."__g" IS NOT DISTINCT FROM r."__v"`].join(' AND ');
    const label = level.others ? `CASE WHEN ${inTop} THEN r."__v" ELSE ${c.expr(level.others, {}).sql} END` : 'r."__v"';
    const next = c.alias();
    ctes.push(`${next} AS MATERIALIZED (SELECT r.* EXCLUDE ("__v"), ${label} AS ${key(i)} FROM (SELECT *, ${keySql} AS "__v" FROM ${rows}) AS r JOIN ${groups} AS g ON ${on}${level.others ? '' : ` WHERE ${inTop}`})`);
    labelled.push(next);
    rows = next;
  });
  // Each level's aggregate over the rows it labelled, joined onto the leaf groups.
  const n = p.levels.length;
  const leaves = `(SELECT DISTINCT ${parentKeys(n).join(', ')} FROM ${rows}) AS leaf`;
  const joins = p.levels.map((level, i) => {
    const keys = parentKeys(i + 1);
    const a = `a${i}`;
    const agg = c.expr(level.aggregate, { aggregating: true }).sql;
    const on = keys.map((k) => `${a}.${k} IS NOT DISTINCT FROM leaf.${k}`).join(' AND ');
    return `JOIN (SELECT ${keys.join(', ')}, ${agg} AS "__a" FROM ${labelled[i]} GROUP BY ${keys.join(', ')}) AS ${a} ON ${on}`;
  });
  const out = p.levels.flatMap((level, i) => [
    `leaf.${key(i)} AS ${sqlIdent(level.keyName)}`,
    `a${i}."__a" AS ${sqlIdent(level.aggregateName)}`,
  ]);
  return `WITH ${ctes.join(', ')} SELECT ${out.join(', ')} FROM ${leaves} ${joins.join(' ')}`;
}
