import { randomUUID } from 'node:crypto';
import type { AlertDraft } from '../alerts/alert.js';
import { alertRow } from '../alerts/row.js';
import type { AlertEntity } from '../alerts/entities.js';
import type { AnalyticsRule } from '../rules/rule.js';
import { ALERT_EVENTS_TABLE, ALERT_TABLE, AUDIT_TABLE, INCIDENT_TABLE, MAX_EVENTS_PER_ALERT, type Row, type StoreSession } from '../store.js';
import { groupAlert, type AlertSignature, type GroupCandidate } from './grouping.js';

export const INCIDENT_STATUSES = ['New', 'Active', 'Closed'] as const;
export const SEVERITIES = ['Informational', 'Low', 'Medium', 'High'] as const;
/** Sentinel's classifications on closing, with the reasons each allows. */
export const CLASSIFICATION_REASONS: Record<string, readonly string[]> = {
  Undetermined: [],
  TruePositive: ['SuspiciousActivity'],
  BenignPositive: ['SuspiciousButExpected'],
  FalsePositive: ['IncorrectAlertLogic', 'InaccurateData'],
};

/** A change an analyst asks for (`quarry incidents update`, the HTTP API). */
export interface IncidentChange {
  status?: string;
  owner?: string;
  severity?: string;
  classification?: string;
  classificationReason?: string;
  classificationComment?: string;
  addTags?: string[];
  removeTags?: string[];
}

export interface IncidentFilter {
  status?: string;
  severity?: string;
  owner?: string;
  ruleId?: string;
  /** Incidents created at or after this time. */
  since?: Date;
  limit?: number;
}

/** An incident with what is behind it. */
export interface IncidentDetails {
  incident: Row;
  alerts: Row[];
  entities: AlertEntity[];
  events: Array<Record<string, unknown>>;
  audit: Row[];
}

/** A mistake in a requested change: unknown incident, bad value, closing without a classification. */
export class IncidentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IncidentError';
  }
}

const ownerName = (owner: unknown): string => (owner && typeof owner === 'object' ? String((owner as Record<string, unknown>)['assignedTo'] ?? '') : '');
const labels = (row: Row): Array<{ labelName: string; labelType: string }> => (Array.isArray(row['Labels']) ? (row['Labels'] as Array<{ labelName: string; labelType: string }>) : []);

/**
 * Alerts into incidents, and the analyst's work on incidents, over one store session. Every
 * change appends a SecurityIncident row (the new state, as Sentinel does) and audit rows.
 */
export class IncidentBook {
  constructor(private readonly s: StoreSession) {}

  /**
   * Stores a run's alerts (SecurityAlert rows and their events) and puts each into an incident
   * as the rule's incident configuration says. Returns the incident numbers touched.
   */
  async raise(rule: AnalyticsRule, alerts: readonly AlertDraft[], at: Date): Promise<number[]> {
    const touched: number[] = [];
    for (const alert of alerts) {
      const createIncident = rule.incident.createIncident;
      const row = alertRow(alert, rule, at);
      row['IsIncident'] = false;
      await this.s.insert(ALERT_TABLE, row);
      await this.s.insert(ALERT_EVENTS_TABLE, {
        TimeGenerated: at, SystemAlertId: alert.systemAlertId, Events: alert.events.slice(0, MAX_EVENTS_PER_ALERT), EventCount: alert.events.length,
      });
      if (!createIncident) continue;
      const decision = groupAlert(rule, signature(alert), at, await this.candidates(rule, at));
      const n = decision.kind === 'new'
        ? await this.create(rule, alert, at)
        : await this.addAlert(decision.incidentNumber, alert, decision.reopen, at);
      if (!touched.includes(n)) touched.push(n);
    }
    return touched;
  }

