/**
 * Ingestion benchmark (`npm run bench:ingest`). Sections:
 *   1. NDJSON file import: N records (seeded, default 1,000,000) through `ingestPaths` into a
 *      declared custom table, against DuckDB's own read_json inserting the same file into the
 *      same typed table in the same run (the ratio's base). Goal: ratio ≥ 0.7. Each side runs
 *      --repeat times (default 2), alternating, into a fresh database; the best wall times are
 *      compared. CPU seconds (all threads) and the load average are printed: the machine is shared.
 *   2. HTTP ingestion (8 clients × batches of 500), server in a child process (server-bench.ts).
 *   3. Syslog over UDP at 20,000 msg/s for 5 s, loss count (server-bench.ts).
 *   4. EVTX records/s: the EVTX reader's section.
 * Options: --records N, --repeat N, --sections 1,4 (default all), --keep (keep the temp folder).
 */
import { seededRandom } from '../src/util/seeded-random.js';
import { mkdtempSync, rmSync, createWriteStream } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Ingestor } from '../src/ingest/ingestor.js';
import { ingestPaths } from '../src/ingest/pipeline.js';
import { evtxSection } from './evtx-bench.js';
import { httpSection, syslogSection } from './server-bench.js';
import { sqlIdent, sqlString } from '../src/engine/duckdb/sql-text.js';
import type { TablesConfig } from '../src/workspace/tables-config.js';

const args = process.argv.slice(2);
const RECORDS = Number(args[args.indexOf('--records') + 1]) || 1_000_000;
const KEEP = args.includes('--keep');
const REPEAT = Number(args[args.indexOf('--repeat') + 1]) || 2;
const SECTIONS = args.includes('--sections') ? new Set(args[args.indexOf('--sections') + 1]!.split(',')) : undefined;
const section = (n: string) => !SECTIONS || SECTIONS.has(n);
const load = () => `load average ${loadavg().map((x) => x.toFixed(2)).join(', ')}`;

/** Wall and CPU seconds (all threads of this process: DuckDB's too) of one run. */
interface Timing { wall: number; cpu: number }

async function timed(run: () => Promise<void>): Promise<Timing> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await run();
  const cpu = process.cpuUsage(cpu0);
  return { wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}
const TABLE = 'BenchEvents_CL';

const COLUMNS: Record<string, string> = {
  Computer: 'string', EventID: 'int', Account: 'string', SrcIp: 'string', DstPort: 'int',
  Bytes: 'long', Duration: 'real', Success: 'bool', Tags: 'dynamic', Message: 'string',
};
const DUCK_TYPES: Record<string, string> = { string: 'VARCHAR', int: 'INTEGER', long: 'BIGINT', real: 'DOUBLE', bool: 'BOOLEAN', dynamic: 'JSON', datetime: 'TIMESTAMP' };

/** Deterministic PRNG (mulberry32), so every run reads the same file. */
const rng = seededRandom;

