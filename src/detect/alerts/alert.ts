import type { AlertEntity } from './entities.js';

/** An alert a rule run raised, before it is stored as a SecurityAlert row. */
export interface AlertDraft {
  systemAlertId: string;
  ruleId: string;
  ruleName: string;
  displayName: string;
  description: string;
  severity: string;
  tactics: string[];
  techniques: string[];
  subTechniques: string[];
  /** Earliest and latest TimeGenerated of the alert's events (the window when the result has none). */
  startTime: Date;
  endTime: Date;
  entities: AlertEntity[];
  /** Custom detail name → its values in the alert's events (distinct, in order). */
  customDetails: Record<string, unknown[]>;
  /** Other properties an alertDetailsOverride set (ConfidenceLevel, RemediationSteps, …). */
  dynamicProperties: Record<string, string>;
  /** The result rows behind the alert (column → value). */
  events: Array<Record<string, unknown>>;
  /** The window the rule ran over. */
  windowStart: Date;
  windowEnd: Date;
  /** How many result rows the run had in all. */
  resultCount: number;
  eventGrouping: string;
}
