import type { SyntaxNodeData } from '../../frontend/syntax.js';
import type { Column, KqlType } from '../../types.js';
import type { IrBuilder } from '../builder.js';
import type { Expr, Plan } from '../ir.js';
import type { Scope } from '../scope.js';
import { allTokens, child, kids, namedParameters } from '../syntax-helpers.js';

/**
 * `T | reduce [kind=source] by Expr [with threshold=…, characters=…]`, lowered to IR: the rows are
 * counted per distinct value, the counts gathered into one list, clustered by a UDF
 * (udfs/reduce-patterns.ts: kql_reduce_groups / kql_reduce_values) and expanded again. With
 * kind=source every input row keeps its columns and gets its group's Pattern, Count and
 * Representative (the columns Kusto.Language gives the operator).
 */

const col = (name: string, type: KqlType): Expr => ({ k: 'column', type, name });
const lit = (type: KqlType, value: string | boolean | null): Expr => ({ k: 'literal', type, value });
const VALUE = 'kql_reduce_value';
const ROWS = 'kql_reduce_rows';
const LIST = 'kql_reduce_list';
const ITEM = 'kql_reduce_item';

export function reduce(b: IrBuilder, op: SyntaxNodeData, input: Plan, scope: Scope): Plan {
  const by = kids(op).find((c) => c.kind !== 'NamedParameter' && c.kind !== 'ReduceByWithClause');
  if (!by) throw b.unsupported(op, 'reduce without its `by` expression');
  const value = b.expr(by, scope);
  const kindNode = namedParameters(op).get('kind');
  const kind = kindNode ? allTokens(kindNode).join('').toLowerCase() : undefined;
  if (kind !== undefined && kind !== 'source') throw b.unsupported(kindNode!, `reduce kind=${kind} (the only kind is source)`);

  const options = child(op, 'ReduceByWithClause');
  const params = options ? namedParameters(options) : new Map<string, SyntaxNodeData>();
  for (const [name, node] of params) {
    if (name !== 'threshold' && name !== 'characters') throw b.unsupported(node, `reduce parameter ${name} (expected threshold or characters)`);
  }
  const threshold = constant(b, params.get('threshold'), scope, ['real', 'decimal', 'long', 'int'], 'threshold') ?? '0.1';
  if (!(Number(threshold) >= 0 && Number(threshold) <= 1)) throw b.semantic(params.get('threshold')!, `reduce: threshold must be between 0 and 1, got ${threshold}`);
  const characters = constant(b, params.get('characters'), scope, ['string'], 'characters');

  const text: Expr = value.type === 'string' ? value : { k: 'call', type: 'string', fn: 'tostring', args: [value] };
  const counted: Plan = {
    op: 'summarize', input, argExtremes: [],
    keys: [{ name: VALUE, expr: text }],
    outputs: [{ name: ROWS, type: 'long', expr: { k: 'aggregate', type: 'long', fn: 'count', args: [] } }],
    columns: [{ name: VALUE, type: 'string' }, { name: ROWS, type: 'long' }],
  };
  // A bag per value (make_list would splice an array's elements into the list).
  const pair: Expr = { k: 'call', type: 'dynamic', fn: 'bag_pack', args: [lit('string', 'v'), col(VALUE, 'string'), lit('string', 'n'), col(ROWS, 'long')] };
  const gathered: Plan = {
    op: 'summarize', input: counted, keys: [], argExtremes: [],
    outputs: [{ name: LIST, type: 'dynamic', expr: { k: 'aggregate', type: 'dynamic', fn: 'make_list', args: [pair] } }],
    columns: [{ name: LIST, type: 'dynamic' }],
  };
  const source = kind === 'source';
  const clustered: Plan = {
    op: 'project', input: gathered,
    exprs: [{
      name: ITEM,
      expr: {
        k: 'call', type: 'dynamic', fn: source ? 'kql_reduce_values' : 'kql_reduce_groups',
        args: [col(LIST, 'dynamic'), lit('real', threshold), lit('string', characters ?? ''), lit('bool', characters !== undefined)],
      },
    }],
    columns: [{ name: ITEM, type: 'dynamic' }],
  };
  const expanded: Plan = {
    op: 'mvExpand', input: clustered, items: [{ name: ITEM, expr: col(ITEM, 'dynamic'), type: 'dynamic' }], bagExpansion: 'array',
    columns: [{ name: ITEM, type: 'dynamic' }],
  };
  const field = (i: number, type: KqlType): Expr => ({
    k: 'call', type, fn: type === 'long' ? 'tolong' : 'tostring', args: [{ k: 'path', type: 'dynamic', base: col(ITEM, 'dynamic'), steps: [i] }],
  });
  const out = b.cols(op);
  const [pattern, count, representative] = out.slice(-3) as [Column, Column, Column];
  if (!source) {
    return {
      op: 'project', input: expanded, columns: out,
      exprs: [{ name: pattern.name, expr: field(0, 'string') }, { name: count.name, expr: field(1, 'long') }, { name: representative.name, expr: field(2, 'string') }],
    };
  }
  // kind=source: each row joined to its value's group.
  const inner = ['kql_reduce_key', 'kql_reduce_pattern', 'kql_reduce_count', 'kql_reduce_representative'];
  const groupsOfValues: Plan = {
    op: 'project', input: expanded,
    exprs: [field(0, 'string'), field(1, 'string'), field(2, 'long'), field(3, 'string')].map((expr, i) => ({ name: inner[i]!, expr })),
    columns: [{ name: inner[0]!, type: 'string' }, { name: inner[1]!, type: 'string' }, { name: inner[2]!, type: 'long' }, { name: inner[3]!, type: 'string' }],
  };
  const keyed: Plan = {
    op: 'project', input,
    exprs: [...input.columns.map((c) => ({ name: c.name, expr: col(c.name, c.type) })), { name: VALUE, expr: text }],
    columns: [...input.columns, { name: VALUE, type: 'string' }],
  };
  const joined: Plan = {
    op: 'join', kind: 'inner', left: keyed, right: groupsOfValues,
    on: [{ left: col(VALUE, 'string'), right: col(inner[0]!, 'string') }],
    columns: [...keyed.columns, ...groupsOfValues.columns],
  };
  const kept = out.slice(0, -3);
  return {
    op: 'project', input: joined, columns: out,
    exprs: [
      ...kept.map((c) => ({ name: c.name, expr: col(c.name, c.type) })),
      { name: pattern.name, expr: col(inner[1]!, 'string') },
      { name: count.name, expr: col(inner[2]!, 'long') },
      { name: representative.name, expr: col(inner[3]!, 'string') },
    ],
  };
}

/** A constant parameter's literal text, or undefined when the parameter is absent. */
function constant(b: IrBuilder, n: SyntaxNodeData | undefined, scope: Scope, types: KqlType[], what: string): string | undefined {
  if (!n) return undefined;
  const e = b.expr(n, scope);
  if (e.k !== 'literal' || e.value === null || !types.includes(e.type)) throw b.unsupported(n, `a reduce ${what} that is not a constant ${types[0]}`);
  return String(e.value);
}
