import type { SyntaxNodeData } from '../../frontend/syntax.js';
import { KqlError } from '../../diagnostics.js';
import type { Column, KqlType } from '../../types.js';
import type { IrBuilder } from '../builder.js';
import type { Expr, NamedExpr, Plan, SummarizeOutput } from '../ir.js';
import { kqlQuotedName, SchemaDiscoveryNeeded } from '../schema-discovery.js';
import type { Scope } from '../scope.js';
import { allTokens, child, declaredName, kids, nameText } from '../syntax-helpers.js';
import { geoLookup } from './geo-lookup.js';
import { mlPlugin } from './ml-plugins.js';
import { isMlPlugin } from '../../../hunt/ml/specs.js';
import { isPatternPlugin, patternPlugin } from './pattern-plugins.js';
import { ipv4Lookup } from './ip-lookup.js';
import { schemaMerge } from './schema-merge.js';
import { rollingPercentile, slidingWindowCounts } from './rolling-window.js';
import { activityCountsMetrics } from './activity-metrics.js';

/**
 * `evaluate` plugins that are plain relational work: bag_unpack(), pivot() (both with columns
 * that come from the data, see schema-discovery.ts) and narrow(). Other plugins are reported as
 * not supported.
 */
export function evaluatePlugin(b: IrBuilder, op: SyntaxNodeData, input: Plan, scope: Scope): Plan | undefined {
  const call = child(op, 'FunctionCallExpression');
  if (!call) return undefined;
  const name = (call.symbol?.name ?? nameText(kids(call)[0]!)).toLowerCase();
  const args = kids(child(call, 'ExpressionList')!);
  switch (name) {
    case 'bag_unpack':
      return bagUnpack(b, op, call, args, input, scope);
    case 'pivot':
      return pivot(b, op, call, args, input, scope);
    case 'narrow':
      return narrow(b, op, input);
    case 'rolling_percentile':
      return rollingPercentile(b, op, args, input, scope);
    case 'sliding_window_counts':
      return slidingWindowCounts(b, op, args, input, scope);
    case 'activity_counts_metrics':
      return activityCountsMetrics(b, op, args, input, scope);
    case 'schema_merge':
      return schemaMerge(b, op, args, input, scope);
    case 'ipv4_lookup':
      return ipv4Lookup(b, op, args, input, scope);
    case 'geo_polygon_lookup':
    case 'geo_line_lookup':
      return geoLookup(b, op, args, input, scope, name === 'geo_line_lookup' ? 'line' : 'polygon');
    default:
      if (isPatternPlugin(name)) return patternPlugin(b, op, call, args, input, scope, name);
      return isMlPlugin(name) ? mlPlugin(b, op, call, args, input, scope, name) : undefined;
  }
}

/** Names declared in the operator's output schema clause, or undefined when there is none. */
function declaredSchema(op: SyntaxNodeData): Set<string> | undefined {
  const clause = child(op, 'EvaluateSchemaClause');
  if (!clause) return undefined;
  const row = child(clause, 'EvaluateRowSchema') ?? clause;
  return new Set(kids(row).filter((d) => d.kind === 'NameAndTypeDeclaration').map((d) => declaredName(kids(d)[0]!)));
}

const col = (c: Column): Expr => ({ k: 'column', type: c.type, name: c.name });
const anchorOf = (call: SyntaxNodeData) => ({ start: call.start, text: allTokens(call).join('') });
const str = (value: string): Expr => ({ k: 'literal', type: 'string', value });

/** Arguments given by position or as `name = value`. */
function pluginArgs(args: SyntaxNodeData[], names: string[]): Map<string, SyntaxNodeData> {
  const out = new Map<string, SyntaxNodeData>();
  let i = 0;
  for (const a of args) {
    if (a.kind === 'SimpleNamedExpression') out.set(declaredName(kids(a)[0]!).toLowerCase(), kids(a)[1]!);
    else if (names[i]) out.set(names[i++]!.toLowerCase(), a);
  }
  return out;
}

function stringArg(b: IrBuilder, n: SyntaxNodeData | undefined, scope: Scope, what: string): string | undefined {
  if (!n) return undefined;
  const e = b.expr(n, scope);
  if (e.k !== 'literal' || typeof e.value !== 'string') throw b.unsupported(n, `${what} that is not a constant string`);
  return e.value;
}

// ---- bag_unpack(Column [, OutputColumnPrefix] [, columnsConflict] [, ignoredProperties]) -----

