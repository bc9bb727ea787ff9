/**
 * `quarry serve --demo`: on first run makes the workspace from demo/workspace (config, rules,
 * notebooks, functions) and imports demo/data through the server's own Ingestor, printing
 * progress. A marker in .quarry/ keeps later runs from importing twice.
 */
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import '../ingest/formats/index.js';
import { ingestPaths } from '../ingest/pipeline.js';
import { initWorkspace, statePath, type Workspace } from '../workspace/workspace.js';
import type { ServerDatabase } from './database.js';

export const DEMO_DIR = fileURLToPath(new URL('../../demo/', import.meta.url));
const MARKER = 'demo-imported';
/** Folders of demo/data imported in this order (formats detected per file). */
const DEMO_SOURCES = ['otrf', 'zeek', 'suricata', 'syslog'];

/** Creates the workspace from demo/workspace when `dir` has none; returns whether it was created. */
export function prepareDemoWorkspace(dir: string): { workspace: Workspace; created: boolean } {
  const abs = path.resolve(dir);
  if (existsSync(path.join(abs, 'quarry.yaml'))) return { ...initWorkspace(abs), created: false };
  for (const sub of ['quarry.yaml', 'rules', 'notebooks', 'functions']) {
    const from = path.join(DEMO_DIR, 'workspace', sub);
    if (existsSync(from)) cpSync(from, path.join(abs, sub), { recursive: true });
  }
  return { workspace: initWorkspace(abs).workspace, created: true };
}

export function demoImported(workspace: Workspace): boolean {
  return existsSync(statePath(workspace, MARKER));
}

/** Imports demo/data into the workspace (skipped when done before). */
export async function importDemoData(db: ServerDatabase, print: (line: string) => void): Promise<void> {
  if (demoImported(db.workspace)) return;
  const started = performance.now();
  let total = 0;
  for (const source of DEMO_SOURCES) {
    const dir = path.join(DEMO_DIR, 'data', source);
    if (!existsSync(dir)) continue;
    // Licence files in the folders are skipped by the pipeline (format not recognised).
    const summary = await db.withIngestor((ingestor) => ingestPaths(ingestor, [dir]));
    for (const f of summary.files) {
      if (f.skipped) continue;
      total += f.accepted;
      print(`  ${path.relative(DEMO_DIR, f.path)}: ${f.format ?? '?'} ${f.accepted} rows${f.rejected ? `, ${f.rejected} rejected` : ''}${f.error ? ` (${f.error})` : ''}`);
    }
  }
  await db.detectionLane.refreshCatalog();
  writeFileSync(statePath(db.workspace, MARKER), new Date().toISOString() + '\n');
  print(`demo data: ${total} rows imported in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
