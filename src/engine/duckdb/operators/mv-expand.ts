import type { Plan, PlanOf } from '../../../kql/ir/ir.js';
import type { KqlType } from '../../../kql/types.js';
import type { SqlValue } from '../../dialect.js';
import type { DuckDbCompiler } from '../compiler.js';
import { fromDynamic, toDynamicSql } from '../functions/dynamic.js';
import { sqlIdent } from '../sql-text.js';

/**
 * mv-expand in SQL: each expanded value becomes a DuckDB list (`__l<i>`), then one row per index
 * `__i` in `range(0, longest list)` (capped by `limit`), reading `__l<i>[__i + 1]`. Lists of
 * different lengths are thereby zipped, the shorter ones padded with null, and a row whose
 * lists are all empty disappears, as Kusto does.
 */
export function compileMvExpand(c: DuckDbCompiler, p: PlanOf<'mvExpand'>): string {
  const lists = p.items.map((it, i) => `${expansionList(c.expr(it.expr, {}), p.bagExpansion)} AS "__l${i}"`);
  const lengths = p.items.map((_, i) => `len("__l${i}")`);
  const longest = lengths.length === 1 ? lengths[0]! : `greatest(${lengths.join(', ')})`;
  const count = p.limit ? `least(${longest}, ${c.expr(p.limit, {}).sql})` : longest;
  const withLists = `SELECT *, ${lists.join(', ')} FROM ${c.from(p.input)}`;
  const indexed = `SELECT *, unnest(range(0, ${count})) AS "__i" FROM (${withLists}) AS ${c.alias()}`;
  const cols = p.columns.map((col) => {
    const k = p.items.findIndex((it) => it.name === col.name);
    if (k >= 0) return `${element(`"__l${k}"["__i" + 1]`, p.items[k]!.type)} AS ${sqlIdent(col.name)}`;
    if (col.name === p.indexColumn) return `"__i" AS ${sqlIdent(col.name)}`;
    return sqlIdent(col.name);
  });
  return `SELECT ${cols.join(', ')} FROM (${indexed}) AS ${c.alias()}`;
}

/**
 * The elements one value expands to: an array's elements; a property bag's properties, each as
 * a one-property bag (kind=bag) or a `[key, value]` array (kind=array); null as one null row;
 * any other value as itself. An empty array or bag expands to nothing.
 */
function expansionList(v: SqlValue, bagExpansion: 'bag' | 'array'): string {
  const d = toDynamicSql(v);
  const entry = bagExpansion === 'bag' ? 'json_object(e.key, e.value)' : 'json_array(e.key, e.value)';
  return `(CASE json_type(${d}) WHEN 'ARRAY' THEN CAST(${d} AS JSON[]) ` +
    `WHEN 'OBJECT' THEN list_transform(map_entries(CAST(${d} AS MAP(VARCHAR, JSON))), e -> ${entry}) ` +
    `WHEN 'NULL' THEN [CAST(NULL AS JSON)] ELSE [${d}] END)`;
}

/** JSON types an element may have to take a numeric or bool `to typeof(T)`. */
const CONFORMING: Partial<Record<KqlType, string[]>> = {
  int: ['BIGINT', 'UBIGINT'],
  long: ['BIGINT', 'UBIGINT'],
  real: ['BIGINT', 'UBIGINT', 'DOUBLE'],
  decimal: ['BIGINT', 'UBIGINT', 'DOUBLE'],
  bool: ['BOOLEAN'],
};

/**
 * An expanded element as the column's type (`to typeof(T)`). Kusto only casts here, it does not
 * parse: a numeric or bool column gets null for elements of another JSON type (`"2"` is no long).
 */
function element(json: string, type: KqlType): string {
  if (type === 'dynamic') return json;
  const conforming = CONFORMING[type];
  if (!conforming) return fromDynamic(json, type);
  return `(CASE WHEN json_type(${json}) IN (${conforming.map((t) => `'${t}'`).join(', ')}) THEN ${fromDynamic(json, type)} END)`;
}

/** The outer row's alias for each mv-apply sub-query leaf, while that sub-query compiles. */
const applyRowAliases = new WeakMap<Plan, string>();

/**
 * mv-apply: a LATERAL join of each input row with its sub-query, so the sub-query (top, summarize,
 * …) runs per row and DuckDB decorrelates it into set-based plans.
 */
export function compileMvApply(c: DuckDbCompiler, p: PlanOf<'mvApply'>): string {
  const outer = c.alias();
  const input = c.plan(p.input);
  applyRowAliases.set(p.row, outer);
  const sub = c.plan(p.sub);
  applyRowAliases.delete(p.row);
  const inner = c.alias();
  const fromSub = new Set(p.sub.columns.map((col) => col.name));
  const cols = p.columns.map((col) => `${fromSub.has(col.name) ? inner : outer}.${sqlIdent(col.name)} AS ${sqlIdent(col.name)}`);
  return `SELECT ${cols.join(', ')} FROM (${input}) AS ${outer}, LATERAL (${sub}) AS ${inner}`;
}

/** The current outer row inside an mv-apply sub-query: a one-row SELECT of correlated columns. */
export function compileApplyRow(p: PlanOf<'applyRow'>): string {
  const outer = applyRowAliases.get(p);
  if (!outer) throw new Error('mv-apply row outside its sub-query');
  return `SELECT ${p.columns.map((col) => `${outer}.${sqlIdent(col.name)} AS ${sqlIdent(col.name)}`).join(', ')}`;
}
