import { KqlError } from '../../../kql/diagnostics.js';
import type { Expr, NamedExpr, PlanOf } from '../../../kql/ir/ir.js';
import type { DuckDbCompiler } from '../compiler.js';
import { sqlIdent } from '../sql-text.js';

/**
 * Window functions whose value depends on earlier values of the same window, which SQL cannot
 * nest in one expression: `row_number(start, restart)`, `row_cumsum(x, restart)`,
 * `row_rank_dense(x [, restart])`, `row_rank_min(x [, restart])` and
 * `row_window_session(e, maxFromFirst, maxBetweenNeighbors [, restart])`.
 *
 * A projection holding any of them is compiled in layers over the input, numbered in its
 * serialized order (`__n`): the arguments first, then the restart groups (a running count of
 * restarts), then the windowed value per group, and last the projection itself, where each such
 * call reads its precomputed column.
 */

interface Sequential {
  index: number;
  expr: Extract<Expr, { k: 'window' }>;
}

function isSequential(e: Expr): boolean {
  if (e.k !== 'window') return false;
  if (e.fn === 'row_window_session' || e.fn === 'row_rank_dense' || e.fn === 'row_rank_min') return true;
  return (e.fn === 'row_number' || e.fn === 'row_cumsum') && e.args.length >= 2;
}

/** Replaces sequential window calls in an expression by column references, collecting them. */
function hoist(e: Expr, found: Sequential[]): Expr {
  if (e.k === 'window' && isSequential(e)) {
    const index = found.length;
    found.push({ index, expr: e });
    return { k: 'column', type: e.type, name: `__w${index}` };
  }
  switch (e.k) {
    case 'call': case 'op': case 'aggregate': case 'window': case 'and': case 'or':
      return { ...e, args: e.args.map((a) => hoist(a, found)) } as Expr;
    case 'not':
      return { ...e, arg: hoist(e.arg, found) };
    case 'inPlan':
      return { ...e, arg: hoist(e.arg, found) };
    case 'path':
      return { ...e, base: hoist(e.base, found), steps: e.steps.map((s) => (typeof s === 'object' ? hoist(s, found) : s)) };
    default:
      return e;
  }
}

function mentionsSequential(e: Expr): boolean {
  const found: Sequential[] = [];
  hoist(e, found);
  return found.length > 0;
}

export function hasSequentialWindows(exprs: NamedExpr[]): boolean {
  return exprs.some((e) => mentionsSequential(e.expr));
}

const N = '"__n"';

export function compileSequentialProject(c: DuckDbCompiler, p: PlanOf<'project'>): string {
  const found: Sequential[] = [];
  const exprs = p.exprs.map((e) => ({ name: e.name, expr: hoist(e.expr, found) }));
  const inputOrder = c.orderOf(p.input);
  const scope = { orderBy: inputOrder };
  const over = `OVER (${inputOrder ? `ORDER BY ${inputOrder}` : ''})`;

  // Layer 1: the serialized row number and each call's arguments, evaluated over the input.
  const args: string[] = [`row_number() ${over} AS ${N}`];
  for (const { index, expr } of found) {
    const sqlArgs = expr.args.map((a) => c.expr(a, scope).sql);
    if (expr.fn === 'row_window_session') {
      if (expr.args.some((a, i) => (i === 1 || i === 2) && a.type !== 'timespan')) {
        throw new KqlError('semantic', 'row_window_session(): the second and third arguments must be timespans');
      }
      args.push(`epoch_us(${sqlArgs[0]}) AS "__e${index}"`, `${sqlArgs[0]} AS "__v${index}"`);
      args.push(`lag(epoch_us(${sqlArgs[0]})) ${over} AS "__pe${index}"`);
      args.push(`${sqlArgs[3] ?? 'false'} AS "__r${index}"`);
    } else if (expr.fn === 'row_rank_dense' || expr.fn === 'row_rank_min') {
      // A new rank where the term differs from the previous row's.
      args.push(`${sqlArgs[1] ?? 'false'} AS "__r${index}"`);
      args.push(`(${sqlArgs[0]}) IS DISTINCT FROM lag(${sqlArgs[0]}) ${over} AS "__c${index}"`);
    } else {
      args.push(`${sqlArgs[1]} AS "__r${index}"`);
      if (expr.fn === 'row_cumsum') args.push(`${sqlArgs[0]} AS "__x${index}"`);
    }
  }
  let sql = `SELECT *, ${args.join(', ')} FROM ${c.from(p.input)}`;

  for (const { index, expr } of found) {
    const w = `"__w${index}"`;
    const group = `"__g${index}"`;
    const running = (cond: string) => `sum(CASE WHEN ${cond} THEN 1 ELSE 0 END) OVER (ORDER BY ${N} ROWS UNBOUNDED PRECEDING)`;
    if (expr.fn === 'row_window_session') {
      sql = sessionLayer(c, sql, index, expr);
      continue;
    }
    // Layer 2: restart groups; layer 3: the window within each group.
    sql = `SELECT *, ${running(`coalesce("__r${index}", false)`)} AS ${group} FROM (${sql}) AS ${c.alias()}`;
    const inGroup = `OVER (PARTITION BY ${group} ORDER BY ${N} ROWS UNBOUNDED PRECEDING)`;
    const startsRank = `(${N} = 1 OR coalesce("__r${index}", false) OR "__c${index}")`;
    if (expr.fn === 'row_rank_min') {
      // The rank is the row number (within the restart group) where the current run of equal terms began.
      sql = `SELECT *, row_number() ${inGroup} AS "__rn${index}" FROM (${sql}) AS ${c.alias()}`;
      sql = `SELECT *, max(CASE WHEN ${startsRank} THEN "__rn${index}" END) ${inGroup} AS ${w} FROM (${sql}) AS ${c.alias()}`;
      continue;
    }
    const value = expr.fn === 'row_number'
      ? `(row_number() ${inGroup} + ${c.expr(expr.args[0]!, scope).sql} - 1)`
      : expr.fn === 'row_rank_dense'
        ? `sum(CASE WHEN ${startsRank} THEN 1 ELSE 0 END) ${inGroup}`
        : `CAST(sum("__x${index}") ${inGroup} AS ${c.dialect.sqlType(expr.type)})`;
    sql = `SELECT *, ${value} AS ${w} FROM (${sql}) AS ${c.alias()}`;
  }

  const outScope = { orderBy: N };
  const cols = exprs.map((e) => `${c.expr(e.expr, outScope).sql} AS ${sqlIdent(e.name)}`).join(', ');
  return `SELECT ${cols} FROM (${sql}) AS ${c.alias()} ORDER BY ${N}`;
}

