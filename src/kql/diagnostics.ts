/** A problem found in a query, located in its text (line and column are 1-based). */
export interface Diagnostic {
  code: string;
  severity: 'error' | 'warning' | 'suggestion';
  message: string;
  start: number;
  length: number;
  line: number;
  column: number;
}

export type KqlErrorKind = 'syntax' | 'semantic' | 'unsupported' | 'runtime' | 'timeout' | 'cancelled';

/** Every failure of a query reaches callers as this error: never a raw stack trace. */
export class KqlError extends Error {
  constructor(
    readonly kind: KqlErrorKind,
    message: string,
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'KqlError';
  }
}

/** Turns a character offset into a 1-based line and column. */
export function locate(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') { line++; lineStart = i + 1; }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Renders a diagnostic as `line:col: message` followed by the source line and a caret. */
export function renderDiagnostic(text: string, d: Diagnostic): string {
  const lines = text.split('\n');
  const src = lines[d.line - 1] ?? '';
  const caretLen = Math.max(1, Math.min(d.length, src.length - d.column + 1));
  return `${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}\n  ${src}\n  ${' '.repeat(Math.max(0, d.column - 1))}${'^'.repeat(caretLen)}`;
}
