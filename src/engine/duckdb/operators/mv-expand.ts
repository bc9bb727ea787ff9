import type { Expr, Plan, PlanOf } from '../../../kql/ir/ir.js';
import type { KqlType } from '../../../kql/types.js';
import type { DuckDbCompiler } from '../compiler.js';
import { fromDynamic, toDynamicSql } from '../functions/dynamic.js';
import { sqlIdent } from '../sql-text.js';

/**
 * mv-expand in SQL: each expanded value becomes a DuckDB list (`__l<i>`), unnested side by side in
 * one SELECT. DuckDB zips several unnests, padding the shorter lists with null, and a row whose
 * lists are all empty disappears, as Kusto does. The item index (with_itemindex, limit) is one
 * more list unnested beside them, `range(0, longest list)`.
 */
export function compileMvExpand(c: DuckDbCompiler, p: PlanOf<'mvExpand'>): string {
  // Each value is computed once (`__d<i>`), then turned into its list (`__l<i>`): a JSON[] from
  // the dynamic value, or a VARCHAR[] straight from split(), which skips the JSON round trip.
  const native = p.items.map((it) => nativeStringList(c, it.expr));
  const values = p.items.map((it, i) => `${native[i] ?? toDynamicSql(c.expr(it.expr, {}))} AS "__d${i}"`);
  const lists = p.items.map((_, i) => `${native[i] ? `"__d${i}"` : expansionList(`"__d${i}"`, p.bagExpansion)} AS "__l${i}"`);
  const unnests = p.items.map((_, i) => `unnest("__l${i}") AS "__v${i}"`);
  const needsIndex = p.indexColumn !== undefined || p.limit !== undefined;
  if (needsIndex) {
    const lengths = p.items.map((_, i) => `len("__l${i}")`);
    unnests.push(`unnest(range(0, ${lengths.length === 1 ? lengths[0] : `greatest(${lengths.join(', ')})`})) AS "__i"`);
  }
  const withValues = `SELECT *, ${values.join(', ')} FROM ${c.from(p.input)}`;
  const withLists = `SELECT *, ${lists.join(', ')} FROM (${withValues}) AS ${c.alias()}`;
  const expanded = `SELECT *, ${unnests.join(', ')} FROM (${withLists}) AS ${c.alias()}`;
  const cols = p.columns.map((col) => {
    const k = p.items.findIndex((it) => it.name === col.name);
    if (k >= 0) {
      const item = `"__v${k}"`;
      const value = native[k] ? stringElement(item, p.items[k]!.type) : element(item, p.items[k]!.type);
      return `${value} AS ${sqlIdent(col.name)}`;
    }
    if (col.name === p.indexColumn) return `"__i" AS ${sqlIdent(col.name)}`;
    return sqlIdent(col.name);
  });
  const limit = p.limit ? ` WHERE "__i" < ${c.expr(p.limit, {}).sql}` : '';
  return `SELECT ${cols.join(', ')} FROM (${expanded}) AS ${c.alias()}${limit}`;
}

/**
 * The elements one value expands to: an array's elements; a property bag's properties, each as
 * a one-property bag (kind=bag) or a `[key, value]` array (kind=array); null as one null row;
 * any other value as itself. An empty array or bag expands to nothing.
 */
function expansionList(d: string, bagExpansion: 'bag' | 'array'): string {
  const entry = bagExpansion === 'bag' ? 'json_object(__entry.key, __entry.value)' : 'json_array(__entry.key, __entry.value)';
  return `(CASE json_type(${d}) WHEN 'ARRAY' THEN CAST(${d} AS JSON[]) ` +
    `WHEN 'OBJECT' THEN list_transform(map_entries(CAST(${d} AS MAP(VARCHAR, JSON))), __entry -> ${entry}) ` +
    `WHEN 'NULL' THEN [CAST(NULL AS JSON)] ELSE [${d}] END)`;
}

/**
 * JSON types an element may have to take a numeric or bool `to typeof(T)`. A real element
 * becomes an int or long by truncation: Kusto's own `baseline to typeof(long)` over
 * series_decompose_anomalies' real baselines gives them truncated (TimeSeriesDemo.csv).
 */
const CONFORMING: Partial<Record<KqlType, string[]>> = {
  int: ['BIGINT', 'UBIGINT', 'DOUBLE'],
  long: ['BIGINT', 'UBIGINT', 'DOUBLE'],
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

/** `split(s, sep)` as DuckDB's native VARCHAR[] (the dialect's split() is `to_json(<that list>)`). */
function nativeStringList(c: DuckDbCompiler, e: Expr): string | undefined {
  if (e.k !== 'call' || e.fn !== 'split' || e.args.length !== 2) return undefined;
  const sql = c.expr(e, {}).sql;
  const m = /^to_json\((string_split\(.*\))\)$/s.exec(sql);
  return m && balanced(m[1]!) ? m[1] : undefined;
}

/** Whether the parentheses of SQL text (outside string literals) pair up. */
function balanced(sql: string): boolean {
  let depth = 0;
  let inString = false;
  for (const ch of sql) {
    if (ch === "'") inString = !inString;
    else if (!inString && ch === '(') depth++;
    else if (!inString && ch === ')' && --depth < 0) return false;
  }
  return depth === 0 && !inString;
}

/** An element of a native string list as the column's type. */
function stringElement(sql: string, type: KqlType): string {
  if (type === 'string') return `coalesce(${sql}, '')`;
  return element(`to_json(${sql})`, type);
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
