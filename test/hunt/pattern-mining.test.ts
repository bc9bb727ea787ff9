import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autocluster } from '../../src/hunt/patterns/autocluster.js';
import { basket } from '../../src/hunt/patterns/basket.js';
import { closedPatterns } from '../../src/hunt/patterns/closed-itemsets.js';
import { type PatternData, patternData } from '../../src/hunt/patterns/data.js';
import { diffpatterns } from '../../src/hunt/patterns/diffpatterns.js';
import { seededRandom } from '../../src/util/seeded-random.js';

/**
 * The mining algorithms on their own, against brute force over many small random tables with
 * weights, nulls, two sets, and a column that copies another (correlated) and one that is
 * constant: basket's result must be exactly the closures of the frequent patterns of at most
 * MaxDimensions columns; every pattern diffpatterns leaves out must be covered by a related one
 * it keeps that differs at least as much.
 */
/** A random table; with `twoSets`, each tuple in set A or B (basket and autocluster see one set). */
function table(seed: number, twoSets = false): PatternData {
  const r = seededRandom(seed);
  const tuples = 20 + Math.floor(r() * 60);
  const rows: number[] = [];
  const codes: number[] = [];
  for (let t = 0; t < tuples; t++) {
    const a = 1 + Math.floor(r() * 3);
    const b = r() < 0.15 ? 0 : 1 + Math.floor(r() * 4);
    const c = 1 + Math.floor(r() * 2);
    // d copies a (correlated), e is constant.
    const set = r() < 0.4 ? 1 : 0;
    rows.push(t + 1, 1 + Math.floor(r() * 3), twoSets ? set : 0);
    [a, b, c, a, 7].forEach((code, j) => codes.push(t + 1, j, code));
  }
  return patternData(5, rows, codes);
}

type Items = number[];
const key = (items: ArrayLike<number>): string => Array.from(items).join(',');

/** Every pattern of at most `max` restrictions with its weights per set, by brute force. */
function enumerate(d: PatternData, max: number): Array<{ items: Items; a: number; b: number; rows: number[] }> {
  const out: Array<{ items: Items; a: number; b: number; rows: number[] }> = [];
  const values = Array.from({ length: d.dims }, (_, j) => [...new Set(Array.from({ length: d.tuples }, (_, t) => d.codes[t * d.dims + j]!))].filter((c) => c !== 0));
  const walk = (j: number, items: Items, n: number): void => {
    if (j === d.dims) {
      if (!n) return;
      const rows = [...Array(d.tuples).keys()].filter((t) => items.every((c, k) => c === 0 || d.codes[t * d.dims + k] === c));
      const a = rows.reduce((s, t) => s + (d.sets[t] === 0 ? d.weights[t]! : 0), 0);
      const b = rows.reduce((s, t) => s + (d.sets[t] === 1 ? d.weights[t]! : 0), 0);
      if (rows.length) out.push({ items: [...items], a, b, rows });
      return;
    }
    walk(j + 1, [...items, 0], n);
    if (n < max) for (const c of values[j]!) walk(j + 1, [...items, c], n + 1);
  };
  walk(0, [], 0);
  return out;
}

function closureKey(d: PatternData, rows: number[]): string {
  return key(Array.from({ length: d.dims }, (_, j) => {
    const c = d.codes[rows[0]! * d.dims + j]!;
    return c !== 0 && rows.every((t) => d.codes[t * d.dims + j] === c) ? c : 0;
  }));
}
const related = (x: ArrayLike<number>, y: ArrayLike<number>): boolean => {
  const gen = (p: ArrayLike<number>, q: ArrayLike<number>) => Array.from(p).every((c, j) => c === 0 || c === q[j]);
  return gen(x, y) || gen(y, x);
};

