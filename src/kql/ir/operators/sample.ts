import type { SyntaxNodeData } from '../../frontend/syntax.js';
import type { IrBuilder } from '../builder.js';
import type { Expr, Plan } from '../ir.js';
import type { Scope } from '../scope.js';
import { kids } from '../syntax-helpers.js';

/**
 * `sample N`: N rows picked at random; `sample-distinct N of Col`: N distinct values of Col
 * picked at random. Both are a shuffle (sort by rand()) and a take; the result's order is not
 * defined, as in Kusto.
 */
export function sample(b: IrBuilder, op: SyntaxNodeData, input: Plan, scope: Scope): Plan {
  const [countNode, columnNode] = kids(op).filter((c) => c.kind !== 'NamedParameter');
  const columns = b.cols(op);
  let rows = input;
  if (op.kind === 'SampleDistinctOperator') {
    const c = columns[0]!;
    rows = { op: 'distinct', input, columns, exprs: [{ name: c.name, expr: b.valueOf(columnNode!, scope) }] };
  }
  const random: Expr = { k: 'call', type: 'real', fn: 'rand', args: [] };
  const shuffled: Plan = { op: 'sort', input: rows, columns: rows.columns, keys: [{ expr: random, descending: false, nullsFirst: false }] };
  return { op: 'take', input: shuffled, count: b.expr(countNode!, scope), columns };
}
