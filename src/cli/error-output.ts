import { KqlError, renderDiagnostic, type Diagnostic } from '../kql/diagnostics.js';

/** A KqlError, or something shaped like one (e.g. from another copy of the module). */
export function isKqlError(err: unknown): err is KqlError {
  return err instanceof KqlError ||
    (err instanceof Error && err.name === 'KqlError' && Array.isArray((err as Partial<KqlError>).diagnostics));
}

/**
 * How a failed query is shown: each diagnostic as `line:col: error CODE: message` with the
 * source line and a caret under the span; `error: message` when there is nothing to point at.
 * Never a stack trace (set QUARRY_DEBUG=1 to get one for errors that are not KqlErrors).
 */
export function formatQueryError(queryText: string, err: unknown): string {
  if (isKqlError(err) && err.diagnostics.length > 0) {
    // Tabs and CRs become single spaces: the caret line is made of spaces, so a tab in the
    // source line would shift it. One character for one keeps the columns right.
    const shown = queryText.replace(/[\t\r]/g, ' ');
    return err.diagnostics.map((d: Diagnostic) => renderDiagnostic(shown, d) + '\n').join('');
  }
  const message = err instanceof Error ? err.message : String(err);
  const debug = process.env.QUARRY_DEBUG && !isKqlError(err) && err instanceof Error && err.stack;
  return `error: ${message}\n${debug ? err.stack + '\n' : ''}`;
}

/** The diagnostics of an error, if it has any, for machine-readable answers. */
export function diagnosticsOf(err: unknown): Diagnostic[] | undefined {
  return isKqlError(err) && err.diagnostics.length > 0 ? err.diagnostics : undefined;
}
