import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KqlError } from '../../src/kql/diagnostics.js';
import { rangeInTukeyUnits } from '../../src/engine/duckdb/udfs/series/outliers.js';
import { useEngine } from '../engine/helpers.js';

/**
 * Series decomposition, anomalies, forecast, outliers, periods and seasonal through whole KQL
 * queries (Kusto.Language names the outputs). Oracles: the docs' documented outputs, series
 * built from known components, and percentiles and least squares recomputed here independently.
 */
const engine = useEngine();
const row = async (kql: string) => {
  const r = await engine().query(kql);
  assert.equal(r.rows.length, 1, kql);
  return Object.fromEntries(r.columns.map((c, i) => [c.name, r.rows[0]![i]])) as Record<string, unknown>;
};
const nums = (v: unknown) => v as number[];
const close = (actual: number[], expected: number[], eps = 1e-9, what = '') => {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]!) <= eps * Math.max(1, Math.abs(expected[i]!)), `${what}[${i}]: ${a} vs ${expected[i]}`));
};
const dyn = (a: unknown[]) => `dynamic(${JSON.stringify(a)})`;

/** Percentile by linear interpolation between order statistics, written out independently. */
function percentileOracle(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * (p / 100);
  const lo = Math.floor(h);
  return s[lo]! + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]!) - s[lo]!);
}

/** Scores by Tukey's fences at [pLow, pHigh], the range divided by `units`. */
function tukeyOracle(values: number[], pLow: number, pHigh: number, units: number): number[] {
  const lo = percentileOracle(values, pLow);
  const hi = percentileOracle(values, pHigh);
  const w = (hi - lo) / units;
  return values.map((v) => (v > hi ? (v - hi) / w : v < lo ? (v - lo) / w : 0));
}

const DOCS_TRAFFIC = [80, 139, 87, 110, 68, 54, 50, 51, 53, 133, 86, 141, 97, 156, 94, 149, 95, 140, 77, 61, 50, 54, 47, 133, 72, 152, 94, 148, 105, 162, 101, 160, 87, 63, 53, 55, 54, 151, 103, 189, 108, 183, 113, 175, 113, 178, 90, 71, 62, 62, 65, 165, 109, 181, 115, 182, 121, 178, 114, 170];

describe('series_seasonal (docs examples)', () => {
  it('auto-detects 6 and 5 bins and returns the per-phase median; a series too short for its period gives zeros', async () => {
    const cases: Array<[number[], number[]]> = [
      [[2, 5, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1], [1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1]],
      [[8, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10], [10, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10]],
      [[1, 3, 5, 2, 4, 6, 1, 3, 5, 2, 4, 6], new Array(12).fill(0)],
    ];
    for (const [s, expected] of cases) assert.deepEqual((await row(`print s = ${dyn(s)} | extend s_seasonal = series_seasonal(s)`)).s_seasonal, expected);
  });

  it('a forced period takes the median of each phase', async () => {
    assert.deepEqual((await row('print s = dynamic([1, 3, 5, 1, 3, 5, 2, 4, 6]) | extend t = series_seasonal(s, 3)')).t, [1, 3, 5, 1, 3, 5, 1, 3, 5]);
    assert.deepEqual((await row('print s = dynamic([1, 3, 5, 2, 4, 6, 1, 3, 5, 2, 4, 6]) | extend t = series_seasonal(s, 3)')).t, [1.5, 3.5, 5.5, 1.5, 3.5, 5.5, 1.5, 3.5, 5.5, 1.5, 3.5, 5.5]);
  });

  it('a period of 0 or below (other than -1) means no seasonality: zeros', async () => {
    assert.deepEqual((await row('print t = series_seasonal(dynamic([1, 3, 5, 1, 3, 5, 1, 3, 5]), 0)')).t, new Array(9).fill(0));
  });
});