  private async candidates(rule: AnalyticsRule, at: Date): Promise<GroupCandidate[]> {
    if (!rule.incident.grouping.enabled) return [];
    const since = new Date(at.getTime() - rule.incident.grouping.lookbackMs);
    const rows = await this.s.currentIncidents(
      `"CreatedTime" >= CAST($1 AS TIMESTAMP) AND list_contains(CAST("RelatedAnalyticRuleIds" AS VARCHAR[]), $2)`,
      [since.toISOString().replace('T', ' ').replace('Z', ''), rule.id],
    );
    const out: GroupCandidate[] = [];
    for (const r of rows) {
      const ids = (r['AlertIds'] as string[]) ?? [];
      const [first] = await this.s.select(ALERT_TABLE, '"SystemAlertId" = $1', [ids[0] ?? '']);
      if (!first) continue;
      out.push({
        incidentNumber: r['IncidentNumber'] as number,
        status: r['Status'] as string,
        createdTime: r['CreatedTime'] as Date,
        alertCount: ids.length,
        firstAlert: storedSignature(first),
      });
    }
    return out;
  }

  private async create(rule: AnalyticsRule, alert: AlertDraft, at: Date): Promise<number> {
    const n = await this.s.nextIncidentNumber();
    const row: Row = {
      TimeGenerated: at,
      IncidentName: randomUUID(),
      IncidentNumber: n,
      Title: alert.displayName,
      Description: alert.description,
      Severity: alert.severity,
      Status: 'New',
      Classification: '',
      ClassificationReason: '',
      ClassificationComment: '',
      Owner: { objectId: null, email: null, assignedTo: null, userPrincipalName: null },
      ProviderName: 'Azure Sentinel',
      ProviderIncidentId: String(n),
      FirstActivityTime: alert.startTime,
      LastActivityTime: alert.endTime,
      CreatedTime: at,
      FirstModifiedTime: at,
      LastModifiedTime: at,
      ClosedTime: null,
      AlertIds: [alert.systemAlertId],
      BookmarkIds: [],
      Comments: [],
      Labels: [],
      Tasks: [],
      RelatedAnalyticRuleIds: [rule.id],
      AdditionalData: additionalData([alert.systemAlertId], [], alert.tactics, alert.techniques),
      ModifiedBy: 'Quarry',
      IncidentUrl: '',
      TenantId: '',
      SourceSystem: 'Azure',
    };
    await this.s.insert(INCIDENT_TABLE, row);
    await this.s.audit(n, 'Quarry', 'created', 'AlertIds', '', alert.systemAlertId, at);
    return n;
  }

  private async addAlert(n: number, alert: AlertDraft, reopen: boolean, at: Date): Promise<number> {
    const current = await this.current(n);
    const next: Row = { ...current, TimeGenerated: at, LastModifiedTime: at, ModifiedBy: 'Quarry' };
    const ids = [...((current['AlertIds'] as string[]) ?? []), alert.systemAlertId];
    next['AlertIds'] = ids;
    const first = current['FirstActivityTime'] as Date | null;
    const last = current['LastActivityTime'] as Date | null;
    if (!first || alert.startTime < first) next['FirstActivityTime'] = alert.startTime;
    if (!last || alert.endTime > last) next['LastActivityTime'] = alert.endTime;
    const data = (current['AdditionalData'] ?? {}) as { tactics?: string[]; techniques?: string[] };
    next['AdditionalData'] = additionalData(ids, (current['Comments'] as unknown[]) ?? [], union(data.tactics, alert.tactics), union(data.techniques, alert.techniques));
    await this.s.audit(n, 'Quarry', 'alert-added', 'AlertIds', '', alert.systemAlertId, at);
    if (reopen) {
      next['Status'] = 'Active';
      next['ClosedTime'] = null;
      next['Classification'] = '';
      next['ClassificationReason'] = '';
      next['ClassificationComment'] = '';
      await this.s.audit(n, 'Quarry', 'reopened', 'Status', 'Closed', 'Active', at);
    }
    await this.s.insert(INCIDENT_TABLE, next);
    return n;
  }

  async current(n: number): Promise<Row> {
    const [row] = await this.s.currentIncidents('"IncidentNumber" = $1', [n]);
    if (!row) throw new IncidentError(`there is no incident ${n}`);
    return row;
  }

