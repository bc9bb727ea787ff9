import type { SyntaxNodeData } from '../../frontend/syntax.js';
import type { IrBuilder } from '../builder.js';
import type { Expr, Plan } from '../ir.js';
import type { Scope } from '../scope.js';
import { allTokens, child, kids } from '../syntax-helpers.js';

/** One level of top-nested: group by `key`, keep the top `count` groups by `aggregate`. */
export interface TopNestedLevel {
  key: Expr;
  keyName: string;
  /** Absent: all groups (`top-nested of x by …`). */
  count?: Expr;
  /** `with others = v`: one more group, keyed v, over the rows outside the top groups. */
  others?: Expr;
  aggregate: Expr;
  aggregateName: string;
  descending: boolean;
  nullsFirst: boolean;
}

/** `top-nested [N] of Expr [with others = v] by Aggregate [asc|desc], …` */
export function topNested(b: IrBuilder, op: SyntaxNodeData, input: Plan, scope: Scope): Plan {
  const columns = b.cols(op);
  const clauses = kids(op).filter((c) => c.kind === 'TopNestedClause');
  const levels: TopNestedLevel[] = clauses.map((clause, i) => {
    const parts = kids(clause);
    const othersClause = child(clause, 'TopNestedWithOthersClause');
    const rest = parts.filter((p) => p !== othersClause);
    // [count] key aggregate: the count is there when three parts remain.
    const [countNode, keyNode, aggNode] = rest.length >= 3 ? rest : [undefined, rest[0], rest[1]];
    let agg = aggNode!;
    let descending = true;
    let nullsFirst: boolean | undefined;
    if (agg.kind === 'OrderedExpression') {
      const ordering = child(agg, 'OrderingClause');
      const toks = ordering ? allTokens(ordering).map((t) => t.toLowerCase()) : [];
      if (toks.includes('asc')) descending = false;
      if (toks.includes('first')) nullsFirst = true;
      if (toks.includes('last')) nullsFirst = false;
      agg = kids(agg)[0]!;
    }
    return {
      key: b.valueOf(keyNode!, scope),
      keyName: columns[2 * i]!.name,
      count: countNode ? b.expr(countNode, scope) : undefined,
      others: othersClause ? b.expr(kids(othersClause)[0]!, scope) : undefined,
      aggregate: b.expr(agg.kind === 'SimpleNamedExpression' ? kids(agg)[1]! : agg, scope, true),
      aggregateName: columns[2 * i + 1]!.name,
      descending,
      nullsFirst: nullsFirst ?? !descending,
    };
  });
  return { op: 'topNested', input, levels, columns };
}
