import type { SyntaxNodeData } from '../../frontend/syntax.js';
import type { Column, KqlType } from '../../types.js';
import type { IrBuilder } from '../builder.js';
import type { Expr, NamedExpr, Plan } from '../ir.js';
import type { Scope } from '../scope.js';
import { kids, nameText } from '../syntax-helpers.js';

/**
 * `evaluate activity_counts_metrics(IdColumn, TimelineColumn, Start, End, Step [, dim1, …])`
 * lowered to relational IR. Per time window (Step bins from Start; rows whose window is outside
 * Start…End are dropped) and dimensions: `count` (records), `dcount` (distinct ids), `new_dcount`
 * (ids not seen in an earlier window) and `aggregated_dcount` (distinct ids from the first
 * window to this one). Each id's first window comes from a summarize joined back; the running
 * total is a join of the windows with the earlier ones. Windows without records are not output.
 * Step may also be 'week', 'month' or 'year' (windows start at startofweek/month/year).
 */
const SIGNATURE = 'activity_counts_metrics(IdColumn, TimelineColumn, Start, End, Step [, dim1, …])';

const col = (name: string, type: KqlType): Expr => ({ k: 'column', type, name });
const call = (fn: string, type: KqlType, ...args: Expr[]): Expr => ({ k: 'call', type, fn, args });
const operator = (o: string, type: KqlType, ...args: Expr[]): Expr => ({ k: 'op', type, op: o, args });
const agg = (fn: string, ...args: Expr[]): Expr => ({ k: 'aggregate', type: 'long', fn, args });
const passed = (cols: Column[]): NamedExpr[] => cols.map((c) => ({ name: c.name, expr: col(c.name, c.type) }));

const ID = '__act_id';
const WINDOW = '__act_window';
const FIRST = '__act_first';

export function activityCountsMetrics(b: IrBuilder, op: SyntaxNodeData, args: SyntaxNodeData[], input: Plan, scope: Scope): Plan {
  const names = ['IdColumn', 'TimelineColumn', 'Start', 'End', 'Step'];
  const [id, time, start, end, step] = names.map((name, i) => {
    const n = args[i];
    if (!n || n.kind === 'SimpleNamedExpression') throw b.unsupported(op, `activity_counts_metrics() without its ${name} argument (${SIGNATURE})`);
    return b.expr(n, scope);
  }) as [Expr, Expr, Expr, Expr, Expr];
  const dims: Column[] = args.slice(5).map((a) => {
    const name = nameText(kids(a)[0] ?? a);
    const c = input.columns.find((x) => x.name === name);
    if (!c) throw b.unsupported(a, `an activity_counts_metrics() dimension that is not a column of the input (${SIGNATURE})`);
    return c;
  });
  const out = b.cols(op);
  const timeType = time.type;

  let window: Expr;
  if (step.k === 'literal' && step.type === 'string') {
    const unit = String(step.value).toLowerCase();
    if (!['week', 'month', 'year'].includes(unit)) throw b.unsupported(args[4]!, `activity_counts_metrics() Step '${String(step.value)}' (a timespan, or 'week', 'month' or 'year')`);
    window = call(`startof${unit}`, timeType, time);
  } else {
    window = call('bin_at', timeType, time, step, start);
  }

  // The records in range: id, window and dimensions.
  const rowCols: Column[] = [{ name: ID, type: id.type }, { name: WINDOW, type: timeType }, ...dims];
  const projected: Plan = { op: 'project', input, columns: rowCols, exprs: [{ name: ID, expr: id }, { name: WINDOW, expr: window }, ...passed(dims)] };
  const w = col(WINDOW, timeType);
  const inRange: Plan = {
    op: 'where', input: projected, columns: rowCols,
    predicate: { k: 'and', type: 'bool', args: [operator('>=', 'bool', w, start), operator('<=', 'bool', w, end)] },
  };
  const rows: Plan = { op: 'materialize', id: 0, input: inRange, columns: rowCols };

  // Each id's first window (per dimensions), joined back to its records.
  const idKeys = [{ name: ID, type: id.type }, ...dims];
  const firsts: Plan = {
    op: 'summarize', input: rows, keys: passed(idKeys), argExtremes: [],
    outputs: [{ name: FIRST, type: timeType, expr: { k: 'aggregate', type: timeType, fn: 'min', args: [w] } }],
    columns: [...idKeys, { name: FIRST, type: timeType }],
  };
  const rightNames = firsts.columns.map((c) => ({ ...c, name: `${c.name}__r` }));
  const withFirst: Plan = {
    op: 'join', kind: 'inner', left: rows, right: firsts,
    on: idKeys.map((c) => ({ left: col(c.name, c.type), right: col(c.name, c.type) })),
    columns: [...rowCols, ...rightNames],
  };

  // Per window and dimensions.
  const [timeOut, ...rest] = out;
  const [countOut, dcountOut, newOut, aggregatedOut] = rest.slice(dims.length) as [Column, Column, Column, Column];
  const perWindowCols: Column[] = [{ name: WINDOW, type: timeType }, ...dims, countOut, dcountOut, newOut];
  const perWindow: Plan = {
    op: 'summarize', input: withFirst, keys: passed([{ name: WINDOW, type: timeType }, ...dims]), argExtremes: [],
    outputs: [
      { name: countOut.name, type: 'long', expr: agg('count') },
      { name: dcountOut.name, type: 'long', expr: agg('count_distinct', col(ID, id.type)) },
      { name: newOut.name, type: 'long', expr: agg('count_distinctif', col(ID, id.type), operator('==', 'bool', w, col(`${FIRST}__r`, timeType))) },
    ],
    columns: perWindowCols,
  };
  const windows: Plan = { op: 'materialize', id: 0, input: perWindow, columns: perWindowCols };

  // aggregated_dcount: the new ids of this window and of every earlier one.
  const earlierCols = perWindowCols.map((c) => ({ ...c, name: `${c.name}__e` }));
  const pairs: Plan = {
    op: 'join', kind: 'inner', left: windows, right: windows,
    on: dims.map((d) => ({ left: col(d.name, d.type), right: col(d.name, d.type) })),
    columns: [...perWindowCols, ...earlierCols],
  };
  const earlier: Plan = { op: 'where', input: pairs, columns: pairs.columns, predicate: operator('<=', 'bool', col(`${WINDOW}__e`, timeType), w) };
  const totals: Plan = {
    op: 'summarize', input: earlier, keys: passed(perWindowCols), argExtremes: [],
    outputs: [{ name: aggregatedOut.name, type: 'long', expr: agg('sum', col(`${newOut.name}__e`, 'long')) }],
    columns: [...perWindowCols, aggregatedOut],
  };
  const sorted: Plan = {
    op: 'sort', input: totals, columns: totals.columns,
    keys: [w, ...dims.map((d) => col(d.name, d.type))].map((expr) => ({ expr, descending: false, nullsFirst: false })),
  };
  return {
    op: 'project', input: sorted, columns: out,
    exprs: [{ name: timeOut!.name, expr: w }, ...passed(dims), ...passed([countOut, dcountOut, newOut, aggregatedOut])],
  };
}
