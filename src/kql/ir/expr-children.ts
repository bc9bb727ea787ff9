import type { Expr } from './ir.js';

/**
 * `e` with each direct sub-expression replaced by `f(sub)`, in source order; leaves (literal, column,
 * now) and subquery plans (`inPlan`'s plan, `scalarOf`) are kept as they are.
 */
export function mapExprChildren(e: Expr, f: (x: Expr) => Expr): Expr {
  switch (e.k) {
    case 'call': case 'op': case 'aggregate': case 'window':
      return { ...e, args: e.args.map(f) } as Expr;
    case 'and': case 'or':
      return { ...e, args: e.args.map(f) };
    case 'not': case 'inPlan':
      return { ...e, arg: f(e.arg) };
    case 'path':
      return { ...e, base: f(e.base), steps: e.steps.map((s) => (typeof s === 'object' ? f(s) : s)) };
    default:
      return e;
  }
}

/** `e`'s direct sub-expressions, in source order (none for leaves; subquery plans are not entered). */
export function exprChildren(e: Expr): Expr[] {
  switch (e.k) {
    case 'call': case 'op': case 'aggregate': case 'window': case 'and': case 'or':
      return e.args;
    case 'not': case 'inPlan':
      return [e.arg];
    case 'path':
      return [e.base, ...e.steps.filter((s): s is Expr => typeof s === 'object')];
    default:
      return [];
  }
}
