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
 *  2. `R`: the bin range, [0, ceil((to - from) / step)) or the bins that hold data, and the axis
 *     array, built once;
 *  3. `S`: per key, a map from bin to each aggregate's value;
 *  4. per key, each series is the range of bins looked up in its map, empty bins holding the
 *     aggregate's default.
 * (Joining every key to every bin and re-aggregating is the textbook form, but DuckDB runs it
 * about 20 times slower on a month of hourly bins.) Datetimes are binned as microseconds and
 * timespans as ticks, so the arithmetic stays exact.
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

  const keyCols = p.keys.map((_, i) => `"__k${i}"`);
  const keys = p.keys.map((k, i) => `${c.expr(k.expr, {}).sql} AS ${keyCols[i]}`);
  const aggs = p.aggregates.map((a, i) => `${c.expr(a.expr, { aggregating: true }).sql} AS "__a${i}"`);
  const A = c.alias();
  const R = c.alias();
  const S = c.alias();
  const aggregated = `SELECT ${[...keys, `${binOf(x)} AS "__b"`, ...aggs].join(', ')} FROM ${c.from(p.input)} ` +
    `WHERE ${filters.join(' AND ')} GROUP BY ${[...keyCols, '"__b"'].join(', ')}`;

  const binStart = `(${origin} + "__i" * ${step})`;
  const axisValue = isTime ? `make_timestamp(${binStart})` : `CAST(${binStart} AS ${c.dialect.sqlType(axisType)})`;
  const axisArray = `to_json(list_transform(range("__lo", "__hi"), "__i" -> ${jsonElement({ sql: axisValue, type: axisType })}))`;
  // One row, also when A is empty (then only given bounds give bins).
  const bounds = `SELECT "__lo", "__hi", ${axisArray} AS "__axis" FROM (SELECT ${from ? '0' : '"__min"'} AS "__lo", ` +
    `${to ? binsUpTo(to) : '"__max" + 1'} AS "__hi" FROM (SELECT min("__b") AS "__min", max("__b") AS "__max" FROM ${A}) AS ${c.alias()}) AS ${c.alias()}`;

  const maps = p.aggregates.map((_, i) => `map_from_entries(list({'key': "__b", 'value': "__a${i}"})) AS "__m${i}"`);
  // Without by keys there is one series: present when there is data, or always with kind=nonempty.
  const perKey = `SELECT ${[...keyCols, ...maps].join(', ')} FROM ${A}` +
    (keyCols.length ? ` GROUP BY ${keyCols.join(', ')}` : p.nonEmpty ? '' : ' HAVING count(*) > 0');

  const out: string[] = p.keys.map((k, i) => `${S}.${keyCols[i]} AS ${sqlIdent(k.name)}`);
  p.aggregates.forEach((a, i) => {
    const value = `coalesce(map_extract_value(${S}."__m${i}", "__i"), ${c.expr(a.default, {}).sql})`;
    out.push(`to_json(list_transform(range(${R}."__lo", ${R}."__hi"), "__i" -> ${jsonElement({ sql: value, type: a.expr.type })})) AS ${sqlIdent(a.name)}`);
  });
  out.push(`${R}."__axis" AS ${sqlIdent(p.axis.name)}`);

  const body = `SELECT ${out.join(', ')} FROM ${S} CROSS JOIN ${R}`;
  // Wrapped, so this WITH never meets one of the outer query (materialize()).
  return `SELECT * FROM (WITH ${A} AS MATERIALIZED (${aggregated}), ${R} AS (${bounds}), ${S} AS (${perKey}) ${body}) AS ${c.alias()}`;
}

/** Integer division rounding down (DuckDB's `//` truncates toward zero); `b` is positive. */
function floorDiv(a: string, b: string): string {
  return `(${a} // ${b} - CASE WHEN ${a} % ${b} < 0 THEN 1 ELSE 0 END)`;
}
