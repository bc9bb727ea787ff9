import type { SyntaxNodeData } from '../../frontend/syntax.js';
import { KqlError } from '../../diagnostics.js';
import type { Column } from '../../types.js';
import type { IrBuilder } from '../builder.js';
import type { Expr, Plan } from '../ir.js';
import { kqlQuotedName, SchemaDiscoveryNeeded } from '../schema-discovery.js';
import type { Scope } from '../scope.js';
import { allTokens, child, kids, namedParameters, nameText } from '../syntax-helpers.js';

/**
 * `search` and `find`: a predicate over the rows of several tables at once. Both are an outer
 * union of the tables (with the table's name in `$table` / `source_`) filtered by the predicate.
 * Without `in (…)` they cover the database's tables, which the engine writes into the query
 * (see schema-discovery.ts) before analysing it again.
 */

const col = (c: Column): Expr => ({ k: 'column', type: c.type, name: c.name });
const str = (value: string): Expr => ({ k: 'literal', type: 'string', value });
const or = (args: Expr[]): Expr => (args.length === 0 ? { k: 'literal', type: 'bool', value: false } : args.length === 1 ? args[0]! : { k: 'or', type: 'bool', args });
const asText = (e: Expr): Expr => (e.type === 'string' ? e : { k: 'call', type: 'string', fn: 'tostring', args: [e] });

interface Sources {
  inputs: Array<{ plan: Plan; source: string }>;
}

/** The tables of `in (…)`, or a request for the database's tables spliced in at `insertAt`. */
function sources(b: IrBuilder, op: SyntaxNodeData, scope: Scope, what: string, insertAt: number): Sources {
  const inClause = child(op, 'FindInClause');
  // Over every table of a database that has none: nothing to find, with the columns Kusto.Language gives.
  if (!inClause && b.databaseIsEmpty()) return { inputs: [] };
  if (!inClause) {
    // The operator's own text before the insertion point: `search kind=…`, `find withsource=…`.
    const before = op.children.filter((c) => c.start + c.length <= insertAt && !(c.isToken && c.length === 0));
    const anchor = { start: op.start, text: before.flatMap(allTokens).join('') };
    throw new SchemaDiscoveryNeeded(what, { kind: 'databaseTables' }, insertAt, anchor, (names) => {
      if (!names.length) throw new KqlError('semantic', `${what}: the database has no tables to search`);
      return ` in (${names.map((n) => kqlQuotedName(n.name)).join(', ')}) `;
    });
  }
  const inputs = kids(inClause).map((t) => {
    const plan = b.plan(t, scope);
    const source = plan.op === 'table' ? plan.name : t.symbol?.name ?? nameText(t);
    return { plan, source };
  });
  return { inputs };
}

/** `[T |] search [kind=case_sensitive] [in (T1, …)] Predicate` */
export function search(b: IrBuilder, op: SyntaxNodeData, input: Plan | undefined, scope: Scope): Plan {
  const params = namedParameters(op);
  const caseSensitive = params.has('kind') && allTokens(params.get('kind')!).join('').toLowerCase() === 'case_sensitive';
  const predicate = kids(op).filter((c) => c.kind !== 'NamedParameter' && c.kind !== 'FindInClause').pop();
  if (!predicate) throw b.unsupported(op, 'search without a predicate');
  const { inputs } = input
    ? { inputs: [{ plan: input, source: input.op === 'table' ? input.name : '' }] }
    : sources(b, op, scope, 'search', predicate.start);
  const columns = b.cols(op);
  if (!inputs.length) return { op: 'datatable', rows: [], columns };
  const union: Plan = { op: 'union', inputs, outer: true, sourceColumn: '$table', columns };
  const searched = columns.filter((c) => c.name !== '$table');
  const where = searchPredicate(b, predicate, scope, searched, caseSensitive);
  return { op: 'where', input: union, predicate: where, columns };
}

/** A search term on one value: `*x*` contains, `x*` hasprefix, `*x` hassuffix, else has. */
function termMatch(value: Expr, term: string, caseSensitive: boolean): Expr {
  const cs = caseSensitive ? '_cs' : '';
  const starts = term.startsWith('*');
  const ends = term.endsWith('*') && term.length > 1;
  const core = term.slice(starts ? 1 : 0, ends ? -1 : undefined);
  if (core === '') return { k: 'literal', type: 'bool', value: true };
  const op = starts && ends ? 'contains' : ends ? 'hasprefix' : starts ? 'hassuffix' : 'has';
  return { k: 'op', type: 'bool', op: op + cs, args: [asText(value), str(core)] };
}

