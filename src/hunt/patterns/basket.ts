/**
 * basket: the closed patterns whose matching rows weigh at least Threshold × all rows (Apriori's
 * frequent itemsets, each reported once with every column its rows share), with at most
 * MaxDimensions dimensions of their own. Ordered by weight, most first.
 */
import { closedPatterns } from './closed-itemsets.js';
import { compareItems, type Pattern, type PatternData, totals } from './data.js';

export interface BasketOptions {
  threshold: number;
  maxDimensions: number;
}

/** Ratios are compared with a little slack, so that 7 of 100 rows pass a threshold of 0.07. */
export const atLeast = (part: number, whole: number, ratio: number): boolean => whole > 0 && part / whole >= ratio - 1e-12;

export function basket(d: PatternData, o: BasketOptions): Pattern[] {
  const all = totals(d).a;
  const found = closedPatterns(d, { frequent: (a) => atLeast(a, all, o.threshold), maxDimensions: o.maxDimensions });
  return found.sort((x, y) => y.weightA - x.weightA || compareItems(x.items, y.items));
}
