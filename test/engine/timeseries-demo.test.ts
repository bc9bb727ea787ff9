import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { sqlString } from '../../src/engine/duckdb/sql-text.js';
import { rangeInTukeyUnits } from '../../src/engine/duckdb/udfs/series/outliers.js';
import { useEngine } from './helpers.js';

/**
 * The reference file of issue 6: 840 hourly outbound-byte totals of one firewall beside the
 * output of Kusto's own series_decompose_anomalies (msticpy's get_timeseries_anomalies query:
 * threshold 3, seasonality detected, 'linefit', baseline cast to long), from
 * Azure-Sentinel-Notebooks (MIT). The hunt runs as one KQL query through the engine.
 *
 * What matches Kusto: the detected period (168, weekly), the baseline (seasonal per-phase median +
 * least-squares trend; Kusto's long is our baseline truncated), the 10th/90th percentile fences
 * (the same 168 points score non-zero, with the same signs) and the six anomaly flags.
 * What does not: the ctukey score scale. Kusto's scores are (r - P90) / ((P90 - P10) / 2.7726056)
 * above the fence and (r - P10) / (same) below it, to 1e-12 on every one of the 168 points; no
 * documented rule yields 2.7726056 (tried: normal-theory IQR and sigma equivalents, 1.9000 and
 * 2.5631; percentile ranges of the residual under 9 interpolation rules; std, MAD, winsorised and
 * trimmed spreads; residuals of other decompositions). Quarry's documented choice (outliers.ts)
 * divides by 2.7144, so our scores are Kusto's times 0.979, and the flags at threshold 3 agree.
 */
const CSV = new URL('../../../shared/data/notebooks-demo/TimeSeriesDemo.csv', import.meta.url);
/** Kusto's divisor of the 10th-90th percentile range, measured on this file. */
const KUSTO_CTUKEY_UNITS = 2.7726056055079;

interface Reference {
  time: string;
  bytes: number;
  baseline: number;
  score: number;
  flag: number;
}

function readReference(): Reference[] {
  const lines = readFileSync(CSV, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines[0], 'TimeGenerated,TotalBytesSent,baseline,score,anomalies');
  return lines.slice(1).map((line) => {
    const [time, bytes, baseline, score, flag] = line.split(',').map((f) => f.replace(/^"|"$/g, '')) as [string, string, string, string, string];
    return { time, bytes: Number(bytes), baseline: Number(baseline), score: Number(score), flag: Number(flag) };
  });
}

describe('series_decompose_anomalies on TimeSeriesDemo.csv (Kusto output as the oracle)', () => {
  const engine = useEngine();
  const reference = readReference();
  const hunt = `TimeSeriesDemo
    | make-series Total=sum(TotalBytesSent) on TimeGenerated from datetime(2019-05-01T06:00:00Z) to datetime(2019-06-05T06:00:00Z) step 1h
    | extend (anomalies, score, baseline) = series_decompose_anomalies(Total, 3, -1, 'linefit')
    | mv-expand Total to typeof(double), TimeGenerated to typeof(datetime), anomalies to typeof(double), score to typeof(double), baseline to typeof(long)
    | project TimeGenerated, Total, anomalies, score, baseline`;

  let rows: Array<{ time: string; total: number; flag: number; score: number; baseline: number }> = [];

  it('loads the file and runs the hunt as one query', async () => {
    const e = engine();
    assert.equal(reference.length, 840);
    await e.connection.run('CREATE TABLE TimeSeriesDemo (TimeGenerated TIMESTAMP, TotalBytesSent BIGINT)');
    const values = reference.map((r) => `(${sqlString(r.time.replace('T', ' ').replace('Z', ''))}, ${r.bytes})`);
    await e.connection.run(`INSERT INTO TimeSeriesDemo VALUES ${values.join(', ')}`);
    await e.refreshCatalog();
    const result = await e.query(hunt);
    assert.deepEqual(result.columns.map((c) => `${c.name}:${c.type}`), ['TimeGenerated:datetime', 'Total:real', 'anomalies:real', 'score:real', 'baseline:long']);
    rows = result.rows.map(([time, total, flag, score, baseline]) => ({
      time: String(time), total: Number(total), flag: Number(flag), score: Number(score), baseline: Number(baseline),
    }));
    assert.equal(rows.length, 840);
    rows.forEach((r, i) => {
      assert.equal(r.time.slice(0, 19), reference[i]!.time.slice(0, 19));
      assert.equal(r.total, reference[i]!.bytes);
    });
  });

  it('detects the weekly period (168 hourly bins)', async () => {
    const r = await engine().query(`TimeSeriesDemo
      | make-series Total=sum(TotalBytesSent) on TimeGenerated from datetime(2019-05-01T06:00:00Z) to datetime(2019-06-05T06:00:00Z) step 1h
      | project (periods, scores) = series_periods_detect(Total, 4, 420, 2)`);
    const [periods, scores] = r.rows[0] as [number[], number[]];
    assert.equal(periods[0], 168);
    assert.ok(scores[0]! >= 0.6, `score ${scores[0]} clears the auto-detection threshold 0.6`);
  });

  it('reproduces the anomaly flags exactly (3 spikes, 3 dips)', () => {
    assert.deepEqual(rows.map((r) => r.flag), reference.map((r) => r.flag));
    assert.equal(rows.filter((r) => r.flag === 1).length, 3);
    assert.equal(rows.filter((r) => r.flag === -1).length, 3);
  });

  it('reproduces the baseline: Kusto\'s long baseline is ours truncated (within one byte; the issue asks 0.5%)', () => {
    for (const [i, r] of rows.entries()) {
      const expected = reference[i]!.baseline;
      assert.ok(Math.abs(r.baseline - expected) <= 1, `hour ${i}: baseline ${r.baseline}, Kusto ${expected}`);
      assert.ok(Math.abs(r.baseline - expected) / Math.abs(expected) < 0.005);
    }
  });

  it('scores the same points with the same signs (fences at the residual\'s 10th and 90th percentiles)', () => {
    for (const [i, r] of rows.entries()) {
      assert.equal(Math.sign(r.score), Math.sign(reference[i]!.score), `hour ${i}: score ${r.score}, Kusto ${reference[i]!.score}`);
    }
    assert.equal(rows.filter((r) => r.score !== 0).length, 168);
  });

  it('scores are Kusto\'s times one constant: the ctukey scale differs (documented in outliers.ts), not the residual', () => {
    const expectedRatio = KUSTO_CTUKEY_UNITS / rangeInTukeyUnits(10, 90);
    for (const [i, r] of rows.entries()) {
      if (reference[i]!.score === 0) continue;
      const ratio = r.score / reference[i]!.score;
      assert.ok(Math.abs(ratio * expectedRatio - 1) < 1e-6, `hour ${i}: score ${r.score}, Kusto ${reference[i]!.score}`);
    }
    // Our scores are 2.1% below Kusto's: outside the 0.5% (see the file comment).
    assert.ok(Math.abs(1 / expectedRatio - 0.979) < 0.001);
  });
});
