import { randomUUID } from 'node:crypto';
import type { AnalyticsRule } from '../rules/rule.js';
import { TACTICS } from '../rules/entities.js';
import type { AlertDraft } from './alert.js';
import { mergeEntities, rowEntities } from './entities.js';
import { fillTemplate, valueText } from './template.js';

/** Sentinel raises at most this many alerts per run; past it, the last alert holds all remaining events. */
export const MAX_ALERTS_PER_RUN = 150;

export type ResultRow = Record<string, unknown>;

/** Whether a run with `count` result rows fires the rule (triggerOperator against triggerThreshold). */
export function triggers(rule: AnalyticsRule, count: number): boolean {
  const t = rule.triggerThreshold;
  switch (rule.triggerOperator) {
    case 'gt': return count > t;
    case 'lt': return count < t;
    case 'eq': return count === t;
    case 'ne': return count !== t;
  }
}

/**
 * The alerts of a run that triggered: one for all rows (SingleAlert), or one per row
 * (AlertPerResult) — at most 150, the 150th summarising the rows beyond the first 149.
 */
export function buildAlerts(rule: AnalyticsRule, rows: readonly ResultRow[], window: { start: Date; end: Date }): AlertDraft[] {
  if (rule.eventGrouping === 'SingleAlert' || rows.length === 0) return [alertOf(rule, rows, rows.length, window)];
  if (rows.length <= MAX_ALERTS_PER_RUN) return rows.map((r) => alertOf(rule, [r], rows.length, window));
  const each = rows.slice(0, MAX_ALERTS_PER_RUN - 1).map((r) => alertOf(rule, [r], rows.length, window));
  return [...each, alertOf(rule, rows.slice(MAX_ALERTS_PER_RUN - 1), rows.length, window)];
}

function alertOf(rule: AnalyticsRule, rows: readonly ResultRow[], resultCount: number, window: { start: Date; end: Date }): AlertDraft {
  const first = rows[0] ?? {};
  const o = rule.alertDetailsOverride;
  const displayName = o?.alertDisplayNameFormat ? fillTemplate(o.alertDisplayNameFormat, first) : rule.name;
  const description = o?.alertDescriptionFormat ? fillTemplate(o.alertDescriptionFormat, first) : rule.description;
  const severity = severityOverride(o?.alertSeverityColumnName ? first[o.alertSeverityColumnName] : undefined) ?? rule.severity;
  const tactics = tacticsOverride(o?.alertTacticsColumnName ? first[o.alertTacticsColumnName] : undefined) ?? rule.tactics;
  const dynamicProperties: Record<string, string> = {};
  for (const p of o?.alertDynamicProperties ?? []) dynamicProperties[p.alertProperty] = valueText(first[p.value]);

  const customDetails: Record<string, unknown[]> = {};
  for (const [key, column] of Object.entries(rule.customDetails)) {
    const seen = new Set<string>();
    const values: unknown[] = [];
    for (const r of rows) {
      const v = r[column];
      const k = JSON.stringify(v ?? null);
      if (v === null || v === undefined || v === '' || seen.has(k)) continue;
      seen.add(k);
      values.push(v);
    }
    customDetails[key] = values;
  }

  const times = rows.map((r) => r['TimeGenerated']).filter((v): v is string => typeof v === 'string').map((s) => Date.parse(s)).filter(Number.isFinite);
  const startTime = times.length ? new Date(Math.min(...times)) : window.start;
  const endTime = times.length ? new Date(Math.max(...times)) : window.end;
  return {
    systemAlertId: randomUUID(),
    ruleId: rule.id,
    ruleName: rule.name,
    displayName,
    description,
    severity,
    tactics,
    techniques: rule.relevantTechniques.map((t) => t.split('.')[0]!).filter((t, i, a) => a.indexOf(t) === i),
    subTechniques: rule.relevantTechniques.filter((t) => t.includes('.')),
    startTime,
    endTime,
    entities: mergeEntities(rows.map((r) => rowEntities(rule.entityMappings, r))),
    customDetails,
    dynamicProperties,
    events: [...rows],
    windowStart: window.start,
    windowEnd: window.end,
    resultCount,
    eventGrouping: rule.eventGrouping,
  };
}

const SEVERITIES = ['Informational', 'Low', 'Medium', 'High'];

function severityOverride(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  return SEVERITIES.find((s) => s.toLowerCase() === v.trim().toLowerCase());
}

/** Tactics from a column: a comma-separated string or an array; only Sentinel's tactic names count. */
function tacticsOverride(v: unknown): string[] | undefined {
  const items = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',') : [];
  const known = items.map((t) => t.trim()).filter((t) => (TACTICS as readonly string[]).includes(t));
  return known.length ? known : undefined;
}
