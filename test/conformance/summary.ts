/** Scores of a conformance run and its failures grouped by reason, for people to read. */
import type { CaseOutcome } from './run-cases.js';

/** Share of core cases that must pass (issue #2). */
export const CORE_TARGET = 0.9;

export interface Scores {
  passed: number;
  total: number;
  corePassed: number;
  coreTotal: number;
}

export function scores(outcomes: readonly CaseOutcome[]): Scores {
  const core = outcomes.filter((o) => o.core);
  return {
    passed: outcomes.filter((o) => o.passed).length,
    total: outcomes.length,
    corePassed: core.filter((o) => o.passed).length,
    coreTotal: core.length,
  };
}

const percent = (n: number, of: number) => `${of ? ((100 * n) / of).toFixed(1) : '0.0'}%`;

export function scoreLines(s: Scores): string[] {
  const coreShare = s.coreTotal ? s.corePassed / s.coreTotal : 0;
  return [
    `kql-docs: ${s.passed} passed, ${s.total - s.passed} failed of ${s.total} (overall ${percent(s.passed, s.total)})`,
    `core subset: ${s.corePassed} of ${s.coreTotal} (${percent(s.corePassed, s.coreTotal)})`,
    `core target: ${coreShare >= CORE_TARGET ? 'met' : 'NOT met'} (needs ≥ ${CORE_TARGET * 100}% of core cases)`,
  ];
}

export interface ReasonGroup {
  reason: string;
  count: number;
  ids: string[];
}

/** Failures grouped by the gist of their reason, largest group first. */
export function groupFailures(outcomes: readonly CaseOutcome[]): ReasonGroup[] {
  const groups = new Map<string, ReasonGroup>();
  for (const o of outcomes) {
    if (o.passed) continue;
    const reason = gist(o.why ?? '');
    const g = groups.get(reason) ?? { reason, count: 0, ids: [] };
    g.count++;
    g.ids.push(o.id);
    groups.set(reason, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

/** A reason without its case-specific details (values, names, positions). */
export function gist(why: string): string {
  if (/^row \d+ differs/.test(why)) return 'wrong values (ordered rows)';
  if (why.startsWith('no matching row')) return 'wrong values (unordered rows)';
  if (/^expected \d+ rows, got \d+/.test(why)) return 'wrong number of rows';
  if (why.startsWith('columns differ')) return 'wrong columns';
  return why
    .replace(/'[^']*'|"[^"]*"|`[^`]*`/g, '…')
    .replace(/\b\d+(\.\d+)?\b/g, 'N')
    .slice(0, 120);
}

export function failureReport(outcomes: readonly CaseOutcome[], top = 15): string[] {
  return groupFailures(outcomes)
    .slice(0, top)
    .map((g) => `${String(g.count).padStart(4)}  ${g.reason}  (e.g. ${g.ids[0]})`);
}
