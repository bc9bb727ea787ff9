/**
 * Runs kql-docs cases through one in-process QueryEngine and compares each result with the
 * documented table. Also tells which cases are "core" (see core-language.ts).
 */
import { QueryEngine } from '../../src/engine/engine.js';
import { KqlError } from '../../src/kql/diagnostics.js';
import { KustoFrontend } from '../../src/kql/frontend/kusto-language.js';
import { languageInventory } from '../../src/kql/frontend/inventory.js';
import type { ConformanceCase } from './cases.js';
import { compareTables } from './compare.js';
import { outsideCore } from './core-language.js';

export interface CaseOutcome {
  id: string;
  passed: boolean;
  /** Why it failed: the engine's error or the comparator's mismatch. */
  why?: string;
  /** Every operator, function and statement it uses is in the core list. */
  core: boolean;
  /** What it uses beyond the core. */
  outsideCore: string[];
}

export interface RunOptions {
  /** Per-case limit, passed to the engine (which interrupts DuckDB). */
  timeoutMs?: number;
  onCase?: (outcome: CaseOutcome, index: number, total: number) => void;
}

/** Extra wait past the engine's own timeout before the harness gives up on a stuck query. */
const HANG_GRACE_MS = 5_000;

export async function runCases(cases: ConformanceCase[], options: RunOptions = {}): Promise<CaseOutcome[]> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const frontend = new KustoFrontend({ tableColumns: () => undefined, reachableTables: () => [] });
  let engine = await QueryEngine.open({ databasePath: ':memory:' });
  const outcomes: CaseOutcome[] = [];
  try {
    for (const [index, c] of cases.entries()) {
      const outside = outsideCore(languageInventory(frontend.analyze(c.query)));
      const result = await runOne(engine, c, timeoutMs);
      if (result.hung) {
        // The engine's queue is blocked behind the stuck query: carry on with a fresh engine.
        engine.cancel();
        engine = await QueryEngine.open({ databasePath: ':memory:' });
      }
      const outcome: CaseOutcome = { id: c.id, passed: result.passed, core: outside.length === 0, outsideCore: outside };
      if (result.why !== undefined) outcome.why = result.why;
      outcomes.push(outcome);
      options.onCase?.(outcome, index, cases.length);
    }
  } finally {
    await engine.close().catch(() => undefined);
  }
  return outcomes;
}

interface RunResult {
  passed: boolean;
  why?: string;
  hung?: boolean;
}

async function runOne(engine: QueryEngine, c: ConformanceCase, timeoutMs: number): Promise<RunResult> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), timeoutMs + HANG_GRACE_MS);
  });
  try {
    const result = await Promise.race([engine.query(c.query, { timeoutMs, noTruncate: true }), hang]);
    if (result === 'hung') return { passed: false, why: `timeout: no answer after ${(timeoutMs + HANG_GRACE_MS) / 1000} s`, hung: true };
    const comparison = compareTables({ ...c.expected, ordered: c.ordered }, result);
    return comparison.ok ? { passed: true } : { passed: false, why: comparison.why };
  } catch (err) {
    return { passed: false, why: describeError(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** `<kind>: <message>` for the engine's KqlErrors; anything else is an engine bug and says so. */
function describeError(err: unknown): string {
  if (err instanceof KqlError) return `${err.kind}: ${firstLine(err.message)}`;
  if (err instanceof Error) return `internal error (${err.name}): ${firstLine(err.message)}`;
  return `internal error: ${String(err)}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
