"""scikit-learn's side of `npm run bench:hunt` (run with Debian's /usr/bin/python3).

usage: sklearn_hunt_bench.py <isolation_forest|kmeans> <data.f64> <rows> <dims> <runs> ['<centroids json>']
Reads rows x dims float64 values (row-major, little-endian), times the same work as Quarry's
plugin (median of `runs` after a warm-up) and prints JSON {"ms": median wall, "cpuMs": median CPU time of all threads, ...}.
"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.ensemble import IsolationForest


def isolation_forest(X):
    # Fit without a contamination threshold (which would score the data once more inside fit),
    # score every row, and flag the top 1% as the plugin does: the least work for the same answer.
    m = IsolationForest(n_estimators=100, max_samples=256, contamination='auto', random_state=0).fit(X)
    scores = -m.score_samples(X)
    flagged = int((scores > np.percentile(scores, 99)).sum())
    return {'flagged': flagged}


def kmeans(X, centroids):
    m = KMeans(n_clusters=len(centroids), init=centroids, n_init=1, algorithm='lloyd').fit(X)
    return {'iterations': int(m.n_iter_), 'inertia': float(m.inertia_)}


def main():
    model, path, rows, dims, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    X = np.fromfile(path, dtype='<f8').reshape(rows, dims)
    centroids = np.array(json.loads(sys.argv[6]), dtype=np.float64) if len(sys.argv) > 6 else None
    work = (lambda: isolation_forest(X)) if model == 'isolation_forest' else (lambda: kmeans(X, centroids))
    work()
    times = []
    cpu = []
    result = {}
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        result = work()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    result.update({'ms': float(np.median(times)), 'cpuMs': float(np.median(cpu)), 'times': times})
    json.dump(result, sys.stdout)


main()
