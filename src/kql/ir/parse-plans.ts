import type { Column, KqlType } from '../types.js';

/**
 * The IR of the parse family (`parse`, `parse-where`, `parse-kv`): what the pattern says,
 * engine-neutral. Each dialect turns it into its own regular expressions.
 */

/**
 * How a `parse` pattern matches. simple: constants are plain text, typed captures must convert;
 * regex: constants are regular expressions, typed captures must convert; relaxed: constants are
 * plain text, a typed capture that does not convert is null and the others are kept.
 */
export type ParseKind = 'simple' | 'regex' | 'relaxed';

export type ParseElement =
  /** A string constant of the pattern: literal text, or a regular expression for kind=regex. */
  | { k: 'text'; text: string }
  /** `*`: skip any text. */
  | { k: 'skip' }
  /** A column to extract, converted to its type. */
  | { k: 'capture'; name: string; type: KqlType };

export interface ParsePattern {
  kind: ParseKind;
  /** Regex flags of kind=regex (`U`, `i`, `m`, `s`), as written. */
  flags: string;
  elements: ParseElement[];
}

/** A quote of parse-kv: one character for both ends (`'"'`) or an open/close pair (`'()'`). */
export interface KvQuote {
  open: string;
  close: string;
}

export type ParseKvMode =
  /** `with (pair_delimiter=…, kv_delimiter=…, quote=…, escape=…, greedy=…)` */
  | { k: 'delimited'; pairDelimiter: string; kvDelimiter: string; quotes: KvQuote[]; escapes: string[]; greedy: boolean }
  /** No delimiters given: any non-alphanumeric character separates keys from values. */
  | { k: 'words'; quotes: KvQuote[]; escapes: string[] }
  /** `with (regex=…)`: the first group is the key, the second the value. */
  | { k: 'regex'; regex: string };

export interface ParseKvSpec {
  /** The keys to extract, as result columns (name = key). */
  keys: Column[];
  mode: ParseKvMode;
}
