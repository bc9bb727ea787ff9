import type { Diagnostic } from '../diagnostics.js';
import type { SyntaxNodeData } from './syntax.js';

/**
 * `union isfuzzy=true T*, …`: a wildcard that matches no table or view is skipped by Kusto
 * (union-operator.md counts the rows of `View*, SomeView*, OtherView*` with no SomeView). This
 * Kusto.Language release still reports it as an error (KS142, "does not refer to any known
 * table"); such errors become warnings.
 */
export function fuzzyUnionMisses(root: SyntaxNodeData, diagnostics: Diagnostic[]): Diagnostic[] {
  const starts = new Set<number>();
  const visit = (n: SyntaxNodeData, fuzzy: boolean): void => {
    if (n.isToken) return;
    if (n.kind === 'UnionOperator') fuzzy = isFuzzy(n);
    else if (fuzzy && n.kind === 'WildcardedName') starts.add(n.start);
    // Only the union's own inputs (not tables inside nested expressions) are fuzzy.
    for (const c of n.children) visit(c, fuzzy && (n.kind === 'UnionOperator' || n.kind === 'NameReference' || n.kind === 'List' || n.kind === 'SeparatedElement'));
  };
  visit(root, false);
  if (!starts.size) return diagnostics;
  return diagnostics.map((d) => (d.code === 'KS142' && d.severity === 'error' && starts.has(d.start) ? { ...d, severity: 'warning' } : d));
}

function isFuzzy(union: SyntaxNodeData): boolean {
  const parameters = union.children.flatMap((c) => (c.kind === 'List' ? c.children : [c])).filter((c) => c.kind === 'NamedParameter');
  return parameters.some((p) => {
    const text = tokens(p).join('').toLowerCase().replace(/\s+/g, '');
    return text === 'isfuzzy=true';
  });
}

const tokens = (n: SyntaxNodeData): string[] => (n.isToken ? [n.text ?? ''] : n.children.flatMap(tokens));
