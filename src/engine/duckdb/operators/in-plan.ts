/**
 * `x in (T)`, `x in~ (T)` (and their negations) with a tabular right side: x is tested against
 * the first column of T. Kusto flattens dynamic arrays in an in-list, so a column of arrays —
 * the `summarize make_list(x)` that Sentinel's rules hand to `in~` — contributes its elements.
 * A dynamic left side is compared by its text (tostring), as Kusto compares a dynamic string
 * with strings; `in~` folds both sides to lower case.
 */
import type { Column } from '../../../kql/types.js';
import type { SqlValue } from '../../dialect.js';
import { toStringSql } from '../functions/conversion.js';
import { sqlIdent } from '../sql-text.js';

export function compileInPlan(x: SqlValue, sub: string, column: Column, op: string, alias: string): string {
  const ci = op.includes('~');
  const fold = (s: string) => (ci ? `lower(${s})` : s);
  const c = sqlIdent(column.name);
  let lhs: string;
  let values: string;
  if (column.type === 'dynamic') {
    // Each row's array contributes its elements (as text); any other value contributes itself.
    const elements = `unnest(CASE WHEN json_type(${c}) = 'ARRAY' THEN json_extract_string(${c}, '$[*]') ELSE [json_extract_string(${c}, '$')] END)`;
    lhs = fold(toStringSql(x));
    values = `SELECT ${fold('kql_v')} FROM (SELECT ${elements} AS kql_v FROM (${sub}) AS ${alias})`;
  } else if (ci || (x.type === 'dynamic' && column.type === 'string')) {
    lhs = fold(toStringSql(x));
    values = `SELECT ${fold(toStringSql({ sql: c, type: column.type }))} FROM (${sub}) AS ${alias}`;
  } else {
    lhs = x.sql;
    values = `SELECT ${c} FROM (${sub}) AS ${alias}`;
  }
  const test = `coalesce(${lhs} IN (${values}), false)`;
  return op.startsWith('!') ? `(NOT ${test})` : test;
}
