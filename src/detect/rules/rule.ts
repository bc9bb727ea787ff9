/** A Sentinel analytics rule as Quarry runs it: the YAML's fields, durations in milliseconds. */

export type RuleKind = 'Scheduled' | 'NRT';
export type Severity = 'Informational' | 'Low' | 'Medium' | 'High';
export type TriggerOperator = 'gt' | 'lt' | 'eq' | 'ne';
export type AggregationKind = 'SingleAlert' | 'AlertPerResult';
export type MatchingMethod = 'AllEntities' | 'AnyAlert' | 'Selected';

export interface FieldMapping {
  identifier: string;
  columnName: string;
}

export interface EntityMapping {
  entityType: string;
  fieldMappings: FieldMapping[];
}

export interface AlertDetailsOverride {
  alertDisplayNameFormat?: string;
  alertDescriptionFormat?: string;
  alertTacticsColumnName?: string;
  alertSeverityColumnName?: string;
  alertDynamicProperties?: Array<{ alertProperty: string; value: string }>;
}

export interface GroupingConfiguration {
  enabled: boolean;
  reopenClosedIncident: boolean;
  lookbackMs: number;
  matchingMethod: MatchingMethod;
  groupByEntities: string[];
  groupByAlertDetails: string[];
  groupByCustomDetails: string[];
}

export interface IncidentConfiguration {
  createIncident: boolean;
  grouping: GroupingConfiguration;
}

export interface AnalyticsRule {
  /** The file it was read from (absolute or as given). */
  file: string;
  id: string;
  name: string;
  description: string;
  severity: Severity;
  kind: RuleKind;
  /** Quarry's switch (Sentinel's `enabled`); template files omit it and are enabled. */
  enabled: boolean;
  queryFrequencyMs: number;
  queryPeriodMs: number;
  triggerOperator: TriggerOperator;
  triggerThreshold: number;
  tactics: string[];
  relevantTechniques: string[];
  query: string;
  /** 1-based YAML line of the query's first line, to place query diagnostics in the file. */
  queryLine: number;
  entityMappings: EntityMapping[];
  customDetails: Record<string, string>;
  alertDetailsOverride?: AlertDetailsOverride;
  eventGrouping: AggregationKind;
  incident: IncidentConfiguration;
  suppressionEnabled: boolean;
  suppressionDurationMs: number;
  version?: string;
}

/** One problem with a rule file: where it is (field path and YAML line) and why. */
export interface RuleIssue {
  field: string;
  line?: number;
  message: string;
  /** For query problems: what is missing (`table`, `column`, `function`), or `syntax`/`other`. */
  reason?: string;
}

/** NRT rules run every minute over what arrived since the last run (Sentinel's fixed schedule). */
export const NRT_FREQUENCY_MS = 60_000;
