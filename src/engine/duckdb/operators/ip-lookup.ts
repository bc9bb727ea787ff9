import type { PlanOf } from '../../../kql/ir/ir.js';
import type { DuckDbCompiler } from '../compiler.js';
import { sqlIdent } from '../sql-text.js';
import { lookupJoin } from './lookup-join.js';

/**
 * ipv4_lookup as a range join: each lookup network becomes [first, last] address numbers and
 * each input address a number, so DuckDB joins on `address BETWEEN first AND last` (its range
 * join) instead of testing every pair with a function. Malformed addresses match nothing.
 */
export function compileIpLookup(c: DuckDbCompiler, p: PlanOf<'ipLookup'>): string {
  const L = c.alias();
  const R = c.alias();
  const address = (col: string) => `kql_ipv4_masked(${col}, 32)`;
  const lookupKey = sqlIdent(p.lookupKey);
  const ranged = `SELECT *, kql_ipv4_masked(${lookupKey}, 32) AS kql_first, ` +
    `kql_ipv4_masked(${lookupKey}, 32) + (1::BIGINT << (32 - kql_ipv4_prefix(${lookupKey}))) - 1 AS kql_last FROM (${c.plan(p.lookup)})`;
  const conditions = [
    `${address(`${L}.${sqlIdent(p.sourceKey)}`)} BETWEEN ${R}.kql_first AND ${R}.kql_last`,
    ...p.extraKeys.map((k) => `${L}.${sqlIdent(k)} = ${R}.${sqlIdent(k)}`),
  ];
  const extra = new Set(p.extraKeys);
  return lookupJoin({
    L, R, inputSql: c.plan(p.input), lookupSql: ranged, input: p.input, columns: p.columns, returnUnmatched: p.returnUnmatched,
    lookupColumns: p.lookup.columns.filter((col) => !extra.has(col.name)),
    condition: conditions.join(' AND '),
  });
}