function bagUnpack(b: IrBuilder, op: SyntaxNodeData, call: SyntaxNodeData, args: SyntaxNodeData[], input: Plan, scope: Scope): Plan {
  const a = pluginArgs(args, ['column', 'OutputColumnPrefix', 'columnsConflict', 'ignoredProperties']);
  const bagNode = a.get('column');
  if (!bagNode) throw b.unsupported(call, 'evaluate bag_unpack() without a column');
  const bag = b.expr(bagNode, scope);
  const bagName = bag.k === 'column' ? bag.name : undefined;
  const prefix = stringArg(b, a.get('outputcolumnprefix'), scope, 'bag_unpack() prefix') ?? '';
  const conflict = stringArg(b, a.get('columnsconflict'), scope, 'bag_unpack() columnsConflict') ?? 'error';
  if (!['error', 'keep_source', 'replace_source'].includes(conflict)) {
    throw b.unsupported(call, `bag_unpack() columnsConflict='${conflict}' (use error, keep_source or replace_source)`);
  }
  const ignoredNode = a.get('ignoredproperties');
  const ignoredExpr = ignoredNode ? b.expr(ignoredNode, scope) : undefined;
  if (ignoredNode && (ignoredExpr?.k !== 'literal' || typeof ignoredExpr.value !== 'string')) throw b.unsupported(ignoredNode, 'bag_unpack() ignoredProperties that are not a constant dynamic array');
  const ignored = new Set<string>(ignoredExpr?.k === 'literal' ? (JSON.parse(String(ignoredExpr.value)) as unknown[]).map(String) : []);
  const sourceNames = new Set(input.columns.filter((c) => c.name !== bagName).map((c) => c.name));

  const declared = declaredSchema(op);
  if (!declared) {
    throw new SchemaDiscoveryNeeded('evaluate bag_unpack()', { kind: 'bagKeys', input, expr: bag }, call.start + call.length, anchorOf(call), (keys) => {
      // Each column has its property's type when all its values share one, else dynamic.
      const declared: string[] = [];
      for (const key of keys) {
        if (ignored.has(key.name)) continue;
        const name = prefix + key.name;
        // replace_source: the declared column takes the input column's place (Kusto.Language keeps one).
        if (sourceNames.has(name) && conflict !== 'replace_source') {
          if (conflict === 'keep_source') continue;
          throw new KqlError('runtime', `bag_unpack(): the property '${key.name}' would make a column '${name}', which the input already has (use columnsConflict='keep_source' or 'replace_source', or a prefix)`);
        }
        declared.push(`, ${kqlQuotedName(name)}:${key.type ?? 'dynamic'}`);
      }
      return ` : (*${declared.join('')})`;
    });
  }
  // With a schema: declared columns come from the bag (replace_source: even those the input has).
  const columns = b.cols(op);
  const exprs: NamedExpr[] = columns.map((c) => {
    const fromBag = declared.has(c.name) && (!sourceNames.has(c.name) || conflict === 'replace_source');
    if (!fromBag) return { name: c.name, expr: col(c) };
    const key = prefix && c.name.startsWith(prefix) ? c.name.slice(prefix.length) : c.name;
    return { name: c.name, expr: { k: 'path', type: c.type, base: bag, steps: [key] } };
  });
  return { op: 'project', input, exprs, columns };
}

// ---- pivot(pivotColumn [, aggregationFunction] [, column1, column2, …]) ------------------------

