import { KqlError } from '../../diagnostics.js';
import type { SyntaxNodeData } from '../../frontend/syntax.js';
import type { KqlType } from '../../types.js';
import type { IrBuilder } from '../builder.js';
import type { Expr, Plan } from '../ir.js';
import type { Scope } from '../scope.js';

const col = (name: string, type: KqlType): Expr => ({ k: 'column', type, name });
const str = (value: string): Expr => ({ k: 'literal', type: 'string', value });

/**
 * `_GetWatchlist('alias')`: the watchlist's CSV read when the query runs (every column as text),
 * with Sentinel's SearchKey and WatchlistItem (the row as a bag) beside its own columns.
 */
export function getWatchlist(b: IrBuilder, n: SyntaxNodeData, args: SyntaxNodeData[], scope: Scope): Plan {
  const arg = args[0] ? b.expr(args[0], scope) : undefined;
  if (!arg || arg.k !== 'literal' || typeof arg.value !== 'string') throw b.unsupported(n, "_GetWatchlist() of an alias that is not a constant string (expected _GetWatchlist('alias'))");
  const alias = arg.value;
  const source = b.watchlist(alias);
  if (!source) throw new KqlError('semantic', `_GetWatchlist('${alias}'): the workspace has no watchlist '${alias}' (a file watchlists/${alias}.csv)`);
  const read: Plan = {
    op: 'externalData', sources: [source.file], format: 'csv', ignoreFirstRecord: true,
    columns: source.columns.map((name) => ({ name, type: 'string' as KqlType })),
  };
  const item: Expr = { k: 'call', type: 'dynamic', fn: 'bag_pack', args: source.columns.flatMap((c) => [str(c), col(c, 'string')]) };
  const values: Record<string, Expr> = {
    _DTItemId: { k: 'call', type: 'string', fn: 'tostring', args: [{ k: 'call', type: 'long', fn: 'hash', args: [{ k: 'call', type: 'string', fn: 'tostring', args: [item] }] }] },
    LastUpdatedTimeUTC: { k: 'literal', type: 'datetime', value: null },
    SearchKey: col(source.searchKey, 'string'),
    WatchlistItem: item,
  };
  const columns = b.cols(n);
  return {
    op: 'project',
    input: read,
    exprs: columns.map((c) => ({ name: c.name, expr: values[c.name] ?? (source.columns.includes(c.name) ? col(c.name, 'string') : { k: 'literal', type: c.type, value: null }) })),
    columns,
  };
}
