/**
 * The detection scheduler (src/detect) hosted by the server: the workspace's rules folder,
 * re-read when files change, run on their schedule against the server's engine. Invalid rule
 * files are logged once and skipped.
 */
import { DetectionScheduler } from '../detect/scheduler.js';
import { WorkspaceRules, detectionServices, rulesDir } from '../detect/session.js';
import { validRules } from '../detect/rules/validate.js';
import type { ServerDatabase } from './database.js';

export function startDetections(db: ServerDatabase, log: (line: string) => void): DetectionScheduler {
  const source = new WorkspaceRules(rulesDir(db.workspace.dir), db.engine);
  const reported = new Set<string>();
  const { store, runner } = detectionServices(db.engine);
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
    runner,
    store,
    onRun: (r) => {
      if (r.outcome !== 'Quiet') log(`detections: ${r.ruleName} (${r.mode}, window ending ${r.window.end.toISOString()}): ${r.outcome}${r.alertCount ? `, ${r.alertCount} alerts` : ''}${r.error ? `: ${r.error}` : ''}`);
    },
    onError: (e) => log(`detections: error: ${e instanceof Error ? e.message : String(e)}`),
  });
  scheduler.start();
  return scheduler;
}