function pivot(b: IrBuilder, op: SyntaxNodeData, call: SyntaxNodeData, args: SyntaxNodeData[], input: Plan, scope: Scope): Plan {
  const [pivotNode, ...rest] = args;
  if (!pivotNode) throw b.unsupported(call, 'evaluate pivot() without a pivot column');
  const pivotExpr = b.expr(pivotNode, scope);
  const aggNode = rest[0]?.kind === 'FunctionCallExpression' ? rest[0] : undefined;
  const keyNodes = aggNode ? rest.slice(1) : rest;
  const agg: Expr = aggNode ? b.expr(aggNode, scope, true) : { k: 'aggregate', type: 'long', fn: 'count', args: [] };
  if (agg.k !== 'aggregate') throw b.unsupported(aggNode!, 'a pivot() aggregation that is not a single aggregate call');
  // Group keys: the columns named, or every column the pivot and the aggregate do not use.
  const used = new Set<string>();
  const collect = (e: Expr): void => {
    if (e.k === 'column') used.add(e.name);
    if ('args' in e) e.args.forEach(collect);
    if (e.k === 'path') collect(e.base);
    if (e.k === 'not') collect(e.arg);
  };
  collect(pivotExpr);
  collect(agg);
  const keyColumns: Column[] = keyNodes.length
    ? keyNodes.map((k) => {
      const e = b.expr(k, scope);
      if (e.k !== 'column') throw b.unsupported(k, 'a pivot() group key that is not a column');
      return { name: e.name, type: e.type };
    })
    : input.columns.filter((c) => !used.has(c.name));
  const keyNames = new Set(keyColumns.map((c) => c.name));
  const pivotText: Expr = pivotExpr.type === 'string' ? pivotExpr : { k: 'call', type: 'string', fn: 'tostring', args: [pivotExpr] };

  if (!declaredSchema(op)) {
    const q = (c: { name: string; type: KqlType }) => `${kqlQuotedName(c.name)}:${c.type}`;
    throw new SchemaDiscoveryNeeded('evaluate pivot()', { kind: 'values', input, expr: pivotText }, call.start + call.length, anchorOf(call), (values) => {
      if (values.some((v) => v.name === '')) {
        throw new KqlError('runtime', 'evaluate pivot(): the pivot column has empty (or null) values, which cannot name a column; filter them out first (| where isnotempty(…))');
      }
      return ` : (${[...keyColumns.map(q), ...values.map((v) => q({ name: v.name, type: agg.type }))].join(', ')})`;
    });
  }
  const columns = b.cols(op);
  const keys: NamedExpr[] = keyColumns.map((c) => ({ name: c.name, expr: col(c) }));
  const outputs: SummarizeOutput[] = columns.filter((c) => !keyNames.has(c.name)).map((c) => {
    const match: Expr = { k: 'op', type: 'bool', op: '==', args: [pivotText, str(c.name)] };
    // Each pivot column aggregates only its own rows: count() becomes countif(), the others see
    // null outside their rows (which aggregates skip).
    const only = (e: Expr): Expr => ({ k: 'call', type: e.type, fn: 'iff', args: [match, e, { k: 'literal', type: e.type, value: null }] });
    const expr: Expr = agg.fn === 'count' && agg.args.length === 0
      ? { k: 'aggregate', type: c.type, fn: 'countif', args: [match] }
      : { ...agg, type: c.type, args: agg.args.map((x, i) => (i === 0 ? only(x) : x)) };
    return { name: c.name, type: c.type, expr };
  });
  const grouped: Plan = { op: 'summarize', input, keys, outputs, argExtremes: [], columns: [...keyColumns, ...outputs.map((o) => ({ name: o.name, type: o.type }))] };
  return { op: 'project', input: grouped, columns, exprs: columns.map((c) => ({ name: c.name, expr: col(c) })) };
}

// ---- narrow(): one row per (row, column) with the value as a string ---------------------------

function narrow(b: IrBuilder, op: SyntaxNodeData, input: Plan): Plan {
  const columns = b.cols(op);
  const [rowCol, columnCol, valueCol] = columns as [Column, Column, Column];
  const numbered: Plan = {
    op: 'project', input: { op: 'serialize', input, columns: input.columns },
    columns: [...input.columns, { name: '__row', type: 'long' }],
    exprs: [...input.columns.map((c) => ({ name: c.name, expr: col(c) })), { name: '__row', expr: { k: 'window', type: 'long', fn: 'row_number', args: [{ k: 'literal', type: 'long', value: '0' }] } }],
  };
  const shared: Plan = { op: 'materialize', id: 0, input: numbered, columns: numbered.columns };
  const perColumn = input.columns.map((c, i) => {
    const value: Expr = c.type === 'string' ? col(c) : { k: 'call', type: 'string', fn: 'tostring', args: [col(c)] };
    const cols: Column[] = [rowCol, columnCol, valueCol, { name: '__col', type: 'long' }];
    const plan: Plan = {
      op: 'project', input: shared, columns: cols,
      exprs: [
        { name: rowCol.name, expr: { k: 'column', type: 'long', name: '__row' } },
        { name: columnCol.name, expr: str(c.name) },
        { name: valueCol.name, expr: value },
        { name: '__col', expr: { k: 'literal', type: 'long', value: String(i) } },
      ],
    };
    return { plan, source: c.name };
  });
  if (!perColumn.length) throw new KqlError('semantic', 'evaluate narrow(): the input has no columns');
  const all: Plan = { op: 'union', inputs: perColumn, outer: true, columns: perColumn[0]!.plan.columns };
  const sorted: Plan = { op: 'sort', input: all, columns: all.columns, keys: [
    { expr: { k: 'column', type: 'long', name: rowCol.name }, descending: false, nullsFirst: false },
    { expr: { k: 'column', type: 'long', name: '__col' }, descending: false, nullsFirst: false },
  ] };
  return { op: 'project', input: sorted, columns, exprs: columns.map((c) => ({ name: c.name, expr: col(c) })) };
}
