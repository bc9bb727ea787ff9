/**
 * column_ifexists(name, default): the row's column of that name, else the default. Kusto.Language
 * types the call as the default's type, so an existing column of another type is converted to it.
 */
import { KqlError } from '../../diagnostics.js';
import type { Column, KqlType } from '../../types.js';
import type { Expr } from '../ir.js';

const CONVERTERS: Record<KqlType, string> = {
  bool: 'tobool', int: 'toint', long: 'tolong', real: 'toreal', decimal: 'todecimal', string: 'tostring',
  datetime: 'todatetime', timespan: 'totimespan', guid: 'toguid', dynamic: 'todynamic',
};

export function columnIfExistsExpr(rowColumns: Column[], name: Expr, fallback: Expr, type: KqlType): Expr {
  if (name.k !== 'literal' || typeof name.value !== 'string') throw new KqlError('unsupported', 'function column_ifexists(): the column name must be a string literal');
  const column = rowColumns.find((c) => c.name === name.value);
  if (!column) return fallback;
  const ref: Expr = { k: 'column', type: column.type, name: column.name };
  return column.type === type ? ref : { k: 'call', type, fn: CONVERTERS[type], args: [ref] };
}
