/**
 * More string functions: strcmp, translate, regex_quote, indexof_regex, has_any_index,
 * extract_json, repeat, array_strcat. Strings are never null (`''`).
 */
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { arity, constString, str, unsupported } from './common.js';
import { convertTo, toStringSql } from './conversion.js';
import { fromDynamic, jsonElement, parseJsonSql } from './dynamic.js';
import { hasRuntime } from './text-match.js';

const text = (v: SqlValue): string => toStringSql(v);
const regexArg = (v: SqlValue): string => {
  const c = constString(v);
  return c !== undefined ? str(c) : text(v);
};

const fn = (name: string, min: number, max: number, body: (args: SqlValue[], result: SqlValue['type']) => string): ScalarFn => (args, result) => {
  arity(name, args, min, max);
  return body(args, result);
};

/** translate(searchList, replacementList, source): a short replacement list repeats its last character; an empty one deletes. */
function translate([search, replacement, source]: SqlValue[]): string {
  const from = text(search!);
  const to = text(replacement!);
  const padded = `(CASE WHEN length(${to}) = 0 THEN '' WHEN length(${to}) < length(${from}) THEN rpad(${to}, CAST(length(${from}) AS INTEGER), right(${to}, 1)) ELSE ${to} END)`;
  return `coalesce(translate(${text(source!)}, ${from}, ${padded}), '')`;
}

/** indexof_regex(source, regex[, start]): zero-based position of the first match at or after start, -1 if none. */
function indexofRegex([source, regex, start]: SqlValue[]): string {
  const s = text(source!);
  const from = start ? `greatest(CAST(${convertTo(start, 'long')} AS BIGINT), 0)` : '0';
  const rest = `substr(${s}, ${from} + 1)`;
  // The shortest prefix followed by a match ends where the leftmost match starts.
  const prefix = `regexp_extract(${rest}, '(?s)^(.*?)(?:' || ${regexArg(regex!)} || ')', 1)`;
  return `(CASE WHEN ${from} > length(${s}) THEN -1 WHEN regexp_matches(${rest}, ${regexArg(regex!)}) THEN ${from} + length(${prefix}) ELSE -1 END)`;
}

/** has_any_index(source, values): index of the first array element that `source has`, -1 if none. */
function hasAnyIndex([source, values]: SqlValue[]): string {
  const s = text(source!);
  const items = `CAST(${values!.sql} AS JSON[])`;
  const term = `(CASE json_type(kql_e) WHEN 'VARCHAR' THEN kql_e ->> '$' ELSE CAST(json(kql_e) AS VARCHAR) END)`;
  const hits = `list_transform(${items}, lambda kql_e: ${term} <> '' AND ${hasRuntime(s, term, 'has', false)})`;
  return `(CASE WHEN json_type(${values!.sql}) = 'ARRAY' THEN CAST(coalesce(list_position(${hits}, true), 0) - 1 AS BIGINT) ELSE -1 END)`;
}

/** extract_json(path, json[, typeof(T)]): the value at a JSONPath, as string unless a type is given. */
function extractJson([path, source]: SqlValue[], result: SqlValue['type']): string {
  const p = constString(path);
  if (p !== undefined && !p.startsWith('$')) unsupported('extract_json', 'the JSONPath must start with $');
  const json = source!.type === 'dynamic' ? source!.sql : parseJsonSql(text(source!));
  const value = `json_extract(${json}, ${p !== undefined ? str(p) : text(path!)})`;
  return fromDynamic(value, result);
}

/** repeat(value, count): an array of count copies; count 0 gives [] and a negative count null. */
function repeat([value, count]: SqlValue[]): string {
  const n = convertTo(count!, 'long');
  return `(CASE WHEN ${n} >= 0 THEN to_json(list_transform(range(${n}), lambda kql_i: ${jsonElement(value!)})) END)`;
}

/** Kusto's hash() is xxhash64-based; with no xxhash implementation installed Quarry cannot match its values. */
const xxhash = (name: string): ScalarFn => () => unsupported(name, "Kusto's xxhash64 values cannot be reproduced here (no xxhash64 implementation is installed); use hash_sha256() or hash_md5()");

export const moreStringFunctions: Record<string, ScalarFn> = {
  hash: xxhash('hash'),
  hash_xxhash64: xxhash('hash_xxhash64'),
  hash_combine: xxhash('hash_combine'),
  hash_many: xxhash('hash_many'),
  strcmp: fn('strcmp', 2, 2, ([a, b]) => `CAST(CASE WHEN ${text(a!)} < ${text(b!)} THEN -1 WHEN ${text(a!)} > ${text(b!)} THEN 1 ELSE 0 END AS BIGINT)`),
  translate: fn('translate', 3, 3, translate),
  // The characters RE2 treats specially get a backslash (regex_quote docs).
  regex_quote: fn('regex_quote', 1, 1, ([s]) => `regexp_replace(${text(s!)}, '([\\\\.*+?^$|(){}\\[\\]#-])', '\\\\\\1', 'g')`),
  indexof_regex: fn('indexof_regex', 2, 3, indexofRegex),
  has_any_index: fn('has_any_index', 2, 2, hasAnyIndex),
  extract_json: fn('extract_json', 2, 3, extractJson),
  extractjson: fn('extractjson', 2, 3, extractJson),
  repeat: fn('repeat', 2, 2, repeat),
};
