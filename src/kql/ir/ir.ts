import type { Column, KqlType } from '../types.js';
import type { ParseKvSpec, ParsePattern } from './parse-plans.js';
import type { TopNestedLevel } from './operators/top-nested.js';
import type { ExternalDataFormat } from './operators/external-data.js';
import type { ScanSpec } from './operators/scan.js';

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
  /** union; `sourceClash` names an input column that was called like `sourceColumn` (renamed as Kusto does). */
  | { op: 'union'; inputs: Array<{ plan: Plan; source: string }>; outer: boolean; sourceColumn?: string; sourceClash?: string }
  | { op: 'join'; kind: JoinKind; left: Plan; right: Plan; on: Array<{ left: Expr; right: Expr }> }
  | { op: 'getschema'; input: Plan }
  | { op: 'count'; input: Plan }
  /** Marks where row order becomes defined (serialize, sort); window functions read it. */
  | { op: 'serialize'; input: Plan }
  /** A shared sub-plan (materialize()): evaluated once. */
  | { op: 'materialize'; id: number; input: Plan }
  /** parse / parse-where (`dropUnmatched`): columns extracted from `source` by a pattern. */
  | { op: 'parse'; input: Plan; source: Expr; pattern: ParsePattern; dropUnmatched: boolean }
  /** parse-kv: the listed keys' values extracted from `source`. */
  | ({ op: 'parseKv'; input: Plan; source: Expr } & ParseKvSpec)
  /** mv-expand: one output row per element of the expanded arrays (zipped by index). */
  | { op: 'mvExpand'; input: Plan; items: MvExpandItem[]; bagExpansion: 'bag' | 'array'; indexColumn?: string; limit?: Expr }
  /** mv-apply: `sub` runs once per input row over that row's expansion (leaf: `applyRow`). */
  | { op: 'mvApply'; input: Plan; row: Plan; sub: Plan }
  /** Inside mv-apply's sub-query: the one current input row. */
  | { op: 'applyRow' }
  | ({ op: 'makeSeries'; input: Plan } & MakeSeriesSpec)
  /** top-nested: one row per leaf group, each level's key and aggregate. */
  | { op: 'topNested'; input: Plan; levels: TopNestedLevel[] }
  /** evaluate geo_polygon_lookup / geo_line_lookup: input rows joined to the lookup rows whose shape is at their point. */
  | { op: 'geoLookup'; input: Plan; lookup: Plan; shape: 'polygon' | 'line'; key: string; longitude: Expr; latitude: Expr; radius?: Expr; returnUnmatched: boolean; returnLookupKey: boolean }
  /** evaluate ipv4_lookup: input rows joined to the lookup rows whose network (CIDR text) holds their address. */
  | { op: 'ipLookup'; input: Plan; lookup: Plan; sourceKey: string; lookupKey: string; extraKeys: string[]; returnUnmatched: boolean }
  /**
   * partition: `sub` runs once per distinct `key`, either over that key's rows (its leaf: `rows`,
   * the `( operators )` form) or as a whole query that sees the key as the scalar column
   * `keyColumn` (the `{ query }` form).
   */
  | { op: 'partition'; input: Plan; key: Expr; sub: Plan; rows?: Plan; keyColumn?: string }
  /** Inside a partition's subquery: the current partition's rows. */
  | { op: 'partitionRows' }
  /** externaldata: rows read from files (or URLs) in a given format. */
  | { op: 'externalData'; sources: string[]; format: ExternalDataFormat; ignoreFirstRecord: boolean }
  /** A model fitted over all input rows (evaluate isolation_forest, kmeans, dbscan): its outputs appended to each row. */
  | ({ op: 'model'; input: Plan } & ModelSpec)
  /** evaluate autocluster / basket / diffpatterns: one row per pattern found in the input (operators/pattern-plugins.ts). */
  | ({ op: 'patterns'; input: Plan } & PatternSpec)
  /** scan: a sequential state machine over the numbered input (operators/scan.ts). */
  | ({ op: 'scan'; input: Plan } & ScanSpec)
);

/**
 * What a patterns plan mines: the plugin's options (JSON for the engine), the dimension columns,
 * the optional weight and split (diffpatterns: set A and set B by the split column's text), and
 * the value each input column shows where a pattern has no restriction (its wildcard). The output
 * is the plugin's count columns followed by the input's columns.
 */
export interface PatternSpec {
  plugin: string;
  options: string;
  dimensions: string[];
  weight?: Expr;
  split?: { expr: Expr; a: string; b: string };
  wildcards: Record<string, Expr>;
}

/**
 * What a model plan fits: the plugin, its options (JSON for the engine's fit function), features and
 * outputs. Its input is materialized and numbers its rows in `__rn` (the output keeps their order).
 */
export interface ModelSpec {
  plugin: string;
  options: string;
  /** Numeric features as numbers; `frequency`: a categorical feature as the share of rows with its value. */
  features: Array<{ expr: Expr; encoding: 'number' | 'frequency' }>;
  /** The appended columns, in the order the fit function returns them. */
  outputs: Column[];
}

/** One expanded column of mv-expand/mv-apply: its name, the array expression and the element type. */
export interface MvExpandItem {
  name: string;
  expr: Expr;
  type: KqlType;
}

/** make-series: aggregates per (keys, axis bin), filled into dynamic arrays over the whole axis. */
export interface MakeSeriesSpec {
  keys: NamedExpr[];
  aggregates: Array<{ name: string; expr: Expr; default: Expr }>;
  axis: NamedExpr;
  /** Inclusive start and exclusive end of the axis; absent: from the data's first/last bin. */
  from?: Expr;
  to?: Expr;
  step: Expr;
  /** kind=nonempty: an empty input (without by keys) still gives one row of default-filled series. */
  nonEmpty: boolean;
}

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
