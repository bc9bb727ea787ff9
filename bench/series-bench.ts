/**
 * `npm run bench:series [-- --rows N] [-- --points P] [-- --runs K]`
 *
 * Times Kusto series functions through Quarry's QueryEngine on a table of N rows (10,000 by
 * default), each a series of P points (720: a month of hourly bins) with a few nulls. Every
 * query summarises its result to one row, so the time is the function's, not the transfer's;
 * the baseline query only reads the series. Medians of K runs after a warm-up, wall-clock and
 * the process's CPU time (all DuckDB threads; steadier than wall time on a shared machine).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { QueryEngine } from '../src/engine/engine.js';
import { median, timed } from './measure.js';

function option(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const n = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} needs a positive whole number`);
  return n;
}

const QUERIES: Array<[string, string]> = [
  ['baseline: read the series', 'T | summarize sum(array_length(s))'],
  ['series_add(s, s)', 'T | summarize sum(array_length(series_add(s, s)))'],
  ['series_greater(s, 100)', 'T | summarize sum(array_length(series_greater(s, 100)))'],
  ['series_fill_linear(s)', 'T | summarize sum(array_length(series_fill_linear(s)))'],
  ['series_stats(s) (7 columns)', 'T | extend series_stats(s, true) | summarize avg(series_stats_s_avg), max(series_stats_s_max)'],
  ['series_fit_line(s) (6 columns)', 'T | extend (rsq, slope) = series_fit_line(s) | summarize avg(rsq), avg(slope)'],
  ['series_fit_2lines(s)', 'T | extend (rsq, split) = series_fit_2lines(s) | summarize avg(rsq), avg(split)'],
  ['series_fir(s, [1,1,1,1,1])', 'T | summarize sum(array_length(series_fir(s, dynamic([1,1,1,1,1]))))'],
  ['series_iir(s, [1], [1,-1])', 'T | summarize sum(array_length(series_iir(series_fill_const(s), dynamic([1]), dynamic([1,-1]))))'],
  ['series_fft(s) (720: Bluestein)', 'T | extend (re, im) = series_fft(series_fill_const(s)) | summarize sum(array_length(re))'],
  ['series_pearson_correlation', 'T | summarize avg(series_pearson_correlation(series_fill_const(s), series_fill_const(s)))'],
];

async function main(): Promise<void> {
  const rows = option('rows', 10_000);
  const points = option('points', 720);
  const runs = option('runs', 3);
  const dir = mkdtempSync(path.join(tmpdir(), 'quarry-series-bench-'));
  const file = path.join(dir, 'series.duckdb');
  try {
    const instance = await DuckDBInstance.create(file);
    const setup = await instance.connect();
    // Deterministic values: a daily cycle, a trend per row, a null every 97th point.
    await setup.run(`CREATE TABLE T AS SELECT i AS id, to_json(list_transform(range(${points}), lambda k:
      CASE WHEN (k + i) % 97 = 0 THEN NULL ELSE round(100 + 40 * sin(k * 2 * pi() / 24) + (i % 50) * k / 100.0 + (k * 7919 % 13), 2) END)) AS s
      FROM range(${rows}) r(i)`);
    setup.closeSync();
    instance.closeSync();
    const engine = await QueryEngine.open({ databasePath: file });
    console.log(`series benchmark: ${rows} rows × ${points} points, median of ${runs} runs`);
    for (const [label, kql] of QUERIES) {
      await engine.query(kql); // warm-up
      const times: number[] = [];
      const cpu: number[] = [];
      for (let r = 0; r < runs; r++) {
        const before = process.cpuUsage();
        times.push((await timed(() => engine.query(kql))).ms);
        const used = process.cpuUsage(before);
        cpu.push((used.user + used.system) / 1000);
      }
      console.log(`${label.padEnd(34)} ${median(times).toFixed(0).padStart(7)} ms wall ${median(cpu).toFixed(0).padStart(7)} ms CPU`);
    }
    await engine.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
