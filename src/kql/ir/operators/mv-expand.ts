import type { SyntaxNodeData } from '../../frontend/syntax.js';
import type { Column, KqlType } from '../../types.js';
import { normaliseTypeName } from '../../types.js';
import type { IrBuilder } from '../builder.js';
import type { Expr, MvExpandItem, Plan } from '../ir.js';
import type { Scope } from '../scope.js';
import { allTokens, child, declaredName, kids, namedParameters } from '../syntax-helpers.js';

/** What an mv-expand (or the expansion part of mv-apply) asks for. */
interface Expansion {
  items: MvExpandItem[];
  bagExpansion: 'bag' | 'array';
  indexColumn?: string;
  limit?: Expr;
}

/**
 * `T | mv-expand [kind=bag|array] [with_itemindex=I] [Name=]Expr [to typeof(T)], … [limit N]`.
 * Result columns are Kusto.Language's: an expanded input column keeps its place, a new name is
 * added at the end, the item index after it.
 */
export function buildMvExpand(b: IrBuilder, op: SyntaxNodeData, input: Plan, scope: Scope): Plan {
  const columns = b.cols(op);
  const inputNames = new Set(input.columns.map((c) => c.name));
  const exp = expansion(b, op, 'MvExpandExpression', scope, (i) => {
    // An unnamed expression gets the i-th column Kusto.Language added.
    const fresh = columns.filter((c) => !inputNames.has(c.name));
    return fresh[i]?.name;
  });
  for (const it of exp.items) it.type = columns.find((c) => c.name === it.name)?.type ?? it.type;
  return { op: 'mvExpand', input, ...exp, columns };
}

/**
 * `T | mv-apply [with_itemindex=I] [Name=]Expr [to typeof(T)], … [limit N] on (SubQuery)`: the
 * sub-query runs over each input row's expansion; its leaf is that one row (`applyRow`). The
 * result is the input's columns (without the expanded ones) beside the sub-query's columns.
 */
export function buildMvApply(b: IrBuilder, op: SyntaxNodeData, input: Plan, scope: Scope): Plan {
  const exp = expansion(b, op, 'MvApplyExpression', scope, () => undefined);
  const row: Plan = { op: 'applyRow', columns: input.columns };
  const expandedColumns = expandedSchema(input.columns, exp);
  const expanded: Plan = { op: 'mvExpand', input: row, ...exp, columns: expandedColumns };
  const subNode = child(op, 'MvApplySubqueryExpression');
  if (!subNode) throw b.unsupported(op, 'mv-apply without an on (sub-query) clause');
  const sub = subQuery(b, kids(subNode)[0]!, expanded, scope);
  return { op: 'mvApply', input, row, sub, columns: b.cols(op) };
}

/** The columns the sub-query of mv-apply sees: the input row with the expanded values and the index. */
function expandedSchema(input: Column[], exp: Expansion): Column[] {
  const out = input.map((c) => ({ ...c }));
  for (const it of exp.items) {
    const existing = out.find((c) => c.name === it.name);
    if (existing) existing.type = it.type;
    else out.push({ name: it.name, type: it.type });
  }
  if (exp.indexColumn) out.push({ name: exp.indexColumn, type: 'long' });
  return out;
}

/** A sub-query whose first operator has no input of its own: it reads `leaf`. */
function subQuery(b: IrBuilder, n: SyntaxNodeData, leaf: Plan, scope: Scope): Plan {
  if (n.kind === 'ParenthesizedExpression') return subQuery(b, kids(n)[0]!, leaf, scope);
  if (n.kind === 'PipeExpression') {
    const [left, op] = kids(n);
    return b.operator(op!, subQuery(b, left!, leaf, scope), scope);
  }
  if (n.kind.endsWith('Operator')) return b.operator(n, leaf, scope);
  throw b.unsupported(n, `the ${n.kind} in an mv-apply sub-query`);
}

function expansion(
  b: IrBuilder,
  op: SyntaxNodeData,
  itemKind: string,
  scope: Scope,
  freshName: (unnamedIndex: number) => string | undefined,
): Expansion {
  const params = namedParameters(op);
  const kindNode = params.get('kind') ?? params.get('bagexpansion');
  const kindText = kindNode ? allTokens(kindNode).join('').toLowerCase() : 'bag';
  if (kindText !== 'bag' && kindText !== 'array') throw b.unsupported(kindNode!, `${opName(op)} kind=${kindText} (expected bag or array)`);
  const indexNode = params.get('with_itemindex');
  const items: MvExpandItem[] = [];
  let unnamed = 0;
  for (const it of kids(op).filter((c) => c.kind === itemKind)) {
    const [value, typeClause] = kids(it);
    let name: string | undefined;
    let exprNode = value!;
    if (value!.kind === 'SimpleNamedExpression') {
      const [decl, v] = kids(value!);
      name = declaredName(decl!);
      exprNode = v!;
    } else if (value!.kind === 'NameReference' && value!.symbol?.kind === 'Column') {
      name = value!.symbol.name;
    } else {
      // Kusto names an unnamed expression after a new column, or else after the column it
      // reads (`mv-expand split(s, " ")` replaces s).
      name = freshName(unnamed++) ?? (itemKind === 'MvExpandExpression' ? columnReadBy(exprNode, b.cols(op)) : undefined);
    }
    if (!name) throw b.unsupported(it, `${opName(op)} of an unnamed expression (write Name = expression)`);
    const type = typeClause?.kind === 'ToTypeOfClause' ? typeOf(b, typeClause) : 'dynamic';
    items.push({ name, expr: b.expr(exprNode, scope), type });
  }
  if (!items.length) throw b.unsupported(op, `${opName(op)} without a column to expand`);
  const limitNode = child(op, 'MvExpandRowLimitClause') ?? child(op, 'MvApplyRowLimitClause');
  const limit = limitNode ? b.expr(kids(limitNode)[0]!, scope) : undefined;
  const exp: Expansion = { items, bagExpansion: kindText };
  if (indexNode) exp.indexColumn = declaredName(indexNode);
  if (limit) exp.limit = limit;
  return exp;
}

/** The type named by `to typeof(T)`. */
function typeOf(b: IrBuilder, clause: SyntaxNodeData): KqlType {
  const literal = kids(clause)[0];
  const name = literal?.symbol?.name ?? allTokens(clause).slice(3, -1).join('');
  const type = normaliseTypeName(name);
  if (!type) throw b.unsupported(clause, `to typeof(${name})`);
  return type;
}

function opName(op: SyntaxNodeData): string {
  return op.kind === 'MvApplyOperator' ? 'mv-apply' : 'mv-expand';
}

/** The first column an expression reads that is also a result column, if any. */
function columnReadBy(n: SyntaxNodeData, columns: Array<{ name: string }>): string | undefined {
  if (n.kind === 'NameReference' && n.symbol?.kind === 'Column' && columns.some((c) => c.name === n.symbol!.name)) return n.symbol.name;
  for (const c of n.children) {
    const found = columnReadBy(c, columns);
    if (found) return found;
  }
  return undefined;
}
