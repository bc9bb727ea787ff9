/** Regex arguments of KQL functions (extract, replace_regex, matches regex, countof, …). */
import type { SqlValue } from '../../dialect.js';
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
