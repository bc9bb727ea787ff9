import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { objects, useEngine } from '../engine/helpers.js';
import { Random, gaussian, loadTable, requireSklearn, sklearn } from './reference.js';

/** Gaussian blobs (spread `sd`) around the given centres, `perBlob` rows each, plus `noise` uniform rows in [-lim, lim]. */
function blobs(seed: number, centres: number[][], perBlob: number, sd: number, noise = 0, lim = 10): number[][] {
  const r = new Random(seed);
  const rows: number[][] = [];
  for (let i = 0; i < perBlob * centres.length; i++) {
    const c = centres[i % centres.length]!;
    rows.push([rows.length, ...c.map((x) => x + sd * gaussian(r))]);
  }
  for (let i = 0; i < noise; i++) rows.push([rows.length, ...centres[0]!.map(() => -lim + 2 * lim * r.next())]);
  return rows;
}

const inertiaOf = (rows: Array<Record<string, unknown>>) => rows.reduce((s, x) => s + (x.distance as number) ** 2, 0);

/** Whether two labelings agree on the given rows up to renumbering (a one-to-one map of labels). */
function sameUpToRenumbering(a: number[], b: number[], rows: number[]): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (const i of rows) {
    const x = a[i]!;
    const y = b[i]!;
    if ((ab.has(x) && ab.get(x) !== y) || (ba.has(y) && ba.get(y) !== x)) return false;
    ab.set(x, y);
    ba.set(y, x);
  }
  return true;
}

describe('evaluate kmeans() against scikit-learn', () => {
  const engine = useEngine();
  before(() => requireSklearn());

  it('from the same starting centroids gives scikit-learn\'s clusters and inertia', async (t) => {
    // Overlapping blobs, so Lloyd's algorithm needs several iterations to settle.
    const rows = blobs(5, [[0, 0, 0], [2, 1, 0], [0, 3, 1], [4, 4, 4], [1, -2, 3]], 600, 1.2);
    const path = await loadTable(engine(), 'Blobs', ['id', 'x', 'y', 'z'], rows);
    const start = [rows[0]!, rows[1]!, rows[2]!, rows[7]!, rows[11]!].map((r) => r.slice(1));
    const result = objects(await engine().query(`Blobs | evaluate kmeans(5, dynamic(['x','y','z']), Centroids=dynamic(${JSON.stringify(start)})) | order by id asc`));
    const ref = sklearn<{ labels: number[]; inertia: number; iterations: number }>('kmeans', path, { features: ['x', 'y', 'z'], centroids: start });
    t.diagnostic(`inertia ${inertiaOf(result).toFixed(3)}, scikit-learn ${ref.inertia.toFixed(3)} after ${ref.iterations} iterations`);
    assert.ok(ref.iterations > 3, 'a test that needs iterating');
    assert.deepEqual(result.map((x) => Number(x.cluster_id)), ref.labels);
    assert.ok(Math.abs(inertiaOf(result) - ref.inertia) <= 0.001 * ref.inertia);
  });

  it("with Scale='standard' clusters the z-scores as scikit-learn's StandardScaler + KMeans", async () => {
    const rows = blobs(9, [[0, 100], [5, 300], [10, 200]], 200, 40).map(([id, a, b]) => [id!, a!, b! * 50]);
    const path = await loadTable(engine(), 'Skewed', ['id', 'a', 'b'], rows);
    const start = [[-1, -1], [0, 1], [1, 0]];
    const result = objects(await engine().query(`Skewed | evaluate kmeans(3, dynamic(['a','b']), Centroids=dynamic(${JSON.stringify(start)}), Scale='standard') | order by id asc`));
    const ref = sklearn<{ labels: number[]; inertia: number }>('kmeans', path, { features: ['a', 'b'], centroids: start, scale: 'standard' });
    assert.deepEqual(result.map((x) => Number(x.cluster_id)), ref.labels);
    assert.ok(Math.abs(inertiaOf(result) - ref.inertia) <= 0.001 * ref.inertia);
  });

  it('with k-means++ from a seed finds well separated blobs, deterministically', async () => {
    await loadTable(engine(), 'Separated', ['id', 'x', 'y'], blobs(3, [[0, 0], [20, 0], [0, 20], [20, 20]], 100, 1));
    const q = (seed: number) => `Separated | evaluate kmeans(4, dynamic(['x','y']), Seed=${seed}) | order by id asc`;
    const a = objects(await engine().query(q(11)));
    assert.deepEqual(objects(await engine().query(q(11))), a);
    // Rows i, i+4, i+8, … come from blob i % 4: each blob is one cluster, four distinct clusters.
    const byBlob = [0, 1, 2, 3].map((b) => new Set(a.filter((x) => Number(x.id) % 4 === b).map((x) => x.cluster_id)));
    assert.ok(byBlob.every((s) => s.size === 1));
    assert.equal(new Set(byBlob.map((s) => [...s][0])).size, 4);
  });

  it('encodes a string feature as the share of rows with its value', async () => {
    const q = (feature: string) => `datatable(id:long, category:string, share:real)[1,'a',0.5, 2,'a',0.5, 3,'a',0.5, 4,'b',0.25, 5,'b',0.25, 6,'c',0.25, 7,'a',0.5, 8,'c',0.25]
      | evaluate kmeans(2, dynamic(['${feature}']), Centroids=dynamic([[0.2],[0.6]])) | order by id asc | project id, cluster_id, distance`;
    assert.deepEqual((await engine().query(q('category'))).rows, (await engine().query(q('share'))).rows);
  });
});

