/**
 * parse, parse-where and parse-kv in SQL: one RE2 pattern per operator (see parse-regex.ts),
 * matched with DuckDB's native regex functions; the captured texts are converted with the
 * to<type>() conversions, so `n:long` reads text as `tolong()` does.
 */
import type { KvQuote } from '../../../kql/ir/parse-plans.js';
import type { PlanOf } from '../../../kql/ir/ir.js';
import type { KqlType } from '../../../kql/types.js';
import type { DuckDbCompiler } from '../compiler.js';
import { convertTo } from '../functions/conversion.js';
import { sqlIdent, sqlString } from '../sql-text.js';
import { classMember, kvPairRegex, kvUserRegex, kvWordRegex, parsePatternRegex } from './parse-regex.js';

/**
 * Three steps: (1) the regex groups as one struct (all `''` when the text does not match;
 * parse-where keeps only matching rows), (2) each capture converted to its type, (3) for the
 * strict kinds, a typed capture that did not convert makes the whole match fail: all the new
 * columns are empty (parse) or the row goes (parse-where). Relaxed keeps the other captures.
 */
export function compileParse(c: DuckDbCompiler, p: PlanOf<'parse'>): string {
  const { regex, groups, groupCount } = parsePatternRegex(p.pattern);
  const pattern = sqlString(regex);
  const source = c.expr(p.source, {}).sql;
  const passThrough = p.input.columns.map((col) => sqlIdent(col.name));
  const captures = p.pattern.elements.flatMap((e) => (e.k === 'capture' ? [e] : []));
  const matching = p.dropUnmatched ? ` WHERE regexp_matches(${source}, ${pattern})` : '';
  if (!captures.length) return `SELECT * FROM ${c.from(p.input)}${matching}`;

  const groupNames = Array.from({ length: groupCount }, (_, i) => sqlString(`g${i + 1}`)).join(', ');
  const matched = `SELECT *, regexp_extract(${source}, ${pattern}, [${groupNames}]) AS "__parse" FROM ${c.from(p.input)}${matching}`;

  const values = captures.map((cap, i) => {
    const text = `struct_extract("__parse", ${sqlString(`g${groups[i]}`)})`;
    return `${convertTo({ sql: text, type: 'string' }, cap.type)} AS "__v${i}"`;
  });
  const converted = `SELECT ${[...passThrough, ...values].join(', ')} FROM (${matched}) AS ${c.alias()}`;

  const typed = captures.flatMap((cap, i) => (cap.type === 'string' ? [] : [`"__v${i}" IS NOT NULL`]));
  const strict = p.pattern.kind !== 'relaxed' && typed.length > 0;
  const allConverted = typed.join(' AND ');
  const outputs = captures.map((cap, i) => {
    const v = `"__v${i}"`;
    const value = strict && !p.dropUnmatched ? `(CASE WHEN ${allConverted} THEN ${v} ELSE ${emptyOf(cap.type)} END)` : v;
    return `${value} AS ${sqlIdent(cap.name)}`;
  });
  const filter = strict && p.dropUnmatched ? ` WHERE ${allConverted}` : '';
  return `SELECT ${[...passThrough, ...outputs].join(', ')} FROM (${converted}) AS ${c.alias()}${filter}`;
}

/** Kusto's empty value: `''` for strings, null otherwise. */
function emptyOf(type: KqlType): string {
  return type === 'string' ? "''" : 'NULL';
}

/**
 * parse-kv: each listed key's first value, or empty when the key is absent. Delimited and regex
 * forms scan the text once into a list of keys and a list of values (same positions); the form
 * without delimiters finds each key with its own regex. The values' texts (unquoted) are
 * computed once, then converted to the keys' types.
 */
