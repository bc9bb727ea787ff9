/**
 * Runs one ML plugin over a feature matrix: prepares the features (missing values → the
 * feature's mean; Scale='standard' → z-scores) and returns one column of numbers per output
 * column the plugin appends (bools as 0/1), in row order.
 */
import { dbscan } from './dbscan.js';
import { isolationForest } from './isolation-forest.js';
import { kmeans } from './kmeans.js';
import { type FeatureMatrix, prepareFeatures } from './matrix.js';

export type MlOptions = { scale: boolean } & (
  | { plugin: 'isolation_forest'; trees: number; sampleSize: number; contamination: number; seed: number }
  | { plugin: 'kmeans'; k: number; seed: number; maxIterations: number; centroids?: number[][] }
  | { plugin: 'dbscan'; eps: number; minPoints: number }
);

export function runMlPlugin(m: FeatureMatrix, o: MlOptions): Float64Array[] {
  prepareFeatures(m, o.scale);
  switch (o.plugin) {
    case 'isolation_forest': {
      const r = isolationForest(m, o);
      return [r.scores, Float64Array.from(r.anomalies)];
    }
    case 'kmeans': {
      const r = kmeans(m, { k: o.k, seed: o.seed, maxIterations: o.maxIterations, centroids: o.centroids && Float64Array.from(o.centroids.flat()) });
      return [Float64Array.from(r.labels), r.distances];
    }
    case 'dbscan':
      return [Float64Array.from(dbscan(m, o).labels)];
  }
}
