import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { canonicalEntityType, canonicalIdentifier, ENTITY_IDENTIFIERS, TACTICS } from './entities.js';
import { DAY_MS, formatDuration, HOUR_MS, MINUTE_MS, parseDuration } from './duration.js';
import type { AggregationKind, AnalyticsRule, EntityMapping, MatchingMethod, RuleIssue, Severity, TriggerOperator } from './rule.js';
import { NRT_FREQUENCY_MS } from './rule.js';

/** Sentinel's limits on analytics rules (the portal and the API refuse rules beyond them). */
export const LIMITS = {
  frequencyMinMs: 5 * MINUTE_MS,
  frequencyMaxMs: 14 * DAY_MS,
  periodMinMs: 5 * MINUTE_MS,
  periodMaxMs: 14 * DAY_MS,
  thresholdMax: 10_000,
  customDetailsMax: 20,
  entityMappingsMax: 10,
  identifiersPerMappingMax: 3,
  suppressionMinMs: 5 * MINUTE_MS,
  suppressionMaxMs: 24 * HOUR_MS,
  groupingLookbackMinMs: 5 * MINUTE_MS,
  groupingLookbackMaxMs: 7 * DAY_MS,
} as const;

const SEVERITIES = ['Informational', 'Low', 'Medium', 'High'] as const;
const OPERATORS: Record<string, TriggerOperator> = {
  gt: 'gt', lt: 'lt', eq: 'eq', ne: 'ne',
  greaterthan: 'gt', lessthan: 'lt', equal: 'eq', notequal: 'ne',
};
const TECHNIQUE = /^T\d{4}(\.\d{3})?$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CUSTOM_DETAIL_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;

const str = z.string();
const optionalList = z.array(str).nullish();
// The shape of the YAML; loose, because rule files carry more fields (requiredDataConnectors,
// status, tags, metadata, …) that Quarry keeps no use for.
const ruleShape = z.looseObject({
  id: str,
  name: str.min(1),
  description: str.nullish(),
  severity: z.enum(SEVERITIES),
  kind: z.enum(['Scheduled', 'NRT']).nullish(),
  enabled: z.boolean().nullish(),
  queryFrequency: str.nullish(),
  queryPeriod: str.nullish(),
  triggerOperator: str.nullish(),
  triggerThreshold: z.number().int().nullish(),
  tactics: optionalList,
  relevantTechniques: optionalList,
  query: str.min(1),
  entityMappings: z.array(z.object({
    entityType: str,
    fieldMappings: z.array(z.object({ identifier: str, columnName: str })).min(1),
  })).nullish(),
  customDetails: z.record(str, str).nullish(),
  alertDetailsOverride: z.object({
    alertDisplayNameFormat: str.nullish(),
    alertDescriptionFormat: str.nullish(),
    alertTacticsColumnName: str.nullish(),
    alertSeverityColumnName: str.nullish(),
    alertDynamicProperties: z.array(z.object({ alertProperty: str, value: str })).nullish(),
  }).nullish(),
  eventGroupingSettings: z.object({ aggregationKind: z.enum(['SingleAlert', 'AlertPerResult']) }).nullish(),
  incidentConfiguration: z.object({
    createIncident: z.boolean().nullish(),
    groupingConfiguration: z.object({
      enabled: z.boolean().nullish(),
      reopenClosedIncident: z.boolean().nullish(),
      lookbackDuration: str.nullish(),
      matchingMethod: z.enum(['AllEntities', 'AnyAlert', 'Selected']).nullish(),
      groupByEntities: optionalList,
      groupByAlertDetails: optionalList,
      groupByCustomDetails: optionalList,
    }).nullish(),
  }).nullish(),
  suppressionEnabled: z.boolean().nullish(),
  suppressionDuration: str.nullish(),
  version: z.union([str, z.number()]).nullish(),
});

export interface LoadedRule {
  file: string;
  /** The rule, when its fields are valid (its query is checked separately, see compile.ts). */
  rule?: AnalyticsRule;
  /** The id as written, when there is one (for reports of invalid files). */
  id?: string;
  issues: RuleIssue[];
}

/** Reads and checks one rule file's fields against Sentinel's schema and limits. */
export function loadRuleFile(file: string): LoadedRule {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { file, issues: [{ field: '(file)', message: `cannot read: ${(err as Error).message}` }] };
  }
  return parseRuleText(text, file);
}

