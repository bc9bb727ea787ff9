import { ENTITY_JSON_TYPE, entityKey, type AlertEntity } from '../alerts/entities.js';
import type { AnalyticsRule } from '../rules/rule.js';

/** Sentinel puts at most this many alerts in one incident; a full incident takes no more. */
export const MAX_ALERTS_PER_INCIDENT = 150;

/** What grouping compares between a new alert and an incident's first alert. */
export interface AlertSignature {
  entities: readonly AlertEntity[];
  displayName: string;
  severity: string;
  customDetails: Readonly<Record<string, unknown[]>>;
}

/** An incident of the same rule that the alert might join. */
export interface GroupCandidate {
  incidentNumber: number;
  status: string;
  createdTime: Date;
  alertCount: number;
  firstAlert: AlertSignature;
}

export type GroupDecision = { kind: 'new' } | { kind: 'add'; incidentNumber: number; reopen: boolean };

function entitySet(entities: readonly AlertEntity[], types?: readonly string[]): string {
  const wanted = types && new Set(types.map((t) => ENTITY_JSON_TYPE[t] ?? t.toLowerCase()));
  return JSON.stringify(entities.filter((e) => !wanted || wanted.has(e.Type)).map(entityKey).sort());
}

/** Whether the alert matches an incident's first alert as the rule's matching method says. */
export function matches(rule: AnalyticsRule, alert: AlertSignature, first: AlertSignature): boolean {
  const g = rule.incident.grouping;
  switch (g.matchingMethod) {
    case 'AnyAlert':
      return true;
    case 'AllEntities':
      return entitySet(alert.entities) === entitySet(first.entities);
    case 'Selected': {
      if (g.groupByEntities.length && entitySet(alert.entities, g.groupByEntities) !== entitySet(first.entities, g.groupByEntities)) return false;
      if (g.groupByAlertDetails.includes('DisplayName') && alert.displayName !== first.displayName) return false;
      if (g.groupByAlertDetails.includes('Severity') && alert.severity !== first.severity) return false;
      return g.groupByCustomDetails.every((k) => JSON.stringify(alert.customDetails[k] ?? []) === JSON.stringify(first.customDetails[k] ?? []));
    }
  }
}

/**
 * Sentinel's alert grouping: with grouping on, an alert joins the newest incident of the same
 * rule created within the lookback whose first alert it matches, if that incident is open, or
 * closed with reopenClosedIncident set (which reopens it), and has fewer than 150 alerts.
 * Otherwise the alert gets a new incident.
 */
export function groupAlert(rule: AnalyticsRule, alert: AlertSignature, at: Date, candidates: readonly GroupCandidate[]): GroupDecision {
  const g = rule.incident.grouping;
  if (!g.enabled) return { kind: 'new' };
  const since = at.getTime() - g.lookbackMs;
  const inLookback = candidates
    .filter((c) => c.createdTime.getTime() >= since)
    .sort((a, b) => b.createdTime.getTime() - a.createdTime.getTime() || b.incidentNumber - a.incidentNumber);
  for (const c of inLookback) {
    if (!matches(rule, alert, c.firstAlert)) continue;
    // The newest matching incident decides: full, or closed without reopening, means a new one.
    if (c.alertCount >= MAX_ALERTS_PER_INCIDENT) return { kind: 'new' };
    if (c.status === 'Closed') return g.reopenClosedIncident ? { kind: 'add', incidentNumber: c.incidentNumber, reopen: true } : { kind: 'new' };
    return { kind: 'add', incidentNumber: c.incidentNumber, reopen: false };
  }
  return { kind: 'new' };
}
