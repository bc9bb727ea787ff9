/**
 * Isolation Forest (Liu, Ting & Zhou, 2008), the variant scikit-learn implements: each tree
 * is grown on a subsample of SampleSize rows drawn without replacement, to depth
 * ceil(log2(SampleSize)); a node splits on a random feature among those not constant in it,
 * at a uniform random value between the feature's min and max there (x <= value goes left).
 * A row's path length is its leaf depth plus c(leaf size); its score is the paper's
 * s(x, ψ) = 2^(−E[h(x)] / c(ψ)) in [0, 1], higher meaning more anomalous.
 */
import type { FeatureMatrix } from './matrix.js';
import { Random } from './random.js';

export interface IsolationForestOptions {
  trees: number;
  sampleSize: number;
  /** Share of rows flagged anomalous, in [0, 0.5]. */
  contamination: number;
  seed: number;
}

export interface IsolationForestResult {
  scores: Float64Array;
  anomalies: Uint8Array;
  /** Rows whose score is above this are anomalies (the contamination quantile of the scores). */
  threshold: number;
}

/**
 * The fitted forest, each tree stored as a complete binary tree of depth `depth` (heap order:
 * node i has children 2i+1 and 2i+2) so scoring is a fixed number of branch-free steps. A leaf
 * above the full depth becomes a chain of splits that always go left (threshold +∞) down to
 * its leftmost descendant, which holds the leaf's path length.
 */
interface Forest {
  trees: number;
  depth: number;
  feature: Int32Array;
  threshold: Float64Array;
  /** Path length at each tree's bottom-level nodes (depth + c(leaf size)). */
  value: Float64Array;
  sampleSize: number;
}

const EULER_GAMMA = 0.5772156649015329;

/** Average path length of an unsuccessful search in a binary search tree of n nodes, c(n). */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

export function isolationForest(m: FeatureMatrix, o: IsolationForestOptions): IsolationForestResult {
  if (m.rows < 2) throw new Error(`isolation_forest needs at least 2 rows, got ${m.rows}`);
  const forest = fit(m, o);
  const scores = score(m, forest);
  const { anomalies, threshold } = flagTop(scores, o.contamination);
  return { scores, anomalies, threshold };
}

function fit(m: FeatureMatrix, o: IsolationForestOptions): Forest {
  const { rows, dims, data } = m;
  const psi = Math.min(o.sampleSize, rows);
  const depth = Math.ceil(Math.log2(Math.max(psi, 2)));
  const inner = (1 << depth) - 1;
  const leaves = 1 << depth;
  const forest: Forest = {
    trees: o.trees,
    depth,
    feature: new Int32Array(o.trees * inner),
    threshold: new Float64Array(o.trees * inner).fill(Infinity),
    value: new Float64Array(o.trees * leaves),
    sampleSize: psi,
  };
  const random = new Random(o.seed);
  const permutation = new Int32Array(rows);
  for (let i = 0; i < rows; i++) permutation[i] = i;
  const sample = new Int32Array(psi);
  const lo = new Float64Array(dims);
  const hi = new Float64Array(dims);
  const candidates = new Int32Array(dims);
  // Work stack of nodes to grow: (heap index, start, end, depth).
  const stack = new Int32Array(4 * (inner + leaves));

  for (let t = 0; t < o.trees; t++) {
    // A partial Fisher–Yates shuffle draws psi distinct rows.
    for (let i = 0; i < psi; i++) {
      const j = i + random.int(rows - i);
      const x = permutation[i]!;
      permutation[i] = permutation[j]!;
      permutation[j] = x;
      sample[i] = permutation[i]!;
    }
    const featureBase = t * inner;
    const valueBase = t * leaves;
    let top = 0;
    stack[top++] = 0;
    stack[top++] = 0;
    stack[top++] = psi;
    stack[top++] = 0;
    while (top > 0) {
      const level = stack[--top]!;
      const end = stack[--top]!;
      const start = stack[--top]!;
      const node = stack[--top]!;
      const size = end - start;
      let chosen = -1;
      if (level < depth && size > 1) {
        lo.fill(Infinity);
        hi.fill(-Infinity);
        for (let i = start; i < end; i++) {
          const off = sample[i]! * dims;
          for (let f = 0; f < dims; f++) {
            const v = data[off + f]!;
            if (v < lo[f]!) lo[f] = v;
            if (v > hi[f]!) hi[f] = v;
          }
        }
        let count = 0;
        for (let f = 0; f < dims; f++) if (hi[f]! > lo[f]!) candidates[count++] = f;
        if (count > 0) chosen = candidates[random.int(count)]!;
      }
      if (chosen < 0) {
        // A leaf: its always-left chain ends at its leftmost bottom-level descendant.
        let bottom = node;
        for (let l = level; l < depth; l++) bottom = 2 * bottom + 1;
        forest.value[valueBase + bottom - inner] = level + averagePathLength(size);
        continue;
      }
      let split = lo[chosen]! + random.next() * (hi[chosen]! - lo[chosen]!);
      if (split >= hi[chosen]!) split = lo[chosen]!;
      // Partition the node's rows: x <= split first.
      let i = start;
      let j = end - 1;
      while (i <= j) {
        if (data[sample[i]! * dims + chosen]! <= split) i++;
        else {
          const x = sample[i]!;
          sample[i] = sample[j]!;
          sample[j--] = x;
        }
      }
      forest.feature[featureBase + node] = chosen;
      forest.threshold[featureBase + node] = split;
      stack[top++] = 2 * node + 1;
      stack[top++] = start;
      stack[top++] = i;
      stack[top++] = level + 1;
      stack[top++] = 2 * node + 2;
      stack[top++] = i;
      stack[top++] = end;
      stack[top++] = level + 1;
    }
  }
  return forest;
}

function score(m: FeatureMatrix, forest: Forest): Float64Array {
  const { rows, dims, data } = m;
  const { trees, depth, feature, threshold, value } = forest;
  const inner = (1 << depth) - 1;
  const leaves = 1 << depth;
  const norm = averagePathLength(forest.sampleSize) * trees;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const off = r * dims;
    let total = 0;
    for (let t = 0; t < trees; t++) {
      const base = t * inner;
      let n = 0;
      for (let l = 0; l < depth; l++) {
        const k = base + n;
        n = 2 * n + 1 + (data[off + feature[k]!]! > threshold[k]! ? 1 : 0);
      }
      total += value[t * leaves + n - inner]!;
    }
    out[r] = Math.pow(2, -total / norm);
  }
  return out;
}

/**
 * Flags the `contamination` share of highest scores the way scikit-learn's predict() does:
 * the threshold is numpy's (linear) percentile of the scores at 1 − contamination, and a row
 * is anomalous when its score is strictly above it.
 */
export function flagTop(scores: Float64Array, contamination: number): { anomalies: Uint8Array; threshold: number } {
  const anomalies = new Uint8Array(scores.length);
  if (contamination <= 0 || scores.length === 0) return { anomalies, threshold: Infinity };
  const sorted = Float64Array.from(scores).sort();
  const position = (sorted.length - 1) * (1 - contamination);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const threshold = sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
  for (let i = 0; i < scores.length; i++) anomalies[i] = scores[i]! > threshold ? 1 : 0;
  return { anomalies, threshold };
}
