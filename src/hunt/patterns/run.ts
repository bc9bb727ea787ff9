/**
 * Runs one pattern-mining plugin over the engine's encoded tuples and returns its result in the
 * engine's flat form: [weight of set A, weight of set B], then per pattern [weight A, weight B,
 * the id of one tuple the pattern matches, then per dimension 1 where the pattern fixes it, 0 for
 * a wildcard] (operators/pattern-plugins.ts reads the fixed values back from that tuple).
 */
import { autocluster } from './autocluster.js';
import { basket } from './basket.js';
import { patternData, type Pattern, totals } from './data.js';
import { diffpatterns } from './diffpatterns.js';

export type PatternOptions =
  | { plugin: 'autocluster'; sizeWeight: number; numSeeds: number }
  | { plugin: 'basket'; threshold: number; maxDimensions: number }
  | { plugin: 'diffpatterns'; threshold: number; maxDimensions: number; splitColumn: string; splitValueA: string; splitValueB: string };

export function runPatternPlugin(o: PatternOptions, dims: number, tuples: ArrayLike<number>, codes?: ArrayLike<number>): number[] {
  const d = patternData(dims, tuples, codes);
  const { a, b } = totals(d);
  let found: Pattern[];
  switch (o.plugin) {
    case 'autocluster':
      found = autocluster(d, o);
      break;
    case 'basket':
      found = basket(d, o);
      break;
    case 'diffpatterns':
      // Kusto needs both sets: the split column must hold both values.
      for (const [set, value, weight] of [['A', o.splitValueA, a], ['B', o.splitValueB, b]] as const) {
        if (!(weight > 0)) throw new Error(`diffpatterns(): no row has ${o.splitColumn} == '${value}' (SplitValue${set}), so set ${set} is empty`);
      }
      found = diffpatterns(d, o);
      break;
  }
  const out: number[] = [a, b];
  for (const p of found) {
    out.push(p.weightA, p.weightB, d.ids[p.tids[0]!]!);
    for (let j = 0; j < dims; j++) out.push(p.items[j] !== 0 ? 1 : 0);
  }
  return out;
}
