/**
 * String functions. Every string result is `''` rather than NULL (Kusto strings are never null).
 * Non-string arguments are converted with Kusto's tostring() first, as Kusto does.
 */
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { arity, constNumber, constString, str, unsupported } from './common.js';
import { countCaptureGroups, regexArg } from './regex.js';
import { convertTo, toStringSql } from './conversion.js';

const text = (v: SqlValue): string => toStringSql(v);


const nonNull = (sql: string): string => `coalesce(${sql}, '')`;

// ---- capture groups -------------------------------------------------------------------------

/** Named groups in order of their opening parenthesis, so names can be turned into numbers. */
function groupNames(pattern: string): (string | undefined)[] {
  const names: (string | undefined)[] = [];
  const re = /\\.|\[(?:\\.|[^\]])*\]|\((\?P?<([A-Za-z_][A-Za-z0-9_]*)>|\?)?/g;
  for (const m of pattern.matchAll(re)) {
    if (!m[0].startsWith('(')) continue;
    if (m[1] === '?') continue;
    names.push(m[2]);
  }
  return names;
}

// ---- functions ------------------------------------------------------------------------------

const extract: ScalarFn = (args, resultType) => {
  arity('extract', args, 3, 4);
  const group = constNumber(args[1]);
  if (group === undefined || !Number.isInteger(group) || group < 0) unsupported('extract', 'the capture group must be a non-negative integer literal');
  const found = `regexp_extract(${text(args[2]!)}, ${regexArg(args[0]!)}, ${group})`;
  if (resultType === 'string') return nonNull(found);
  // extract(regex, group, text, typeof(T)): a failed match or conversion is null.
  return convertTo({ sql: `nullif(${found}, '')`, type: 'string' }, resultType);
};

const extractAll: ScalarFn = (args) => {
  arity('extract_all', args, 2, 3);
  const pattern = constString(args[0]);
  const source = text(args[args.length - 1]!);
  const re = regexArg(args[0]!);
  let groups: number[];
  if (args.length === 3) {
    const spec = constString(args[1]);
    if (spec === undefined) unsupported('extract_all', 'the capture groups must be a literal dynamic array');
    const parsed: unknown = JSON.parse(spec);
    const list = Array.isArray(parsed) ? parsed : [parsed];
    const names = pattern !== undefined ? groupNames(pattern) : [];
    groups = list.map((g) => {
      if (typeof g === 'number') return g;
      const i = names.indexOf(String(g));
      if (i < 0) unsupported('extract_all', `no capture group named ${String(g)}`);
      return i + 1;
    });
  } else {
    if (pattern === undefined) unsupported('extract_all', 'the regular expression must be a literal');
    const n = countCaptureGroups(pattern, 'extract_all');
    groups = n === 0 ? [0] : Array.from({ length: n }, (_, i) => i + 1);
  }
  if (groups.length === 1) {
    const all = `regexp_extract_all(${source}, ${re}, ${groups[0]})`;
    return `(CASE WHEN len(${all}) > 0 THEN to_json(${all}) END)`;
  }
  // Several groups: each whole match is matched again to pick its groups.
  const matches = `regexp_extract_all(${source}, ${re}, 0)`;
  const perMatch = `list_transform(${matches}, lambda kql_m: [${groups.map((g) => `regexp_extract(kql_m, ${re}, ${g})`).join(', ')}])`;
  return `(CASE WHEN len(${matches}) > 0 THEN to_json(${perMatch}) END)`;
};

/** Kusto's substring: zero-based, a negative start counts from the end, out of range gives `''`. */
const substring: ScalarFn = (args) => {
  arity('substring', args, 2, 3);
  const s = text(args[0]!);
  const start = args[1]!.sql;
  const from = `(CASE WHEN ${start} < 0 THEN greatest(length(${s}) + ${start}, 0) ELSE ${start} END)`;
  const sql = args[2] ? `substr(${s}, ${from} + 1, greatest(${args[2].sql}, 0))` : `substr(${s}, ${from} + 1)`;
  return nonNull(sql);
};

const split: ScalarFn = (args) => {
  arity('split', args, 2, 3);
  const parts = `string_split(${text(args[0]!)}, ${text(args[1]!)})`;
  if (!args[2]) return `to_json(${parts})`;
  const i = args[2].sql;
  return `(CASE WHEN ${i} >= 0 AND ${i} < len(${parts}) THEN to_json([${parts}[${i} + 1]]) ELSE CAST('[]' AS JSON) END)`;
};

function trimmer(name: string, start: boolean, end: boolean): ScalarFn {
  return (args) => {
    arity(name, args, 2);
    const pattern = constString(args[0]);
    const re = (template: (p: string) => string) => (pattern !== undefined ? str(template(pattern)) : template(''));
    let s = text(args[1]!);
    // Kusto trims every leading/trailing match of the regex, not just one.
    if (pattern !== undefined) {
      if (start) s = `regexp_replace(${s}, ${re((p) => `^(?:${p})+`)}, '')`;
      if (end) s = `regexp_replace(${s}, ${re((p) => `(?:${p})+$`)}, '')`;
    } else {
      const p = text(args[0]!);
      if (start) s = `regexp_replace(${s}, '^(?:' || ${p} || ')+', '')`;
      if (end) s = `regexp_replace(${s}, '(?:' || ${p} || ')+$', '')`;
    }
    return nonNull(s);
  };
}

