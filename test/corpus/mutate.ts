/**
 * Mutations of KQL text for fuzzing the front end and the compiler: delete, duplicate or swap
 * tokens, cut the text, insert operators, literals and stray quotes. Deterministic per seed.
 */
const TOKEN = /\s+|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|@"[^"]*"?|[A-Za-z_][\w-]*|\d+(?:\.\d+)?[a-z]*|!~|!=|==|=~|<=|>=|\.\.|\S/g;

export function tokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

const OPERATORS = [
  '| where ', '| summarize count() by ', '| extend x = ', '| project ', '| take 5', '| sort by ', '| top 3 by ',
  '| mv-expand ', '| mv-apply ', '| join kind=inner (', '| join kind=leftanti (', '| union ', '| parse ', '| make-series ',
  '| evaluate ', '| distinct ', '| count', '| render timechart', '| lookup (', '| project-away ', '| as T', '| serialize ',
  '| invoke ', '| scan ', '| top-nested ', '| partition by ', '| sample 3', '| getschema', '| fork ', '| facet by ',
  ' and ', ' or ', ' not(', ' has ', ' in~ (', ' !contains ', ' matches regex ', ' between (', ' .. ', ';', 'let x = ',
];
const LITERALS = [
  '1', '0', '-1', '1.5', '1e308', '9223372036854775807', '"a"', "'b'", '""', "'", '"', '@"\\', '```', 'true', 'null',
  'datetime(2024-01-01)', 'datetime(', 'time(1d)', '1d', '-2h', 'dynamic([1,"a",{}])', 'dynamic({"k":[1]})', 'dynamic(',
  'guid(00000000-0000-0000-0000-000000000000)', 'int(null)', 'real(nan)', 'real(+inf)', 'long(-9223372036854775808)',
  '(', ')', '[', ']', '{', '}', ',', '*', '.', '=', '==', '!', '~', '$', '\\', '\u00e9', '\u0000', 'now()', 'ago(', 'toscalar(',
  'materialize(', 'pack_all()', 'bag_pack("a",1)', 'strcat(', 'iff(', 'case(', 'bin(', 'tostring(', 'split(', 'extract("(', 'parse_json(',
  'row_number()', 'prev(', 'array_length(', 'countif(', 'dcount(', 'arg_max(', 'make_set(', 'percentile(', 'T', 'X', '_', 'Timestamp',
];

export type Mutation = 'delete' | 'duplicate' | 'swap' | 'cut' | 'operator' | 'literal' | 'quote' | 'replace';
export const MUTATIONS: Mutation[] = ['delete', 'duplicate', 'swap', 'cut', 'operator', 'literal', 'quote', 'replace'];

/** One to three random mutations of `text`. */
export function mutate(text: string, random: () => number): { text: string; kinds: Mutation[] } {
  const kinds: Mutation[] = [];
  let cur = text;
  const n = 1 + Math.floor(random() * 3);
  for (let i = 0; i < n; i++) {
    const kind = MUTATIONS[Math.floor(random() * MUTATIONS.length)]!;
    kinds.push(kind);
    cur = applyMutation(cur, kind, random);
  }
  return { text: cur, kinds };
}

function applyMutation(text: string, kind: Mutation, random: () => number): string {
  const toks = tokens(text);
  if (toks.length === 0) return text + pick(LITERALS, random);
  const i = Math.floor(random() * toks.length);
  switch (kind) {
    case 'delete':
      toks.splice(i, 1);
      break;
    case 'duplicate':
      toks.splice(i, 0, toks[i]!);
      break;
    case 'swap': {
      const j = Math.floor(random() * toks.length);
      [toks[i], toks[j]] = [toks[j]!, toks[i]!];
      break;
    }
    case 'cut': {
      const at = Math.floor(random() * text.length);
      return random() < 0.7 ? text.slice(0, at) : text.slice(at);
    }
    case 'operator':
      toks.splice(i, 0, pick(OPERATORS, random));
      break;
    case 'literal':
      toks.splice(i, 0, pick(LITERALS, random));
      break;
    case 'quote':
      toks.splice(i, 0, pick(['"', "'", '@"', '\\"', "\\'", '`'], random));
      break;
    case 'replace':
      toks[i] = pick(random() < 0.5 ? LITERALS : toks, random);
      break;
  }
  return toks.join('');
}

const pick = <T>(xs: readonly T[], random: () => number): T => xs[Math.floor(random() * xs.length)]!;
