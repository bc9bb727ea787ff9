import { KqlError } from '../../../kql/diagnostics.js';
import type { PlanOf } from '../../../kql/ir/ir.js';
import type { DuckDbCompiler } from '../compiler.js';
import { US_FROM_YEAR_1_TO_EPOCH } from '../functions/common.js';
import { jsonElement } from '../functions/dynamic.js';
import { sqlIdent } from '../sql-text.js';

/**
 * make-series in SQL. The axis is numbered in bins of `step` from `from` (or, without `from`, from
 * where bin() puts them: 0001-01-01 for datetimes, 0 for numbers). Then:
 *  1. `A`: the aggregates per (keys, bin) over the rows with from <= axis < to;
 *  2. `R`: the bin range, [0, ceil((to - from) / step)) or the bins that hold data;
 *  3. every key × every bin of R, left-joined to A, gathered per key into arrays ordered by bin,
 *     empty bins holding the aggregate's default.
 * Datetimes are binned as microseconds and timespans as ticks, so the arithmetic stays exact.
 */
export function compileMakeSeries(c: DuckDbCompiler, p: PlanOf<'makeSeries'>): string {
  const axisType = p.axis.expr.type;
  const isTime = axisType === 'datetime';
  const integral = axisType !== 'real' && axisType !== 'decimal';
  const exact = (sql: string) => (isTime ? `epoch_us(${sql})` : sql);
  const stepValue = c.expr(p.step, {});
  const constantStep = stepValue.constant?.value;
  if (typeof constantStep === 'string' && Number(constantStep) <= 0) {
    throw new KqlError('semantic', 'make-series: the step must be greater than zero');
  }
  const step = isTime ? `(CAST(${stepValue.sql} AS BIGINT) // 10)` : `(${stepValue.sql})`;
  const from = p.from ? c.expr(p.from, {}).sql : undefined;
  const to = p.to ? c.expr(p.to, {}).sql : undefined;
  const origin = from ? exact(from) : isTime ? `(-${US_FROM_YEAR_1_TO_EPOCH}::BIGINT)` : '0';
  const offset = (sql: string) => `(${exact(sql)} - ${origin})`;
  const binOf = (sql: string) => (integral ? floorDiv(offset(sql), step) : `CAST(floor(${offset(sql)} / ${step}) AS BIGINT)`);
  const binsUpTo = (sql: string) => (integral ? `(-${floorDiv(`(-${offset(sql)})`, step)})` : `CAST(ceil(${offset(sql)} / ${step}) AS BIGINT)`);

  const x = c.expr(p.axis.expr, {}).sql;
  const filters = [`${x} IS NOT NULL`];
  if (from) filters.push(`${x} >= ${from}`);
  if (to) filters.push(`${x} < ${to}`);

  const keys = p.keys.map((k, i) => `${c.expr(k.expr, {}).sql} AS "__k${i}"`);
  const aggs = p.aggregates.map((a, i) => `${c.expr(a.expr, { aggregating: true }).sql} AS "__a${i}"`);
  const groupBy = [...p.keys.map((_, i) => i + 1), p.keys.length + 1].join(', ');
  const A = c.alias();
  const R = c.alias();
  const aggregated = `SELECT ${[...keys, `${binOf(x)} AS "__b"`, ...aggs].join(', ')} FROM ${c.from(p.input)} WHERE ${filters.join(' AND ')} GROUP BY ${groupBy}`;
  // One row, also when A is empty (then only given bounds give bins).
  const bounds = `SELECT ${from ? '0' : '"__min"'} AS "__lo", ${to ? binsUpTo(to) : '"__max" + 1'} AS "__hi" ` +
    `FROM (SELECT min("__b") AS "__min", max("__b") AS "__max" FROM ${A}) AS ${c.alias()}`;

  const K = c.alias();
  const G = c.alias();
  const keyCols = p.keys.map((_, i) => `"__k${i}"`);
  // Without by keys there is one series: present when there is data, or always with kind=nonempty.
  const keyRows = keyCols.length
    ? `SELECT DISTINCT ${keyCols.join(', ')} FROM ${A}`
    : p.nonEmpty ? 'SELECT 1 AS "__one"' : `SELECT DISTINCT 1 AS "__one" FROM ${A}`;
  const groupKeys = keyCols.length ? keyCols.map((k) => `${K}.${k}`) : [`${K}."__one"`];
  const on = [...keyCols.map((k) => `${A}.${k} IS NOT DISTINCT FROM ${K}.${k}`), `${A}."__b" = ${G}."__b"`].join(' AND ');

  const series = (value: string) => `to_json(list(${value} ORDER BY ${G}."__b"))`;
  const out: string[] = p.keys.map((k, i) => `${K}."__k${i}" AS ${sqlIdent(k.name)}`);
  p.aggregates.forEach((a, i) => {
    const dflt = c.expr(a.default, {}).sql;
    out.push(`${series(jsonElement({ sql: `coalesce(${A}."__a${i}", ${dflt})`, type: a.expr.type }))} AS ${sqlIdent(a.name)}`);
  });
  const binStart = `(${origin} + ${G}."__b" * ${step})`;
  const axisValue = isTime ? `make_timestamp(${binStart})` : `CAST(${binStart} AS ${c.dialect.sqlType(axisType)})`;
  out.push(`${series(jsonElement({ sql: axisValue, type: axisType }))} AS ${sqlIdent(p.axis.name)}`);

  const body = `SELECT ${out.join(', ')} FROM (${keyRows}) AS ${K} ` +
    `CROSS JOIN (SELECT unnest(range("__lo", "__hi")) AS "__b" FROM ${R}) AS ${G} ` +
    `LEFT JOIN ${A} ON ${on} GROUP BY ${groupKeys.join(', ')}`;
  // Wrapped, so this WITH never meets one of the outer query (materialize()).
  return `SELECT * FROM (WITH ${A} AS MATERIALIZED (${aggregated}), ${R} AS (${bounds}) ${body}) AS ${c.alias()}`;
}

/** Integer division rounding down (DuckDB's `//` truncates toward zero); `b` is positive. */
function floorDiv(a: string, b: string): string {
  return `(${a} // ${b} - CASE WHEN ${a} % ${b} < 0 THEN 1 ELSE 0 END)`;
}
