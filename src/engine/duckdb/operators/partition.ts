import type { Plan, PlanOf } from '../../../kql/ir/ir.js';
import type { DuckDbCompiler } from '../compiler.js';
import { sqlIdent } from '../sql-text.js';

/** While a partition's subquery compiles: its rows leaf → the input and the outer key's alias. */
const partitionRows = new WeakMap<Plan, { input: Plan; key: string; outer: string }>();

/**
 * partition: the distinct keys, LATERAL-joined with the subquery over each key's rows, so DuckDB
 * decorrelates the per-partition work (top, summarize, …) into set-based plans.
 */
export function compilePartition(c: DuckDbCompiler, p: PlanOf<'partition'>): string {
  const outer = c.alias();
  // The `{ query }` form names the key as its column: the query's unqualified references to it
  // resolve to the LATERAL's outer row (the query's own source does not have that column).
  const keyName = p.keyColumn === undefined ? '"__pk"' : sqlIdent(p.keyColumn);
  const keys = `SELECT DISTINCT ${c.expr(p.key, {}).sql} AS ${keyName} FROM ${c.from(p.input)}`;
  if (p.rows) partitionRows.set(p.rows, { input: p.input, key: c.expr(p.key, {}).sql, outer });
  const sub = c.plan(p.sub);
  if (p.rows) partitionRows.delete(p.rows);
  const inner = c.alias();
  const cols = p.columns.map((col) => `${inner}.${sqlIdent(col.name)} AS ${sqlIdent(col.name)}`);
  return `SELECT ${cols.join(', ')} FROM (${keys}) AS ${outer}, LATERAL (${sub}) AS ${inner}`;
}

/** The rows of the current partition: the input's rows whose key is the outer key. */
export function compilePartitionRows(c: DuckDbCompiler, p: PlanOf<'partitionRows'>): string {
  const ctx = partitionRows.get(p);
  if (!ctx) throw new Error('partition rows outside their partition subquery');
  return `SELECT * FROM ${c.from(ctx.input)} WHERE ${ctx.key} IS NOT DISTINCT FROM ${ctx.outer}."__pk"`;
}
