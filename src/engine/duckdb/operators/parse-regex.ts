/**
 * RE2 patterns for the parse family, built from the IR's pattern description. Constant text is
 * escaped with `escapeRegex`; the patterns reach SQL only through `sqlString` (the callers').
 */
import { KqlError } from '../../../kql/diagnostics.js';
import type { KvQuote, ParseElement, ParseKvMode, ParsePattern } from '../../../kql/ir/parse-plans.js';
import type { KqlType } from '../../../kql/types.js';
import { escapeRegex } from '../functions/common.js';
import { countCaptureGroups } from '../functions/regex.js';

export interface ParseRegex {
  /** The whole pattern, anchored at both ends of the text. */
  regex: string;
  /** For each capture of the pattern (in order), the number of its RE2 group. */
  groups: number[];
  /** How many capturing groups the regex has (the user's regex constants count too). */
  groupCount: number;
}

const DIGITS = String.raw`-?\d+`;
const REAL = String.raw`-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;
const GUID = '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}';

/**
 * What a typed capture matches: numbers, booleans and guids their own text, so `n:long *` stops
 * after the digits. Other types take any text and must then convert. Strict kinds (simple,
 * regex) need the type's text; relaxed falls back to any text (a failed conversion gives null).
 */
function typedCapture(type: KqlType): string | undefined {
  switch (type) {
    case 'int':
    case 'long':
      return DIGITS;
    case 'real':
    case 'decimal':
      return REAL;
    case 'bool':
      return '(?i:true|false)';
    case 'guid':
      return GUID;
    default:
      return undefined;
  }
}

/**
 * The RE2 pattern of a parse pattern. simple/relaxed: constants are literal text, `*` and
 * string captures are lazy (a capture ends at the first occurrence of the next constant) and
 * cross line breaks. regex: constants are the user's regexes, `*` and captures are greedy
 * unless flags contain U (as Kusto's own examples show), `.` stops at line breaks unless `s`.
 * The match covers the whole text (`\A…\z`).
 */
export function parsePatternRegex(pattern: ParsePattern): ParseRegex {
  const isRegex = pattern.kind === 'regex';
  const any = isRegex ? '.*' : '.*?';
  let regex = isRegex ? (pattern.flags ? `(?${pattern.flags})` : '') : '(?s)';
  regex += String.raw`\A`;
  const groups: number[] = [];
  let groupCount = 0;
  for (const e of pattern.elements) {
    regex += elementRegex(e, pattern, any);
    if (e.k === 'capture') groups.push(++groupCount);
    else if (e.k === 'text' && isRegex) groupCount += countCaptureGroups(e.text);
  }
  regex += String.raw`\z`;
  return { regex, groups, groupCount };
}

function elementRegex(e: ParseElement, pattern: ParsePattern, any: string): string {
  switch (e.k) {
    case 'skip':
      return any;
    case 'text':
      return pattern.kind === 'regex' ? `(?:${e.text})` : escapeRegex(e.text);
    case 'capture': {
      const typed = typedCapture(e.type);
      if (!typed) return `(${any})`;
      // relaxed: the type's own text if it is there (`n:long *` stops after the digits), else any text.
      return pattern.kind === 'relaxed' ? `(${typed}|${any})` : `(${typed})`;
    }
  }
}
// ---- parse-kv ---------------------------------------------------------------------------------

/** A character as a member of an RE2 character class. */
export function classMember(c: string): string {
  return /[\\\]\[^-]/.test(c) ? `\\${c}` : c;
}

const notIn = (chars: string[]): string => `[^${chars.map(classMember).join('')}]`;

/** A quoted text, quotes included: escape characters (if any) protect the next character. */
function quotedRegex(q: KvQuote, escapes: string[]): string {
  const inner = escapes.length ? `(?:${notIn([q.close, ...escapes])}|[${escapes.map(classMember).join('')}].)*` : `${notIn([q.close])}*`;
  return `${escapeRegex(q.open)}${inner}${escapeRegex(q.close)}`;
}

/**
 * One key/value pair of the delimited form; group 1 is the key, group 2 the value, both with
 * their quotes if quoted. Scanning the text with it (regexp_extract_all) takes the pairs in
 * order, a quoted value as a whole even when it holds delimiters. greedy: a value runs on over
 * pair delimiters up to the next segment that holds a kv delimiter.
 */
export function kvPairRegex(mode: Extract<ParseKvMode, { k: 'delimited' }>): string {
  const { pairDelimiter: pd, kvDelimiter: kv, quotes, escapes } = mode;
  const quoted = quotes.map((q) => quotedRegex(q, escapes));
  const opens = quotes.map((q) => q.open);
  const plainKey = `${notIn([pd, kv, ...opens])}+`;
  const plainValue = mode.greedy
    ? `${notIn([pd])}*(?:${escapeRegex(pd)}${notIn([pd, kv])}*)*`
    : `${notIn([pd])}*`;
  const key = `(${[...quoted, plainKey].join('|')})`;
  const value = `(${[...quoted, plainValue].join('|')})`;
  // greedy: the value must end at a pair delimiter or the end (RE2 has no lookahead, so the
  // delimiter is consumed; the next pair starts after it).
  const end = mode.greedy ? `(?:${escapeRegex(pd)}|\\z)` : '';
  return String.raw`(?s)\s*` + key + String.raw`\s*` + escapeRegex(kv) + String.raw`\s*` + value + end;
}

const ALNUM = String.raw`\p{L}\p{N}`;

/**
 * The value of one key in the form without delimiters (group 1, quotes included): the key as a
 * whole word, then any non-alphanumeric characters, then a quoted text or a run of alphanumerics.
 */
export function kvWordRegex(key: string, mode: Extract<ParseKvMode, { k: 'words' }>): string {
  const quoted = mode.quotes.map((q) => quotedRegex(q, mode.escapes));
  const delimiters = `[^${ALNUM}${mode.quotes.map((q) => classMember(q.open)).join('')}]+`;
  return String.raw`(?s)(?:\A|[^${ALNUM}])` + escapeRegex(key) + delimiters + `(${[...quoted, `[${ALNUM}]+`].join('|')})`;
}

/** The user's regex of `parse-kv … with (regex=…)`: exactly two groups, key then value. */
export function kvUserRegex(regex: string): string {
  const n = countCaptureGroups(regex, 'parse-kv');
  if (n !== 2) throw new KqlError('semantic', `parse-kv: regex= needs exactly two capturing groups (key, value); this one has ${n}`);
  return regex;
}
