import path from 'node:path';
import { existsSync } from 'node:fs';
import { evaluateRule, replayWindows, scheduledWindow, type RuleEvaluation } from '../detect/evaluate.js';
import { replayRules } from '../detect/replay.js';
import type { RunReport } from '../detect/runner.js';
import { detectionServices, isDetectionEngine, rulesDir, type DetectionEngine } from '../detect/session.js';
import { ruleFiles, validateRuleFiles, validRules, type RuleFileReport } from '../detect/rules/validate.js';
import { NRT_FREQUENCY_MS } from '../detect/rules/rule.js';
import type { CliDeps } from './deps.js';
import { openWorkspaceEngine } from './deps.js';
import type { Engine } from './engine-factory.js';
import { formatQueryError } from './error-output.js';
import { EXIT_OK, EXIT_QUERY_ERROR, UsageError, writeOut } from './io.js';

export interface RulesFlags {
  workspace: string;
  format?: 'text' | 'json';
  from?: string;
  to?: string;
}

/** Opens the workspace's engine for detections, or explains why it cannot. */
async function openDetections(flags: RulesFlags, deps: CliDeps): Promise<{ engine: DetectionEngine & Engine; workspaceDir: string }> {
  const { workspace, engine } = await openWorkspaceEngine(flags.workspace, deps);
  if (!isDetectionEngine(engine)) {
    await engine.close();
    throw new Error('this engine cannot run detections');
  }
  return { engine, workspaceDir: workspace.dir };
}

/** An engine on an empty in-memory database: queries are checked against the Sentinel catalog. */
async function openCatalogOnly(deps: CliDeps): Promise<{ engine: DetectionEngine & Engine; workspaceDir: string }> {
  const engine = await deps.openEngine({});
  if (!isDetectionEngine(engine)) {
    await engine.close();
    throw new Error('this engine cannot check rules');
  }
  return { engine, workspaceDir: '' };
}

/** `--from`/`--to`: an ISO 8601 date-time (UTC unless it says otherwise), or `now`. */
export function parseTime(value: string, flag: string): Date {
  if (value.trim().toLowerCase() === 'now') return new Date();
  const text = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(value.trim()) ? `${value.trim().replace(' ', 'T')}${value.includes(':') ? '' : 'T00:00'}Z` : value;
  const t = Date.parse(text);
  if (!Number.isFinite(t)) throw new UsageError(`${flag} "${value}" is not a date-time (e.g. 2024-03-01T00:00Z, or now)`);
  return new Date(t);
}

function period(flags: RulesFlags): { from: Date; to: Date } | undefined {
  if (!flags.from && !flags.to) return undefined;
  if (!flags.from || !flags.to) throw new UsageError('give both --from and --to');
  const from = parseTime(flags.from, '--from');
  const to = parseTime(flags.to, '--to');
  if (to <= from) throw new UsageError('--to must be after --from');
  return { from, to };
}

function issueText(r: RuleFileReport): string {
  const lines = r.errors.map((e) => `  ${r.file}${e.line ? `:${e.line}` : ''}: ${e.field}: ${e.message}\n`);
  const warnings = r.warnings.map((e) => `  ${r.file}${e.line ? `:${e.line}` : ''}: warning: ${e.field}: ${e.message}\n`);
  return `${r.valid ? 'ok  ' : 'FAIL'} ${r.file}${r.id ? ` (${r.id})` : ''}\n${lines.join('')}${warnings.join('')}`;
}

