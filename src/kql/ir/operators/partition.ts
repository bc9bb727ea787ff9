import type { SyntaxNodeData } from '../../frontend/syntax.js';
import type { IrBuilder } from '../builder.js';
import type { Plan } from '../ir.js';
import type { Scope } from '../scope.js';
import { allTokens, child, kids, namedParameters } from '../syntax-helpers.js';

/**
 * `partition [hint.strategy=…] by Col ( subquery )`: the subquery's operators run once per
 * distinct value of Col over that value's rows (the `partitionRows` leaf). In the
 * `partition by Col { query }` form the query has its own source and reads the key as `Col`. The input is shared
 * (materialized) between the distinct keys and the per-key rows. Every strategy gives the same
 * result, so the hints are accepted and not needed.
 */
export function partition(b: IrBuilder, op: SyntaxNodeData, input: Plan, scope: Scope): Plan {
  const strategy = namedParameters(op).get('hint.strategy');
  if (strategy && !['native', 'shuffle', 'legacy'].includes(allTokens(strategy).join('').toLowerCase())) {
    throw b.unsupported(strategy, `partition hint.strategy=${allTokens(strategy).join('')}`);
  }
  const keyNode = kids(op).find((c) => c.kind !== 'NamedParameter' && c.kind !== 'PartitionSubquery' && c.kind !== 'PartitionQuery');
  const subquery = child(op, 'PartitionSubquery');
  const query = child(op, 'PartitionQuery');
  const shared: Plan = { op: 'materialize', id: 0, input, columns: input.columns };
  if (keyNode?.kind === 'NameReference' && query) {
    // `partition by Col { query }`: a whole query per key, in which Col names the key's value
    const keyColumn = allTokens(keyNode).join('');
    return { op: 'partition', input: shared, key: b.expr(keyNode, scope), keyColumn, sub: b.plan(kids(query)[0]!, scope), columns: b.cols(op) };
  }
  if (!keyNode || !subquery) throw b.unsupported(op, 'this form of partition (`partition by Col ( operators )` and `partition by Col { query }` are supported)');
  const rows: Plan = { op: 'partitionRows', columns: input.columns };
  const chain = (n: SyntaxNodeData): Plan => {
    if (n.kind === 'PipeExpression') {
      const [left, right] = kids(n);
      return b.operator(right!, chain(left!), scope);
    }
    if (n.kind === 'ParenthesizedExpression') return chain(kids(n)[0]!);
    if (n.tabular && !n.kind.endsWith('Operator')) throw b.unsupported(n, 'a partition subquery that starts from a table (write the operators to apply to each partition)');
    return b.operator(n, rows, scope);
  };
  const sub = chain(kids(subquery)[0]!);
  return { op: 'partition', input: shared, key: b.expr(keyNode, scope), rows, sub, columns: b.cols(op) };
}
