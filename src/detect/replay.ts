import { replayWindows } from './evaluate.js';
import type { AnalyticsRule } from './rules/rule.js';
import type { RunReport, RuleRunner } from './runner.js';
import type { DetectionStore } from './store.js';

/**
 * Replays rules' schedules over a past period, window by window, creating alerts and incidents
 * as the scheduler would have (each at its window's end). A window already replayed is skipped,
 * so sweeping the same period twice raises nothing twice.
 */
export async function replayRules(
  rules: readonly AnalyticsRule[],
  runner: RuleRunner,
  store: DetectionStore,
  from: Date,
  to: Date,
  onRun?: (report: RunReport) => void,
): Promise<RunReport[]> {
  const reports: RunReport[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    for (const window of replayWindows(rule, from, to)) {
      if (await store.session((s) => s.hasRun(rule.id, window.end, ['replay']))) continue;
      const report = await runner.run(rule, window, 'replay', window.end);
      onRun?.(report);
      reports.push(report);
    }
  }
  return reports;
}
