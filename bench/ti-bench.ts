/**
 * `npm run bench:ti` — threat intelligence: a seeded STIX 2.1 bundle of N indicators (default
 * 100,000: IPv4, domain, URL and SHA-256 indicators, one in ten with two observables) is
 *
 * 1. imported into an empty workspace database (read + parse patterns + write), indicators/s;
 * 2. imported again (every indicator replaces itself by id), indicators/s;
 * 3. matched by the shipped "TI map IP entity to AWSCloudTrail" rule against M AWSCloudTrail rows
 *    (default 1,000,000, 1% from indicator IPs), one window, seconds.
 *
 * Options: --indicators N, --events M, --seed S.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { evaluateRule, scheduledWindow } from '../src/detect/evaluate.js';
import { loadRuleFile } from '../src/detect/rules/load.js';
import { QueryEngine } from '../src/engine/engine.js';
import { Ingestor } from '../src/ingest/ingestor.js';
import { importFeedFile } from '../src/ti/import-file.js';
import { seededRandom } from '../src/util/seeded-random.js';

const REPO = path.resolve(import.meta.dirname, '..');

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const N = option('indicators', 100_000);
const M = option('events', 1_000_000);
const random = seededRandom(option('seed', 7));
const int = (n: number) => Math.floor(random() * n);
const hex = (len: number) => Array.from({ length: len }, () => '0123456789abcdef'[int(16)]).join('');
const ip = (i: number) => `${11 + (i >> 24 & 0x3f)}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

function bundle(end: Date): { text: string; ips: string[] } {
  const ips: string[] = [];
  const objects: unknown[] = [];
  const until = new Date(end.getTime() + 30 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  for (let i = 0; i < N; i++) {
    const kind = i % 4;
    const a = ip(1_000_000 + i * 7);
    if (kind === 0) ips.push(a);
    const one = kind === 0 ? `ipv4-addr:value = '${a}'`
      : kind === 1 ? `domain-name:value = 'd${i}.${hex(6)}.example'`
      : kind === 2 ? `url:value = 'http://u${i}.example/${hex(8)}'`
      : `file:hashes.'SHA-256' = '${hex(64)}'`;
    const pattern = i % 10 === 0 ? `[${one} OR ipv4-addr:value = '${ip(50_000_000 + i)}']` : `[${one}]`;
    objects.push({
      type: 'indicator', spec_version: '2.1', id: `indicator--${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`,
      created: '2024-01-01T00:00:00Z', modified: '2024-01-01T00:00:00Z', valid_from: '2024-01-01T00:00:00Z', valid_until: until,
      pattern, pattern_type: 'stix', confidence: int(101), labels: ['bench'],
    });
  }
  return { text: JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000000', objects }), ips };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'quarry-ti-bench-'));
  try {
    const db = path.join(dir, 'ti.duckdb');
    const end = new Date('2024-06-01T12:00:00Z');
    const { text, ips } = bundle(end);
    const file = path.join(dir, 'bundle.json');
    writeFileSync(file, text);
    console.log(`TI bench: ${N.toLocaleString('en-US')} indicators (${(text.length / 1e6).toFixed(1)} MB bundle), ${M.toLocaleString('en-US')} AWSCloudTrail rows, ${cpus().length} cores`);

    const importedAt = new Date(end.getTime() - 86_400_000);
    const ingestor = await Ingestor.open(db, { now: () => importedAt });
    let t = performance.now();
    const first = await importFeedFile(ingestor, file, { now: importedAt });
    let s = (performance.now() - t) / 1000;
    console.log(`import:    ${first.indicators.toLocaleString('en-US')} indicators, ${first.rows.toLocaleString('en-US')} rows in ${s.toFixed(2)} s = ${Math.round(first.indicators / s).toLocaleString('en-US')} indicators/s`);
    t = performance.now();
    const again = await importFeedFile(ingestor, file, { now: importedAt });
    s = (performance.now() - t) / 1000;
    console.log(`re-import: ${again.updated.toLocaleString('en-US')} updated in ${s.toFixed(2)} s = ${Math.round(again.updated / s).toLocaleString('en-US')} indicators/s`);
    await ingestor.close();

    // AWSCloudTrail rows in the rule's last hour; 1% from indicator IPs.
    const engine = await QueryEngine.open({ databasePath: db });
    try {
      const from = end.getTime() - 3_600_000;
      await engine.connection.run(`CREATE TABLE AWSCloudTrail AS SELECT
          make_timestamp(${from * 1000} + (i * 3600000000 // ${M})) AS TimeGenerated,
          CASE WHEN i % 100 = 0 THEN list_extract(${'$ips'}, (i // 100) % ${ips.length} + 1) ELSE '192.0.2.' || (i % 250) END AS SourceIpAddress,
          'ConsoleLogin' AS EventName, 'AwsConsoleSignIn' AS EventTypeName, 'user' || (i % 1000) AS UserIdentityUserName,
          '123456789012' AS UserIdentityAccountId, '' AS UserIdentityPrincipalid, 'AWSCloudTrail' AS Type
        FROM range(${M}) r(i)`.replace('$ips', `[${ips.slice(0, 5000).map((x) => `'${x}'`).join(',')}]`).replace(`% ${ips.length} + 1`, `% ${Math.min(5000, ips.length)} + 1`));
      await engine.refreshCatalog();
      const loaded = loadRuleFile(path.join(REPO, 'content/rules/threat-intelligence/IPEntity_AWSCloudTrail.yaml'));
      if (!loaded.rule) throw new Error(JSON.stringify(loaded.issues));
      const rule = loaded.rule;
      await engine.query('print 1'); // load Kusto.Language before timing
      engine.prepare(rule.query);
      t = performance.now();
      const ev = await evaluateRule(engine, rule, scheduledWindow(rule, end));
      s = (performance.now() - t) / 1000;
      console.log(`TI map IP entity to AWSCloudTrail: ${ev.resultCount.toLocaleString('en-US')} matching indicators over ${M.toLocaleString('en-US')} events in ${s.toFixed(2)} s`);
    } finally {
      await engine.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
