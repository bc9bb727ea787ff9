import type { SyntaxNodeData } from '../../frontend/syntax.js';
import type { Column, KqlType } from '../../types.js';
import type { IrBuilder } from '../builder.js';
import type { Expr, NamedExpr, Plan, SummarizeOutput } from '../ir.js';
import type { Scope } from '../scope.js';
import { kids, nameText } from '../syntax-helpers.js';

/**
 * The rolling-window plugins, rolling_percentile() and sliding_window_counts(), lowered to
 * relational IR: each row is binned, copied into the bins whose look-back window holds it
 * (mv-expand over the offsets 0…n−1), and the copies are summarized per target bin. No new
 * engine operator, so every dialect runs them.
 */

const col = (name: string, type: KqlType): Expr => ({ k: 'column', type, name });
const lit = (type: KqlType, value: string): Expr => ({ k: 'literal', type, value });
const call = (fn: string, type: KqlType, ...args: Expr[]): Expr => ({ k: 'call', type, fn, args });
const operator = (o: string, type: KqlType, ...args: Expr[]): Expr => ({ k: 'op', type, op: o, args });

const TARGET = 'kql_window_bin';
const OFFSET = 'kql_window_offset';

/**
 * Rows of `input` with `carried` values, copied into bins `bin(index) + k·step` for k in 0…count−1,
 * keeping the copies whose bin is at most `last` (an expression over TARGET's type).
 */
function windowed(input: Plan, carried: NamedExpr[], binned: Expr, step: Expr, count: Expr, last: (target: Expr) => Expr): Plan {
  const binType = binned.type;
  const offsets = call('range', 'dynamic', lit('long', '0'), operator('-', 'long', count, lit('long', '1')), lit('long', '1'));
  const withOffsets: Plan = {
    op: 'project',
    input,
    exprs: [...carried, { name: TARGET, expr: binned }, { name: OFFSET, expr: offsets }],
    columns: [...carried.map((c) => ({ name: c.name, type: c.expr.type })), { name: TARGET, type: binType }, { name: OFFSET, type: 'dynamic' }],
  };
  const expanded: Plan = {
    op: 'mvExpand',
    input: withOffsets,
    items: [{ name: OFFSET, expr: col(OFFSET, 'dynamic'), type: 'long' }],
    bagExpansion: 'array',
    columns: withOffsets.columns.map((c) => (c.name === OFFSET ? { name: OFFSET, type: 'long' } : c)),
  };
  const stepType = step.type;
  const shift = operator('*', stepType, col(OFFSET, 'long'), step);
  const target = operator('+', binType, col(TARGET, binType), shift);
  const carriedColumns = carried.map((c) => ({ name: c.name, type: c.expr.type }));
  const shifted: Plan = {
    op: 'project',
    input: expanded,
    exprs: [...carriedColumns.map((c) => ({ name: c.name, expr: col(c.name, c.type) })), { name: TARGET, expr: target }],
    columns: [...carriedColumns, { name: TARGET, type: binType }],
  };
  return { op: 'where', input: shifted, predicate: last(col(TARGET, binType)), columns: shifted.columns };
}

/** The copies summarized per target bin (output column 0) and dimensions, into the plug-in's columns. */
function perWindow(windows: Plan, columns: Column[], binType: KqlType, dims: NamedExpr[], outputs: SummarizeOutput[]): Plan {
  return {
    op: 'summarize',
    input: windows,
    keys: [{ name: columns[0]!.name, expr: col(TARGET, binType) }, ...dims.map((d) => ({ name: d.name, expr: col(d.name, d.expr.type) }))],
    outputs,
    argExtremes: [],
    columns,
  };
}

/** The leading positional arguments `names`, or an error naming the first one missing. */
function required(b: IrBuilder, args: SyntaxNodeData[], names: string[], plugin: string, op: SyntaxNodeData, scope: Scope): Expr[] {
  return names.map((name, i) => {
    const n = args[i];
    if (!n || n.kind === 'SimpleNamedExpression') throw b.unsupported(op, `${plugin}() without its ${name} argument (${SIGNATURES[plugin]})`);
    return b.expr(n, scope);
  });
}

const SIGNATURES: Record<string, string> = {
  rolling_percentile: 'rolling_percentile(ValueColumn, Percentile, IndexColumn, BinSize, BinsToLookBack [, dim1, …])',
  sliding_window_counts: 'sliding_window_counts(IdColumn, TimelineColumn, Start, End, LookbackWindow, Bin [, dim1, …])',
};