/** `quarry rules validate [PATH]`: every rule file's fields, limits and query; exit 1 when any is invalid. */
export async function runRulesValidate(target: string | undefined, flags: RulesFlags, deps: CliDeps): Promise<number> {
  // Checking a rule repository in CI needs no workspace: the catalog alone, in memory.
  const { engine, workspaceDir } = target !== undefined && !existsSync(path.join(flags.workspace, 'quarry.yaml'))
    ? await openCatalogOnly(deps)
    : await openDetections(flags, deps);
  try {
    const where = target ?? rulesDir(workspaceDir);
    if (!existsSync(where)) throw new UsageError(`${where} does not exist`);
    const reports = await validateRuleFiles(ruleFiles(where), engine);
    if (flags.format === 'json') {
      const out = reports.map((r) => ({ file: r.file, id: r.id ?? null, valid: r.valid, errors: r.errors.map(({ field, line, message }) => ({ field, line: line ?? null, message })), warnings: r.warnings.map(({ field, line, message }) => ({ field, line: line ?? null, message })) }));
      await writeOut(deps.io.stdout, JSON.stringify(out, null, 2) + '\n');
    } else {
      await writeOut(deps.io.stdout, reports.map(issueText).join(''));
      const bad = reports.filter((r) => !r.valid).length;
      await writeOut(deps.io.stdout, `${reports.length - bad} valid, ${bad} invalid of ${reports.length} rule files\n`);
    }
    return reports.every((r) => r.valid) ? EXIT_OK : EXIT_QUERY_ERROR;
  } finally {
    await engine.close();
  }
}

function describeEvaluation(e: RuleEvaluation): string {
  const head = `${e.window.start.toISOString()} .. ${e.window.end.toISOString()}: ${e.resultCount} row${e.resultCount === 1 ? '' : 's'}${e.triggered ? `, would raise ${e.alerts.length} alert${e.alerts.length === 1 ? '' : 's'}` : ''}\n`;
  const alerts = e.alerts.map((a) => {
    const entities = a.entities.map((x) => `${x.Type}:${Object.entries(x).filter(([k]) => k !== 'Type').map(([, v]) => v).join('/')}`).join(', ');
    const details = Object.keys(a.customDetails).length ? ` details ${JSON.stringify(a.customDetails)}` : '';
    return `  [${a.severity}] ${a.displayName} (${a.events.length} event${a.events.length === 1 ? '' : 's'})${entities ? ` entities ${entities}` : ''}${details}\n`;
  });
  return head + alerts.join('');
}

/** `quarry rules test FILE [--from --to]`: what the rule would have raised, window by window; creates nothing. */
export async function runRulesTest(file: string, flags: RulesFlags, deps: CliDeps): Promise<number> {
  const range = period(flags);
  const { engine } = await openDetections(flags, deps);
  try {
    const [report] = await validateRuleFiles([path.resolve(file)], engine);
    if (!report!.valid) {
      await writeOut(deps.io.stderr, issueText(report!));
      return EXIT_QUERY_ERROR;
    }
    const rule = report!.rule!;
    const windows = range ? replayWindows(rule, range.from, range.to)
      : [rule.kind === 'NRT' ? { start: new Date(Date.now() - NRT_FREQUENCY_MS), end: new Date() } : scheduledWindow(rule, new Date())];
    const results: RuleEvaluation[] = [];
    for (const w of windows) results.push(await evaluateRule(engine, rule, w, { eventTime: Boolean(range) }));
    if (flags.format === 'json') {
      const out = results.map((e) => ({
        windowStart: e.window.start.toISOString(), windowEnd: e.window.end.toISOString(), resultCount: e.resultCount, triggered: e.triggered,
        alerts: e.alerts.map(({ events, ...a }) => ({ ...a, eventCount: events.length })),
      }));
      await writeOut(deps.io.stdout, JSON.stringify(out, null, 2) + '\n');
    } else {
      await writeOut(deps.io.stdout, results.filter((e) => e.triggered || !range).map(describeEvaluation).join(''));
      const fired = results.filter((e) => e.triggered);
      await writeOut(deps.io.stdout, `${rule.name}: ${windows.length} window${windows.length === 1 ? '' : 's'}, ${fired.length} would fire, ${fired.reduce((n, e) => n + e.alerts.length, 0)} alert(s); nothing was created\n`);
    }
    return EXIT_OK;
  } catch (err) {
    await writeOut(deps.io.stderr, formatQueryError('', err));
    return EXIT_QUERY_ERROR;
  } finally {
    await engine.close();
  }
}

