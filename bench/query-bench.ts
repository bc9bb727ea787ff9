/**
 * `npm run bench:query [-- --rows N] [-- --runs K] [-- --no-cli]`
 *
 * Times hunting-style KQL queries through Quarry's QueryEngine against the same questions
 * written by hand as DuckDB SQL, on a generated SecurityEvent table (10,000,000 rows by
 * default, cached under bench/.data/). Each query is first checked to give the same rows both
 * ways; then, after a warm-up, the two (and, to tell SQL shape from front-end cost, the SQL
 * Quarry generated, run directly) take turns K times and the medians are compared.
 * Also times the CLI from start to its first result.
 *
 * Goals: median Quarry/SQL ratio ≤ 1.15; IR→SQL compile ≤ 2 ms per query.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueryEngine } from '../src/engine/engine.js';
import type { KqlType } from '../src/kql/types.js';
import { ensureSecurityEvents } from './generate-security-events.js';
import { HUNTING_QUERIES, type HuntingQuery } from './hunting-queries.js';
import { isSubMultiset, median, ms, normaliseRows, textTable, timed } from './measure.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_ROWS = 10_000_000;
const GOAL_RATIO = 1.15;
const GOAL_COMPILE_MS = 2;

interface Options {
  rows: number;
  runs: number;
  cli: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { rows: DEFAULT_ROWS, runs: 5, cli: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${arg} needs a positive whole number`);
      return n;
    };
    if (arg === '--rows') options.rows = next();
    else if (arg === '--runs') options.runs = next();
    else if (arg === '--no-cli') options.cli = false;
    else throw new Error(`unknown option ${arg} (use --rows N, --runs K, --no-cli)`);
  }
  return options;
}

/** The default size has the documented cache name; other sizes get their own file. */
function databasePath(rows: number): string {
  const name = rows === DEFAULT_ROWS ? 'bench.duckdb' : `bench-${rows}.duckdb`;
  return path.join(REPO, 'bench', '.data', name);
}

interface QueryMeasurement {
  query: HuntingQuery;
  resultRows: number;
  quarryMs: number;
  /** The SQL Quarry generated, run directly: tells SQL shape from front-end and result costs. */
  generatedSqlMs: number;
  sqlMs: number;
  analysisMs: number;
  compileMs: number;
  /** Wall time of engine.prepare(): analysis, syntax-tree copy, IR and SQL together. */
  prepareMs: number;
}

async function sqlRows(engine: QueryEngine, sql: string): Promise<unknown[][]> {
  const reader = await engine.connection.runAndReadAll(sql);
  return reader.getRows() as unknown[][];
}

/** Runs both forms once (this is also the warm-up) and throws when their answers differ. */
async function checkSameAnswer(engine: QueryEngine, q: HuntingQuery): Promise<number> {
  const quarry = await engine.query(q.kql);
  const types: KqlType[] = quarry.columns.map((c) => c.type);
  const fromQuarry = normaliseRows(quarry.rows, types, false);
  const fromSql = normaliseRows(await sqlRows(engine, q.sql), types, true);
  const fail = (why: string) => {
    throw new Error(`"${q.name}": Quarry and SQL disagree: ${why}\n  Quarry: ${fromQuarry.slice(0, 3).join(' ')}\n  SQL:    ${fromSql.slice(0, 3).join(' ')}`);
  };
  if (fromQuarry.length !== fromSql.length) fail(`${fromQuarry.length} rows vs ${fromSql.length}`);
  if (q.check.kind === 'same-rows') {
    const i = fromQuarry.findIndex((r, k) => r !== fromSql[k]);
    if (i >= 0) fail(`first difference: ${fromQuarry[i]} vs ${fromSql[i]}`);
  } else {
    const all = normaliseRows(await sqlRows(engine, q.check.allRowsSql), types, true);
    if (!isSubMultiset(fromQuarry, all)) fail('Quarry returned rows that do not match the filter');
    if (!isSubMultiset(fromSql, all)) fail('SQL returned rows that do not match the filter');
  }
  return quarry.rows.length;
}

