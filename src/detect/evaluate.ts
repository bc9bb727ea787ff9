import type { QueryOptions, QueryResult } from '../engine/result.js';
import type { AlertDraft } from './alerts/alert.js';
import { buildAlerts, triggers, type ResultRow } from './alerts/build.js';
import type { AnalyticsRule } from './rules/rule.js';

/** The column ingestion writes the arrival time to (src/ingest's TIME_RECEIVED; `ingestion_time()` reads it). */
export const INGESTION_TIME_COLUMN = '_TimeReceived';

/** What running a rule needs from the engine. */
export interface RuleQueryRunner {
  query(text: string, options?: QueryOptions): Promise<QueryResult>;
}

/** The period one run covers: event time for scheduled rules, ingestion time for NRT rules. */
export interface RuleWindow {
  start: Date;
  end: Date;
}

export interface RuleEvaluation {
  rule: AnalyticsRule;
  window: RuleWindow;
  resultCount: number;
  triggered: boolean;
  alerts: AlertDraft[];
  columns: QueryResult['columns'];
  rows: ResultRow[];
  truncated: boolean;
  elapsedMs: number;
}

/**
 * Runs a rule's query over one window and builds the alerts it would raise. Nothing is stored.
 * `now()`/`ago()` evaluate at the window's end, and the tables hold only the window's rows
 * (by TimeGenerated for scheduled rules — Log Analytics' query timespan — and by ingestion time
 * for NRT rules), so a replayed window sees what a run at that moment would have seen.
 */
export async function evaluateRule(
  engine: RuleQueryRunner,
  rule: AnalyticsRule,
  window: RuleWindow,
  /** eventTime: select an NRT rule's rows by TimeGenerated too (replays of past logs). */
  options: { timeoutMs?: number; eventTime?: boolean } = {},
): Promise<RuleEvaluation> {
  const started = performance.now();
  const result = await engine.query(rule.query, {
    now: window.end,
    timeRange: { from: window.start, to: window.end, column: rule.kind === 'NRT' && !options.eventTime ? INGESTION_TIME_COLUMN : 'TimeGenerated' },
    timeoutMs: options.timeoutMs,
  });
  const rows = result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c.name, r[i]])));
  const triggered = triggers(rule, rows.length);
  return {
    rule,
    window,
    resultCount: rows.length,
    triggered,
    alerts: triggered ? buildAlerts(rule, rows, window) : [],
    columns: result.columns,
    rows,
    truncated: result.truncated,
    elapsedMs: performance.now() - started,
  };
}

/** The window of a scheduled run ending at `end`: the rule's query period. */
export function scheduledWindow(rule: AnalyticsRule, end: Date): RuleWindow {
  return { start: new Date(end.getTime() - rule.queryPeriodMs), end };
}

/** NRT rules replayed over past logs run in windows of this size, by event time. */
export const NRT_REPLAY_WINDOW_MS = 60 * 60_000;

/**
 * The windows a replay of [from, to] runs, as the schedule would have: window ends on multiples
 * of the frequency (UTC epoch) from the first after `from` to the first at or after `to`.
 */
export function replayWindows(rule: AnalyticsRule, from: Date, to: Date): RuleWindow[] {
  const f = rule.kind === 'NRT' ? NRT_REPLAY_WINDOW_MS : rule.queryFrequencyMs;
  const period = rule.kind === 'NRT' ? NRT_REPLAY_WINDOW_MS : rule.queryPeriodMs;
  const windows: RuleWindow[] = [];
  for (let end = (Math.floor(from.getTime() / f) + 1) * f; end < to.getTime() + f; end += f) {
    windows.push({ start: new Date(end - period), end: new Date(end) });
  }
  return windows;
}