export function compileParseKv(c: DuckDbCompiler, p: PlanOf<'parseKv'>): string {
  const source = c.expr(p.source, {}).sql;
  const passThrough = p.input.columns.map((col) => sqlIdent(col.name));
  const mode = p.mode;
  let texts: string[];
  let from: string;
  if (mode.k === 'words') {
    texts = p.keys.map((key) => unquoted(`regexp_extract(${source}, ${sqlString(kvWordRegex(key.name, mode))}, 1)`, mode.quotes, mode.escapes));
    from = c.from(p.input);
  } else {
    const quotes = mode.k === 'delimited' ? mode.quotes : [];
    const escapes = mode.k === 'delimited' ? mode.escapes : [];
    const delimiters = mode.k === 'delimited' ? singleCharDelimiters(mode.pairDelimiter, mode.kvDelimiter) : undefined;
    const text = delimiters ? delimiters.substitute(source) : source;
    const regex = sqlString(mode.k === 'delimited' ? kvPairRegex({ ...mode, ...delimiters?.mode }) : kvUserRegex(mode.regex));
    const restore = (t: string) => (delimiters ? delimiters.restore(t) : t);
    const pairs =
      `SELECT *, list_transform(regexp_extract_all(${text}, ${regex}, 1), k -> ${restore(unquoted('k', quotes, escapes))}) AS "__keys", ` +
      `regexp_extract_all(${text}, ${regex}, 2) AS "__values" FROM ${c.from(p.input)}`;
    texts = p.keys.map((key) => restore(unquoted(`"__values"[list_position("__keys", ${sqlString(key.name)})]`, quotes, escapes)));
    from = `(${pairs}) AS ${c.alias()}`;
  }
  const found = `SELECT ${[...passThrough, ...texts.map((t, i) => `${t} AS "__t${i}"`)].join(', ')} FROM ${from}`;
  const values = p.keys.map((key, i) => `${convertTo({ sql: `"__t${i}"`, type: 'string' }, key.type)} AS ${sqlIdent(key.name)}`);
  return `SELECT ${[...passThrough, ...values].join(', ')} FROM (${found}) AS ${c.alias()}`;
}

/** Control characters that stand in for delimiters of several characters (unit and record separators). */
const PAIR_STAND_IN = { char: '\u001f', sql: 'chr(31)' };
const KV_STAND_IN = { char: '\u001e', sql: 'chr(30)' };

/**
 * The pair regex needs one-character delimiters (it uses them in character classes). A longer
 * delimiter is replaced in the text by a control character before the scan, and put back into
 * the keys and values found.
 */
function singleCharDelimiters(pairDelimiter: string, kvDelimiter: string) {
  const pairLong = [...pairDelimiter].length > 1;
  const kvLong = [...kvDelimiter].length > 1;
  if (!pairLong && !kvLong) return undefined;
  const swaps: Array<[string, { char: string; sql: string }]> = [];
  if (pairLong) swaps.push([pairDelimiter, PAIR_STAND_IN]);
  if (kvLong) swaps.push([kvDelimiter, KV_STAND_IN]);
  return {
    mode: { pairDelimiter: pairLong ? PAIR_STAND_IN.char : pairDelimiter, kvDelimiter: kvLong ? KV_STAND_IN.char : kvDelimiter },
    substitute: (sql: string) => swaps.reduce((t, [d, s]) => `replace(${t}, ${sqlString(d)}, ${s.sql})`, sql),
    restore: (sql: string) => swaps.reduce((t, [d, s]) => `replace(${t}, ${s.sql}, ${sqlString(d)})`, sql),
  };
}

/** Space, tab, line feed, carriage return. */
const WHITESPACE = `(' ' || chr(9) || chr(10) || chr(13))`;

/**
 * A key or value as written → its text: a quoted text loses its quotes and escape characters
 * (and keeps its spaces); an unquoted one loses leading and trailing whitespace.
 */
function unquoted(text: string, quotes: KvQuote[], escapes: string[]): string {
  const inner = `substr(${text}, 2, length(${text}) - 2)`;
  const unescaped = escapes.length
    ? `regexp_replace(${inner}, ${sqlString(`(?s)[${escapes.map(classMember).join('')}](.)`)}, ${sqlString('\\1')}, 'g')`
    : inner;
  const cases = quotes.map(
    (q) => `WHEN length(${text}) >= 2 AND starts_with(${text}, ${sqlString(q.open)}) AND ends_with(${text}, ${sqlString(q.close)}) THEN ${unescaped}`,
  );
  const trimmed = `trim(${text}, ${WHITESPACE})`;
  return cases.length ? `(CASE ${cases.join(' ')} ELSE ${trimmed} END)` : trimmed;
}
