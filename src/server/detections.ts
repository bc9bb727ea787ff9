/**
 * The detection scheduler (src/detect) hosted by the server: the workspace's rules folder,
 * re-read when files change, run on their schedule. Each kind of work has its own connection
 * (ServerDatabase's lanes), so none waits behind another's long statement:
 *
 * - scheduled rules' queries on `ruleLane` (they may scan days of data);
 * - NRT rules' queries, the detection tables (alerts, incidents, run history) and catalog reads
 *   on `detectionLane`;
 * - user queries stay on the engine's own connection, ingestion on the Ingestor's.
 *
 * NRT rules run when a commit lands (ServerDatabase.onCommit), over the ingestion times committed
 * since their last run: up to ServerDatabase.committedBefore() (and, for rules that watch alerts,
 * the detection store's own committed bound), so no fixed delay is needed to avoid missing rows.
 * Invalid rule files are logged once and skipped.
 */
import { DetectionScheduler, type SchedulerOptions } from '../detect/scheduler.js';
import { RuleRunner } from '../detect/runner.js';
import { WorkspaceRules, rulesDir } from '../detect/session.js';
import { DetectionStore } from '../detect/store.js';
import { validRules } from '../detect/rules/validate.js';
import type { ServerDatabase } from './database.js';

export interface HostedDetections {
  scheduler: DetectionScheduler;
  store: DetectionStore;
  /** Resolves after the first pass over the NRT rules (each analysed once). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export function startDetections(
  db: ServerDatabase,
  log: (line: string) => void,
  /** onRun: also told of every fired or failed run (benchmarks). */
  options: Pick<SchedulerOptions, 'onRun'> = {},
): HostedDetections {
  const source = new WorkspaceRules(rulesDir(db.workspace.dir), db.detectionLane);
  const reported = new Set<string>();
  const store = new DetectionStore(db.detectionLane);
  let nrtReady!: () => void;
  const ready = new Promise<void>((resolve) => { nrtReady = resolve; });
  const scheduler = new DetectionScheduler({
    rules: async () => {
      // Rules must see the tables ingestion created since the last look.
      await db.freshCatalog();
      const reports = await source.current();
      for (const r of reports.filter((x) => !x.valid)) {
        const key = `${r.file}:${JSON.stringify(r.errors)}`;
        if (!reported.has(key)) log(`detections: skipped ${r.file}: ${JSON.stringify(r.errors)}`);
        reported.add(key);
      }
      return validRules(reports);
    },
    runner: new RuleRunner(db.ruleLane, store),
    nrtRunner: new RuleRunner(db.detectionLane, store),
    store,
    // One pass over the commits of the last half second: a pass costs each NRT rule's query.
    nrtMinIntervalMs: 500,
    nrtWindowEnd: () => {
      const ingested = db.committedBefore();
      const detected = store.committedBefore();
      return ingested < detected ? ingested : detected;
    },
    onRun: (r) => {
      if (r.outcome !== 'Quiet') log(`detections: ${r.ruleName} (${r.mode}, window ending ${r.window.end.toISOString()}): ${r.outcome}${r.alertCount ? `, ${r.alertCount} alerts` : ''}${r.error ? `: ${r.error}` : ''}`);
      options.onRun?.(r);
    },
    onError: (e) => log(`detections: error: ${e instanceof Error ? e.message : String(e)}`),
    onPass: (kind) => { if (kind === 'NRT') nrtReady(); },
  });
  const unsubscribe = db.onCommit(() => scheduler.wake());
  scheduler.start();
  return {
    scheduler,
    store,
    ready,
    async stop() {
      unsubscribe();
      await scheduler.stop();
    },
  };
}
