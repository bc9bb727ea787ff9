import type { DuckDBConnection } from '@duckdb/node-api';
import path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { PreparedQuery } from '../engine/engine.js';
import type { QueryOptions, QueryResult } from '../engine/result.js';
import { RuleRunner } from './runner.js';
import { ruleFiles, validateRuleFiles, type RuleFileReport } from './rules/validate.js';
import { DetectionStore } from './store.js';

/** The engine surface detections use (QueryEngine has all of it). */
export interface DetectionEngine {
  query(text: string, options?: QueryOptions): Promise<QueryResult>;
  prepare(text: string, options?: QueryOptions): PreparedQuery;
  prepareWithData(text: string, options?: QueryOptions): Promise<PreparedQuery>;
  exclusive<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T>;
  refreshCatalog(): Promise<void>;
}

/** Whether an engine object can run detections (the CLI's test doubles may not). */
export function isDetectionEngine(e: unknown): e is DetectionEngine {
  const o = e as Partial<DetectionEngine>;
  return typeof o?.prepare === 'function' && typeof o.exclusive === 'function' && typeof o.refreshCatalog === 'function';
}

/** The rules folder of a workspace. */
export function rulesDir(workspaceDir: string): string {
  return path.join(workspaceDir, 'rules');
}

/**
 * A workspace's rules, re-validated when a file in the folder changes (by modification times),
 * so a long-lived scheduler picks up edited rules and drops broken ones with their reasons.
 */
export class WorkspaceRules {
  private signature = '';
  private reports: RuleFileReport[] = [];

  constructor(private readonly dir: string, private readonly engine: DetectionEngine) {}

  async current(): Promise<RuleFileReport[]> {
    const files = existsSync(this.dir) ? ruleFiles(this.dir) : [];
    const signature = files.map((f) => `${f}:${statSync(f).mtimeMs}`).join('|');
    if (signature !== this.signature) {
      this.reports = await validateRuleFiles(files, this.engine);
      this.signature = signature;
    }
    return this.reports;
  }
}

/** Store and runner over one engine. */
export function detectionServices(engine: DetectionEngine, options: { timeoutMs?: number } = {}): { store: DetectionStore; runner: RuleRunner } {
  const store = new DetectionStore(engine);
  return { store, runner: new RuleRunner(engine, store, options) };
}
