import type { Column, KqlType } from '../types.js';

/**
 * The analysed query as plain data: Kusto.Language's syntax tree with its semantic facts
 * (result types, referenced symbols) copied onto each node. Nothing here refers to
 * Kusto.Language's own objects, so the rest of Quarry never touches its globals.
 */
export interface SyntaxNodeData {
  /** Kusto.Language's SyntaxKind name, e.g. `FilterOperator`, `HasExpression`, `IdentifierToken`. */
  kind: string;
  isToken: boolean;
  /** Token text (tokens only). */
  text?: string;
  /** Offset of the first character (after leading trivia) and length, in the query text. */
  start: number;
  length: number;
  /** Scalar result type of an expression. */
  type?: KqlType;
  /** Result columns of a tabular expression or operator. */
  columns?: Column[];
  /** True when the result type is a table (even with no columns). */
  tabular?: boolean;
  symbol?: SymbolRef;
  /** For calls of user-defined functions: the body as Kusto.Language expands it at the call site. */
  expansion?: SyntaxNodeData;
  /** For literal expressions: the decoded value where Kusto.Language decodes it reliably. */
  literal?: LiteralValue;
  children: SyntaxNodeData[];
}

export interface SymbolRef {
  /** Kusto.Language's SymbolKind name: Column, Table, Variable, Function, Parameter, Operator, … */
  kind: string;
  name: string;
  /** A number identifying the symbol within one analysis, to link a use to its declaration. */
  id: number;
  /** Scalar type of a column, variable or parameter. */
  type?: KqlType;
  /** Columns when the symbol is tabular (a table, or a variable holding one). */
  columns?: Column[];
  /** True for built-in functions, aggregates and plug-ins (not let-declared ones). */
  builtIn?: boolean;
  /** The tables a wildcard name (`Security*`, `*`) stands for: a Group symbol's members. */
  members?: SymbolRef[];
  /** A saved (database) function's parameters, which no let statement in the query declares. */
  parameters?: Array<{ name: string; type?: KqlType; defaultValue?: SyntaxNodeData }>;
}

export type LiteralValue =
  | { kind: 'null' }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'text'; value: string };

export interface AnalysisResult {
  text: string;
  root: SyntaxNodeData;
  diagnostics: import('../diagnostics.js').Diagnostic[];
  /** Columns of the query's result when it ends in a tabular expression. */
  resultColumns?: Column[];
  /** Milliseconds Kusto.Language spent parsing and analysing. */
  analysisMs: number;
}

/** Child helpers used by the IR builder. */
export function childNodes(n: SyntaxNodeData): SyntaxNodeData[] {
  return n.children.filter((c) => !c.isToken);
}

export function tokenTexts(n: SyntaxNodeData): string[] {
  const out: string[] = [];
  const visit = (x: SyntaxNodeData) => {
    if (x.isToken) out.push(x.text ?? '');
    else x.children.forEach(visit);
  };
  visit(n);
  return out;
}

/** Source text of a node (tokens joined by single spaces where the source had trivia). */
export function nodeText(source: string, n: SyntaxNodeData): string {
  return source.slice(n.start, n.start + n.length);
}