function dimensions(b: IrBuilder, args: SyntaxNodeData[], from: number, input: Plan, plugin: string): NamedExpr[] {
  return args.slice(from).map((a) => {
    const name = nameText(kids(a)[0] ?? a);
    const c = input.columns.find((x) => x.name === name);
    if (!c) throw b.unsupported(a, `a ${plugin}() dimension that is not a column of the input (${SIGNATURES[plugin]})`);
    return { name: c.name, expr: col(c.name, c.type) };
  });
}

/** `evaluate rolling_percentile(...)`: the percentile of each bin's window of BinsToLookBack bins (itself included). */
export function rollingPercentile(b: IrBuilder, op: SyntaxNodeData, args: SyntaxNodeData[], input: Plan, scope: Scope): Plan {
  const plugin = 'rolling_percentile';
  const [value, percentile, index, binSize, lookBack] = required(b, args, ['ValueColumn', 'Percentile', 'IndexColumn', 'BinSize', 'BinsToLookBack'], plugin, op, scope) as [Expr, Expr, Expr, Expr, Expr];
  if (!['long', 'int'].includes(lookBack.type)) throw b.unsupported(args[4]!, `a BinsToLookBack of type ${lookBack.type} (expected long: ${SIGNATURES[plugin]})`);
  const dims = dimensions(b, args, 5, input, plugin);
  const out = b.cols(op);
  const binned = call('bin', index.type, index, binSize);
  // Bins past the data's last bin would hold only look-back copies: Kusto does not output them.
  const lastBin: Expr = {
    k: 'scalarOf',
    type: index.type,
    plan: {
      op: 'summarize',
      input,
      keys: [],
      outputs: [{ name: 'last', type: index.type, expr: { k: 'aggregate', type: index.type, fn: 'max', args: [binned] } }],
      argExtremes: [],
      columns: [{ name: 'last', type: index.type }],
    },
  };
  const windows = windowed(input, [{ name: 'kql_value', expr: value }, ...dims], binned, binSize, lookBack, (t) => operator('<=', 'bool', t, lastBin));
  const result = out[out.length - 1]!;
  return perWindow(windows, out, index.type, dims, [
    { name: result.name, type: result.type, expr: { k: 'aggregate', type: result.type, fn: 'percentile', args: [col('kql_value', value.type), percentile] } },
  ]);
}

/** `evaluate sliding_window_counts(...)`: per bin, the count and distinct count of ids over the look-back window ending with it. */
export function slidingWindowCounts(b: IrBuilder, op: SyntaxNodeData, args: SyntaxNodeData[], input: Plan, scope: Scope): Plan {
  const plugin = 'sliding_window_counts';
  const [id, time, start, end, lookback, bin] = required(b, args, ['IdColumn', 'TimelineColumn', 'Start', 'End', 'LookbackWindow', 'Bin'], plugin, op, scope) as [Expr, Expr, Expr, Expr, Expr, Expr];
  const dims = dimensions(b, args, 6, input, plugin);
  const out = b.cols(op);
  const binned = call('bin_at', time.type, time, bin, start);
  const lastBin = call('bin_at', time.type, end, bin, start);
  const inRange: Plan = {
    op: 'where',
    input,
    predicate: { k: 'and', type: 'bool', args: [operator('>=', 'bool', binned, start), operator('<=', 'bool', binned, lastBin)] },
    columns: input.columns,
  };
  // Windows of LookbackWindow / Bin bins (at least one).
  const count = call('max_of', 'long', lit('long', '1'), call('tolong', 'long', operator('/', 'real', lookback, bin)));
  const windows = windowed(inRange, [{ name: 'kql_id', expr: id }, ...dims], binned, bin, count, (t) => operator('<=', 'bool', t, lastBin));
  const [countOut, dcountOut] = [out[out.length - 2]!, out[out.length - 1]!];
  return perWindow(windows, out, time.type, dims, [
    { name: countOut.name, type: 'long', expr: { k: 'aggregate', type: 'long', fn: 'count', args: [] } },
    { name: dcountOut.name, type: 'long', expr: { k: 'aggregate', type: 'long', fn: 'dcount', args: [col('kql_id', id.type)] } },
  ]);
}
