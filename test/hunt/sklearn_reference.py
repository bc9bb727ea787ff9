"""scikit-learn's results for the ML plugin tests (run with Debian's /usr/bin/python3).

usage: sklearn_reference.py <model> <csv> '<params json>'
The CSV has a header; params.features names the feature columns. Prints one JSON object.
"""
import csv
import json
import sys

import numpy as np
from sklearn.cluster import DBSCAN, KMeans
from sklearn.ensemble import IsolationForest
from sklearn.preprocessing import StandardScaler


def load(path, features):
    with open(path, newline='', encoding='utf-8-sig') as f:
        rows = list(csv.DictReader(f))
    return np.array([[float(r[c]) for c in features] for r in rows], dtype=np.float64)


def main():
    model, path, params = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    X = load(path, params['features'])
    if params.get('scale') == 'standard':
        X = StandardScaler().fit_transform(X)
    if model == 'isolation_forest':
        m = IsolationForest(n_estimators=params.get('trees', 100), max_samples=min(params.get('sampleSize', 256), len(X)),
                            contamination=params.get('contamination', 0.01), random_state=params.get('seed', 0)).fit(X)
        out = {'scores': (-m.score_samples(X)).tolist(), 'anomalies': (m.predict(X) == -1).tolist()}
    elif model == 'kmeans':
        init = np.array(params['centroids'], dtype=np.float64)
        m = KMeans(n_clusters=len(init), init=init, n_init=1, max_iter=params.get('maxIterations', 300), algorithm='lloyd').fit(X)
        out = {'labels': m.labels_.tolist(), 'inertia': float(m.inertia_), 'iterations': int(m.n_iter_)}
    elif model == 'dbscan':
        m = DBSCAN(eps=params['eps'], min_samples=params['minPoints']).fit(X)
        out = {'labels': m.labels_.tolist(), 'core': m.core_sample_indices_.tolist()}
    else:
        raise SystemExit(f'unknown model {model}')
    json.dump(out, sys.stdout)


main()
