/**
 * autocluster: a few patterns that each describe a large group of rows sharing many values.
 * Kusto's plugin follows the Seed-Expand idea (seeds, then a local search from each); this is
 * Quarry's own version of it, deterministic:
 *
 * - A pattern's score is the weighted geometric mean of its coverage (its rows' weight / all
 *   rows') and its specificity (its dimensions / all dimensions), with weights SizeWeight and
 *   1 − SizeWeight: a high SizeWeight favours broad patterns, a low one specific ones.
 * - Seeds are rows: the heaviest distinct row not yet matched by a pattern found so far, up to
 *   NumSeeds of them (it stops early once every row is matched).
 * - From the seed's full row, a hill climb drops or restores one of the seed's values at a time,
 *   always taking the move that raises the score most, until no move raises it.
 * - The local optima are ranked by score; one that generalises or refines a better-ranked one is
 *   left out, and so is one that matches less than 5% of the rows' weight (basket's default
 *   threshold): the plugin summarises the bulk of the data, it does not list its outliers. The
 *   rest are the result, best first.
 */
import { compareCodes, compareItems, generalises, matchingIndexed, matchWeight, type Pattern, type PatternData, size, totals, type ValueIndex, valueIndex } from './data.js';

export interface AutoclusterOptions {
  sizeWeight: number;
  numSeeds: number;
}

/** The least share of all rows' weight a reported pattern matches. */
export const MIN_COVERAGE = 0.05;

export function autocluster(d: PatternData, o: AutoclusterOptions): Pattern[] {
  const total = totals(d).a;
  if (!d.tuples || total <= 0 || d.dims === 0) return [];
  const score = (weight: number, n: number): number => {
    if (!n || weight <= 0) return 0;
    return Math.pow(weight / total, o.sizeWeight) * Math.pow(n / d.dims, 1 - o.sizeWeight);
  };

  // Distinct rows, heaviest first (the engine already merged equal rows into one tuple each).
  const order = [...Array(d.tuples).keys()].sort((x, y) => d.weights[y]! - d.weights[x]! || compareCodes(d.codes, x * d.dims, d.codes, y * d.dims, d.dims) || d.sets[x]! - d.sets[y]!);
  const matched = new Uint8Array(d.tuples);
  const index = valueIndex(d);
  // Climbs from different seeds pass through the same general patterns: weigh each once.
  const weights = new Map<string, number>();
  const weigh = (items: Int32Array): number => {
    const key = items.join(',');
    let w = weights.get(key);
    if (w === undefined) weights.set(key, (w = matchWeight(d, index, items)));
    return w;
  };
  const optima = new Map<string, { p: Pattern; score: number }>();
  let seeds = 0;
  for (const seed of order) {
    if (seeds >= o.numSeeds) break;
    if (matched[seed] || d.weights[seed]! <= 0) continue;
    seeds++;
    const best = climb(d, index, seed, score, weigh);
    const key = best.p.items.join(',');
    if (!optima.has(key)) optima.set(key, best);
    for (const t of best.p.tids) matched[t] = 1;
    matched[seed] = 1;
  }

  const ranked = [...optima.values()].filter((x) => x.score > 0 && x.p.weightA / total >= MIN_COVERAGE - 1e-12).sort((x, y) => y.score - x.score || compareItems(x.p.items, y.p.items));
  const chosen: Pattern[] = [];
  for (const { p } of ranked) {
    if (chosen.some((q) => generalises(q.items, p.items) || generalises(p.items, q.items))) continue;
    chosen.push(p);
  }
  return chosen;
}

/**
 * Hill climb over the patterns made of the seed row's values, from the whole row. Moves are
 * scored by their matches' weight alone; only the optimum's matches are listed.
 */
function climb(d: PatternData, index: ValueIndex, seed: number, score: (weight: number, dims: number) => number, weigh: (items: Int32Array) => number): { p: Pattern; score: number } {
  const values = d.codes.subarray(seed * d.dims, (seed + 1) * d.dims);
  const current = Int32Array.from(values);
  let dims = size(current);
  let currentScore = score(weigh(current), dims);
  for (;;) {
    let bestJ = -1;
    let bestScore = currentScore;
    for (let j = 0; j < d.dims; j++) {
      if (values[j] === 0) continue;
      const removing = current[j] !== 0;
      if (removing && dims === 1) continue;
      current[j] = removing ? 0 : values[j]!;
      const s = score(weigh(current), removing ? dims - 1 : dims + 1);
      current[j] = removing ? values[j]! : 0;
      if (s > bestScore + 1e-12) {
        bestJ = j;
        bestScore = s;
      }
    }
    if (bestJ < 0) return { p: matchingIndexed(d, index, current), score: currentScore };
    dims += current[bestJ] !== 0 ? -1 : 1;
    current[bestJ] = current[bestJ] !== 0 ? 0 : values[bestJ]!;
    currentScore = bestScore;
  }
}
