import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { QueryEngine } from '../../src/engine/engine.js';
import type { RemoteDataPolicy } from '../../src/engine/external-data-policy.js';
import { KqlError } from '../../src/kql/diagnostics.js';

/**
 * The real-query corpus (../shared/corpus/kql): thousands of Sentinel / Defender XDR / Azure
 * Monitor queries, with Microsoft's reference parser's verdict on each.
 */
const CORPUS_DIR = fileURLToPath(new URL('../../../shared/corpus/kql/', import.meta.url));

export interface CorpusQuery {
  id: string;
  repo: string;
  query: string;
  /** Microsoft's parser found no syntax error. */
  syntaxOk: boolean;
  /** …and no semantic error against the Sentinel catalog (with Defender's Timestamp). */
  semanticOk: boolean;
}

export function loadCorpus(): CorpusQuery[] {
  const checks = new Map<string, { syntax_ok: boolean; semantic_ok: boolean }>();
  for (const line of readLines('reference-check.jsonl')) {
    const c = JSON.parse(line) as { id: string; syntax_ok: boolean; semantic_ok: boolean };
    checks.set(c.id, c);
  }
  return readLines('queries.jsonl').map((line) => {
    const q = JSON.parse(line) as { id: string; repo: string; query: string };
    const c = checks.get(q.id);
    return { id: q.id, repo: q.repo, query: q.query, syntaxOk: c?.syntax_ok ?? false, semanticOk: c?.semantic_ok ?? false };
  });
}

/** The queries Microsoft's parser accepts both syntactically and semantically: the fair target. */
export function validQueries(): CorpusQuery[] {
  return loadCorpus().filter((q) => q.syntaxOk && q.semanticOk);
}

function readLines(name: string): string[] {
  return readFileSync(CORPUS_DIR + name, 'utf8').split('\n').filter((l) => l.trim() !== '');
}

/**
 * Groups an error into a reason: the message with the query's own names, literals and positions
 * taken out where they do not tell the cause apart ("unsupported function X" keeps X).
 */
export function failureReason(err: unknown): string {
  if (!(err instanceof KqlError)) return `CRASH ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`.slice(0, 160);
  const first = err.message.split('\n')[0]!;
  const msg = first
    .replace(/\b(at|line) \d+(:\d+)?/g, '$1 N')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, (m) => (/^'[A-Za-z_][\w-]*(\(\))?'$/.test(m) && m.length < 60 ? m : "'…'"))
    .replace(/\b\d+(\.\d+)?\b/g, 'N')
    .replace(/\s+/g, ' ');
  return `${err.kind}: ${msg}`.slice(0, 200);
}

/** Counts by reason, most frequent first, each with the id of a smallest query that shows it. */
export class FailureTally {
  private readonly byReason = new Map<string, { count: number; example: CorpusQuery }>();

  add(reason: string, q: CorpusQuery): void {
    const cur = this.byReason.get(reason);
    if (!cur) this.byReason.set(reason, { count: 1, example: q });
    else {
      cur.count++;
      if (q.query.length < cur.example.query.length) cur.example = q;
    }
  }

  /** How many failures have a reason matching `pattern`. */
  count(pattern: RegExp): number {
    let n = 0;
    for (const [r, v] of this.byReason) if (pattern.test(r)) n += v.count;
    return n;
  }

  get total(): number {
    let n = 0;
    for (const v of this.byReason.values()) n += v.count;
    return n;
  }

  report(limit = 40): string {
    return [...this.byReason.entries()]
      .sort((a, b) => b[1].count - a[1].count)
      .slice(0, limit)
      .map(([r, v]) => `${String(v.count).padStart(5)}  ${r}\n       e.g. ${v.example.id} (${v.example.query.length} chars)`)
      .join('\n');
  }
}

export interface CorpusRun {
  total: number;
  ok: number;
  /** Errors while analysing and compiling (front end, IR, SQL generation). */
  compileFailures: FailureTally;
  /** Errors while DuckDB ran the SQL of a query that compiled. */
  runFailures: FailureTally;
}

/** Compiles and runs each query; a failure is counted by reason, never thrown. */
export async function runCorpus(
  engine: QueryEngine,
  queries: CorpusQuery[],
  options: { now?: Date; timeoutMs?: number; onSlow?: (q: CorpusQuery, ms: number) => void } = {},
): Promise<CorpusRun> {
  const run: CorpusRun = { total: queries.length, ok: 0, compileFailures: new FailureTally(), runFailures: new FailureTally() };
  for (const q of queries) {
    const started = performance.now();
    // query() rather than prepare(): data-dependent operators (bag_unpack, pivot) compile in two phases.
    try {
      await engine.query(q.query, { now: options.now, timeoutMs: options.timeoutMs ?? 10_000 });
      run.ok++;
    } catch (err) {
      (isRunTimeFailure(err) ? run.runFailures : run.compileFailures).add(failureReason(err), q);
    }
    const ms = performance.now() - started;
    if (ms > 1000) options.onSlow?.(q, ms);
  }
  return run;
}

/** A failure while DuckDB ran the SQL (rather than while analysing or compiling the query). */
export function isRunTimeFailure(err: unknown): boolean {
  return err instanceof KqlError && (err.kind === 'runtime' || err.kind === 'timeout' || err.kind === 'cancelled');
}

/** Every n-th query: a deterministic sample spread over all repositories. */
export function everyNth<T>(xs: T[], n: number): T[] {
  return xs.filter((_, i) => i % n === 0);
}

/** externaldata over http(s), which an engine does not do unless the workspace allows it. */
export const NEEDS_NETWORK = /needs network access/;

/**
 * The corpus runs on empty tables, and its remote externaldata sources (threat feeds, lists on
 * GitHub) are empty too: every URL is allowed and "fetched" as an empty local file, since the
 * machine has no network. `urls` records what the queries asked for.
 */
export function offlineRemoteData(): RemoteDataPolicy & { urls: Set<string> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'quarry-corpus-remote-'));
  const empty = path.join(dir, 'empty');
  writeFileSync(empty, '');
  const urls = new Set<string>();
  return { allow: ['*'], urls, fetch: async (url) => { urls.add(url); return empty; } };
}

export function summary(name: string, run: CorpusRun): string {
  const pct = (k: number) => `${((100 * k) / run.total).toFixed(1)}%`;
  return [
    `${name}: ${run.ok}/${run.total} ran (${pct(run.ok)}); ${run.compileFailures.total} failed to compile (${pct(run.compileFailures.total)}), ${run.runFailures.total} failed at run time (${pct(run.runFailures.total)})`,
    '-- compile failures by reason',
    run.compileFailures.report(),
    '-- run-time failures by reason',
    run.runFailures.report(),
  ].join('\n');
}
