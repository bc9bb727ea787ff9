/**
 * The `reduce` operator's clustering: strings are grouped under patterns in which `*` stands
 * for the terms that vary. Kusto bases it on Vaarandi's SLCT (a term is a word at a position in
 * the line); its exact rules are not published, so these are the ones its documented examples
 * show (reduce-operator.md):
 *
 * - Terms: a value is cut into terms, each a run of separator characters followed by a run of
 *   other characters; the separators go with the term after them, so `fooZ1` with
 *   `characters="Z"` is `foo`, `Z1` and its pattern is `foo*` (documented). Without
 *   `characters` every character that is not an ASCII letter or digit separates terms.
 * - Variable positions: values with the same number of terms share a shape; at each position of
 *   a shape, the rows whose term is not the position's most common one are counted, and when
 *   they are at least `threshold` of the shape's rows the position is reduced: its terms become
 *   `*` (adjacent ones a single `*`). This reads the documented parameter ("the minimum fraction
 *   of rows required to match the grouping criteria in order to trigger a reduction") and gives
 *   its documented direction: a smaller threshold reduces more and gives fewer groups
 *   (threshold 0.001 over 1,000 rows of `MachineLearningX<digit>`: the one group
 *   `MachineLearning*`; 0.9: a group per digit, as the documentation shows).
 * - Groups: rows with the same pattern. A pattern that is all wildcard says nothing: those rows
 *   are reported together as `others`, with an empty representative (documented).
 * - Representative: the group's most frequent value (ties: the smallest), so results are stable.
 */
import { BOOLEAN, DOUBLE, VARCHAR } from '@duckdb/node-api';
import type { RowUdf } from './register.js';

export interface ReduceGroup {
  pattern: string;
  count: number;
  representative: string;
}

export interface ReduceResult {
  groups: ReduceGroup[];
  /** Each distinct input value's group (index into `groups`). */
  groupOf: Map<string, number>;
}

export const OTHERS = 'others';
export const DEFAULT_THRESHOLD = 0.1;
const OTHERS_KEY = '\u0000others';

/** A character as a member of a regular expression character class. */
const classChar = (ch: string) => (/[\\\]^-]/.test(ch) ? `\\${ch}` : ch);

/** The term splitter for a `characters` list (undefined: Kusto's default separators). */
export function termSplitter(characters?: string): (value: string) => string[] {
  const separators = characters === undefined ? '[^A-Za-z0-9]*' : characters === '' ? '' : `[${[...characters].map(classChar).join('')}]*`;
  const words = characters === undefined ? '[A-Za-z0-9]' : characters === '' ? '[\\s\\S]' : `[^${[...characters].map(classChar).join('')}]`;
  // A term: separators, then the characters up to the next separator.
  const term = new RegExp(`${separators}${words}*`, 'gu');
  return (value) => {
    const terms: string[] = [];
    term.lastIndex = 0;
    while (term.lastIndex < value.length) {
      const m = term.exec(value)!;
      terms.push(m[0]);
    }
    return terms;
  };
}

/**
 * Groups the distinct `values` (each with its row count) into patterns. `threshold` must be in
 * [0, 1]; `characters` lists the term separators.
 */
export function reducePatterns(values: ReadonlyArray<readonly [string, number]>, threshold = DEFAULT_THRESHOLD, characters?: string): ReduceResult {
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`reduce: threshold must be between 0 and 1, got ${threshold}`);
  const split = termSplitter(characters);
  const termsOf = values.map(([v]) => split(v));
  // Per shape (number of terms) and term position: the rows of each term.
  const countsAt = new Map<number, Array<Map<string, number>>>();
  values.forEach(([, n], i) => {
    const terms = termsOf[i]!;
    let positions = countsAt.get(terms.length);
    if (!positions) countsAt.set(terms.length, (positions = terms.map(() => new Map<string, number>())));
    terms.forEach((t, p) => positions![p]!.set(t, (positions![p]!.get(t) ?? 0) + n));
  });
  const variesAt = new Map<number, boolean[]>();
  for (const [shape, positions] of countsAt) {
    variesAt.set(shape, positions.map((counts) => {
      let rows = 0;
      let top = 0;
      for (const c of counts.values()) {
        rows += c;
        top = Math.max(top, c);
      }
      const others = (rows - top) / rows;
      return others > 0 && others >= threshold;
    }));
  }

  const groups: ReduceGroup[] = [];
  const byPattern = new Map<string, number>();
  const best = new Map<number, { value: string; n: number }>();
  const groupOf = new Map<string, number>();
  values.forEach(([value, n], i) => {
    let pattern = '';
    let literal = false;
    let wildcard = false;
    const varies = variesAt.get(termsOf[i]!.length)!;
    termsOf[i]!.forEach((t, p) => {
      if (!varies[p]) {
        pattern += t;
        literal = true;
        wildcard = false;
      } else if (!wildcard) {
        pattern += '*';
        wildcard = true;
      }
    });
    // An empty value has no terms: it is its own (literal) pattern.
    if (termsOf[i]!.length === 0) literal = true;
    // The map key of the outliers cannot be a pattern text.
    const key = literal ? pattern : OTHERS_KEY;
    let g = byPattern.get(key);
    if (g === undefined) {
      g = groups.push({ pattern: literal ? pattern : OTHERS, count: 0, representative: '' }) - 1;
      byPattern.set(key, g);
    }
    groups[g]!.count += n;
    groupOf.set(value, g);
    const b = best.get(g);
    if (literal && (!b || n > b.n || (n === b.n && value < b.value))) best.set(g, { value, n });
  });
  for (const [g, b] of best) groups[g]!.representative = b.value;
  return { groups, groupOf };
}

/** Groups largest first (ties by pattern), `others` last. */
export function orderedGroups(groups: readonly ReduceGroup[]): ReduceGroup[] {
  const rank = (g: ReduceGroup) => (g.pattern === OTHERS && g.representative === '' ? 1 : 0);
  return [...groups].sort((a, b) => rank(a) - rank(b) || b.count - a.count || (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0));
}

const parseValues = (json: string): Array<[string, number]> =>
  (JSON.parse(json) as Array<{ v: unknown; n: unknown }>).map(({ v, n }) => [typeof v === 'string' ? v : String(v ?? ''), Number(n)]);

export const REDUCE_UDFS: RowUdf[] = [
  {
    // [{v: value, n: rows}, …] -> [[Pattern, Count, Representative], …]
    name: 'kql_reduce_groups', parameters: [VARCHAR, DOUBLE, VARCHAR, BOOLEAN], returns: VARCHAR,
    row: (values: string, threshold: number, characters: string, useCharacters: boolean) => {
      const { groups } = reducePatterns(parseValues(values), threshold, useCharacters ? characters : undefined);
      return JSON.stringify(orderedGroups(groups).map((g) => [g.pattern, g.count, g.representative]));
    },
  },
  {
    // [{v: value, n: rows}, …] -> [[value, Pattern, Count, Representative], …] (reduce kind=source)
    name: 'kql_reduce_values', parameters: [VARCHAR, DOUBLE, VARCHAR, BOOLEAN], returns: VARCHAR,
    row: (values: string, threshold: number, characters: string, useCharacters: boolean) => {
      const { groups, groupOf } = reducePatterns(parseValues(values), threshold, useCharacters ? characters : undefined);
      return JSON.stringify([...groupOf].map(([v, g]) => [v, groups[g]!.pattern, groups[g]!.count, groups[g]!.representative]));
    },
  },
];
