import type { AnalyticsRule } from '../rules/rule.js';
import { formatDuration } from '../rules/duration.js';
import type { Row } from '../store.js';
import type { AlertDraft } from './alert.js';

const OPERATOR_NAMES = { gt: 'GreaterThan', lt: 'LessThan', eq: 'Equal', ne: 'NotEqual' } as const;

/** Sentinel's `d.hh:mm:ss` text of a duration (ExtendedProperties' Query Period). */
function timespanText(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const hh = String(Math.floor((s % 86400) / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${d ? `${d}.` : ''}${hh}:${mm}:${ss}`;
}

/** The entity most affected: the first host, else the first account (Sentinel's CompromisedEntity). */
function compromisedEntity(alert: AlertDraft): string {
  const host = alert.entities.find((e) => e.Type === 'host');
  if (host) return host['HostName'] ?? host['NetBiosName'] ?? '';
  const account = alert.entities.find((e) => e.Type === 'account');
  return account ? account['Name'] ?? account['AadUserId'] ?? '' : '';
}

/** The SecurityAlert row of an alert, with Sentinel's column values for scheduled-rule alerts. */
export function alertRow(alert: AlertDraft, rule: AnalyticsRule, processedAt: Date): Row {
  const extended: Record<string, string> = {
    'Query': rule.query,
    'Query Period': timespanText(rule.queryPeriodMs),
    'Trigger Operator': OPERATOR_NAMES[rule.triggerOperator],
    'Trigger Threshold': String(rule.triggerThreshold),
    'Search Query Results Overall Count': String(alert.resultCount),
    'Query Start Time UTC': alert.windowStart.toISOString(),
    'Query End Time UTC': alert.windowEnd.toISOString(),
    'Analytic Rule Ids': JSON.stringify([rule.id]),
    'Analytic Rule Name': rule.name,
    'Event Grouping': alert.eventGrouping,
    'Frequency': formatDuration(rule.queryFrequencyMs),
    'ProcessedBySentinel': 'True',
    'Alert generation status': 'Full alert created',
  };
  if (Object.keys(alert.customDetails).length) extended['Custom Details'] = JSON.stringify(alert.customDetails);
  const d = alert.dynamicProperties;
  return {
    TimeGenerated: processedAt,
    AlertName: alert.displayName,
    DisplayName: alert.displayName,
    AlertSeverity: alert.severity,
    Description: alert.description,
    ProviderName: 'ASI Scheduled Alerts',
    VendorName: 'Microsoft',
    ProductName: d['ProductName'] ?? 'Azure Sentinel',
    ProductComponentName: d['ProductComponentName'] ?? (rule.kind === 'NRT' ? 'NRT Alerts' : 'Scheduled Alerts'),
    AlertType: `Quarry_${rule.id}`,
    SystemAlertId: alert.systemAlertId,
    VendorOriginalId: alert.systemAlertId,
    ConfidenceLevel: d['ConfidenceLevel'] ?? '',
    ConfidenceScore: d['ConfidenceScore'] !== undefined && d['ConfidenceScore'] !== '' ? Number(d['ConfidenceScore']) : null,
    IsIncident: false,
    StartTime: alert.startTime,
    EndTime: alert.endTime,
    ProcessingEndTime: processedAt,
    RemediationSteps: d['RemediationSteps'] ?? '',
    ExtendedProperties: JSON.stringify(extended),
    Entities: JSON.stringify(alert.entities.map((e, i) => ({ $id: String(i + 2), ...e }))),
    ExtendedLinks: d['ExtendedLinks'] ?? '',
    AlertLink: d['AlertLink'] ?? '',
    Status: 'New',
    CompromisedEntity: compromisedEntity(alert),
    Tactics: alert.tactics.join(', '),
    Techniques: alert.techniques.length ? JSON.stringify(alert.techniques) : '',
    SubTechniques: alert.subTechniques.length ? JSON.stringify(alert.subTechniques) : '',
    ResourceId: '',
    SourceComputerId: '',
    WorkspaceSubscriptionId: '',
    WorkspaceResourceGroup: '',
  };
}
