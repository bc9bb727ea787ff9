/**
 * More string functions: strcmp, translate, regex_quote, indexof_regex, has_any_index,
 * extract_json, repeat, array_strcat. Strings are never null (`''`).
 */
import { KqlError } from '../../../kql/diagnostics.js';
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { arity, constString, str, unsupported } from './common.js';
import { regexArg } from './regex.js';
import { convertTo, toStringSql } from './conversion.js';
import { fromDynamic, jsonElement, parseJsonSql } from './dynamic.js';
import { hasRuntime } from './text-match.js';

const text = (v: SqlValue): string => toStringSql(v);

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

/**
 * indexof_regex(source, regex[, start[, length[, occurrence]]]): the zero-based position of the
 * occurrence-th non-overlapping match inside [start, start + length), -1 when there is none, null
 * for a negative start or occurrence or a length below -1 (indexof_regex docs). The k-th match
 * starts after the first k pieces that regexp_split leaves and the k − 1 matches between them.
 */
function indexofRegex([source, regex, start, length, occurrence]: SqlValue[]): string {
  const s = text(source!);
  const re = regexArg(regex!);
  const from = start ? `CAST(${convertTo(start, 'long')} AS BIGINT)` : '0';
  const len = length ? `CAST(${convertTo(length, 'long')} AS BIGINT)` : '-1';
  const nth = occurrence ? `greatest(CAST(${convertTo(occurrence, 'long')} AS BIGINT), 1)` : '1';
  const region = `(CASE WHEN ${len} = -1 THEN substr(${s}, ${from} + 1) ELSE substr(${s}, ${from} + 1, ${len}) END)`;
  const pieces = `regexp_split_to_array(${region}, ${re})`;
  const matches = `regexp_extract_all(${region}, ${re}, 0)`;
  const lengths = (list: string, count: string) => `coalesce(list_sum(list_transform(${list}[1:${count}], lambda kql_p: length(kql_p))), 0)`;
  const found = `(CASE WHEN len(${matches}) < ${nth} THEN -1 ELSE ${from} + ${lengths(pieces, nth)} + ${lengths(matches, `${nth} - 1`)} END)`;
  const invalid = [`${from} < 0`, `${len} < -1`, ...(occurrence ? [`CAST(${convertTo(occurrence, 'long')} AS BIGINT) < 0`] : [])].join(' OR ');
  return `(CASE WHEN ${invalid} THEN NULL WHEN ${from} > length(${s}) THEN -1 ELSE ${found} END)`;
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
  const value = `json_extract(${json}, ${p !== undefined ? str(duckDbJsonPath(p)) : text(path!)})`;
  return fromDynamic(value, result);
}

/**
 * A constant JSONPath as DuckDB reads it: members `.name`, `['name']` and `["name"]` become
 * `."name"`, indexes `[n]` and wildcards stay (`[-n]` counts from the end). Anything else (`$name`) is refused here, not by DuckDB mid-query.
 */
function duckDbJsonPath(path: string): string {
  const step = /\.([^.[\]]+)|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\[\s*(-?\d+|\*)\s*\]/y;
  let out = '$';
  let at = 1;
  while (at < path.length) {
    step.lastIndex = at;
    const m = step.exec(path);
    if (!m) throw new KqlError('semantic', `extract_json(): '${path}' is not a JSONPath (after $ come steps .name, ['name'] or [index]${at === 1 ? `: '$.${path.slice(1)}'?` : ''})`);
    const member = m[1] ?? m[2] ?? m[3];
    const index = m[4]!;
    if (member === '*') out += '.*';
    else if (member !== undefined) out += `."${member.replace(/\\(.)/g, '$1').replace(/"/g, '\\"')}"`;
    else out += index.startsWith('-') ? `[#${index}]` : `[${index}]`;
    at = step.lastIndex;
  }
  return out;
}

/** repeat(value, count): an array of count copies; count 0 gives [] and a negative count null. */
function repeat([value, count]: SqlValue[]): string {
  const n = convertTo(count!, 'long');
  return `(CASE WHEN ${n} >= 0 THEN to_json(list_transform(range(${n}), lambda kql_i: ${jsonElement(value!)})) END)`;
}

/**
 * hash(source[, mod]) / hash_xxhash64: XXH64 of a string's UTF-8 bytes (udfs/xxhash.ts), as Kusto
 * computes it; with mod, the non-negative remainder (0 … mod−1). Kusto hashes other types by
 * their binary layout, which is not documented, so those are refused rather than guessed.
 */
const xxhash = (name: string): ScalarFn => (args) => {
  arity(name, args, 1, 2);
  const [source, mod] = args as [SqlValue, SqlValue | undefined];
  if (source.type !== 'string') unsupported(name, `a ${source.type} value (only strings hash as Kusto hashes them here; hash(tostring(x)) hashes the text)`);
  const h = `kql_xxhash64(${source.sql})`;
  if (!mod) return h;
  const m = convertTo(mod, 'long');
  return `(CASE WHEN ${m} > 0 THEN ((${h} % ${m}) + ${m}) % ${m} END)`;
};

/** Kusto does not document how hash_combine/hash_many mix hashes, so their values cannot be matched. */
const undocumentedHash = (name: string): ScalarFn => () =>
  unsupported(name, "Kusto's way of combining hashes is not documented, so its values cannot be reproduced; hash a strcat() of the values instead");

export const moreStringFunctions: Record<string, ScalarFn> = {
  hash: xxhash('hash'),
  hash_xxhash64: xxhash('hash_xxhash64'),
  hash_combine: undocumentedHash('hash_combine'),
  hash_many: undocumentedHash('hash_many'),
  strcmp: fn('strcmp', 2, 2, ([a, b]) => `CAST(CASE WHEN ${text(a!)} < ${text(b!)} THEN -1 WHEN ${text(a!)} > ${text(b!)} THEN 1 ELSE 0 END AS BIGINT)`),
  translate: fn('translate', 3, 3, translate),
  // The characters RE2 treats specially get a backslash (regex_quote docs).
  regex_quote: fn('regex_quote', 1, 1, ([s]) => `regexp_replace(${text(s!)}, '([\\\\.*+?^$|(){}\\[\\]#-])', '\\\\\\1', 'g')`),
  indexof_regex: fn('indexof_regex', 2, 5, indexofRegex),
  has_any_index: fn('has_any_index', 2, 2, hasAnyIndex),
  extract_json: fn('extract_json', 2, 3, extractJson),
  extractjson: fn('extractjson', 2, 3, extractJson),
  repeat: fn('repeat', 2, 2, repeat),
};