describe('pattern mining against brute force', () => {
  it('basket: exactly the closed frequent patterns, weighted, for every MaxDimensions', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const d = table(seed);
      const total = Array.from(d.weights).reduce((s, w) => s + w, 0);
      for (const [threshold, max] of [[0.05, 1], [0.1, 2], [0.2, 5], [0.015, 3]] as const) {
        const expected = new Map<string, number>();
        for (const p of enumerate(d, max)) if (p.a + p.b >= threshold * total - 1e-9) expected.set(closureKey(d, p.rows), p.a + p.b);
        const found = basket(d, { threshold, maxDimensions: max });
        assert.deepEqual(new Set(found.map((p) => key(p.items))), new Set(expected.keys()), `seed ${seed}, ${threshold}, ${max}`);
        assert.equal(found.length, expected.size);
        for (const p of found) assert.ok(Math.abs(p.weightA - expected.get(key(p.items))!) < 1e-9);
        // The constant column e (code 7) is in every pattern; d never without a.
        assert.ok(found.every((p) => p.items[4] === 7 && (p.items[3] === 0 || p.items[0] === p.items[3])));
      }
    }
  });

  it('diffpatterns: every pattern that differs enough is kept or covered by a related, larger difference', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const d = table(seed + 100, true);
      const sets = [0, 1].map((s) => Array.from(d.weights).reduce((acc, w, t) => acc + (d.sets[t] === s ? w : 0), 0));
      if (!sets[0] || !sets[1]) continue;
      const threshold = 0.05;
      const found = diffpatterns(d, { threshold, maxDimensions: 3 });
      const diffOf = (a: number, b: number) => Math.abs(a / sets[0]! - b / sets[1]!);
      for (const [i, p] of found.entries()) {
        assert.ok(diffOf(p.weightA, p.weightB) >= threshold - 1e-9);
        if (i) assert.ok(diffOf(p.weightA, p.weightB) <= diffOf(found[i - 1]!.weightA, found[i - 1]!.weightB) + 1e-12);
        for (const q of found) if (q !== p) assert.ok(!related(p.items, q.items));
      }
      for (const p of enumerate(d, 3)) {
        const diff = diffOf(p.a, p.b);
        if (diff < threshold) continue;
        const closed = closureKey(d, p.rows).split(',').map(Number);
        assert.ok(found.some((q) => related(q.items, closed) && diffOf(q.weightA, q.weightB) >= diff - 1e-9), `seed ${seed}: ${key(p.items)} (${diff}) uncovered`);
      }
    }
  });

  it('a search past its budget stops with an error that says what to change', () => {
    const d = table(7);
    assert.ok(closedPatterns(d, { frequent: () => true, maxDimensions: 5 }).length > 10);
    assert.throws(() => closedPatterns(d, { frequent: () => true, maxDimensions: 5, budget: 200 }), /grew too large .* raise the threshold, lower MaxDimensions/);
  });

  it('autocluster: closed patterns of at least 5% whose weights match, none generalising another', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const d = table(seed + 200);
      const total = Array.from(d.weights).reduce((s, w) => s + w, 0);
      const found = autocluster(d, { sizeWeight: 0.5, numSeeds: 25 });
      assert.ok(found.length >= 1);
      for (const p of found) {
        const rows = [...Array(d.tuples).keys()].filter((t) => Array.from(p.items).every((c, j) => c === 0 || d.codes[t * d.dims + j] === c));
        assert.deepEqual(Array.from(p.tids), rows);
        assert.ok(Math.abs(p.weightA - rows.reduce((s, t) => s + d.weights[t]!, 0)) < 1e-9);
        assert.ok(p.weightA / total >= 0.05 - 1e-12);
        assert.equal(closureKey(d, rows), key(p.items));
        for (const q of found) if (q !== p) assert.ok(!related(p.items, q.items));
      }
      assert.deepEqual(autocluster(d, { sizeWeight: 0.5, numSeeds: 25 }).map((p) => key(p.items)), found.map((p) => key(p.items)), 'deterministic');
    }
  });
});