async function measure(engine: QueryEngine, q: HuntingQuery, runs: number): Promise<QueryMeasurement> {
  const resultRows = await checkSameAnswer(engine, q);
  const generatedSql = engine.prepare(q.kql).sql;
  const quarryTimes: number[] = [];
  const generatedTimes: number[] = [];
  const sqlTimes: number[] = [];
  const contenders = [
    async () => quarryTimes.push((await timed(() => engine.query(q.kql))).ms),
    async () => sqlTimes.push((await timed(() => sqlRows(engine, q.sql))).ms),
    async () => generatedTimes.push((await timed(() => sqlRows(engine, generatedSql))).ms),
  ];
  await sqlRows(engine, generatedSql); // its warm-up
  for (let r = 0; r < runs; r++) {
    // rotate which goes first, so none always gets the warmest cache
    for (let k = 0; k < contenders.length; k++) await contenders[(r + k) % contenders.length]!();
  }
  const analysis: number[] = [];
  const compile: number[] = [];
  const prepare: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const { timings } = engine.prepare(q.kql, {}, { useCache: false });
    prepare.push(performance.now() - t0);
    analysis.push(timings.analysisMs);
    compile.push(timings.irMs + timings.sqlMs);
  }
  return {
    query: q,
    resultRows,
    quarryMs: median(quarryTimes),
    generatedSqlMs: median(generatedTimes),
    sqlMs: median(sqlTimes),
    analysisMs: median(analysis),
    compileMs: median(compile),
    prepareMs: median(prepare),
  };
}

/** Wall time from spawning the CLI to the first byte of its answer. */
function cliFirstResultMs(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first: number | undefined;
    const child = spawn(process.execPath, [path.join(REPO, 'bin', 'quarry.js'), 'query', 'print 1', '--format', 'json'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout.on('data', () => (first ??= performance.now() - t0));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 || first === undefined) reject(new Error(`quarry CLI exited with ${code}: ${stderr.trim()}`));
      else resolve(first);
    });
  });
}

function report(results: QueryMeasurement[], options: Options): void {
  const rows = results.map((m) => [
    m.query.name,
    String(m.resultRows),
    ms(m.quarryMs),
    ms(m.sqlMs),
    ms(m.generatedSqlMs),
    `${(m.quarryMs / m.sqlMs).toFixed(2)}`,
    ms(m.analysisMs),
    ms(m.compileMs),
    ms(m.prepareMs),
  ]);
  console.log(`\nSecurityEvent: ${options.rows.toLocaleString('en-US')} rows; medians of ${options.runs} runs after a warm-up\n`);
  console.log(textTable(['query', 'rows', 'Quarry ms', 'SQL ms', 'its SQL ms', 'ratio', 'analysis ms', 'IR→SQL ms', 'prepare ms'], rows));
  console.log('its SQL ms: the SQL Quarry generated, run directly on the connection; prepare ms: all of engine.prepare() without its cache');
  console.log('Quarry ms: engine.query() after warm-up, so the analysed query comes from the engine\'s cache (as when a rule or notebook re-runs it); a first run adds prepare ms');
  const ratio = median(results.map((m) => m.quarryMs / m.sqlMs));
  const worstCompile = Math.max(...results.map((m) => m.compileMs));
  console.log(`\nmedian ratio Quarry/SQL: ${ratio.toFixed(2)} (goal ≤ ${GOAL_RATIO}: ${ratio <= GOAL_RATIO ? 'met' : 'NOT met'})`);
  console.log(`IR→SQL: median ${ms(median(results.map((m) => m.compileMs)))} ms, max ${ms(worstCompile)} ms (goal ≤ ${GOAL_COMPILE_MS} ms: ${worstCompile <= GOAL_COMPILE_MS ? 'met' : 'NOT met'})`);
  console.log(`analysis (Kusto.Language): median ${ms(median(results.map((m) => m.analysisMs)))} ms`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const dbPath = databasePath(options.rows);
  await ensureSecurityEvents(dbPath, options.rows, (line) => console.log(line));
  const engine = await QueryEngine.open({ databasePath: dbPath });
  const results: QueryMeasurement[] = [];
  try {
    for (const q of HUNTING_QUERIES) {
      process.stdout.write(`running: ${q.name} …\n`);
      results.push(await measure(engine, q, options.runs).catch((err: unknown) => {
        throw new Error(`"${q.name}" failed: ${err instanceof Error ? err.message : String(err)}\n${q.kql}`);
      }));
    }
  } finally {
    await engine.close();
  }
  report(results, options);
  if (options.cli) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push(await cliFirstResultMs());
    console.log(`CLI start-up to first result (quarry query "print 1" --format json): median ${ms(median(times))} ms of 5`);
  }
  console.log(`peak RSS of the benchmark process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
