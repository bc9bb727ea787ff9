/**
 * DBSCAN (Ester et al., 1996) as scikit-learn defines it: a row is a core row when at least
 * MinPoints rows (itself included) lie within Eps (Euclidean, inclusive); clusters are the
 * connected components of core rows, each with the non-core rows within Eps of its cores;
 * other rows are noise (−1). Clusters are numbered 0, 1, … in the order of their first row.
 */
import { KdTree } from './kd-tree.js';
import type { FeatureMatrix } from './matrix.js';

export interface DbscanOptions {
  eps: number;
  minPoints: number;
}

export interface DbscanResult {
  labels: Int32Array;
  core: Uint8Array;
  clusters: number;
}

export function dbscan(m: FeatureMatrix, o: DbscanOptions): DbscanResult {
  if (!(o.eps > 0)) throw new Error(`dbscan needs Eps > 0, got ${o.eps}`);
  if (o.minPoints < 1) throw new Error(`dbscan needs MinPoints >= 1, got ${o.minPoints}`);
  const rows = m.rows;
  const tree = new KdTree(m);
  // Neighbourhoods are found once per row and kept in CSR form (offsets into one id array).
  const offsets = new Int32Array(rows + 1);
  let ids = new Int32Array(Math.max(16, rows * 4));
  let used = 0;
  for (let i = 0; i < rows; i++) {
    tree.within(i, o.eps, (other) => {
      if (used === ids.length) {
        const bigger = new Int32Array(ids.length * 2);
        bigger.set(ids);
        ids = bigger;
      }
      ids[used++] = other;
    });
    offsets[i + 1] = used;
  }
  const core = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) core[i] = offsets[i + 1]! - offsets[i]! >= o.minPoints ? 1 : 0;

  const labels = new Int32Array(rows).fill(-1);
  const queue = new Int32Array(rows);
  let clusters = 0;
  for (let seed = 0; seed < rows; seed++) {
    if (!core[seed] || labels[seed] !== -1) continue;
    const id = clusters++;
    labels[seed] = id;
    let head = 0;
    let tail = 0;
    queue[tail++] = seed;
    while (head < tail) {
      const p = queue[head++]!;
      if (!core[p]) continue;
      for (let n = offsets[p]!; n < offsets[p + 1]!; n++) {
        const q = ids[n]!;
        if (labels[q] !== -1) continue;
        labels[q] = id;
        queue[tail++] = q;
      }
    }
  }
  return { labels, core, clusters };
}
