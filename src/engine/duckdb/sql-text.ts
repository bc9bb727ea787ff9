/**
 * The one audited place where text from a query becomes SQL text.
 *
 * Every string that reaches DuckDB SQL from user input goes through `sqlString` (a string
 * literal) or `sqlIdent` (a quoted identifier). Nothing else in the engine concatenates user
 * text into SQL. DuckDB reads standard SQL string literals: inside '...' only the quote itself
 * is special (doubled), backslashes are literal. NUL cannot appear inside a DuckDB literal, so it
 * is spliced in with chr(0).
 */
export function sqlString(text: string): string {
  const parts = text.split('\u0000').map((p) => `'${p.replace(/'/g, "''")}'`);
  return parts.length === 1 ? parts[0]! : `(${parts.join(' || chr(0) || ')})`;
}

/** A double-quoted identifier; `"` inside is doubled. NUL is refused: no table or column holds it. */
export function sqlIdent(name: string): string {
  if (name.includes('\u0000')) throw new Error('identifier contains a NUL character');
  return `"${name.replace(/"/g, '""')}"`;
}