/** Parses and checks rule YAML text; `file` names it in the result. */
export function parseRuleText(text: string, file: string): LoadedRule {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, logLevel: 'error' });
  const lineOf = (path: readonly (string | number)[]): number | undefined => nodeLine(doc, lineCounter, path);
  if (doc.errors.length) {
    return {
      file,
      issues: doc.errors.map((e) => ({
        field: '(yaml)',
        line: e.linePos?.[0]?.line,
        message: `invalid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      })),
    };
  }
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { file, issues: [{ field: '(top level)', line: 1, message: 'expected a mapping of rule fields (id, name, query, …)' }] };
  }
  const id = typeof (data as { id?: unknown }).id === 'string' ? (data as { id: string }).id : undefined;
  const parsed = ruleShape.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => {
      const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
      const field = fieldName(path);
      const missing = issue.code === 'invalid_type' && valueAt(data, path) === undefined;
      const value = valueAt(data, path);
      // `{{Title}}` unquoted is a YAML flow mapping, not text: say so rather than "received object".
      const template = issue.code === 'invalid_type' && issue.expected === 'string' && value !== null && typeof value === 'object';
      const message = missing ? 'is required' : template ? 'expected text, found a YAML mapping (an unquoted {{Column}} is one: quote the value)' : issue.message;
      return { field, line: lineOf(path) ?? lineOf(path.slice(0, -1)), message };
    });
    return { file, id, issues };
  }
  const r = parsed.data;
  const issues: RuleIssue[] = [];
  const problem = (path: (string | number)[], message: string) => issues.push({ field: fieldName(path), line: lineOf(path), message });

  if (!GUID.test(r.id)) problem(['id'], `"${r.id}" is not a GUID (Sentinel rule ids are GUIDs)`);
  const kind = r.kind ?? 'Scheduled';

  let frequencyMs = NRT_FREQUENCY_MS;
  let periodMs = NRT_FREQUENCY_MS;
  if (kind === 'Scheduled') {
    frequencyMs = duration(r.queryFrequency, ['queryFrequency'], LIMITS.frequencyMinMs, LIMITS.frequencyMaxMs, problem) ?? 0;
    periodMs = duration(r.queryPeriod, ['queryPeriod'], LIMITS.periodMinMs, LIMITS.periodMaxMs, problem) ?? 0;
  }
  let operator: TriggerOperator = 'gt';
  if (r.triggerOperator != null) {
    const op = OPERATORS[r.triggerOperator.toLowerCase()];
    if (op) operator = op;
    else problem(['triggerOperator'], `"${r.triggerOperator}" is not a trigger operator (gt, lt, eq, ne)`);
  } else if (kind === 'Scheduled') problem(['triggerOperator'], 'is required');
  const threshold = r.triggerThreshold ?? 0;
  if (r.triggerThreshold == null && kind === 'Scheduled') problem(['triggerThreshold'], 'is required');
  if (threshold < 0 || threshold > LIMITS.thresholdMax) problem(['triggerThreshold'], `${threshold} is outside Sentinel's range 0–${LIMITS.thresholdMax}`);

  (r.tactics ?? []).forEach((t, i) => {
    if (!(TACTICS as readonly string[]).includes(t)) problem(['tactics', i], `"${t}" is not a MITRE ATT&CK tactic Sentinel knows (${TACTICS.join(', ')})`);
  });
  (r.relevantTechniques ?? []).forEach((t, i) => {
    if (!TECHNIQUE.test(t)) problem(['relevantTechniques', i], `"${t}" is not an ATT&CK technique id (T1234 or T1234.001)`);
  });

  const entityMappings = checkEntityMappings(r.entityMappings ?? [], problem);
  const customDetails = r.customDetails ?? {};
  const detailKeys = Object.keys(customDetails);
  if (detailKeys.length > LIMITS.customDetailsMax) problem(['customDetails'], `${detailKeys.length} custom details; Sentinel allows at most ${LIMITS.customDetailsMax}`);
  for (const key of detailKeys) {
    if (!CUSTOM_DETAIL_KEY.test(key)) problem(['customDetails', key], `custom detail key "${key}" must start with a letter and hold only letters, digits and _`);
  }

  const suppressionEnabled = r.suppressionEnabled ?? false;
  let suppressionMs = 0;
  if (r.suppressionDuration != null || suppressionEnabled) {
    suppressionMs = duration(r.suppressionDuration ?? '5h', ['suppressionDuration'], LIMITS.suppressionMinMs, LIMITS.suppressionMaxMs, problem) ?? 0;
  }

  const ic = r.incidentConfiguration;
  const gc = ic?.groupingConfiguration;
  const lookbackMs = gc?.lookbackDuration != null
    ? duration(gc.lookbackDuration, ['incidentConfiguration', 'groupingConfiguration', 'lookbackDuration'], LIMITS.groupingLookbackMinMs, LIMITS.groupingLookbackMaxMs, problem) ?? 0
    : 5 * HOUR_MS;
  const matchingMethod: MatchingMethod = gc?.matchingMethod ?? 'AllEntities';
  const groupByEntities = gc?.groupByEntities ?? [];
  groupByEntities.forEach((t, i) => {
    if (!canonicalEntityType(t)) problem(['incidentConfiguration', 'groupingConfiguration', 'groupByEntities', i], `"${t}" is not a Sentinel entity type`);
  });
  (gc?.groupByAlertDetails ?? []).forEach((d, i) => {
    if (!['DisplayName', 'Severity'].includes(d)) problem(['incidentConfiguration', 'groupingConfiguration', 'groupByAlertDetails', i], `"${d}" is not an alert detail to group by (DisplayName, Severity)`);
  });
  (gc?.groupByCustomDetails ?? []).forEach((d, i) => {
    if (!(d in customDetails)) problem(['incidentConfiguration', 'groupingConfiguration', 'groupByCustomDetails', i], `"${d}" is not one of the rule's customDetails`);
  });

  if (issues.length) return { file, id, issues };
  const rule: AnalyticsRule = {
    file,
    id: r.id,
    name: r.name,
    description: r.description ?? '',
    severity: r.severity as Severity,
    kind,
    enabled: r.enabled ?? true,
    queryFrequencyMs: frequencyMs,
    queryPeriodMs: periodMs,
    triggerOperator: operator,
    triggerThreshold: threshold,
    tactics: r.tactics ?? [],
    relevantTechniques: r.relevantTechniques ?? [],
    query: r.query,
    queryLine: queryFirstLine(doc, lineCounter),
    entityMappings,
    customDetails,
    alertDetailsOverride: r.alertDetailsOverride ? stripNulls(r.alertDetailsOverride) : undefined,
    eventGrouping: (r.eventGroupingSettings?.aggregationKind ?? 'SingleAlert') as AggregationKind,
    incident: {
      createIncident: ic?.createIncident ?? true,
      grouping: {
        enabled: gc?.enabled ?? false,
        reopenClosedIncident: gc?.reopenClosedIncident ?? false,
        lookbackMs,
        matchingMethod,
        groupByEntities: groupByEntities.map((t) => canonicalEntityType(t)!),
        groupByAlertDetails: gc?.groupByAlertDetails ?? [],
        groupByCustomDetails: gc?.groupByCustomDetails ?? [],
      },
    },
    suppressionEnabled,
    suppressionDurationMs: suppressionMs,
    version: r.version == null ? undefined : String(r.version),
  };
  return { file, id, rule, issues };
}

type Problem = (path: (string | number)[], message: string) => void;

function duration(text: string | null | undefined, path: string[], min: number, max: number, problem: Problem): number | undefined {
  if (text == null) {
    problem(path, 'is required');
    return undefined;
  }
  const ms = parseDuration(text);
  if (ms === undefined) {
    problem(path, `"${text}" is not a duration (e.g. 5m, 1h, 14d, or ISO 8601 PT1H)`);
    return undefined;
  }
  if (ms < min || ms > max) {
    problem(path, `${text} is outside Sentinel's range ${formatDuration(min)}–${formatDuration(max)}`);
    return undefined;
  }
  return ms;
}

function checkEntityMappings(
  mappings: Array<{ entityType: string; fieldMappings: Array<{ identifier: string; columnName: string }> }>,
  problem: Problem,
): EntityMapping[] {
  if (mappings.length > LIMITS.entityMappingsMax) {
    problem(['entityMappings'], `${mappings.length} entity mappings; Sentinel allows at most ${LIMITS.entityMappingsMax}`);
  }
  return mappings.map((m, i) => {
    const type = canonicalEntityType(m.entityType);
    if (!type) problem(['entityMappings', i, 'entityType'], `"${m.entityType}" is not a Sentinel entity type`);
    if (m.fieldMappings.length > LIMITS.identifiersPerMappingMax) {
      problem(['entityMappings', i, 'fieldMappings'], `${m.fieldMappings.length} identifiers; Sentinel allows at most ${LIMITS.identifiersPerMappingMax} per entity mapping`);
    }
    const seen = new Set<string>();
    const fieldMappings = m.fieldMappings.map((f, j) => {
      const identifier = type ? canonicalIdentifier(type, f.identifier) : undefined;
      if (type && !identifier) {
        problem(['entityMappings', i, 'fieldMappings', j, 'identifier'], `"${f.identifier}" is not an identifier of ${type} (${(ENTITY_IDENTIFIERS[type] ?? []).join(', ')})`);
      }
      if (identifier && seen.has(identifier)) problem(['entityMappings', i, 'fieldMappings', j, 'identifier'], `identifier ${identifier} is mapped twice`);
      if (identifier) seen.add(identifier);
      if (f.columnName.trim() === '') problem(['entityMappings', i, 'fieldMappings', j, 'columnName'], 'is empty');
      return { identifier: identifier ?? f.identifier, columnName: f.columnName };
    });
    return { entityType: type ?? m.entityType, fieldMappings };
  });
}

function stripNulls<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as never;
}

/** `entityMappings[2].fieldMappings[0].identifier` for a path. */
export function fieldName(path: readonly (string | number)[]): string {
  if (!path.length) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let v: unknown = data;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

/** 1-based line of the YAML node at `path` (its key's line when the value is a collection). */
function nodeLine(doc: Document, lc: LineCounter, path: readonly (string | number)[]): number | undefined {
  const node = path.length ? doc.getIn(path, true) : doc.contents;
  if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  return undefined;
}

/** YAML line of the query's first line: a block scalar (`query: |`) starts on the next line. */
function queryFirstLine(doc: Document, lc: LineCounter): number {
  const node = doc.get('query', true);
  if (!isNode(node) || !node.range) return 1;
  const line = lc.linePos(node.range[0]).line;
  const type = (node as { type?: string }).type;
  return type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED' ? line + 1 : line;
}
