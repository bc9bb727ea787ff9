/**
 * EVTX records/s (section 4 of `npm run bench:ingest`; alone: `node --import tsx bench/evtx-bench.ts`).
 *   a. Reader alone: the 281 EVTX-to-MITRE-Attack logs (10,015 records), unpacked in memory
 *      first, decoded and mapped to SecurityEvent / Event rows, best of 3 passes.
 *   b. `ingestPaths` of the same folder (gzip files, detection, decoding, typed appends,
 *      commits) into a fresh database.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { readEvtxBuffer } from '../src/ingest/formats/evtx/reader.js';
import { Ingestor } from '../src/ingest/ingestor.js';
import { ingestPaths } from '../src/ingest/pipeline.js';

const EVTX_DIR = fileURLToPath(new URL('../../shared/data/evtx', import.meta.url));

function* evtxFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) yield* evtxFiles(p);
    else if (/\.evtx(\.gz)?$/i.test(name)) yield p;
  }
}

export async function evtxSection(): Promise<void> {
  console.log('## 4. EVTX records/s');
  const files = [...evtxFiles(EVTX_DIR)].map((f) => ({ f, buf: f.endsWith('.gz') ? gunzipSync(readFileSync(f)) : readFileSync(f) }));
  let best = Infinity;
  let bestCpu = Infinity;
  let records = 0;
  for (let pass = 0; pass < 3; pass++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let n = 0;
    for (const { f, buf } of files) for (const r of readEvtxBuffer(buf, f)) if (r.kind === 'row') n++;
    const cpu = process.cpuUsage(cpu0);
    best = Math.min(best, (performance.now() - t0) / 1000);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1e6);
    records = n;
  }
  // On a shared machine the wall clock also counts other processes' time; CPU time does not.
  console.log(
    `reader (decode + map, in memory): ${records.toLocaleString('en-US')} records in ${best.toFixed(2)} s, ${Math.round(records / best).toLocaleString('en-US')} records/s` +
      ` (${Math.round(records / bestCpu).toLocaleString('en-US')} records per CPU second)`,
  );

  const dir = mkdtempSync(path.join(tmpdir(), 'quarry-evtx-bench-'));
  try {
    const ingestor = await Ingestor.open(path.join(dir, 'quarry.duckdb'));
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const summary = await ingestPaths(ingestor, files.map(({ f }) => f));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await ingestor.close();
    // CPU time here counts DuckDB's threads as well as the reader's.
    console.log(
      `quarry ingest (${files.length} .evtx.gz files → database): ${summary.accepted.toLocaleString('en-US')} rows, ${summary.rejected} rejected, ${seconds.toFixed(2)} s, ${Math.round(summary.accepted / seconds).toLocaleString('en-US')} records/s` +
        ` (${Math.round(summary.accepted / ((cpu.user + cpu.system) / 1e6)).toLocaleString('en-US')} records per CPU second)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await evtxSection();
