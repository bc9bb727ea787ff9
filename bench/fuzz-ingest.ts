/**
 * Long fuzz run of the syslog/CEF/LEEF parsers (`npm run fuzz:ingest [-- --runs N --seed S]`):
 * mutated real messages from ../shared/data/syslog and random text. Exits 1 on the first input
 * that makes a parser throw (printed so it can become a test), or that takes over a second.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { FuzzFailure, fuzzParsers } from '../src/ingest/fuzz.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const runs = opt('--runs', 200_000);
const seed = opt('--seed', Date.now() % 1_000_000);
const DATA = new URL('../../shared/data/syslog/', import.meta.url).pathname;

const seeds: string[] = [
  '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application"] An application event',
  'LEEF:1.0|Microsoft|MSExchange|2013 SP1|15345|src=10.50.1.1\tdst=2.10.20.20\tsev=7',
  'LEEF:2.0|Lancope|StealthWatch|1.0|41|^|src=10.0.1.8^dst=10.0.0.5^dstPort=443',
  'CEF:0|Ven\\|dor|Prod|1.0|100|Name|10|src=10.0.0.1 msg=a\\=b c\\\\d act=blocked cs1=x y',
];
for (const sub of ['rfc3164', 'cef']) {
  for (const f of readdirSync(path.join(DATA, sub))) {
    seeds.push(...readFileSync(path.join(DATA, sub, f), 'utf8').split('\n').filter((l) => l.trim() !== '').slice(0, 5));
  }
}

const t0 = performance.now();
try {
  const stats = fuzzParsers(seeds, runs, seed);
  const seconds = (performance.now() - t0) / 1000;
  console.log(`seed ${seed}: ${stats.runs} messages in ${seconds.toFixed(1)} s; parsed ${stats.parsed}, rejected ${stats.rejected}; slowest ${stats.maxMs.toFixed(1)} ms`);
  if (stats.maxMs > 1000) {
    console.error('a single message took over a second: likely super-linear parsing');
    process.exitCode = 1;
  }
} catch (err) {
  if (err instanceof FuzzFailure) {
    console.error(`seed ${seed}: ${err.message}`);
    console.error(`input (JSON): ${JSON.stringify(err.input)}`);
    process.exitCode = 1;
  } else {
    throw err;
  }
}
