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
import { closure, maxCodes, type Pattern, type PatternData } from './data.js';

export interface MiningOptions {
  /** Whether matches of these weights (set A, set B) make a pattern frequent; must be monotone. */
  frequent: (weightA: number, weightB: number) => boolean;
  maxDimensions: number;
  /** Work allowed (tuples visited × columns split) before giving up with an error. */
  budget?: number;
}

export function closedPatterns(d: PatternData, o: MiningOptions): Pattern[] {
  const found = new Map<string, Pattern>();
  // About ten seconds of work: beyond it the patterns are usually too many to be useful anyway
  // (many near-constant columns make every combination of them frequent).
  const budget = o.budget ?? 5e9;
  let work = 0;
  const max = maxCodes(d);
  const all = new Int32Array(d.tuples);
  for (let t = 0; t < d.tuples; t++) all[t] = t;

  const visit = (tids: Int32Array, weightA: number, weightB: number, lastDim: number, depth: number): void => {
    work += tids.length * Math.max(1, d.dims - lastDim - 1);
    if (work > budget) {
      throw new Error(`the search for patterns grew too large (${found.size} patterns so far): raise the threshold, lower MaxDimensions, or project fewer columns (columns that are nearly always the same value make every combination of them frequent)`);
    }
    const items = closure(d, tids);
    const key = items.join(',');
    // Only the first match is kept (the result reads the values from it): whole tid lists of
    // every pattern could take gigabytes.
    if (items.some((c) => c !== 0) && !found.has(key)) found.set(key, { items, tids: tids.slice(0, 1), weightA, weightB });
    if (depth >= o.maxDimensions) return;
    for (let j = lastDim + 1; j < d.dims; j++) {
      if (items[j] !== 0) continue;
      // Split the matches by their value in column j (a counting sort): one child per value.
      const k = max[j]! + 1;
      const count = new Int32Array(k);
      const wa = new Float64Array(k);
      const wb = new Float64Array(k);
      for (const t of tids) {
        const c = d.codes[t * d.dims + j]!;
        count[c]!++;
        if (d.sets[t] === 1) wb[c]! += d.weights[t]!;
        else wa[c]! += d.weights[t]!;
      }
      const children: Array<Int32Array | undefined> = new Array(k);
      let any = false;
      for (let c = 1; c < k; c++) {
        if (count[c]! > 0 && o.frequent(wa[c]!, wb[c]!)) {
          children[c] = new Int32Array(count[c]!);
          any = true;
        }
      }
      if (!any) continue;
      const filled = new Int32Array(k);
      for (const t of tids) {
        const c = d.codes[t * d.dims + j]!;
        const child = children[c];
        if (child) child[filled[c]!++] = t;
      }
      for (let c = 1; c < k; c++) {
        const child = children[c];
        if (child) visit(child, wa[c]!, wb[c]!, j, depth + 1);
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
