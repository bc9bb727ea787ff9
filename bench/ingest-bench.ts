/**
 * Ingestion benchmark (`npm run bench:ingest`). Sections:
 *   1. NDJSON file import: N records (seeded, default 1,000,000) through `ingestPaths` into a
 *      declared custom table, against DuckDB's own read_json inserting the same file into the
 *      same typed table in the same run (the ratio's base). Goal: ratio ≥ 0.7.
 *   2. HTTP ingestion (8 clients × batches of 500), server in a child process (server-bench.ts).
 *   3. Syslog over UDP at 20,000 msg/s for 5 s, loss count (server-bench.ts).
 *   4. EVTX records/s: the EVTX reader's section.
 * Options: --records N, --keep (keep the temp folder).
 */
import { seededRandom } from '../src/util/seeded-random.js';
import { mkdtempSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
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
async function duckdbReadJson(dbPath: string, file: string): Promise<number> {
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
  const t0 = performance.now();
  await c.run(
    `INSERT INTO ${sqlIdent(TABLE)} (${names}, "Type", "_ItemId", "_TimeReceived")
     SELECT ${names}, ${sqlString(TABLE)}, CAST(uuid() AS VARCHAR), CAST(now() AS TIMESTAMP)
       FROM read_json(${sqlString(file)}, format = 'newline_delimited', columns = {${struct}})`,
  );
  const seconds = (performance.now() - t0) / 1000;
  const n = Number((await c.runAndReadAll(`SELECT count(*) FROM ${sqlIdent(TABLE)}`)).getRows()[0]![0]);
  if (n !== RECORDS) throw new Error(`read_json stored ${n} rows, expected ${RECORDS}`);
  c.closeSync();
  instance.closeSync();
  return seconds;
}

async function quarryImport(dbPath: string, file: string): Promise<number> {
  const tables: TablesConfig = { [TABLE]: { columns: COLUMNS } };
  const ingestor = await Ingestor.open(dbPath, { tables });
  const t0 = performance.now();
  const summary = await ingestPaths(ingestor, [file], { format: 'ndjson', table: TABLE });
  const seconds = (performance.now() - t0) / 1000;
  await ingestor.close();
  if (summary.accepted !== RECORDS || summary.rejected !== 0 || summary.conflicts !== 0) {
    throw new Error(`quarry import: accepted ${summary.accepted}, rejected ${summary.rejected}, conflicts ${summary.conflicts}`);
  }
  return seconds;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'quarry-ingest-bench-'));
  try {
    const file = path.join(dir, 'events.ndjson');
    console.log(`## 1. NDJSON file import (${RECORDS.toLocaleString('en-US')} records)`);
    await writeNdjson(file, RECORDS);
    const duck = await duckdbReadJson(path.join(dir, 'duck.duckdb'), file);
    const quarry = await quarryImport(path.join(dir, 'quarry.duckdb'), file);
    const rate = (s: number) => Math.round(RECORDS / s).toLocaleString('en-US');
    console.log(`DuckDB read_json → typed table: ${duck.toFixed(2)} s, ${rate(duck)} events/s`);
    console.log(`quarry ingest (ndjson):         ${quarry.toFixed(2)} s, ${rate(quarry)} events/s`);
    console.log(`ratio (quarry / read_json): ${(duck / quarry).toFixed(2)} (goal ≥ 0.70)`);
    console.log('');
    await httpSection();
    console.log('');
    await syslogSection();
    console.log('');
    await evtxSection();
  } finally {
    if (!KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
