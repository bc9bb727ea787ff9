import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { checkRuleQuery, type RuleCompiler } from './compile.js';
import { loadRuleFile } from './load.js';
import type { AnalyticsRule, RuleIssue } from './rule.js';

/** The verdict on one rule file (the `--format json` entry of `quarry rules validate`). */
export interface RuleFileReport {
  file: string;
  id?: string;
  valid: boolean;
  errors: RuleIssue[];
  /** Problems that do not stop the rule from loading (e.g. a URL the workspace does not allow yet). */
  warnings: RuleIssue[];
  /** The loaded rule, when valid. */
  rule?: AnalyticsRule;
}

/** The rule files under `target` (a file, or a folder searched recursively), sorted. */
export function ruleFiles(target: string): string[] {
  const st = statSync(target);
  if (!st.isDirectory()) return [target];
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.ya?ml$/i.test(entry.name)) found.push(p);
    }
  };
  walk(target);
  return found.sort();
}

/**
 * Loads and checks rule files: fields and Sentinel's limits, then the query compiled against the
 * catalog. A second file with an id already seen is rejected (the first one keeps it).
 */
export async function validateRuleFiles(files: readonly string[], engine: RuleCompiler): Promise<RuleFileReport[]> {
  const reports: RuleFileReport[] = [];
  const firstWithId = new Map<string, string>();
  for (const file of files) {
    const loaded = loadRuleFile(file);
    const errors = [...loaded.issues];
    const warnings: RuleIssue[] = [];
    if (loaded.rule) {
      const checked = await checkRuleQuery(engine, loaded.rule);
      errors.push(...checked.issues);
      warnings.push(...checked.warnings);
    }
    if (loaded.id) {
      const key = loaded.id.toLowerCase();
      const first = firstWithId.get(key);
      if (first) errors.push({ field: 'id', message: `duplicate id ${loaded.id}: ${first} already has it` });
      else firstWithId.set(key, file);
    }
    const valid = errors.length === 0;
    reports.push({ file, id: loaded.id, valid, errors, warnings, rule: valid ? loaded.rule : undefined });
  }
  return reports;
}

/** The valid rules of a set of reports. */
export function validRules(reports: readonly RuleFileReport[]): AnalyticsRule[] {
  return reports.flatMap((r) => (r.rule ? [r.rule] : []));
}
