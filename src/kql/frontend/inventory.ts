/**
 * Lists the parts of the language a query uses: its tabular operators, the built-in functions
 * it calls, its scalar operators and its statement kinds. Works on the plain syntax tree only
 * (no Kusto.Language access), so it is cheap and safe to call anywhere.
 */
import type { AnalysisResult, SyntaxNodeData } from './syntax.js';

export interface LanguageInventory {
  /**
   * Tabular operators by syntax kind (`FilterOperator`, `JoinOperator`, `MakeSeriesOperator`, …),
   * plus each operator's keyword as written (`where`/`filter`, `take`/`limit`, `sort`/`order`),
   * since one kind covers several spellings. The tabular expressions `datatable`, `materialize`
   * and `toscalar` count as operators too (kind and keyword).
   */
  operators: Set<string>;
  /** Built-in scalar, aggregate and window functions called, lower-case (`strcat`, `count`, `bin`). */
  functions: Set<string>;
  /** Statement kinds: `LetStatement`, `ExpressionStatement`, `SetOptionStatement`, … */
  statements: Set<string>;
  /**
   * Scalar operators as written, lower-case: `+`, `==`, `has_cs`, `in~`, `!contains`,
   * `matches regex`, `between`; `.` and `[]` for dynamic member and element access.
   */
  scalarOperators: Set<string>;
}

/** Tabular expressions that are not `…Operator` kinds but act as operators. */
const TABULAR_EXPRESSION_KINDS = new Set([
  'DataTableExpression',
  'MaterializeExpression',
  'ToScalarExpression',
  'ToTableExpression',
  'ExternalDataExpression',
  'ContextualDataTableExpression',
  'MaterializedViewCombineExpression',
  'InlineExternalTableExpression',
]);

const DYNAMIC_ACCESS: Record<string, string> = { PathExpression: '.', ElementExpression: '[]' };

export function languageInventory(analysis: AnalysisResult): LanguageInventory {
  const inventory: LanguageInventory = {
    operators: new Set(),
    functions: new Set(),
    statements: new Set(),
    scalarOperators: new Set(),
  };
  visit(analysis.root, inventory);
  return inventory;
}

function visit(node: SyntaxNodeData, inv: LanguageInventory): void {
  if (node.isToken) return;
  record(node, inv);
  // `expansion` (a user function's body at its call site) is not walked: the body is already in
  // the tree as the function's declaration.
  for (const child of node.children) visit(child, inv);
}

function record(node: SyntaxNodeData, inv: LanguageInventory): void {
  const kind = node.kind;
  if (kind.endsWith('Statement')) {
    inv.statements.add(kind);
  } else if (isTabularOperator(kind)) {
    inv.operators.add(kind);
    const keyword = leadingKeyword(node);
    if (keyword) inv.operators.add(keyword);
  } else if (kind === 'FunctionCallExpression') {
    if (node.symbol?.builtIn) inv.functions.add(functionName(node));
  } else if (node.symbol?.kind === 'Operator') {
    const spelling = operatorSpelling(node);
    if (spelling) inv.scalarOperators.add(spelling);
  } else if (kind in DYNAMIC_ACCESS) {
    inv.scalarOperators.add(DYNAMIC_ACCESS[kind]!);
  }
}

function isTabularOperator(kind: string): boolean {
  return (kind.endsWith('Operator') && kind !== 'BadQueryOperator') || TABULAR_EXPRESSION_KINDS.has(kind);
}

/** The operator's keyword as written (`where`, `limit`, `order`, `project-away`, `mv-expand`). */
function leadingKeyword(node: SyntaxNodeData): string | undefined {
  const first = node.children[0];
  return first?.isToken && first.kind.endsWith('Keyword') ? first.text?.toLowerCase() : undefined;
}

/** A built-in function's name, from the called name as written (the symbol may be an alias's). */
function functionName(call: SyntaxNodeData): string {
  const nameNode = call.children.find((c) => !c.isToken);
  const written = nameNode ? firstTokenText(nameNode) : undefined;
  return (written ?? call.symbol?.name ?? '').toLowerCase();
}

function firstTokenText(node: SyntaxNodeData): string | undefined {
  if (node.isToken) return node.text;
  for (const child of node.children) {
    const t = firstTokenText(child);
    if (t !== undefined) return t;
  }
  return undefined;
}

/** The operator tokens that are direct children of an operator expression, joined: `matches regex`. */
function operatorSpelling(node: SyntaxNodeData): string | undefined {
  const tokens = node.children.filter((c) => c.isToken && c.text).map((c) => c.text!.toLowerCase());
  return tokens.length ? tokens.join(' ') : undefined;
}