async function writeNdjson(file: string, n: number): Promise<void> {
  const rand = rng(42);
  const out = createWriteStream(file);
  const base = Date.UTC(2024, 0, 1);
  const users = ['alice', 'bob', 'carol', 'dave', 'eve', 'svc_backup', 'administrator'];
  let buf = '';
  for (let i = 0; i < n; i++) {
    const rec = {
      TimeGenerated: new Date(base + Math.floor(rand() * 86_400_000 * 30)).toISOString(),
      Computer: `host-${Math.floor(rand() * 500)}.corp.local`,
      EventID: [4624, 4625, 4688, 4672, 5156][Math.floor(rand() * 5)],
      Account: `CORP\\${users[Math.floor(rand() * users.length)]}`,
      SrcIp: `10.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`,
      DstPort: Math.floor(rand() * 65536),
      Bytes: Math.floor(rand() * 1e9),
      Duration: Math.round(rand() * 1e6) / 1000,
      Success: rand() < 0.8,
      Tags: { risk: Math.floor(rand() * 100), src: 'bench' },
      Message: `event ${i} from bench generator`,
    };
    buf += JSON.stringify(rec) + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** DuckDB's own reader into the same typed table (created by the Ingestor's schema, so identical). */
async function duckdbReadJson(dbPath: string, file: string): Promise<Timing> {
  const tables: TablesConfig = { [TABLE]: { columns: COLUMNS } };
  // Create the table exactly as the Ingestor does, with one throw-away row, then empty it.
  const ingestor = await Ingestor.open(dbPath, { tables });
  await ingestor.write({ source: 'setup', rows: [{ table: TABLE, values: { Computer: 'x' } }] });
  await ingestor.close();
  const instance = await DuckDBInstance.create(dbPath);
  const c = await instance.connect();
  await c.run(`DELETE FROM ${sqlIdent(TABLE)}`);
  const cols = { TimeGenerated: 'datetime', ...COLUMNS };
  const struct = Object.entries(cols).map(([k, t]) => `${sqlString(k)}: ${sqlString(DUCK_TYPES[t]!)}`).join(', ');
  const names = Object.keys(cols).map(sqlIdent).join(', ');
  const timing = await timed(async () => {
    await c.run(
      `INSERT INTO ${sqlIdent(TABLE)} (${names}, "Type", "_ItemId", "_TimeReceived")
       SELECT ${names}, ${sqlString(TABLE)}, CAST(uuid() AS VARCHAR), CAST(now() AS TIMESTAMP)
         FROM read_json(${sqlString(file)}, format = 'newline_delimited', columns = {${struct}})`,
    );
  });
  const n = Number((await c.runAndReadAll(`SELECT count(*) FROM ${sqlIdent(TABLE)}`)).getRows()[0]![0]);
  if (n !== RECORDS) throw new Error(`read_json stored ${n} rows, expected ${RECORDS}`);
  c.closeSync();
  instance.closeSync();
  return timing;
}

async function quarryImport(dbPath: string, file: string): Promise<Timing> {
  const tables: TablesConfig = { [TABLE]: { columns: COLUMNS } };
  const ingestor = await Ingestor.open(dbPath, { tables });
  // Whether ingestPaths took the NDJSON fast path (a bench of the general path would say so).
  let fastPath = false;
  const importFile = ingestor.importNdjsonFile.bind(ingestor);
  ingestor.importNdjsonFile = async (...a) => {
    const result = await importFile(...a);
    fastPath ||= result !== undefined;
    return result;
  };
  let summary: Awaited<ReturnType<typeof ingestPaths>> | undefined;
  const timing = await timed(async () => {
    summary = await ingestPaths(ingestor, [file], { format: 'ndjson', table: TABLE });
  });
  await ingestor.close();
  if (!fastPath) console.log('note: quarry ingest did NOT take the NDJSON fast path');
  if (!summary) throw new Error('no summary');
  if (summary.accepted !== RECORDS || summary.rejected !== 0 || summary.conflicts !== 0) {
    throw new Error(`quarry import: accepted ${summary.accepted}, rejected ${summary.rejected}, conflicts ${summary.conflicts}`);
  }
  return timing;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'quarry-ingest-bench-'));
  try {
    if (section('1')) await ndjsonSection(dir);
    if (section('2')) {
      await httpSection();
      console.log('');
    }
    if (section('3')) {
      await syslogSection();
      console.log('');
    }
    if (section('4')) {
      console.log(load());
      await evtxSection();
      console.log(load());
    }
  } finally {
    if (!KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

async function ndjsonSection(dir: string): Promise<void> {
  const file = path.join(dir, 'events.ndjson');
  console.log(`## 1. NDJSON file import (${RECORDS.toLocaleString('en-US')} records)`);
  await writeNdjson(file, RECORDS);
  console.log(load());
  const duck: Timing[] = [];
  const quarry: Timing[] = [];
  for (let i = 0; i < REPEAT; i++) {
    duck.push(await duckdbReadJson(path.join(dir, `duck${i}.duckdb`), file));
    quarry.push(await quarryImport(path.join(dir, `quarry${i}.duckdb`), file));
  }
  const best = (ts: Timing[]) => ts.reduce((a, b) => (b.wall < a.wall ? b : a));
  const d = best(duck);
  const q = best(quarry);
  const rate = (s: number) => Math.round(RECORDS / s).toLocaleString('en-US');
  const all = (ts: Timing[]) => ts.map((t) => t.wall.toFixed(2)).join(' / ');
  console.log(`DuckDB read_json → typed table: ${d.wall.toFixed(2)} s, ${rate(d.wall)} events/s, ${d.cpu.toFixed(2)} CPU s (runs: ${all(duck)} s)`);
  console.log(`quarry ingest (ndjson):         ${q.wall.toFixed(2)} s, ${rate(q.wall)} events/s, ${q.cpu.toFixed(2)} CPU s (runs: ${all(quarry)} s)`);
  console.log(`ratio (quarry / read_json): ${(d.wall / q.wall).toFixed(2)} (goal ≥ 0.70); CPU ratio ${(d.cpu / q.cpu).toFixed(2)}`);
  console.log(load());
  console.log('');
}

await main();