function searchPredicate(b: IrBuilder, n: SyntaxNodeData, scope: Scope, columns: Column[], cs: boolean): Expr {
  const recurse = (x: SyntaxNodeData) => searchPredicate(b, x, scope, columns, cs);
  switch (n.kind) {
    case 'AndExpression':
    case 'OrExpression':
      return { k: n.kind === 'AndExpression' ? 'and' : 'or', type: 'bool', args: kids(n).map(recurse) };
    case 'ParenthesizedExpression':
      return recurse(kids(n)[0]!);
    case 'StringLiteralExpression': {
      // A bare term: any column matches.
      const term = n.literal?.kind === 'string' ? n.literal.value : JSON.parse(allTokens(n).join('')) as string;
      return or(columns.map((c) => termMatch(col(c), term, cs)));
    }
    case 'SearchExpression': {
      const [column, termNode] = kids(n);
      const term = b.expr(termNode!, scope);
      if (term.k !== 'literal' || typeof term.value !== 'string') throw b.unsupported(termNode!, 'a search term that is not a string literal');
      return termMatch(b.expr(column!, scope), term.value, cs);
    }
    case 'FunctionCallExpression':
      if (n.symbol?.name === 'not') return { k: 'not', type: 'bool', arg: recurse(kids(child(n, 'ExpressionList')!)[0]!) };
      return b.expr(n, scope);
    default: {
      const [left, right] = kids(n);
      if (left?.kind === 'StarExpression' && right) {
        // `* has "x"`: the operator over every column.
        const op = allTokens(n).slice(1, -allTokens(right).length).join(' ').toLowerCase();
        const rhs = b.expr(right, scope);
        return or(columns.map((c) => ({ k: 'op', type: 'bool', op, args: [asText(col(c)), rhs] }) as Expr));
      }
      return b.expr(n, scope);
    }
  }
}

/** `find [withsource=Name] [in (T1, …)] where Predicate [project Cols | project-smart]` */
export function find(b: IrBuilder, op: SyntaxNodeData, scope: Scope): Plan {
  const columns = b.cols(op);
  const predicate = kids(op).find((c) => !['NamedParameter', 'FindInClause', 'FindProjectClause'].includes(c.kind));
  if (!predicate) throw b.unsupported(op, 'find without a where predicate');
  const whereToken = op.children.find((t) => t.isToken && t.text?.toLowerCase() === 'where');
  const { inputs } = sources(b, op, scope, 'find', whereToken?.start ?? predicate.start);
  if (!inputs.length) return { op: 'datatable', rows: [], columns };
  const sourceColumn = columns[0]!.name;
  // All the tables' columns, by name (the first table's type wins a clash).
  const all = new Map<string, Column>();
  for (const { plan } of inputs) for (const c of plan.columns) if (!all.has(c.name)) all.set(c.name, c);
  const unionColumns = [{ name: sourceColumn, type: 'string' } as Column, ...all.values()];
  const union: Plan = { op: 'union', inputs, outer: true, sourceColumn, columns: unionColumns };
  const filtered: Plan = { op: 'where', input: union, predicate: b.expr(predicate, scope), columns: unionColumns };
  const outNames = new Set(columns.map((c) => c.name));
  const exprs = columns.map((c) => {
    if (c.name !== 'pack_' || all.has('pack_')) return { name: c.name, expr: col(c) };
    // pack_: each row's other columns, those of its own table, as a property bag.
    let packed: Expr = { k: 'literal', type: 'dynamic', value: null };
    for (const { plan, source } of [...inputs].reverse()) {
      const rest = plan.columns.filter((x) => !outNames.has(x.name));
      const bag: Expr = { k: 'call', type: 'dynamic', fn: 'bag_pack', args: rest.flatMap((x) => [str(x.name), col(x)]) };
      const isSource: Expr = { k: 'op', type: 'bool', op: '==', args: [{ k: 'column', type: 'string', name: sourceColumn }, str(source)] };
      packed = { k: 'call', type: 'dynamic', fn: 'iff', args: [isSource, bag, packed] };
    }
    return { name: c.name, expr: packed };
  });
  return { op: 'project', input: filtered, exprs, columns };
}

