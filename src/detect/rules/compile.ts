import { KqlError } from '../../kql/diagnostics.js';
import { SchemaDiscoveryNeeded } from '../../kql/ir/schema-discovery.js';
import type { Column } from '../../kql/types.js';
import type { PreparedQuery } from '../../engine/engine.js';
import type { QueryOptions } from '../../engine/result.js';
import type { AnalyticsRule, RuleIssue } from './rule.js';

/** What rule checking needs from the engine (QueryEngine has it): compile without running. */
export interface RuleCompiler {
  prepare(text: string, options?: QueryOptions): PreparedQuery;
  prepareWithData(text: string, options?: QueryOptions): Promise<PreparedQuery>;
}

/** Why a query was refused, for reports: the kind of name it lacks, or another cause. */
export type QueryRejection = 'table' | 'column' | 'function' | 'syntax' | 'unsupported' | 'network' | 'other';

const REASON_BY_CODE: Record<string, QueryRejection> = { KS204: 'table', KS211: 'function', KS142: 'column' };

/** `{{Column}}` placeholders of alertDetailsOverride formats. */
export const TEMPLATE_PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;

/**
 * Compiles the rule's query against the catalog and the database (the engine is the only KQL
 * evaluator) and checks that every column the rule's alert settings name is in its result.
 * Returns the problems; none means the rule loads.
 */
export async function checkRuleQuery(engine: RuleCompiler, rule: AnalyticsRule): Promise<{ issues: RuleIssue[]; warnings: RuleIssue[]; columns?: Column[] }> {
  let prepared: PreparedQuery;
  try {
    try {
      prepared = engine.prepare(rule.query);
    } catch (err) {
      // bag_unpack/pivot without an output schema: the columns come from the data.
      if (!(err instanceof SchemaDiscoveryNeeded)) throw err;
      prepared = await engine.prepareWithData(rule.query);
    }
  } catch (err) {
    const issue = queryIssue(rule, err);
    // Reading a URL is the workspace's choice (externalData.allow), not a fault of the rule: it
    // loads, and its runs fail with that reason until the workspace allows the source.
    if (issue.reason === 'network') return { issues: [], warnings: [issue] };
    return { issues: [issue], warnings: [] };
  }
  const columns = prepared.columns;
  const names = new Set(columns.map((c) => c.name));
  const issues: RuleIssue[] = [];
  const need = (field: string, column: string, what: string) => {
    if (!names.has(column)) {
      issues.push({ field, message: `${what} names the column "${column}", which the query's result does not have${hint(column, names)}`, reason: 'column' });
    }
  };
  rule.entityMappings.forEach((m, i) => m.fieldMappings.forEach((f, j) =>
    need(`entityMappings[${i}].fieldMappings[${j}].columnName`, f.columnName, `the ${m.entityType} ${f.identifier} mapping`)));
  for (const [key, column] of Object.entries(rule.customDetails)) need(`customDetails.${key}`, column, `custom detail ${key}`);
  const o = rule.alertDetailsOverride;
  if (o) {
    for (const field of ['alertDisplayNameFormat', 'alertDescriptionFormat'] as const) {
      for (const m of (o[field] ?? '').matchAll(TEMPLATE_PLACEHOLDER)) need(`alertDetailsOverride.${field}`, m[1]!, `the placeholder {{${m[1]}}}`);
    }
    if (o.alertSeverityColumnName) need('alertDetailsOverride.alertSeverityColumnName', o.alertSeverityColumnName, 'alertSeverityColumnName');
    if (o.alertTacticsColumnName) need('alertDetailsOverride.alertTacticsColumnName', o.alertTacticsColumnName, 'alertTacticsColumnName');
    (o.alertDynamicProperties ?? []).forEach((p, i) => need(`alertDetailsOverride.alertDynamicProperties[${i}].value`, p.value, `dynamic property ${p.alertProperty}`));
  }
  return { issues, warnings: [], columns };
}

function hint(column: string, names: Set<string>): string {
  const same = [...names].find((n) => n.toLowerCase() === column.toLowerCase());
  return same ? ` (did you mean "${same}"? column names are case-sensitive)` : '';
}

/** A query failure as a rule issue: the first diagnostic, placed on its line in the YAML file. */
function queryIssue(rule: AnalyticsRule, err: unknown): RuleIssue {
  if (!(err instanceof KqlError)) return { field: 'query', line: rule.queryLine, message: `the query cannot be compiled: ${(err as Error).message}`, reason: 'other' };
  const d = err.diagnostics[0];
  const line = d ? rule.queryLine + d.line - 1 : rule.queryLine;
  const where = d ? ` (query line ${d.line}, column ${d.column})` : '';
  return { field: 'query', line, message: `${err.message}${where}`, reason: rejectionReason(err) };
}

export function rejectionReason(err: KqlError): QueryRejection {
  const code = err.diagnostics[0]?.code;
  if (code && REASON_BY_CODE[code]) return REASON_BY_CODE[code]!;
  if (err.kind === 'syntax') return 'syntax';
  if (err.kind === 'unsupported') return 'unsupported';
  if (/needs network access/.test(err.message)) return 'network';
  return 'other';
}