/**
 * row_window_session: a session starts at the first row, after a null value, where restart is
 * true, or where the value is at least maxBetweenNeighbors past the previous value ("breaks",
 * computed for all rows at once); within the rows between breaks, a new session also starts at
 * the first value at least maxFromFirst past the current session's start. That last rule is a
 * chain, walked by a recursive query one session per step for all break segments together.
 */
function sessionLayer(c: DuckDbCompiler, inputSql: string, index: number, expr: Extract<Expr, { k: 'window' }>): string {
  const ticks = (a: Expr) => c.expr(a, {}).sql;
  const fromFirstUs = `(${ticks(expr.args[1]!)}) // 10`;
  const neighboursUs = `(${ticks(expr.args[2]!)}) // 10`;
  const e = `"__e${index}"`, pe = `"__pe${index}"`, seg = `"__s${index}"`;
  const breaks = `${N} = 1 OR ${e} IS NULL OR ${pe} IS NULL OR coalesce("__r${index}", false) OR ${e} - ${pe} >= ${neighboursUs}`;
  const segmented = `SELECT *, sum(CASE WHEN ${breaks} THEN 1 ELSE 0 END) OVER (ORDER BY ${N} ROWS UNBOUNDED PRECEDING) AS ${seg} FROM (${inputSql}) AS ${c.alias()}`;
  const l = c.alias(), s = c.alias(), long = c.alias();
  // Only segments spanning at least maxFromFirst can hold more than one session: the recursive
  // step reads just their rows.
  return `WITH RECURSIVE ${l} AS MATERIALIZED (${segmented}),
    ${long} AS MATERIALIZED (SELECT ${seg}, ${N}, ${e} FROM ${l} WHERE ${seg} IN (
      SELECT ${seg} FROM ${l} GROUP BY ${seg} HAVING max(${e}) - min(${e}) >= ${fromFirstUs})),
    ${s}(seg, sn, se) AS (
      SELECT ${seg}, min(${N}), arg_min(${e}, ${N}) FROM ${l} GROUP BY ${seg}
      UNION ALL
      SELECT x.${seg}, min(x.${N}), arg_min(x.${e}, x.${N}) FROM ${s} JOIN ${long} AS x
        ON x.${seg} = ${s}.seg AND x.${N} > ${s}.sn AND x.${e} - ${s}.se >= ${fromFirstUs}
      GROUP BY x.${seg})
    SELECT ${l}.*, CASE WHEN ${l}.${e} IS NULL THEN NULL ELSE make_timestamp(${s}.se) END AS "__w${index}"
    FROM ${l} ASOF LEFT JOIN ${s} ON ${l}.${seg} = ${s}.seg AND ${l}.${N} >= ${s}.sn`;
}
