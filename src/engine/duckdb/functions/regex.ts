/** Regex arguments of KQL functions (extract, replace_regex, matches regex, countof, …). */
import type { SqlValue } from '../../dialect.js';
import { KqlError } from '../../../kql/diagnostics.js';
import { constString, str } from './common.js';
import { toStringSql } from './conversion.js';

/**
 * Kusto accepts .NET-style named groups, `(?<name>…)`; DuckDB's RE2 reads only `(?P<name>…)`.
 * (`(?<=` and `(?<!` lookbehinds are not named groups and stay as written.)
 */
export function re2Syntax(pattern: string): string {
  return pattern.replace(/\(\?<([A-Za-z_])/g, '(?P<$1');
}

/** A regex argument as SQL: a literal goes in as an escaped SQL string literal, in RE2 syntax. */
export function regexArg(v: SqlValue): string {
  const c = constString(v);
  if (c !== undefined) return str(re2Syntax(c));
  return `regexp_replace(${toStringSql(v)}, '\\(\\?<([A-Za-z_])', '(?P<\\1', 'g')`;
}

/**
 * The number of capturing groups in an RE2 pattern: `(` that is not escaped, not inside a
 * character class, and not `(?…` (except the named groups `(?P<n>…)` and `(?<n>…)`).
 * Unbalanced parentheses are refused here, naming the user's regex (RE2's own message would
 * show the whole generated pattern).
 */
export function countCaptureGroups(re: string, operator = 'parse'): number {
  let count = 0;
  let depth = 0;
  let inClass = false;
  const invalid = (why: string) => new KqlError('semantic', `${operator}: the regex '${re}' is not valid: ${why}`);
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      // `]` right after `[` or `[^` is a literal member of the class.
      if (re[i + 1] === '^') i++;
      if (re[i + 1] === ']') i++;
    } else if (c === '(') {
      depth++;
      if (re[i + 1] !== '?') count++;
      else if (re.startsWith('?P<', i + 1) || (re.startsWith('?<', i + 1) && re[i + 3] !== '=' && re[i + 3] !== '!')) count++;
    } else if (c === ')') {
      if (--depth < 0) throw invalid('unexpected )');
    }
  }
  if (inClass) throw invalid('missing ]');
  if (depth > 0) throw invalid('missing )');
  return count;
}