describe('series_periods_detect / series_periods_validate (docs example: twice-daily traffic)', () => {
  it('finds the weekly period of 14 bins and nothing else (the 2-bin daily period is below the minimum of 4)', async () => {
    const r = await row(`print y = ${dyn(DOCS_TRAFFIC)} | project series_periods_detect(y, 0.0, 50.0, 2)`);
    assert.deepEqual(Object.keys(r), ['series_periods_detect_y_periods', 'series_periods_detect_y_scores']);
    assert.deepEqual(r.series_periods_detect_y_periods, [14, 0]);
    const scores = nums(r.series_periods_detect_y_scores);
    // Kusto documents 0.84; Quarry's score is the unbiased autocorrelation at 14 bins (periods.ts).
    assert.ok(scores[0]! > 0.7 && scores[0]! <= 1, `score ${scores[0]}`);
    assert.equal(scores[1], 0);
  });

  it('validates 14 bins with a high score and 10 bins with 0 (docs), and gives 0 outside [4, n/2]', async () => {
    const r = await row(`print y = ${dyn(DOCS_TRAFFIC)} | project series_periods_validate(y, 14.0, 10.0)`);
    assert.deepEqual(r.series_periods_validate_y_periods, [14, 10]);
    const [s14, s10] = nums(r.series_periods_validate_y_scores);
    assert.ok(s14! > 0.7, `score ${s14}`);
    assert.equal(s10, 0);
    const edges = await row(`print y = ${dyn(DOCS_TRAFFIC)} | project (periods, scores) = series_periods_validate(y, 2, 3.5, 31)`);
    assert.deepEqual(edges.scores, [0, 0, 0]);
  });

  it('the score is the unbiased autocorrelation of the detrended series at the period (recomputed here)', async () => {
    const n = DOCS_TRAFFIC.length;
    const xs = DOCS_TRAFFIC.map((_, i) => i);
    const mx = (n - 1) / 2;
    const my = DOCS_TRAFFIC.reduce((a, b) => a + b) / n;
    const slope = xs.reduce((a, x) => a + (x - mx) * (DOCS_TRAFFIC[x]! - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    const z = DOCS_TRAFFIC.map((y, i) => y - my - slope * (i - mx));
    const c0 = z.reduce((a, v) => a + v * v, 0);
    let c14 = 0;
    for (let i = 14; i < n; i++) c14 += z[i]! * z[i - 14]!;
    const expected = (c14 / c0) * (n / (n - 14));
    const r = await row(`print y = ${dyn(DOCS_TRAFFIC)} | project (p, s) = series_periods_validate(y, 14)`);
    close(nums(r.s), [expected], 1e-9, 'score');
  });

  it('a harmonic of the period is not reported; a pattern with most power in its harmonics is still found', async () => {
    // 4 weeks of hours: a strong weekly and a weaker daily cycle, deterministic jitter.
    const y = Array.from({ length: 24 * 7 * 4 }, (_, t) => 10 * Math.sin((2 * Math.PI * t) / 168) + 3 * Math.sin((2 * Math.PI * t) / 24) + ((t * 7919) % 13) / 13);
    const r = await row(`print y = ${dyn(y)} | project (periods, scores) = series_periods_detect(y, 4, 400, 3)`);
    assert.equal(nums(r.periods)[0], 168);
    assert.ok(!nums(r.periods).includes(336), 'twice the weekly period is its harmonic');
    const s = nums(r.scores);
    assert.ok(s[0]! > 0.9 && s.every((v, i) => i === 0 || v <= s[i - 1]!), JSON.stringify(s));
    // Period 7 whose fundamental is weak: the periodogram peaks at 3.5 and 2.33 bins stand for it.
    const pattern = [2, 9, 4, 7, 1, 8, 3];
    const weekly = Array.from({ length: 7 * 6 }, (_, i) => pattern[i % 7]!);
    assert.deepEqual((await row(`print y = ${dyn(weekly)} | project (p, s) = series_periods_detect(y, 4, 21, 2)`)).p, [7, 0]);
  });

  it('white noise and constant series have no period', async () => {
    let seed = 7;
    const noise = Array.from({ length: 500 }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5);
    assert.deepEqual((await row(`print y = ${dyn(noise)} | project (p, s) = series_periods_detect(y, 4, 250, 2)`)).p, [0, 0]);
    assert.deepEqual((await row('print y = dynamic([5,5,5,5,5,5,5,5,5,5,5,5]) | project (p, s) = series_periods_detect(y, 4, 6, 1)')).p, [0]);
  });
});

describe('series_outliers', () => {
  const values = [-3, 2, 15, 3, 5, 6, 4.5, 5, 12, 45, 12, 3.4, 3, 4, 5, 6];

  it("'tukey': (x - P75) / IQR above the upper fence, (x - P25) / IQR below the lower one, else 0", async () => {
    const r = await row(`print o = series_outliers(${dyn(values)}, 'tukey')`);
    close(nums(r.o), tukeyOracle(values, 25, 75, 1), 1e-12, 'tukey');
    assert.ok(nums(r.o)[9]! > 1.5, 'the 45 is an outlier by Tukey\'s k = 1.5');
  });

  it("'ctukey' (default): fences at the 10th/90th percentile, the range in Tukey units (documented scale)", async () => {
    const r = await row(`print o = series_outliers(${dyn(values)})`);
    close(nums(r.o), tukeyOracle(values, 10, 90, rangeInTukeyUnits(10, 90)), 1e-12, 'ctukey');
    const custom = await row(`print o = series_outliers(${dyn(values)}, 'ctukey', double(null), 20, 80)`);
    close(nums(custom.o), tukeyOracle(values, 20, 80, rangeInTukeyUnits(20, 80)), 1e-12, 'ctukey 20/80');
    assert.ok(Math.abs(rangeInTukeyUnits(25, 75) - 1) < 1e-9, 'ctukey at the quartiles is Tukey');
  });

  it('nulls and ignore_val points are left out of the percentiles and score 0', async () => {
    const withGaps = [...values.slice(0, 5), null, ...values.slice(5), -1];
    const r = await row(`print o = series_outliers(${dyn(withGaps)}, 'tukey', -1)`);
    const o = nums(r.o);
    assert.equal(o[5], 0);
    assert.equal(o[o.length - 1], 0);
    close([...o.slice(0, 5), ...o.slice(6, -1)], tukeyOracle(values, 25, 75, 1), 1e-12, 'gaps');
  });

  it('a zero percentile range (mostly one value) scores the points beyond it "inf"; "inf"/"nan" elements are read', async () => {
    const r = await row('print o = series_outliers(dynamic([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, -2]))');
    assert.deepEqual(r.o, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'inf', '-inf']);
    const a = await row('print (flag, score, baseline) = series_decompose_anomalies(dynamic([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9]), 1.5, 0, "none")');
    assert.deepEqual(a.flag, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert.equal((a.score as unknown[])[12], 'inf');
    const n = await row('print o = series_outliers(dynamic([1, 2, "nan", 3, 4, 5, 6, 7, 8, 9, 10]), "tukey")');
    assert.equal((n.o as unknown[])[2], 0);
  });

  it('rejects literal percentiles outside [2, 98] and unknown kinds, with the reason', async () => {
    await assert.rejects(engine().query('print series_outliers(dynamic([1,2,3]), "ctukey", 0, 1, 90)'), (e: KqlError) => /\[2\.0, 98\.0\]/.test(e.message));
    await assert.rejects(engine().query('print series_outliers(dynamic([1,2,3]), "zscore")'), (e: KqlError) => /kind must be 'ctukey' or 'tukey'/.test(e.message));
  });
});

describe('series_decompose', () => {
  const pattern = [3, 7, 1, 9, 4, 6];
  const periodic = Array.from({ length: 36 }, (_, i) => pattern[i % 6]!);

  it('a purely periodic series: seasonal is the pattern, avg trend 0, residual 0 (unnamed outputs named by Kusto.Language)', async () => {
    const r = await row(`print y = ${dyn(periodic)} | extend series_decompose(y, 6)`);
    assert.deepEqual(Object.keys(r), ['y', 'series_decompose_y_baseline', 'series_decompose_y_seasonal', 'series_decompose_y_trend', 'series_decompose_y_residual']);
    const mean = pattern.reduce((a, b) => a + b) / 6;
    close(nums(r.series_decompose_y_seasonal), periodic, 0, 'seasonal');
    close(nums(r.series_decompose_y_trend), new Array(36).fill(0), 1e-12, 'trend');
    close(nums(r.series_decompose_y_residual), new Array(36).fill(0), 1e-12, 'residual');
    assert.ok(Math.abs(mean - 5) < 1e-12);
  });

  it('seasonality is the median per phase (not the mean), so one spike stays in the residual', async () => {
    const y = [...periodic];
    y[13] = 100;
    const r = await row(`print y = ${dyn(y)} | extend (baseline, seasonal, trend, residual) = series_decompose(y, 6, 'none')`);
    close(nums(r.seasonal), periodic, 0, 'seasonal');
    assert.equal(nums(r.residual)[13], 100 - pattern[1]!);
  });

  it("'linefit' fits the least-squares line of the deseasonal series (normal equations recomputed here)", async () => {
    const y = [5, 3, 8, 6, 9, 12, 10, 15, 13, 14, 18, 16];
    const n = y.length;
    const sx = (n * (n - 1)) / 2;
    const sxx = y.reduce((a, _, i) => a + i * i, 0);
    const sy = y.reduce((a, b) => a + b, 0);
    const sxy = y.reduce((a, v, i) => a + i * v, 0);
    const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    const intercept = (sy - slope * sx) / n;
    const r = await row(`print y = ${dyn(y)} | extend (baseline, seasonal, trend, residual) = series_decompose(y, 0, 'linefit')`);
    close(nums(r.trend), y.map((_, i) => intercept + slope * i), 1e-12, 'trend');
    close(nums(r.residual), y.map((v, i) => v - intercept - slope * i), 1e-9, 'residual');
    const avg = await row(`print y = ${dyn(y)} | extend (baseline, seasonal, trend) = series_decompose(y, 0)`);
    close(nums(avg.trend), new Array(n).fill(sy / n), 1e-12, 'avg trend');
  });

  it('missing points are left out of medians and fits and get a null residual', async () => {
    const y: Array<number | null> = [...periodic];
    y[7] = null;
    const r = await row(`print y = ${dyn(y)} | extend (baseline, seasonal, trend, residual) = series_decompose(y, 6, 'none')`);
    close(nums(r.seasonal), periodic, 0, 'seasonal');
    assert.equal((r.residual as unknown[])[7], null);
  });

  it('rejects an unknown trend or seasonality with the reason; a non-array series gives null', async () => {
    await assert.rejects(engine().query("print series_decompose(dynamic([1,2,3]), -1, 'poly')"), (e: KqlError) => /trend must be 'avg', 'linefit' or 'none'/.test(e.message));
    await assert.rejects(engine().query('print series_decompose(dynamic([1,2,3]), 2.5)'), (e: KqlError) => /must be an integer/.test(e.message));
    // Not a literal (a negation): checked per row, where a bad value gives null.
    assert.equal((await row('print b = series_decompose(dynamic([1,2,3]), -2)')).b, null);
    assert.equal((await row(`print b = series_decompose(parse_json('{"a": 1}'))`)).b, null);
  });
});

describe('series_decompose_forecast', () => {
  it('extends the trend line over the trailing points, learnt from the others only (make-series leaves them 0)', async () => {
    const y = [...Array.from({ length: 20 }, (_, i) => 4 + 2.5 * i), 0, 0, 0, 0, 0];
    const r = await row(`print y = ${dyn(y)} | extend f = series_decompose_forecast(y, 5, 0, 'linefit')`);
    close(nums(r.f), Array.from({ length: 25 }, (_, i) => 4 + 2.5 * i), 1e-9, 'forecast');
  });

  it('repeats the seasonal pattern into the forecast horizon (docs: a week forward)', async () => {
    const pattern = [2, 9, 4, 7, 1, 8, 3];
    const y = Array.from({ length: 7 * 8 }, (_, i) => (i < 7 * 6 ? 50 + pattern[i % 7]! : 0));
    const r = await row(`print y = ${dyn(y)} | extend f = series_decompose_forecast(y, 14)`);
    close(nums(r.f), Array.from({ length: 56 }, (_, i) => 50 + pattern[i % 7]!), 1e-9, 'forecast');
  });
});

describe('series_decompose_anomalies', () => {
  it('docs example: weekly seasonality with inserted dips and spikes, all six flagged with their direction', async () => {
    const r = await engine().query(`let ts=range t from 1 to 24*7*5 step 1
      | extend Timestamp = datetime(2018-03-01 05:00) + 1h * t
      | extend y = 2*rand() + iff((t/24)%7>=5, 10.0, 15.0) - (((t%24)/10)*((t%24)/10))
      | extend y=iff(t==150 or t==200 or t==780, y-8.0, y)
      | extend y=iff(t==300 or t==400 or t==600, y+8.0, y)
      | summarize Timestamp=make_list(Timestamp, 10000),y=make_list(y, 10000);
      ts | extend series_decompose_anomalies(y)`);
    const names = r.columns.map((c) => c.name);
    assert.deepEqual(names.slice(2), ['series_decompose_anomalies_y_ad_flag', 'series_decompose_anomalies_y_ad_score', 'series_decompose_anomalies_y_baseline']);
    const flags = nums(r.rows[0]![2]);
    for (const t of [150, 200, 780]) assert.equal(flags[t - 1], -1, `dip at t=${t}`);
    for (const t of [300, 400, 600]) assert.equal(flags[t - 1], 1, `spike at t=${t}`);
  });

  it('scores are series_outliers of the residual, flags apply the threshold, baseline is series_decompose\'s', async () => {
    const y = Array.from({ length: 60 }, (_, i) => 20 + [0, 5, 9, 5, 0, -4][i % 6]! + ((i * 37) % 11) / 5 + 0.2 * i);
    y[20] += 12;
    y[41] -= 10;
    const r = await row(`print y = ${dyn(y)}
      | extend (flag, score, baseline) = series_decompose_anomalies(y, 2.5, 6, 'linefit')
      | extend (b2, s2, t2, residual) = series_decompose(y, 6, 'linefit')
      | extend outliers = series_outliers(residual)`);
    close(nums(r.baseline), nums(r.b2), 0, 'baseline');
    close(nums(r.score), nums(r.outliers), 0, 'score');
    assert.deepEqual(nums(r.flag), nums(r.score).map((s) => (s > 2.5 ? 1 : s < -2.5 ? -1 : 0)));
    assert.equal(nums(r.flag)[20], 1);
    assert.equal(nums(r.flag)[41], -1);
  });

  it("'tukey' uses the quartiles; test points are scored against fences learnt before them", async () => {
    const base = Array.from({ length: 48 }, (_, i) => 10 + ((i * 5) % 7));
    const y = [...base, 10, 40];
    const r = await row(`print y = ${dyn(y)} | extend (flag, score) = series_decompose_anomalies(y, 1.5, 0, 'avg', 2, 'tukey')`);
    const mean = base.reduce((a, b) => a + b) / base.length;
    const residual = base.map((v) => v - mean);
    const q1 = percentileOracle(residual, 25);
    const q3 = percentileOracle(residual, 75);
    close(nums(r.score).slice(48), [10 - mean, 40 - mean].map((v) => (v > q3 ? (v - q3) / (q3 - q1) : v < q1 ? (v - q1) / (q3 - q1) : 0)), 1e-9, 'test points');
    assert.equal(nums(r.flag)[49], 1);
  });

  it('an empty or one-point series gives empty or zero outputs', async () => {
    const r = await row('print (f, s, b) = series_decompose_anomalies(dynamic([]))');
    assert.deepEqual([r.f, r.s, r.b], [[], [], []]);
    const one = await row('print (f, s, b) = series_decompose_anomalies(dynamic([5]))');
    assert.deepEqual([one.f, one.s, one.b], [[0], [0], [5]]);
  });

  it('rejects an unknown method', async () => {
    await assert.rejects(engine().query("print series_decompose_anomalies(dynamic([1,2,3]), 1.5, -1, 'avg', 0, 'iqr')"), (e: KqlError) => /'ctukey' or 'tukey'/.test(e.message));
  });
});
