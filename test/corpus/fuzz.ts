import type { QueryEngine } from '../../src/engine/engine.js';
import { KqlError } from '../../src/kql/diagnostics.js';
import { validQueries } from './corpus.js';
import { mutate, tokens } from './mutate.js';
import { seededRandom } from './sample-data.js';

/**
 * What happened to one mutated query. `rejected`: a KqlError before running (the right answer to
 * bad input); `ran`: compiled and ran on the empty tables; `runtime`: a KqlError from DuckDB that
 * is not about the SQL's syntax. The failures: `crash` (anything thrown that is not a KqlError)
 * and `sql-syntax` (DuckDB's Parser Error: the compiler wrote SQL that is not SQL), and
 * `sql-binder` (DuckDB's Binder Error: SQL whose names or types do not fit, also a compiler bug).
 */
export type FuzzOutcome = 'rejected' | 'ran' | 'runtime' | 'crash' | 'sql-syntax' | 'sql-binder' | 'timeout';

export const FAILURES: ReadonlySet<FuzzOutcome> = new Set(['crash', 'sql-syntax']);

export async function tryQuery(engine: QueryEngine, text: string): Promise<{ outcome: FuzzOutcome; message: string }> {
  // Compile first without data (as prepare() does for every query); data-dependent operators
  // (bag_unpack, pivot) ask for the two-phase compile of query(), which is not an error.
  try {
    engine.prepare(text);
  } catch (err) {
    if (!(err instanceof KqlError)) return { outcome: 'crash', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    if (!/learns its columns from the data/.test(err.message)) return { outcome: 'rejected', message: err.message };
  }
  try {
    await engine.query(text, { timeoutMs: 5000 });
    return { outcome: 'ran', message: '' };
  } catch (err) {
    if (!(err instanceof KqlError)) return { outcome: 'crash', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    if (err.kind === 'timeout') return { outcome: 'timeout', message: err.message };
    if (/Parser Error/.test(err.message)) return { outcome: 'sql-syntax', message: err.message };
    if (/Binder Error/.test(err.message)) return { outcome: 'sql-binder', message: err.message };
    return { outcome: 'runtime', message: err.message };
  }
}

/**
 * Shrinks a failing query while it still fails the same way: drops lines, then pipe steps,
 * then single tokens (greedy delta debugging, bounded).
 */
export async function minimise(engine: QueryEngine, text: string, outcome: FuzzOutcome, budget = 300): Promise<string> {
  let cur = text;
  const stillFails = async (t: string) => t.trim() !== '' && budget-- > 0 && (await tryQuery(engine, t)).outcome === outcome;
  for (const split of [(t: string) => t.split(/(?<=\n)/), (t: string) => t.split(/(?=\|)/), tokens]) {
    let parts = split(cur);
    for (let i = parts.length - 1; i >= 0 && budget > 0; i--) {
      const candidate = [...parts.slice(0, i), ...parts.slice(i + 1)].join('');
      if (await stillFails(candidate)) {
        cur = candidate;
        parts = split(cur);
        i = Math.min(i, parts.length);
      }
    }
  }
  return cur.replace(/\s+/g, ' ').trim();
}

export interface FuzzReport {
  mutations: number;
  counts: Record<FuzzOutcome, number>;
  failures: Array<{ outcome: FuzzOutcome; message: string; query: string }>;
}

/** Runs `count` mutations of corpus queries (seeded) and collects failures by message. */
export async function fuzz(engine: QueryEngine, count: number, seed: number, onProgress?: (done: number) => void): Promise<FuzzReport> {
  const random = seededRandom(seed);
  const corpus = validQueries().map((q) => q.query).filter((q) => q.length < 2000);
  const counts: Record<FuzzOutcome, number> = { rejected: 0, ran: 0, runtime: 0, crash: 0, 'sql-syntax': 0, 'sql-binder': 0, timeout: 0 };
  const failures: FuzzReport['failures'] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const base = corpus[Math.floor(random() * corpus.length)]!;
    const { text } = mutate(base, random);
    const r = await tryQuery(engine, text);
    counts[r.outcome]++;
    if (r.outcome === 'crash' || r.outcome === 'sql-syntax' || r.outcome === 'sql-binder') {
      const key = `${r.outcome} ${r.message.replace(/"[^"]*"|'[^']*'|\d+/g, '…').slice(0, 120)}`;
      if (!seen.has(key)) {
        seen.add(key);
        failures.push({ outcome: r.outcome, message: r.message.slice(0, 300), query: text });
      }
    }
    if (onProgress && (i + 1) % 500 === 0) onProgress(i + 1);
  }
  return { mutations: count, counts, failures };
}
