import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { objects, useEngine } from '../engine/helpers.js';
import { Random, gaussian, loadCsv, loadTable, requireSklearn, rocAuc, sklearn, spearman } from './reference.js';

const DEMO = new URL('../../../shared/data/notebooks-demo/iforest-demo-data.csv', import.meta.url).pathname;
/** The user-day features of the Sentinel notebook: logon attempts, failures, distinct computers and source IPs, active time. */
const DEMO_FEATURES = ['AttemptedLogons', 'FailedLogons', 'ComputersAccessed', 'DistinctSrcIp', 'ActiveMilliseconds'];

/** 1,000 rows from two Gaussian clusters in 4 dimensions and 30 planted outliers spread uniformly around them. */
function planted(): { rows: number[][]; outlier: boolean[] } {
  const r = new Random(42);
  const rows: number[][] = [];
  const outlier: boolean[] = [];
  for (let i = 0; i < 1030; i++) {
    const isOutlier = i % 35 === 17 && outlier.filter(Boolean).length < 30;
    const centre = i % 2 ? 3 : -3;
    const row = [0, 1, 2, 3].map(() => (isOutlier ? -10 + 20 * r.next() : centre + gaussian(r)));
    rows.push([i, ...row]);
    outlier.push(isOutlier);
  }
  return { rows, outlier };
}

describe('evaluate isolation_forest() against scikit-learn', () => {
  const engine = useEngine();
  before(() => requireSklearn());

  it('ranks planted outliers as well as scikit-learn (ROC AUC within 0.02) and flags the contamination share', async (t) => {
    const { rows, outlier } = planted();
    const path = await loadTable(engine(), 'Planted', ['id', 'a', 'b', 'c', 'd'], rows);
    const result = objects(await engine().query("Planted | evaluate isolation_forest(Features=dynamic(['a','b','c','d']), Contamination=0.03, Seed=7) | order by id asc"));
    assert.equal(result.length, rows.length);
    const ours = result.map((x) => x.anomaly_score as number);
    assert.ok(ours.every((s) => s > 0 && s < 1), 'scores are s(x, n) in (0, 1)');
    const ref = sklearn<{ scores: number[]; anomalies: boolean[] }>('isolation_forest', path, { features: ['a', 'b', 'c', 'd'], contamination: 0.03, seed: 7 });
    const aucOurs = rocAuc(ours, outlier);
    const aucSk = rocAuc(ref.scores, outlier);
    t.diagnostic(`ROC AUC ${aucOurs.toFixed(4)}, scikit-learn ${aucSk.toFixed(4)}`);
    assert.ok(Math.abs(aucOurs - aucSk) <= 0.02, `ROC AUC ${aucOurs.toFixed(4)} vs scikit-learn's ${aucSk.toFixed(4)}`);
    assert.ok(aucOurs > 0.9, `ROC AUC ${aucOurs}`);
    // Contamination 0.03 of 1030 rows: scikit-learn's percentile rule flags 31 (the share rounded up past ties).
    const flagged = result.filter((x) => x.is_anomaly).length;
    assert.equal(flagged, ref.anomalies.filter(Boolean).length);
  });

  it('scores the notebook demo user-days like scikit-learn (Spearman >= 0.9)', async (t) => {
    await loadCsv(engine(), 'LogonDays', DEMO);
    const result = objects(await engine().query(`LogonDays | project ${DEMO_FEATURES.join(', ')} | evaluate isolation_forest()`));
    const ref = sklearn<{ scores: number[] }>('isolation_forest', DEMO, { features: DEMO_FEATURES });
    assert.equal(result.length, ref.scores.length);
    const rho = spearman(result.map((x) => x.anomaly_score as number), ref.scores);
    t.diagnostic(`Spearman ${rho.toFixed(4)} over ${result.length} user-days`);
    assert.ok(rho >= 0.9, `Spearman ${rho.toFixed(4)}`);
  });

  it('is deterministic given its seed, and the seed matters', async () => {
    const q = (seed: number) => `Planted | evaluate isolation_forest(dynamic(['a','b']), 20, 64, 0.01, ${seed}) | order by id asc | project anomaly_score`;
    const a = (await engine().query(q(1))).rows;
    const b = (await engine().query(q(1))).rows;
    const c = (await engine().query(q(2))).rows;
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });
});
