/**
 * `npm run bench:detect` — detections, two figures (issue 5, measure 3):
 *
 * 1. NRT latency: events are ingested at a steady rate (default 5,000 events/s, in 10 batches a
 *    second) while 20 NRT rules watch for marker events; latency = from the ingestion
 *    acknowledgement of a marker's batch to the run that raised its alert. p50 and p99. It runs
 *    the server's own wiring (ServerDatabase, startDetections, rule files in a workspace), without HTTP.
 * 2. Scheduled throughput: how many scheduled rules over a large SecurityEvent table (default
 *    10 million rows, bench/generate-security-events.ts, cached in bench/.data) one scheduler
 *    pass evaluates per minute.
 *
 * Options: --rate N (events/s), --seconds N (NRT phase length), --rows N (table size), --skip-nrt, --skip-scheduled.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { QueryEngine } from '../src/engine/engine.js';
import { ServerDatabase } from '../src/server/database.js';
import { startDetections } from '../src/server/detections.js';
import { openWorkspace } from '../src/workspace/workspace.js';
import type { IngestRow } from '../src/ingest/types.js';
import { parseRuleText } from '../src/detect/rules/load.js';
import type { AnalyticsRule } from '../src/detect/rules/rule.js';
import { DetectionScheduler, type Clock } from '../src/detect/scheduler.js';
import { detectionServices } from '../src/detect/session.js';
import { ensureSecurityEvents } from './generate-security-events.js';

const REPO = path.resolve(import.meta.dirname, '..');

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

function ruleId(id: number): string {
  return `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`;
}

function ruleText(id: number, kind: 'NRT' | 'Scheduled', query: string, frequency = '1h', period = '1h'): string {
  const schedule = kind === 'NRT' ? 'kind: NRT' : `queryFrequency: ${frequency}\nqueryPeriod: ${period}\ntriggerOperator: gt\ntriggerThreshold: 0`;
  return `id: ${ruleId(id)}\nname: bench rule ${id}\nseverity: Medium\n${schedule}\nquery: |\n${query.split('\n').map((l) => `  ${l}`).join('\n')}\nentityMappings:\n  - entityType: Host\n    fieldMappings:\n      - identifier: HostName\n        columnName: Computer\n`;
}

function rule(id: number, kind: 'NRT' | 'Scheduled', query: string, frequency = '1h', period = '1h'): AnalyticsRule {
  const text = ruleText(id, kind, query, frequency, period);
  const loaded = parseRuleText(text, `bench-${id}.yaml`);
  if (!loaded.rule) throw new Error(JSON.stringify(loaded.issues));
  return loaded.rule;
}

async function nrtLatency(rate: number, seconds: number): Promise<void> {
  // The server's own wiring (ServerDatabase + startDetections, rules read from the workspace's
  // rules/ folder), minus HTTP: batches go to db.ingest() as the ingestion route hands them over.
  const dir = mkdtempSync(path.join(tmpdir(), 'quarry-detect-bench-'));
  const RULES = 20;
  const workspace = openWorkspace(dir, { create: true });
  mkdirSync(path.join(dir, 'rules'), { recursive: true });
  for (let k = 0; k < RULES; k++) {
    writeFileSync(path.join(dir, 'rules', `nrt-${k}.yaml`), ruleText(k + 1, 'NRT', `SecurityEvent\n| where EventID == 4688 and CommandLine has "bench-marker-${k}"\n| project TimeGenerated, Computer, CommandLine`));
  }
  const db = await ServerDatabase.open(workspace);
  const event = (i: number, marker?: number): IngestRow => ({
    table: 'SecurityEvent',
    values: {
      TimeGenerated: new Date(), Computer: marker === undefined ? `ws${i % 200}` : `marker-host-${marker}`, EventID: marker === undefined ? 4624 : 4688,
      Account: `CONTOSO\\user${i % 1000}`, CommandLine: marker === undefined ? '' : `bench-marker-${marker} run`,
    },
  });
  await db.ingest({ source: 'bench', rows: [event(0)] });
  const ruleIds = Array.from({ length: RULES }, (_, k) => ruleId(k + 1));
  const pending = new Map<string, number[]>();
  const latencies: number[] = [];
  const detections = startDetections(db, () => undefined, {
    onRun: (r) => {
      if (r.outcome !== 'Fired') return;
      const now = performance.now();
      for (const acked of pending.get(r.ruleId) ?? []) latencies.push(now - acked);
      pending.set(r.ruleId, []);
    },
  });
  // The clock starts once the rules are loaded and each has run (Kusto.Language analyses each once).
  await detections.ready;
  const batchesPerSecond = 10;
  const perBatch = Math.round(rate / batchesPerSecond);
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (let b = 0; b < seconds * batchesPerSecond; b++) {
    const due = started + (b * 1000) / batchesPerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const rows = Array.from({ length: perBatch }, (_, i) => event(sent + i));
    // Every 5th batch carries one marker for one rule, round robin.
    const marker = b % 5 === 0 ? (b / 5) % RULES : undefined;
    if (marker !== undefined) rows[0] = event(sent, marker);
    sent += rows.length;
    // Batches are sent on time whether or not the previous one is acknowledged (HTTP clients do not wait for each other).
    const p = db.ingest({ source: 'bench', rows }, { force: true }).then(() => {
      if (marker !== undefined) pending.set(ruleIds[marker]!, [...(pending.get(ruleIds[marker]!) ?? []), performance.now()]);
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await new Promise((r) => setTimeout(r, 3000));
  await detections.stop();
  const missed = [...pending.values()].reduce((n, l) => n + l.length, 0);
  console.log(`NRT: ${sent.toLocaleString('en-US')} events in ${elapsed.toFixed(1)} s (${Math.round(sent / elapsed).toLocaleString('en-US')} events/s), ${RULES} NRT rules, ${latencies.length} marker alerts${missed ? `, ${missed} markers without an alert` : ''}`);
  // CPU of the whole process (JS and DuckDB's threads): what the load needs, whatever else the machine runs.
  console.log(`CPU: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s in ${elapsed.toFixed(1)} s (${((cpu.user + cpu.system) / 1e6 / elapsed).toFixed(2)} cores; ${((cpu.user + cpu.system) / 1e3 / (sent / 1000)).toFixed(1)} ms per 1,000 events, ingestion and 20 NRT rules together)`);
  console.log(`NRT latency ingestion ack → alert: p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms (goal p99 < 2000 ms: ${percentile(latencies, 99) < 2000 ? 'met' : 'NOT met'})`);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}

const SCHEDULED_QUERIES = [
  `SecurityEvent\n| where EventID == 4625\n| summarize Failures = count() by Account, Computer\n| where Failures > 20`,
  `SecurityEvent\n| where EventID == 4688 and CommandLine has "-enc"\n| project TimeGenerated, Computer, Account, CommandLine`,
  `SecurityEvent\n| where EventID == 4688 and Process has "mimikatz"\n| project TimeGenerated, Computer, Account`,
  `SecurityEvent\n| where EventID == 1102\n| project TimeGenerated, Computer, Account`,
  `SecurityEvent\n| where EventID == 4624 and LogonType == 10\n| summarize Hosts = dcount(Computer) by Account, IpAddress\n| where Hosts > 3\n| extend Computer = tostring(Hosts)`,
  `SecurityEvent\n| where EventID in (4624, 4625)\n| summarize Success = countif(EventID == 4624), Failure = countif(EventID == 4625) by IpAddress, Computer\n| where Failure > 10 and Success > 0`,
  `SecurityEvent\n| where EventID == 4688\n| summarize Count = count() by Process, Computer\n| where Count < 2`,
  `SecurityEvent\n| where EventID == 4688 and CommandLine has_any ("whoami", "net group", "nltest")\n| summarize Commands = make_set(CommandLine, 10) by Computer, Account`,
  `SecurityEvent\n| where EventID == 4720 or EventID == 4732\n| project TimeGenerated, Computer, Account`,
  `SecurityEvent\n| where EventID == 4624\n| summarize Logons = count() by Computer, bin(TimeGenerated, 5m)\n| where Logons > 100`,
];

async function scheduledThroughput(rows: number): Promise<void> {
  // Its own copy of the generated table: the detection tables are written next to it.
  const dbPath = path.join(REPO, 'bench', '.data', `detect-${rows}.duckdb`);
  await ensureSecurityEvents(dbPath, rows, (line) => console.log(line));
  const engine = await QueryEngine.open({ databasePath: dbPath });
  try {
    // Ingested logs arrive in time order, so DuckDB's zone maps skip most of the table for a
    // rule's window; the generator's rows are in random time order: sort them once.
    await engine.exclusive(async (c) => {
      const sorted = await c.runAndReadAll(`SELECT count(*) FROM information_schema.tables WHERE table_name = '_bench_sorted'`);
      if (Number(sorted.getRowsJson()[0]![0]) > 0) return;
      console.log('sorting SecurityEvent by TimeGenerated (once) …');
      await c.run('CREATE TABLE SecurityEvent_sorted AS SELECT * FROM SecurityEvent ORDER BY TimeGenerated');
      await c.run('DROP TABLE SecurityEvent');
      await c.run('ALTER TABLE SecurityEvent_sorted RENAME TO SecurityEvent');
      await c.run('CREATE TABLE _bench_sorted (done BOOLEAN)');
    });
    await engine.refreshCatalog();
    // Each query twice: a 1-hour and a 1-day query period (20 rules).
    const rules = SCHEDULED_QUERIES.flatMap((q, i) => [rule(100 + 2 * i, 'Scheduled', q, '1h', '1h'), rule(101 + 2 * i, 'Scheduled', q, '1d', '1d')]);
    const { store, runner } = detectionServices(engine);
    await store.ensureTables();
    const clock: Clock = { now: () => new Date('2024-05-15T00:05:00Z'), setTimeout: () => 0, clearTimeout: () => {} };
    await engine.exclusive((c) => c.run(`DELETE FROM "_RuleRuns"`));
    const scheduler = new DetectionScheduler({ rules: () => rules, runner, store, clock });
    const t0 = performance.now();
    const reports = await scheduler.tick();
    const ms = performance.now() - t0;
    const failed = reports.filter((r) => r.outcome === 'Failed');
    console.log(`scheduled: ${reports.length} rule runs over SecurityEvent (${rows.toLocaleString('en-US')} rows) in ${(ms / 1000).toFixed(2)} s → ${Math.round((reports.length / ms) * 60_000).toLocaleString('en-US')} rules/minute (${reports.filter((r) => r.outcome === 'Fired').length} fired, ${failed.length} failed${failed.length ? `: ${failed[0]!.error}` : ''})`);
    await engine.exclusive(async (c) => {
      for (const t of ['SecurityAlert', 'SecurityIncident', '_RuleRuns', '_IncidentAudit', '_AlertEvents']) await c.run(`DROP TABLE IF EXISTS "${t}"`);
    });
  } finally {
    await engine.close();
  }
}

async function main(): Promise<void> {
  console.log(`(load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores: figures scale with the CPU left over)`);
  if (!process.argv.includes('--skip-nrt')) await nrtLatency(option('rate', 5000), option('seconds', 20));
  if (!process.argv.includes('--skip-scheduled')) await scheduledThroughput(option('rows', 10_000_000));
}

await main();
