/**
 * Shared helpers of the ML plugin tests: scikit-learn's answers through Debian's Python,
 * seeded test data, and the statistics the comparisons use.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { QueryEngine } from '../../src/engine/engine.js';
import { sqlString } from '../../src/engine/duckdb/sql-text.js';
import { Random } from '../../src/hunt/ml/random.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = new URL('./sklearn_reference.py', import.meta.url).pathname;

/** Fails (never skips) when scikit-learn is missing, saying how to install it. */
export function requireSklearn(): void {
  const r = spawnSync(PYTHON, ['-c', 'import sklearn'], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`scikit-learn is needed as the reference for the ML plugin tests: ${PYTHON} -c 'import sklearn' failed (${(r.stderr || r.error?.message || '').trim()}). Install it with: apt-get install -y python3-sklearn`);
  }
}

export function sklearn<T>(model: string, csvPath: string, params: Record<string, unknown>): T {
  const out = execFileSync(PYTHON, [SCRIPT, model, csvPath, JSON.stringify(params)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return JSON.parse(out) as T;
}

/** Writes rows to a CSV file under the temp folder and loads it as table `name`. */
export async function loadTable(engine: QueryEngine, name: string, header: string[], rows: number[][]): Promise<string> {
  const path = join(tmpdir(), `quarry-ml-${process.pid}-${name}.csv`);
  writeFileSync(path, [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n');
  await loadCsv(engine, name, path);
  return path;
}

export async function loadCsv(engine: QueryEngine, name: string, path: string): Promise<void> {
  await engine.connection.run(`CREATE OR REPLACE TABLE ${name} AS SELECT * FROM read_csv(${sqlString(path)}, header = true)`);
  await engine.refreshCatalog();
}

/** A standard normal variate (Box–Muller). */
export function gaussian(r: Random): number {
  return Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());
}

/** ROC AUC of scores against 0/1 labels (the Mann–Whitney statistic, ties counted half). */
export function rocAuc(scores: number[], labels: boolean[]): number {
  const ranks = averageRanks(scores);
  let positives = 0;
  let rankSum = 0;
  labels.forEach((l, i) => {
    if (l) {
      positives++;
      rankSum += ranks[i]!;
    }
  });
  const negatives = labels.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function spearman(a: number[], b: number[]): number {
  return pearson(averageRanks(a), averageRanks(b));
}

function pearson(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

function averageRanks(x: number[]): number[] {
  const order = x.map((_, i) => i).sort((i, j) => x[i]! - x[j]!);
  const ranks = new Array<number>(x.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && x[order[j + 1]!] === x[order[i]!]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

export { Random };