  async list(filter: IncidentFilter = {}): Promise<Row[]> {
    const where: string[] = [];
    const params: Array<string | number> = [];
    const add = (sql: string, v: string | number) => { params.push(v); where.push(sql.replace('?', `$${params.length}`)); };
    if (filter.status) add('lower("Status") = lower(?)', filter.status);
    if (filter.severity) add('lower("Severity") = lower(?)', filter.severity);
    if (filter.owner) add(`lower(coalesce(json_extract_string("Owner", '$.assignedTo'), '')) = lower(?)`, filter.owner);
    if (filter.ruleId) add('list_contains(CAST("RelatedAnalyticRuleIds" AS VARCHAR[]), ?)', filter.ruleId);
    if (filter.since) add('"CreatedTime" >= CAST(? AS TIMESTAMP)', filter.since.toISOString().replace('T', ' ').replace('Z', ''));
    const rows = await this.s.currentIncidents(where.join(' AND ') || 'true', params);
    return filter.limit ? rows.slice(-filter.limit) : rows;
  }

  async details(n: number): Promise<IncidentDetails> {
    const incident = await this.current(n);
    const ids = (incident['AlertIds'] as string[]) ?? [];
    const alerts: Row[] = [];
    const events: Array<Record<string, unknown>> = [];
    const entities = new Map<string, AlertEntity>();
    for (const id of ids) {
      const [alert] = await this.s.select(ALERT_TABLE, '"SystemAlertId" = $1', [id]);
      if (!alert) continue;
      alerts.push(alert);
      for (const e of parseEntities(alert)) entities.set(JSON.stringify(e), e);
      const [ev] = await this.s.select(ALERT_EVENTS_TABLE, '"SystemAlertId" = $1', [id]);
      if (ev && Array.isArray(ev['Events'])) events.push(...(ev['Events'] as Array<Record<string, unknown>>));
    }
    const audit = await this.s.select(AUDIT_TABLE, '"IncidentNumber" = $1', [n], 'ORDER BY rowid');
    return { incident, alerts, entities: [...entities.values()], events, audit };
  }

  /** Applies an analyst's change; closing needs a classification (and a reason that fits it). */
  async update(n: number, change: IncidentChange, actor: string, at = new Date()): Promise<Row> {
    const current = await this.current(n);
    const next: Row = { ...current };
    const changes: Array<[string, string, string]> = [];
    const set = (field: string, value: unknown, shown: string, before: string) => {
      if (shown === before) return;
      next[field] = value;
      changes.push([field, before, shown]);
    };
    if (change.status !== undefined) {
      const status = pick(INCIDENT_STATUSES, change.status, 'status');
      set('Status', status, status, String(current['Status']));
      if (status === 'Closed' && current['Status'] !== 'Closed') next['ClosedTime'] = at;
      if (status !== 'Closed') next['ClosedTime'] = null;
    }
    if (change.severity !== undefined) {
      const severity = pick(SEVERITIES, change.severity, 'severity');
      set('Severity', severity, severity, String(current['Severity']));
    }
    if (change.owner !== undefined) {
      const owner = change.owner.trim();
      set('Owner', { objectId: null, email: owner.includes('@') ? owner : null, assignedTo: owner || null, userPrincipalName: owner.includes('@') ? owner : null }, owner, ownerName(current['Owner']));
    }
    if (change.classification !== undefined) {
      const c = pick(Object.keys(CLASSIFICATION_REASONS), change.classification, 'classification');
      set('Classification', c, c, String(current['Classification'] ?? ''));
    }
    if (change.classificationReason !== undefined) {
      set('ClassificationReason', change.classificationReason, change.classificationReason, String(current['ClassificationReason'] ?? ''));
    }
    if (change.classificationComment !== undefined) {
      set('ClassificationComment', change.classificationComment, change.classificationComment, String(current['ClassificationComment'] ?? ''));
    }
    if (change.addTags?.length || change.removeTags?.length) {
      const before = labels(current).map((l) => l.labelName);
      const after = [...new Set([...before.filter((t) => !(change.removeTags ?? []).includes(t)), ...(change.addTags ?? [])])];
      set('Labels', after.map((labelName) => ({ labelName, labelType: 'User' })), after.join(', '), before.join(', '));
    }
    if (next['Status'] === 'Closed') {
      const classification = String(next['Classification'] ?? '');
      if (!classification) throw new IncidentError(`closing incident ${n} needs a classification (${Object.keys(CLASSIFICATION_REASONS).join(', ')})`);
      const reasons = CLASSIFICATION_REASONS[classification]!;
      const reason = String(next['ClassificationReason'] ?? '');
      if (reasons.length && !reasons.includes(reason)) {
        throw new IncidentError(`classification ${classification} needs a reason: ${reasons.join(' or ')}`);
      }
      if (!reasons.length && reason) throw new IncidentError(`classification ${classification} takes no reason`);
    }
    if (!changes.length) return current;
    Object.assign(next, { TimeGenerated: at, LastModifiedTime: at, ModifiedBy: actor });
    await this.s.insert(INCIDENT_TABLE, next);
    for (const [field, before, after] of changes) await this.s.audit(n, actor, 'updated', field, before, after, at);
    return next;
  }

