/**
 * Closed frequent patterns, for basket and diffpatterns. A pattern is closed when no more
 * specific pattern matches the same rows (a column that is constant within its rows is part of
 * it). Every frequent pattern of at most `maxDimensions` restrictions is enumerated — depth
 * first, each restriction added in column order — and its closure kept; so the result is exactly
 * the set of closures of frequent patterns with at most `maxDimensions` dimensions of their own
 * (a column implied by the others, "correlated", is not counted). Restrictions already in the
 * closure are never added, which keeps constant and correlated columns from multiplying the
 * search.
 */
import { closure, type Pattern, type PatternData } from './data.js';

export interface MiningOptions {
  /** Whether matches of these weights (set A, set B) make a pattern frequent; must be monotone. */
  frequent: (weightA: number, weightB: number) => boolean;
  maxDimensions: number;
  /** Search nodes allowed before giving up with an error. */
  budget?: number;
}

export function closedPatterns(d: PatternData, o: MiningOptions): Pattern[] {
  const found = new Map<string, Pattern>();
  const budget = o.budget ?? 2_000_000;
  let nodes = 0;
  const all = new Int32Array(d.tuples);
  for (let t = 0; t < d.tuples; t++) all[t] = t;

  const visit = (tids: Int32Array, weightA: number, weightB: number, lastDim: number, depth: number): void => {
    if (++nodes > budget) {
      throw new Error(`the search for patterns grew past ${budget} steps: raise the threshold, lower MaxDimensions, or project fewer columns`);
    }
    const items = closure(d, tids);
    const key = items.join(',');
    if (items.some((c) => c !== 0) && !found.has(key)) found.set(key, { items, tids, weightA, weightB });
    if (depth >= o.maxDimensions) return;
    for (let j = lastDim + 1; j < d.dims; j++) {
      if (items[j] !== 0) continue;
      // Split the matches by their value in column j: one child pattern per value.
      const groups = new Map<number, { tids: number[]; a: number; b: number }>();
      for (const t of tids) {
        const c = d.codes[t * d.dims + j]!;
        if (c === 0) continue;
        let g = groups.get(c);
        if (!g) groups.set(c, (g = { tids: [], a: 0, b: 0 }));
        g.tids.push(t);
        if (d.sets[t] === 1) g.b += d.weights[t]!;
        else g.a += d.weights[t]!;
      }
      for (const c of [...groups.keys()].sort((x, y) => x - y)) {
        const g = groups.get(c)!;
        if (o.frequent(g.a, g.b)) visit(Int32Array.from(g.tids), g.a, g.b, j, depth + 1);
      }
    }
  };

  let a = 0;
  let b = 0;
  for (let t = 0; t < d.tuples; t++) {
    if (d.sets[t] === 1) b += d.weights[t]!;
    else a += d.weights[t]!;
  }
  if (d.tuples && o.frequent(a, b)) visit(all, a, b, -1, 0);
  return [...found.values()];
}