function runLine(r: RunReport): string {
  const incidents = r.incidents.length ? ` → incident${r.incidents.length > 1 ? 's' : ''} ${r.incidents.map((n) => `#${n}`).join(', ')}` : '';
  const error = r.error ? `: ${r.error}` : '';
  return `${r.window.end.toISOString()} ${r.ruleName}: ${r.outcome} (${r.resultCount} rows, ${r.alertCount} alerts)${incidents}${error}\n`;
}

/**
 * `quarry rules run [--from --to]`: the workspace's enabled rules once now, or their schedule
 * replayed over a past period, creating alerts and incidents as the scheduler would have.
 */
export async function runRulesRun(flags: RulesFlags, deps: CliDeps): Promise<number> {
  const range = period(flags);
  const { engine, workspaceDir } = await openDetections(flags, deps);
  try {
    const dir = rulesDir(workspaceDir);
    const reports = existsSync(dir) ? await validateRuleFiles(ruleFiles(dir), engine) : [];
    for (const r of reports.filter((x) => !x.valid)) await writeOut(deps.io.stderr, `skipped: ${issueText(r)}`);
    const rules = validRules(reports).filter((r) => r.enabled);
    const { store, runner } = detectionServices(engine);
    const out = (r: RunReport) => void deps.io.stdout.write(runLine(r));
    let runs: RunReport[];
    if (range) {
      runs = await replayRules(rules, runner, store, range.from, range.to, out);
    } else {
      runs = [];
      const now = new Date();
      for (const rule of rules) {
        const window = rule.kind === 'NRT' ? { start: new Date(now.getTime() - NRT_FREQUENCY_MS), end: now } : scheduledWindow(rule, now);
        const report = await runner.run(rule, window, 'manual', now);
        out(report);
        runs.push(report);
      }
    }
    const count = (o: string) => runs.filter((r) => r.outcome === o).length;
    await writeOut(deps.io.stdout, `${rules.length} rule(s), ${runs.length} run(s): ${count('Fired')} fired, ${count('Quiet')} quiet, ${count('Suppressed')} suppressed, ${count('Failed')} failed; ${runs.reduce((n, r) => n + r.alertCount, 0)} alert(s)\n`);
    return count('Failed') || reports.some((r) => !r.valid) ? EXIT_QUERY_ERROR : EXIT_OK;
  } finally {
    await engine.close();
  }
}

/**
 * `quarry rules schedule [--once]`: runs the scheduler in the foreground until interrupted (the
 * server hosts the same scheduler later). Edited rule files are picked up; `--once` does one pass.
 */
export async function runRulesSchedule(flags: RulesFlags & { once?: boolean }, deps: CliDeps): Promise<number> {
  const { engine, workspaceDir } = await openDetections(flags, deps);
  const { DetectionScheduler } = await import('../detect/scheduler.js');
  const { WorkspaceRules } = await import('../detect/session.js');
  try {
    const source = new WorkspaceRules(rulesDir(workspaceDir), engine);
    const reported = new Set<string>();
    const rules = async () => {
      const reports = await source.current();
      for (const r of reports.filter((x) => !x.valid)) {
        const key = `${r.file}:${JSON.stringify(r.errors)}`;
        if (!reported.has(key)) deps.io.stderr.write(`skipped: ${issueText(r)}`);
        reported.add(key);
      }
      return validRules(reports);
    };
    const { store, runner } = detectionServices(engine);
    const scheduler = new DetectionScheduler({
      rules, runner, store,
      onRun: (r) => void deps.io.stdout.write(runLine(r)),
      onError: (e) => void deps.io.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`),
    });
    if (flags.once) {
      await scheduler.tick();
      await scheduler.stop();
      return EXIT_OK;
    }
    await writeOut(deps.io.stderr, `scheduling the rules in ${rulesDir(workspaceDir)}; Ctrl-C to stop\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
      scheduler.start();
    });
    await scheduler.stop();
    return EXIT_OK;
  } finally {
    await engine.close();
  }
}
