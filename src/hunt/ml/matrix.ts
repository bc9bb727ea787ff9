/**
 * The feature matrix the ML plugins work on: n rows × d features, row-major in one
 * Float64Array. Missing values arrive as NaN.
 */
export interface FeatureMatrix {
  rows: number;
  dims: number;
  data: Float64Array;
}

export function matrix(rows: number, dims: number, data: Float64Array): FeatureMatrix {
  if (data.length !== rows * dims) throw new Error(`feature matrix: ${data.length} values for ${rows} rows × ${dims} features`);
  return { rows, dims, data };
}

/** Per-feature mean, population variance and standard deviation over the non-missing values (0 for a feature with none). */
export function featureStats(m: FeatureMatrix): { mean: Float64Array; variance: Float64Array; std: Float64Array; present: Float64Array } {
  const { rows, dims, data } = m;
  const mean = new Float64Array(dims);
  const present = new Float64Array(dims);
  for (let i = 0; i < rows; i++) {
    const o = i * dims;
    for (let j = 0; j < dims; j++) {
      const v = data[o + j]!;
      if (v === v) {
        mean[j]! += v;
        present[j]!++;
      }
    }
  }
  for (let j = 0; j < dims; j++) mean[j] = present[j]! > 0 ? mean[j]! / present[j]! : 0;
  const variance = new Float64Array(dims);
  for (let i = 0; i < rows; i++) {
    const o = i * dims;
    for (let j = 0; j < dims; j++) {
      const v = data[o + j]!;
      if (v === v) variance[j]! += (v - mean[j]!) ** 2;
    }
  }
  for (let j = 0; j < dims; j++) variance[j] = present[j]! > 0 ? variance[j]! / present[j]! : 0;
  const std = variance.map(Math.sqrt);
  return { mean, variance, std, present };
}

/**
 * Replaces missing values by their feature's mean (0 when a feature has no value at all), in
 * place; with `standardize`, also scales each feature to mean 0 and standard deviation 1 as
 * scikit-learn's StandardScaler does (a constant feature becomes 0).
 */
export function prepareFeatures(m: FeatureMatrix, standardize: boolean): FeatureMatrix {
  const { rows, dims, data } = m;
  const { mean, std, present } = featureStats(m);
  // Nothing to replace or scale: the data stay as they are.
  if (!standardize && present.every((p) => p === rows)) return m;
  for (let i = 0; i < rows; i++) {
    const o = i * dims;
    for (let j = 0; j < dims; j++) {
      let v = data[o + j]!;
      if (v !== v) v = mean[j]!;
      data[o + j] = standardize ? (std[j]! > 0 ? (v - mean[j]!) / std[j]! : 0) : v;
    }
  }
  return m;
}
