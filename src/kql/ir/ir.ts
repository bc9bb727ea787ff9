import type { Column, KqlType } from '../types.js';

/**
 * Quarry's typed intermediate representation of a KQL query: tabular operators (`Plan`) over
 * scalar expressions (`Expr`). Every node carries the KQL type Kusto.Language resolved, and every
 * plan node its result columns. The IR is engine-neutral; dialects compile it to SQL.
 */

/** Values of literals: strings, numbers as decimal text (exact for longs), booleans, null. */
export type LiteralJs = string | boolean | null;

export type Expr =
  /** A literal. datetime: ISO text; timespan: 100-ns ticks as decimal text; numbers: decimal text; dynamic: JSON text. */
  | { k: 'literal'; type: KqlType; value: LiteralJs }
  | { k: 'column'; type: KqlType; name: string }
  /** A built-in scalar function. */
  | { k: 'call'; type: KqlType; fn: string; args: Expr[] }
  /** An operator (`+`, `==`, `has`, `in`, `between`, …); for `in`-style operators args = [lhs, ...items]. */
  | { k: 'op'; type: KqlType; op: string; args: Expr[] }
  /** `x in (T | project c)`: membership in the first column of a tabular expression. */
  | { k: 'inPlan'; type: 'bool'; op: string; arg: Expr; plan: Plan }
  | { k: 'and' | 'or'; type: 'bool'; args: Expr[] }
  | { k: 'not'; type: 'bool'; arg: Expr }
  /** Dynamic member access: `d.a`, `d['k']`, `d[0]`, `d[-1]`. */
  | { k: 'path'; type: KqlType; base: Expr; steps: Array<string | number | Expr> }
  /** An aggregate, only inside summarize (and the implicit one of `count`). */
  | { k: 'aggregate'; type: KqlType; fn: string; args: Expr[] }
  /** `toscalar(T)`: the first column of the first row. */
  | { k: 'scalarOf'; type: KqlType; plan: Plan }
  /** Window functions over the serialized row order: row_number, prev, next, row_cumsum. */
  | { k: 'window'; type: KqlType; fn: string; args: Expr[] }
  /** `now()` with an optional offset, fixed once per query. */
  | { k: 'now'; type: 'datetime' };

export interface NamedExpr {
  name: string;
  expr: Expr;
}

export interface SortKey {
  expr: Expr;
  descending: boolean;
  nullsFirst: boolean;
}

export type JoinKind =
  | 'innerunique' | 'inner' | 'leftouter' | 'rightouter' | 'fullouter'
  | 'leftanti' | 'rightanti' | 'leftsemi' | 'rightsemi';

/** One output of an aggregate that yields several columns (arg_max(x, *), percentiles). */
export interface SummarizeOutput {
  name: string;
  type: KqlType;
  /** The aggregate expression (scalar, may wrap aggregates). */
  expr?: Expr;
  /** For arg_max/arg_min: which aggregate and which of its carried columns. */
  argExtreme?: { id: number; field: Expr | 'by' };
}

export interface ArgExtreme {
  id: number;
  fn: 'arg_max' | 'arg_min';
  by: Expr;
  carried: Expr[];
}

export type Plan = { columns: Column[] } & (
  | { op: 'table'; name: string; exists: boolean }
  | { op: 'datatable'; rows: Expr[][] }
  | { op: 'print'; exprs: NamedExpr[] }
  | { op: 'range'; from: Expr; to: Expr; step: Expr }
  | { op: 'where'; input: Plan; predicate: Expr }
  /** project, extend, project-away/keep/rename/reorder all become a projection. */
  | { op: 'project'; input: Plan; exprs: NamedExpr[] }
  | { op: 'summarize'; input: Plan; keys: NamedExpr[]; outputs: SummarizeOutput[]; argExtremes: ArgExtreme[] }
  | { op: 'sort'; input: Plan; keys: SortKey[] }
  | { op: 'take'; input: Plan; count: Expr }
  | { op: 'distinct'; input: Plan; exprs: NamedExpr[] }
  | { op: 'union'; inputs: Array<{ plan: Plan; source: string }>; outer: boolean; sourceColumn?: string }
  | { op: 'join'; kind: JoinKind; left: Plan; right: Plan; on: Array<{ left: Expr; right: Expr }> }
  | { op: 'getschema'; input: Plan }
  | { op: 'count'; input: Plan }
  /** Marks where row order becomes defined (serialize, sort); window functions read it. */
  | { op: 'serialize'; input: Plan }
  /** A shared sub-plan (materialize()): evaluated once. */
  | { op: 'materialize'; id: number; input: Plan }
);

export type PlanOf<K extends Plan['op']> = Extract<Plan, { op: K }>;

/** What `render` asked for: returned with the result as metadata. */
export interface RenderSpec {
  kind: string;
  properties: Record<string, unknown>;
}

export interface QueryIR {
  plan: Plan;
  render: RenderSpec | null;
  /** `set` options (notruncation, query_now, …). */
  options: Record<string, string | boolean>;
}
