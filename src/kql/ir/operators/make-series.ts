import type { SyntaxNodeData } from '../../frontend/syntax.js';
import { KqlError } from '../../diagnostics.js';
import type { IrBuilder } from '../builder.js';
import type { Expr, MakeSeriesSpec, NamedExpr, Plan } from '../ir.js';
import type { Scope } from '../scope.js';
import { allTokens, child, kids, namedParameters } from '../syntax-helpers.js';

/**
 * `T | make-series [kind=nonempty] [Col =] Agg [default = D], … on Axis from A to B step S by Keys`
 * (or `on Axis in range(A, B, S)`). Result columns (Kusto.Language's): the keys, one dynamic array
 * per aggregate, then the axis as a dynamic array named like the `on` column.
 */
export function buildMakeSeries(b: IrBuilder, op: SyntaxNodeData, input: Plan, scope: Scope): Plan {
  const columns = b.cols(op);
  const kindNode = namedParameters(op).get('kind');
  const kind = kindNode ? allTokens(kindNode).join('').toLowerCase() : '';
  if (kind && kind !== 'nonempty') throw b.unsupported(kindNode!, `make-series kind=${kind}`);

  const byClause = child(op, 'MakeSeriesByClause');
  const keyNodes = byClause ? kids(byClause) : [];
  const keys: NamedExpr[] = keyNodes.map((k, i) => ({ name: columns[i]!.name, expr: b.valueOf(k, scope) }));

  const aggNodes = kids(op).filter((c) => c.kind === 'MakeSeriesExpression');
  const aggregates = aggNodes.map((n, i) => {
    const [value, dflt] = kids(n);
    const call = value!.kind === 'SimpleNamedExpression' ? kids(value!)[1]! : value!;
    const expr = b.expr(call, scope, true);
    if (!containsAggregate(expr)) throw b.unsupported(call, 'make-series of an expression without an aggregate function');
    const defaultNode = dflt?.kind === 'DefaultExpressionClause' ? kids(dflt)[0] : undefined;
    // Empty bins hold the default: 0 unless given (null where 0 is no value of the aggregate's type).
    const zero = ['int', 'long', 'real', 'decimal', 'timespan'].includes(expr.type) ? '0' : null;
    const fill: Expr = defaultNode ? b.expr(defaultNode, scope) : { k: 'literal', type: expr.type, value: zero };
    return { name: columns[keys.length + i]!.name, expr, default: fill };
  });

  const onClause = child(op, 'MakeSeriesOnClause');
  if (!onClause) throw b.unsupported(op, 'make-series without an on clause');
  const axis: NamedExpr = { name: columns[columns.length - 1]!.name, expr: b.expr(kids(onClause)[0]!, scope) };
  if (!['datetime', 'timespan', 'long', 'int', 'real', 'decimal'].includes(axis.expr.type)) {
    throw b.unsupported(onClause, `make-series on a ${axis.expr.type} axis (it must be datetime, timespan or numeric)`);
  }

  const spec: MakeSeriesSpec = { keys, aggregates, axis, step: { k: 'literal', type: 'long', value: '0' }, nonEmpty: kind === 'nonempty' };
  const fromTo = child(op, 'MakeSeriesFromToStepClause');
  const inRange = child(op, 'MakeSeriesInRangeClause');
  if (fromTo) {
    const part = (kind: string) => {
      const c = child(fromTo, kind);
      return c ? bound(b.expr(kids(c)[0]!, scope), scope) : undefined;
    };
    const from = part('MakeSeriesFromClause');
    const to = part('MakeSeriesToClause');
    const step = part('MakeSeriesStepClause');
    if (!step) throw b.unsupported(fromTo, 'make-series without a step');
    spec.step = step;
    if (from) spec.from = from;
    if (to) spec.to = to;
  } else if (inRange) {
    // `in range(start, stop, step)`: the older form, where stop is the last bin (inclusive).
    const [from, stop, step] = kids(child(inRange, 'ExpressionList') ?? inRange).map((n) => bound(b.expr(n, scope), scope));
    if (!from || !stop || !step) throw b.unsupported(inRange, 'make-series in range() without start, stop and step');
    spec.from = from;
    spec.to = { k: 'op', type: stop.type, op: '+', args: [stop, step] };
    spec.step = step;
  } else {
    throw b.unsupported(op, 'make-series without a step (from … to … step …)');
  }
  return { op: 'makeSeries', input, ...spec, columns };
}

/**
 * The axis bounds and step are scalars, evaluated once, not per row. Kusto.Language binds a name
 * there to the input's column when one has that name (`let EndTime = now(); Usage | make-series
 * … in range(StartTime, EndTime, 10m)`, where Usage has EndTime): the let-bound value is meant.
 */
function bound(e: Expr, scope: Scope): Expr {
  switch (e.k) {
    case 'column': {
      const let_ = scope.lookup(e.name);
      if (let_?.kind === 'scalar') return let_.expr;
      throw new KqlError('semantic', `make-series: the axis bounds and step are single values, but ${e.name} is a column of the input`);
    }
    case 'call': case 'op':
      return { ...e, args: e.args.map((a) => bound(a, scope)) };
    case 'and': case 'or':
      return { ...e, args: e.args.map((a) => bound(a, scope)) };
    case 'not':
      return { ...e, arg: bound(e.arg, scope) };
    case 'path':
      return { ...e, base: bound(e.base, scope) };
    default:
      return e;
  }
}

function containsAggregate(e: Expr): boolean {
  if (e.k === 'aggregate') return true;
  if (e.k === 'call' || e.k === 'op') return e.args.some(containsAggregate);
  return false;
}