describe('evaluate dbscan() against scikit-learn', () => {
  const engine = useEngine();
  before(() => requireSklearn());

  it("gives scikit-learn's labels for core rows up to renumbering, and the same noise", async (t) => {
    const rows = blobs(21, [[0, 0], [3, 3], [-3, 4], [5, -3]], 250, 0.5, 150, 7);
    const path = await loadTable(engine(), 'Dense', ['id', 'x', 'y'], rows);
    const result = objects(await engine().query("Dense | evaluate dbscan(0.3, 6, dynamic(['x','y'])) | order by id asc"));
    const ref = sklearn<{ labels: number[]; core: number[] }>('dbscan', path, { features: ['x', 'y'], eps: 0.3, minPoints: 6 });
    const ours = result.map((x) => Number(x.cluster_id));
    const clusters = new Set(ref.labels.filter((l) => l >= 0)).size;
    t.diagnostic(`${clusters} clusters, ${ref.core.length} core rows, ${ref.labels.filter((l) => l < 0).length} noise rows`);
    assert.ok(clusters >= 4 && ref.core.length > 100, 'a test with clusters and noise');
    assert.ok(sameUpToRenumbering(ours, ref.labels, ref.core));
    assert.deepEqual(ours.map((l) => l < 0), ref.labels.map((l) => l < 0));
  });

  it('clusters in several dimensions with Scale=standard', async () => {
    const rows = blobs(8, [[0, 0, 0, 0, 0], [4, 4, 0, 0, 4], [0, 4, 4, 4, 0]], 150, 0.6, 40, 8);
    const path = await loadTable(engine(), 'Dense5', ['id', 'a', 'b', 'c', 'd', 'e'], rows);
    const result = objects(await engine().query("Dense5 | evaluate dbscan(Eps=0.45, MinPoints=5, Features=dynamic(['a','b','c','d','e']), Scale='standard') | order by id asc"));
    const ref = sklearn<{ labels: number[]; core: number[] }>('dbscan', path, { features: ['a', 'b', 'c', 'd', 'e'], eps: 0.45, minPoints: 5, scale: 'standard' });
    const ours = result.map((x) => Number(x.cluster_id));
    assert.ok(ref.core.length > 50);
    assert.ok(sameUpToRenumbering(ours, ref.labels, ref.core));
    assert.deepEqual(ours.map((l) => l < 0), ref.labels.map((l) => l < 0));
  });
});