  async comment(n: number, message: string, actor: string, at = new Date()): Promise<Row> {
    if (!message.trim()) throw new IncidentError('the comment is empty');
    const current = await this.current(n);
    const comments = [...((current['Comments'] as unknown[]) ?? []), { message, createdTimeUtc: at.toISOString(), author: { name: actor } }];
    const data = (current['AdditionalData'] ?? {}) as { tactics?: string[]; techniques?: string[] };
    const next: Row = {
      ...current, TimeGenerated: at, LastModifiedTime: at, ModifiedBy: actor, Comments: comments,
      AdditionalData: additionalData((current['AlertIds'] as string[]) ?? [], comments, data.tactics ?? [], data.techniques ?? []),
    };
    await this.s.insert(INCIDENT_TABLE, next);
    await this.s.audit(n, actor, 'commented', 'Comments', '', message, at);
    return next;
  }
}

function pick(allowed: readonly string[], value: string, what: string): string {
  const found = allowed.find((a) => a.toLowerCase() === value.trim().toLowerCase());
  if (!found) throw new IncidentError(`"${value}" is not a ${what} (${allowed.join(', ')})`);
  return found;
}

function union(a: readonly string[] | undefined, b: readonly string[]): string[] {
  return [...new Set([...(a ?? []), ...b])];
}

function additionalData(alertIds: readonly string[], comments: readonly unknown[], tactics: readonly string[], techniques: readonly string[]): Record<string, unknown> {
  return { alertsCount: alertIds.length, bookmarksCount: 0, commentsCount: comments.length, alertProductNames: ['Azure Sentinel'], tactics, techniques };
}

function signature(alert: AlertDraft): AlertSignature {
  return { entities: alert.entities, displayName: alert.displayName, severity: alert.severity, customDetails: alert.customDetails };
}

function parseEntities(alert: Row): AlertEntity[] {
  try {
    const list = JSON.parse(String(alert['Entities'] || '[]')) as Array<Record<string, string>>;
    return list.map(({ $id: _id, ...rest }) => rest as AlertEntity);
  } catch {
    return [];
  }
}

function storedSignature(alert: Row): AlertSignature {
  let customDetails: Record<string, unknown[]> = {};
  try {
    const ext = JSON.parse(String(alert['ExtendedProperties'] || '{}')) as Record<string, string>;
    if (ext['Custom Details']) customDetails = JSON.parse(ext['Custom Details']) as Record<string, unknown[]>;
  } catch { /* an alert written by something else: no custom details */ }
  return { entities: parseEntities(alert), displayName: String(alert['DisplayName']), severity: String(alert['AlertSeverity']), customDetails };
}
