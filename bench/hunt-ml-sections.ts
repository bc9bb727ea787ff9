/**
 * The ML plugins' sections of `npm run bench:hunt`: Isolation Forest and k-means over 1,000,000
 * rows × 8 features, through Quarry's whole query path, against scikit-learn doing the same work
 * on the same data in the same run (Debian's /usr/bin/python3). Prints the medians and the
 * Quarry/scikit-learn ratio (goal ≤ 1.0), and the plugin's own fit time without the query around it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueryEngine } from '../src/engine/engine.js';
import { sqlString } from '../src/engine/duckdb/sql-text.js';
import { isolationForest } from '../src/hunt/ml/isolation-forest.js';
import { kmeans } from '../src/hunt/ml/kmeans.js';
import { Random } from '../src/hunt/ml/random.js';
import { median, timed } from './measure.js';

const ROWS = 1_000_000;
const DIMS = 8;
const K = 8;
const DATA_DIR = fileURLToPath(new URL('./.data/', import.meta.url));
const SKLEARN = fileURLToPath(new URL('./sklearn_hunt_bench.py', import.meta.url));
const FEATURES = Array.from({ length: DIMS }, (_, j) => `f${j}`);

interface Options {
  runs: number;
}

/**
 * 1M rows: eight Gaussian clusters in 8 dimensions, 1% uniform outliers. Written once (cached)
 * as raw float64 for scikit-learn and as CSV for DuckDB.
 */
function ensureData(): { raw: string; csv: string; data: Float64Array } {
  mkdirSync(DATA_DIR, { recursive: true });
  const raw = path.join(DATA_DIR, `ml-${ROWS}x${DIMS}.f64`);
  const csv = path.join(DATA_DIR, `ml-${ROWS}x${DIMS}.csv`);
  const r = new Random(2024);
  const centres = Array.from({ length: K }, () => Array.from({ length: DIMS }, () => -20 + 40 * r.next()));
  const data = new Float64Array(ROWS * DIMS);
  for (let i = 0; i < ROWS; i++) {
    const outlier = r.next() < 0.01;
    const c = centres[i % K]!;
    for (let j = 0; j < DIMS; j++) {
      const g = Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());
      data[i * DIMS + j] = outlier ? -40 + 80 * r.next() : c[j]! + 3 * g;
    }
  }
  if (!existsSync(raw) || !existsSync(csv)) {
    writeFileSync(raw, new Uint8Array(data.buffer));
    const lines: string[] = [FEATURES.join(',')];
    for (let i = 0; i < ROWS; i++) lines.push(Array.from(data.subarray(i * DIMS, i * DIMS + DIMS)).join(','));
    writeFileSync(csv, lines.join('\n') + '\n');
  }
  return { raw, csv, data };
}

interface Timing {
  ms: number;
  /** CPU time of the whole process (every thread), which a loaded machine inflates less than wall time. */
  cpuMs: number;
}

async function measure(runs: number, work: () => unknown): Promise<Timing> {
  await work();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    wall.push((await timed(async () => work())).ms);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { ms: median(wall), cpuMs: median(cpu) };
}

function sklearn(model: string, raw: string, runs: number, centroids?: number[][]): Timing & Record<string, unknown> {
  const args = [SKLEARN, model, raw, String(ROWS), String(DIMS), String(runs), ...(centroids ? [JSON.stringify(centroids)] : [])];
  return JSON.parse(execFileSync('/usr/bin/python3', args, { encoding: 'utf8', maxBuffer: 1 << 24 })) as Timing & Record<string, unknown>;
}

async function withTable<T>(csv: string, work: (engine: QueryEngine) => Promise<T>): Promise<T> {
  const engine = await QueryEngine.open();
  try {
    await engine.connection.run(`CREATE TABLE B AS SELECT * FROM read_csv(${sqlString(csv)}, header = true)`);
    await engine.refreshCatalog();
    return await work(engine);
  } finally {
    await engine.close();
  }
}

function report(rows: Array<[string, Timing]>, sk: Timing): void {
  const line = (label: string, t: Timing) => console.log(`  ${label.padEnd(44)} ${t.ms.toFixed(0).padStart(8)} ms wall ${t.cpuMs.toFixed(0).padStart(8)} ms CPU`);
  for (const [label, t] of rows) line(label, t);
  line('scikit-learn', sk);
  const [, quarry] = rows[0]!;
  console.log(`  ratio Quarry query / scikit-learn: ${(quarry.ms / sk.ms).toFixed(2)} wall, ${(quarry.cpuMs / sk.cpuMs).toFixed(2)} CPU (goal <= 1.0)`);
}

export const isolationForestSection = {
  name: `isolation_forest 1M x ${DIMS} vs sklearn`,
  async run({ runs }: Options): Promise<void> {
    const { raw, csv, data } = ensureData();
    const features = `dynamic(${JSON.stringify(FEATURES)})`;
    const query = `B | evaluate isolation_forest(${features}) | summarize rows = count(), flagged = countif(is_anomaly)`;
    const quarry = await withTable(csv, async (engine) => {
      console.log(`  result: ${JSON.stringify((await engine.query(query)).rows[0])}`);
      return measure(runs, () => engine.query(query));
    });
    const fitOnly = await measure(runs, () => isolationForest({ rows: ROWS, dims: DIMS, data }, { trees: 100, sampleSize: 256, contamination: 0.01, seed: 0 }));
    const sk = sklearn('isolation_forest', raw, runs);
    console.log(`  scikit-learn: fit (contamination='auto') + score_samples + 1% threshold, 1 thread; flagged ${String(sk.flagged)}`);
    report([['Quarry query (evaluate isolation_forest)', quarry], ['plugin fit + score alone (TypeScript)', fitOnly]], sk);
  },
};

export const kmeansSection = {
  name: `kmeans k=${K} 1M rows vs sklearn`,
  async run({ runs }: Options): Promise<void> {
    const { raw, csv, data } = ensureData();
    // Both start from the same centroids (rows 0, 1000, 2000, …), so both run the same iterations.
    const start = Array.from({ length: K }, (_, c) => Array.from(data.subarray(c * 1000 * DIMS, c * 1000 * DIMS + DIMS)));
    const query = `B | evaluate kmeans(${K}, dynamic(${JSON.stringify(FEATURES)}), Centroids=dynamic(${JSON.stringify(start)})) | summarize rows = count(), inertia = sum(distance * distance)`;
    const quarry = await withTable(csv, async (engine) => {
      console.log(`  result: ${JSON.stringify((await engine.query(query)).rows[0])}`);
      return measure(runs, () => engine.query(query));
    });
    let iterations = 0;
    const fitOnly = await measure(runs, () => {
      iterations = kmeans({ rows: ROWS, dims: DIMS, data }, { k: K, seed: 0, maxIterations: 300, centroids: Float64Array.from(start.flat()) }).iterations;
    });
    const sk = sklearn('kmeans', raw, runs, start);
    console.log(`  Quarry: ${iterations} iterations; scikit-learn (lloyd, OpenMP threads): ${String(sk.iterations)} iterations, inertia ${Number(sk.inertia).toFixed(1)}`);
    report([['Quarry query (evaluate kmeans)', quarry], ['plugin fit alone (TypeScript)', fitOnly]], sk);
  },
};