/** Occurrences of a plain string may overlap (`countof("aaaa", "aa") == 3`); regex matches do not. */
const countof: ScalarFn = (args) => {
  arity('countof', args, 2, 3);
  const kind = args[2] ? constString(args[2]) : 'normal';
  if (kind !== 'normal' && kind !== 'regex') unsupported('countof', 'kind must be the literal "normal" or "regex"');
  const s = text(args[0]!);
  if (kind === 'regex') return `CAST(len(regexp_extract_all(${s}, ${regexArg(args[1]!)}, 0)) AS BIGINT)`;
  const t = text(args[1]!);
  const lookup = constString(args[1]);
  if (lookup === '') return 'CAST(0 AS BIGINT)';
  if (lookup !== undefined && !selfOverlaps(lookup)) {
    // Without a border (a prefix that is also a suffix) matches cannot overlap: count by removal.
    return `CAST((length(${s}) - length(replace(${s}, ${t}, ''))) // length(${t}) AS BIGINT)`;
  }
  return `(CASE WHEN length(${t}) = 0 THEN 0 ELSE CAST(len(list_filter(range(0, length(${s}) - length(${t}) + 1), lambda kql_i: substr(${s}, kql_i + 1, length(${t})) = ${t})) AS BIGINT) END)`;
};

function selfOverlaps(t: string): boolean {
  const chars = [...t];
  for (let k = 1; k < chars.length; k++) if (chars.slice(0, k).join('') === chars.slice(chars.length - k).join('')) return true;
  return false;
}

/** indexof(s, lookup[, start[, length[, occurrence]]]): zero-based, -1 when absent. */
const indexof: ScalarFn = (args) => {
  arity('indexof', args, 2, 5);
  const s = text(args[0]!);
  const t = text(args[1]!);
  if (args.length === 2) return `CAST(strpos(${s}, ${t}) - 1 AS BIGINT)`;
  const start = args[2]!.sql;
  const length = args[3]?.sql ?? '-1';
  const occurrence = args[4]?.sql ?? '1';
  return `kql_indexof(${s}, ${t}, CAST(${start} AS BIGINT), CAST(${length} AS BIGINT), CAST(${occurrence} AS BIGINT))`;
};

const strcatDelim: ScalarFn = (args) => {
  arity('strcat_delim', args, 2, Infinity);
  return `concat_ws(${text(args[0]!)}, ${args.slice(1).map(text).join(', ')})`;
};

const strrep: ScalarFn = (args) => {
  arity('strrep', args, 2, 3);
  const s = text(args[0]!);
  const n = args[1]!.sql;
  if (!args[2]) return nonNull(`repeat(${s}, greatest(${n}, 0))`);
  const d = text(args[2]);
  return nonNull(`(CASE WHEN ${n} <= 0 THEN '' ELSE repeat(${s} || ${d}, ${n} - 1) || ${s} END)`);
};

const unary = (name: string, body: (s: string) => string): ScalarFn => (args) => {
  arity(name, args, 1);
  return body(text(args[0]!));
};

export const stringFunctions: Record<string, ScalarFn> = {
  strcat: (args) => {
    arity('strcat', args, 1, Infinity);
    return args.length === 1 ? text(args[0]!) : `concat(${args.map(text).join(', ')})`;
  },
  strcat_delim: strcatDelim,
  strlen: unary('strlen', (s) => `CAST(length(${s}) AS BIGINT)`),
  tolower: unary('tolower', (s) => `lower(${s})`),
  toupper: unary('toupper', (s) => `upper(${s})`),
  substring,
  split,
  trim: trimmer('trim', true, true),
  trim_start: trimmer('trim_start', true, false),
  trim_end: trimmer('trim_end', false, true),
  replace_string: (args) => {
    arity('replace_string', args, 3);
    return nonNull(`replace(${text(args[0]!)}, ${text(args[1]!)}, ${text(args[2]!)})`);
  },
  replace_regex: (args) => {
    arity('replace_regex', args, 3);
    return nonNull(`regexp_replace(${text(args[0]!)}, ${regexArg(args[1]!)}, ${text(args[2]!)}, 'g')`);
  },
  // replace(regex, rewrite, text): the deprecated form of replace_regex, arguments in another order.
  replace: (args) => {
    arity('replace', args, 3);
    return nonNull(`regexp_replace(${text(args[2]!)}, ${regexArg(args[0]!)}, ${text(args[1]!)}, 'g')`);
  },
  extract,
  extract_all: extractAll,
  extractall: extractAll,
  indexof,
  reverse: unary('reverse', (s) => `reverse(${s})`),
  countof,
  strrep,
  base64_encode_tostring: unary('base64_encode_tostring', (s) => `to_base64(encode(${s}))`),
  base64_decode_tostring: unary('base64_decode_tostring', (s) => `coalesce(try(decode(from_base64(${s}))), '')`),
  url_encode: unary('url_encode', (s) => `kql_url_encode(${s})`),
  url_encode_component: unary('url_encode_component', (s) => `kql_url_encode(${s})`),
  url_decode: unary('url_decode', (s) => `coalesce(kql_url_decode(${s}), '')`),
  hash_sha256: unary('hash_sha256', (s) => `sha256(${s})`),
  hash_sha1: unary('hash_sha1', (s) => `sha1(${s})`),
  hash_md5: unary('hash_md5', (s) => `md5(${s})`),
  new_guid: (args) => {
    arity('new_guid', args, 0);
    return 'uuid()';
  },
};
