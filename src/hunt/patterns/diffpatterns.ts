/**
 * diffpatterns: patterns whose share of set A and share of set B differ by at least Threshold
 * (PercentDiffAB = |PercentA − PercentB| ≥ 100 × Threshold).
 *
 * Candidates are the closed patterns frequent in A or in B (a pattern that differs by the
 * threshold has at least that share in one of the sets, and so do its generalisations, which is
 * what lets the search prune). Of those that differ enough, the largest differences are taken
 * first, and a pattern is left out when it generalises or refines one already taken: it tells
 * the same story less well. Ordered by PercentDiffAB, largest first.
 */
import { closedPatterns } from './closed-itemsets.js';
import { atLeast } from './basket.js';
import { compareItems, generalises, type Pattern, type PatternData, totals } from './data.js';

export interface DiffOptions {
  threshold: number;
  maxDimensions: number;
}

export function diffpatterns(d: PatternData, o: DiffOptions): Pattern[] {
  const { a: totalA, b: totalB } = totals(d);
  const found = closedPatterns(d, {
    frequent: (a, b) => atLeast(a, totalA, o.threshold) || atLeast(b, totalB, o.threshold),
    maxDimensions: o.maxDimensions,
  });
  const diff = (p: Pattern): number => Math.abs(p.weightA / totalA - p.weightB / totalB);
  const ranked = found
    .map((p) => ({ p, diff: diff(p) }))
    .filter((x) => x.diff >= o.threshold - 1e-12)
    .sort((x, y) => y.diff - x.diff || (y.p.weightA + y.p.weightB) - (x.p.weightA + x.p.weightB) || compareItems(x.p.items, y.p.items));
  const chosen: Pattern[] = [];
  for (const { p } of ranked) {
    if (chosen.some((q) => generalises(q.items, p.items) || generalises(p.items, q.items))) continue;
    chosen.push(p);
  }
  return chosen;
}
