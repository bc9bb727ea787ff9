/**
 * `quarry ingest PATH… [--table T] [--format F] [--map src=dest]…`: reads log files and folders
 * (gzip too) into the workspace's tables, with progress on stderr (a live line on a terminal,
 * a line every few seconds otherwise) and a summary of accepted and rejected records per table.
 */
import type { IngestTarget } from '../ingest/pipeline.js';
import { findDeclared } from '../ingest/table-schema.js';
import { openWorkspace } from '../workspace/workspace.js';
import type { CliDeps } from './deps.js';
import { EXIT_OK, EXIT_QUERY_ERROR, UsageError, writeOut } from './io.js';

export interface IngestFlags {
  workspace: string;
  table?: string;
  format?: string;
  map?: string[];
  batchSize?: number;
}

/** Live progress at most this often on a terminal; a plain line this often otherwise. */
const TTY_REFRESH_MS = 250;
const LOG_EVERY_MS = 5000;

/** `src=dest` pairs → a rename map. */
export function parseMappings(pairs: readonly string[] | undefined): Record<string, string> | undefined {
  if (!pairs || pairs.length === 0) return undefined;
  const mapping: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new UsageError(`--map expects source=Column, got ${JSON.stringify(pair)}`);
    mapping[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return mapping;
}

export async function runIngestCommand(paths: readonly string[], flags: IngestFlags, deps: CliDeps): Promise<number> {
  const { io } = deps;
  if (paths.length === 0) throw new UsageError('name at least one file or folder to ingest');
  const workspace = openWorkspace(flags.workspace, { create: true });
  // The table's mapping from quarry.yaml, with --map on top.
  const configured = flags.table ? findDeclared(flags.table, workspace.config.tables)?.mapping : undefined;
  const given = parseMappings(flags.map);
  const mapping = configured || given ? { ...configured, ...given } : undefined;
  const { Ingestor } = await import('../ingest/ingestor.js');
  const { ingestPaths, UnknownFormatError } = await import('../ingest/pipeline.js');

  // A running `quarry serve` owns the database file: read the files here and send it the batches.
  const { findRunningServer } = await import('../server/state-file.js');
  const server = await findRunningServer(workspace);
  let ingestor: IngestTarget & { close(): Promise<void> };
  if (server) {
    const { RemoteIngestor } = await import('../server/remote-ingestor.js');
    ingestor = new RemoteIngestor(server);
    io.stderr.write(`the server at ${server.url} owns this workspace: sending it the records\n`);
  } else {
    ingestor = await Ingestor.open(workspace.databasePath, { tables: workspace.config.tables });
  }
  const started = performance.now();
  let lastShown = 0;
  let shownLive = false;
  const tty = Boolean(io.stderr.isTTY);
  try {
    const summary = await ingestPaths(ingestor, paths, {
      format: flags.format,
      table: flags.table,
      mapping,
      batchSize: flags.batchSize,
      onProgress: (p) => {
        const now = performance.now();
        if (now - lastShown < (tty ? TTY_REFRESH_MS : LOG_EVERY_MS)) return;
        lastShown = now;
        const rate = Math.round(p.records / ((now - started) / 1000));
        const line = `${p.records.toLocaleString('en-US')} records, ${rate.toLocaleString('en-US')} events/s, file ${p.filesDone + 1}: ${p.file}`;
        if (tty) {
          io.stderr.write(`\r\x1b[K${line}`);
          shownLive = true;
        } else {
          io.stderr.write(`${line}\n`);
        }
      },
    }).catch((err: unknown) => {
      if (err instanceof UnknownFormatError) throw new UsageError(err.message);
      throw err;
    });
    if (shownLive) io.stderr.write('\r\x1b[K');
    const seconds = (performance.now() - started) / 1000;
    let failed = false;
    for (const f of summary.files) {
      if (f.error) {
        failed = true;
        await writeOut(io.stderr, `${f.path}: ${f.error}\n`);
      }
    }
    const skipped = summary.files.filter((f) => f.skipped);
    if (skipped.length) await writeOut(io.stderr, `skipped ${skipped.length} file(s) of unknown format: ${skipped.map((f) => f.path).join(', ')}\n`);
    await writeOut(io.stdout, renderSummary(summary.tables, summary.accepted, summary.rejected, summary.conflicts, seconds, summary.files.length - skipped.length));
    return failed ? EXIT_QUERY_ERROR : EXIT_OK;
  } finally {
    await ingestor.close();
  }
}

function renderSummary(
  tables: Record<string, { accepted: number; rejected: number; conflicts: number }>,
  accepted: number, rejected: number, conflicts: number, seconds: number, files: number,
): string {
  const rows = Object.entries(tables).sort(([a], [b]) => a.localeCompare(b));
  const nameWidth = Math.max(5, ...rows.map(([t]) => t.length));
  const fmt = (n: number) => n.toLocaleString('en-US');
  const lines = [`${'table'.padEnd(nameWidth)}  ${'accepted'.padStart(10)}  ${'rejected'.padStart(10)}  ${'converted'.padStart(10)}`];
  for (const [t, c] of rows) lines.push(`${t.padEnd(nameWidth)}  ${fmt(c.accepted).padStart(10)}  ${fmt(c.rejected).padStart(10)}  ${fmt(c.conflicts).padStart(10)}`);
  const rate = seconds > 0 ? Math.round((accepted + rejected) / seconds) : 0;
  lines.push(`${fmt(accepted)} accepted, ${fmt(rejected)} rejected from ${files} file(s) in ${seconds.toFixed(1)} s (${fmt(rate)} events/s)`);
  if (rejected || conflicts) lines.push(`details: quarry query "_IngestErrors | order by TimeGenerated desc"`);
  return `${lines.join('\n')}\n`;
}
