import type { QueryOptions, QueryResult } from '../engine/result.js';
import { evaluateRule, type RuleWindow } from './evaluate.js';
import { IncidentBook } from './incidents/book.js';
import type { AnalyticsRule } from './rules/rule.js';
import type { DetectionStore, RuleRunRecord, RunMode, RunOutcome } from './store.js';

/** What a recorded run needs from the engine: queries (the rule) — writes go through the store. */
export interface RunEngine {
  query(text: string, options?: QueryOptions): Promise<QueryResult>;
}

export interface RunReport {
  ruleId: string;
  ruleName: string;
  mode: RunMode;
  window: RuleWindow;
  startedAt: Date;
  outcome: RunOutcome;
  resultCount: number;
  alertCount: number;
  incidents: number[];
  durationMs: number;
  error: string;
}

/** Sentinel stops a rule's query after 10 minutes. */
export const DEFAULT_RULE_TIMEOUT_MS = 10 * 60_000;

/**
 * Runs a rule over a window and records it: alerts and incidents (one transaction with the run
 * history row), or the error. A failing query is recorded as Failed and never thrown, so one bad
 * rule cannot stop the others. A suppressed rule (it fired less than suppressionDuration before
 * the window's end) is recorded as Suppressed without running.
 */
export class RuleRunner {
  constructor(
    private readonly engine: RunEngine,
    private readonly store: DetectionStore,
    private readonly options: { timeoutMs?: number } = {},
  ) {}

  /** `at`: when the alerts and incidents are created (the wall clock, or the window's end in a replay). */
  async run(rule: AnalyticsRule, window: RuleWindow, mode: RunMode, at: Date): Promise<RunReport> {
    const report = await this.runQuietly(rule, window, mode, at);
    if (report.outcome !== 'Fired') await this.record(rule, report);
    return report;
  }

  /**
   * run(), writing the run history row only when the rule fired (with its alerts, in one
   * transaction); the caller records the other outcomes (NRT merges its quiet windows).
   */
  async runQuietly(rule: AnalyticsRule, window: RuleWindow, mode: RunMode, at: Date): Promise<RunReport> {
    const startedAt = new Date();
    const t0 = performance.now();
    const report = (outcome: RunOutcome, resultCount = 0, alertCount = 0, error = '', incidents: number[] = []): RunReport => ({
      ruleId: rule.id, ruleName: rule.name, mode, window, startedAt, outcome, resultCount, alertCount, incidents, durationMs: performance.now() - t0, error,
    });
    if (rule.suppressionEnabled) {
      const fired = await this.store.session((s) => s.lastFiredAt(rule.id));
      if (fired && fired.getTime() < window.end.getTime() && window.end.getTime() - fired.getTime() < rule.suppressionDurationMs) {
        return report('Suppressed');
      }
    }
    let evaluation;
    try {
      evaluation = await evaluateRule(this.engine, rule, window, { timeoutMs: this.options.timeoutMs ?? DEFAULT_RULE_TIMEOUT_MS, eventTime: mode === 'replay' });
    } catch (err) {
      return report('Failed', 0, 0, err instanceof Error ? err.message : String(err));
    }
    if (!evaluation.triggered) return report('Quiet', evaluation.resultCount);
    const fired = report('Fired', evaluation.resultCount, evaluation.alerts.length);
    fired.incidents = await this.store.session(async (s) => {
      const touched = await new IncidentBook(s).raise(rule, evaluation.alerts, at);
      await s.recordRun(runRecord(rule, fired));
      return touched;
    }, { transaction: true });
    return fired;
  }

  /** Writes the run history row of a run that runQuietly() did not record. */
  async record(rule: AnalyticsRule, report: RunReport): Promise<void> {
    await this.store.session((s) => s.recordRun(runRecord(rule, report)));
  }
}

function runRecord(rule: AnalyticsRule, r: RunReport): RuleRunRecord {
  return {
    startedAt: r.startedAt, ruleId: rule.id, ruleName: rule.name, kind: rule.kind, mode: r.mode, windowStart: r.window.start, windowEnd: r.window.end,
    durationMs: r.durationMs, resultCount: r.resultCount, alertCount: r.alertCount, outcome: r.outcome, error: r.error,
  };
}
