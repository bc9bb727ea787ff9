/**
 * The ML plugins' signatures, the one definition the front end (which declares them to
 * Kusto.Language), the IR builder (which reads their arguments) and the docs follow.
 */
import type { KqlType } from '../../kql/types.js';

export type MlPluginName = 'isolation_forest' | 'kmeans' | 'dbscan';

export interface MlParameter {
  name: string;
  type: 'long' | 'real' | 'string' | 'dynamic';
  /** Default as KQL literal text, for the declaration. */
  defaultText: string;
}

export interface MlPluginSpec {
  name: MlPluginName;
  /** In positional order. */
  parameters: MlParameter[];
  /** Columns appended to the input's. */
  outputs: Array<{ name: string; type: KqlType }>;
}

const scale: MlParameter = { name: 'Scale', type: 'string', defaultText: "'none'" };
const features: MlParameter = { name: 'Features', type: 'dynamic', defaultText: 'dynamic(null)' };

export const ML_PLUGINS: Record<MlPluginName, MlPluginSpec> = {
  isolation_forest: {
    name: 'isolation_forest',
    parameters: [
      features,
      { name: 'Trees', type: 'long', defaultText: '100' },
      { name: 'SampleSize', type: 'long', defaultText: '256' },
      { name: 'Contamination', type: 'real', defaultText: '0.01' },
      { name: 'Seed', type: 'long', defaultText: '0' },
      scale,
    ],
    outputs: [{ name: 'anomaly_score', type: 'real' }, { name: 'is_anomaly', type: 'bool' }],
  },
  kmeans: {
    name: 'kmeans',
    parameters: [
      { name: 'K', type: 'long', defaultText: '8' },
      features,
      { name: 'Seed', type: 'long', defaultText: '0' },
      { name: 'MaxIterations', type: 'long', defaultText: '300' },
      { name: 'Centroids', type: 'dynamic', defaultText: 'dynamic(null)' },
      scale,
    ],
    outputs: [{ name: 'cluster_id', type: 'long' }, { name: 'distance', type: 'real' }],
  },
  dbscan: {
    name: 'dbscan',
    parameters: [
      { name: 'Eps', type: 'real', defaultText: '0.5' },
      { name: 'MinPoints', type: 'long', defaultText: '5' },
      features,
      scale,
    ],
    outputs: [{ name: 'cluster_id', type: 'long' }],
  },
};

export const isMlPlugin = (name: string): name is MlPluginName => Object.hasOwn(ML_PLUGINS, name);
