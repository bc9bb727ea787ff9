/**
 * Notebook costs an analyst feels: turning a result into cell outputs (table, JSON, chart with its
 * SVG), completion and quick info on a keystroke, and a cell round trip through a session.
 *
 *   npm run bench:notebooks [-- --runs 5]
 */
import { QueryEngine } from '../src/engine/engine.js';
import { cellOutputs } from '../src/notebooks/render/bundle.js';
import { InProcessSession } from '../src/notebooks/session/in-process.js';
import { median, timed } from './measure.js';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;

const engine = await QueryEngine.open();
await engine.connection.run(`CREATE TABLE Logons AS SELECT 'user' || (i % 50) AS Account, (4624 + (i % 2))::INTEGER AS EventID,
  TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS TimeGenerated FROM range(1000000) t(i)`);
await engine.refreshCatalog();
const session = InProcessSession.onEngine(engine);

const cases: Array<[string, () => Promise<unknown>]> = [];
const table = await engine.query('Logons | take 100000');
cases.push(['outputs of a 100,000-row result (200 rows shown)', () => cellOutputs(table)]);
const chart = await engine.query('Logons | summarize n = count() by bin(TimeGenerated, 1m), Account | render timechart');
cases.push([`timechart of ${chart.rows.length.toLocaleString('en-US')} points (Vega-Lite + SVG)`, () => cellOutputs(chart)]);
const series = await engine.query('Logons | make-series n = count() on TimeGenerated step 10m by Account | extend a = series_decompose_anomalies(n) | render anomalychart with (anomalycolumns=a)');
cases.push(['anomalychart of 50 make-series rows', () => cellOutputs(series)]);
cases.push(['cell: let + summarize on 1,000,000 rows', () => session.run('let failed = 4625;\nLogons | where EventID == failed | summarize count() by Account')]);
cases.push(['completion after "Logons | where Acc"', async () => session.complete('Logons | where Acc', 18)]);
cases.push(['quick info on a function', async () => session.inspect('print strlen("a")', 8)]);

console.log(`runs: ${RUNS} (median ms, first run in brackets)`);
for (const [name, run] of cases) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push((await timed(run)).ms);
  console.log(`${median(times).toFixed(1).padStart(9)}  (${times[0]!.toFixed(0)})  ${name}`);
}
await session.close();
