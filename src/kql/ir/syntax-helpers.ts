import type { SyntaxNodeData } from '../frontend/syntax.js';

/** Non-token children, looking through Kusto.Language's List and SeparatedElement wrappers. */
export function kids(n: SyntaxNodeData): SyntaxNodeData[] {
  const out: SyntaxNodeData[] = [];
  for (const c of n.children) {
    if (c.isToken) continue;
    if (c.kind === 'List' || c.kind === 'SeparatedElement') out.push(...kids(c));
    else out.push(c);
  }
  return out;
}

/** Token texts directly under a node (not inside child nodes), lower-cased. */
export function ownTokens(n: SyntaxNodeData): string[] {
  const out: string[] = [];
  for (const c of n.children) {
    if (c.isToken) out.push((c.text ?? '').toLowerCase());
    else if (c.kind === 'List' || c.kind === 'SeparatedElement') out.push(...ownTokens(c));
  }
  return out;
}

/** All token texts under a node, in order. */
export function allTokens(n: SyntaxNodeData): string[] {
  if (n.isToken) return [n.text ?? ''];
  return n.children.flatMap(allTokens);
}

export function child(n: SyntaxNodeData, kind: string): SyntaxNodeData | undefined {
  return kids(n).find((c) => c.kind === kind);
}

/** Name declared by a NameDeclaration (or the text of a name reference). */
export function declaredName(n: SyntaxNodeData): string {
  if (n.symbol?.name) return n.symbol.name;
  return nameText(n);
}

/** The identifier text of a name node, unquoting `['x']` and `["x"]`. */
export function nameText(n: SyntaxNodeData): string {
  const toks = allTokens(n).filter((t) => t !== '[' && t !== ']');
  const t = toks.join('');
  const q = /^(['"])(.*)\1$/s.exec(t);
  return q ? q[2]! : t;
}

/** Named parameters of an operator (`kind=leftouter`, `withsource=T`, `hint.x=y`). */
export function namedParameters(n: SyntaxNodeData): Map<string, SyntaxNodeData> {
  const out = new Map<string, SyntaxNodeData>();
  for (const c of kids(n)) {
    if (c.kind !== 'NamedParameter') continue;
    const [name, value] = kids(c);
    if (name) out.set(nameText(name).toLowerCase(), value ?? name);
  }
  return out;
}
