/**
 * pack_all([ignore_null_empty]) and bag_pack_columns(c1, c2, …): bags keyed by column names,
 * which only the builder knows. Both become a `pack_all` call whose arguments are the flag and
 * then name/value pairs; the dialect builds the bag from those.
 */
import type { Column } from '../../types.js';
import type { Expr } from '../ir.js';

const name = (text: string): Expr => ({ k: 'literal', type: 'string', value: text });

/** pack_all: every column of the row, in order. */
export function packAllExpr(rowColumns: Column[], ignoreNullEmpty: Expr | undefined): Expr {
  const pairs = rowColumns.flatMap((c) => [name(c.name), { k: 'column', type: c.type, name: c.name } as Expr]);
  return { k: 'call', type: 'dynamic', fn: 'pack_all', args: [ignoreNullEmpty ?? { k: 'literal', type: 'bool', value: false }, ...pairs] };
}

/** bag_pack_columns: the named columns, keyed by their names. */
export function packColumnsExpr(columns: Array<{ name: string; value: Expr }>): Expr {
  const pairs = columns.flatMap((c) => [name(c.name), c.value]);
  return { k: 'call', type: 'dynamic', fn: 'pack_all', args: [{ k: 'literal', type: 'bool', value: false }, ...pairs] };
}

/** estimate_data_size(*): the star stands for every column of the row. */
export function rowColumnRefs(rowColumns: Column[]): Expr[] {
  return rowColumns.map((c): Expr => ({ k: 'column', type: c.type, name: c.name }));
}
