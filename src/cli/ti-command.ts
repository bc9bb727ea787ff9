/**
 * `quarry ti …`: threat intelligence.
 *   import FILE… [--format stix|csv] [--map column=field]… [--source NAME] [--lifetime 90d] [--as-of TIME]
 *   refresh      republish indicators written 7+ days ago (as Sentinel does weekly)
 *   rules        copy the shipped TI map rules into the workspace's rules/threat-intelligence/
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command, Option } from 'commander';
import { openWorkspace } from '../workspace/workspace.js';
import type { CliDeps } from './deps.js';
import { EXIT_OK, EXIT_QUERY_ERROR, UsageError, writeOut } from './io.js';
import { parseMappings } from './ingest-command.js';

/** The TI map rules Quarry ships (Microsoft's, with their attribution). */
export const TI_RULES_DIR = fileURLToPath(new URL('../../content/rules/threat-intelligence/', import.meta.url));

interface ImportFlags { workspace: string; format?: string; map?: string[]; source?: string; lifetime?: string; asOf?: string }

export function registerTiCommands(program: Command, deps: CliDeps, setStatus: (code: number) => void, workspaceOption: () => Option): void {
  const ti = program.command('ti').description('threat intelligence: STIX 2.1 and CSV indicator feeds, TI map rules');
  ti
    .command('import')
    .description('import STIX 2.1 bundles or CSV feeds into ThreatIntelIndicators (re-imports update by indicator id)')
    .argument('<files...>', 'feed files')
    .option('--format <format>', 'stix or csv (default: by the first character of the file)')
    .option('--map <column=field>', 'CSV: read a feed column as a field (value, type, id, name, description, confidence, labels, threat_type, valid_from, valid_until, created, modified, revoked); repeatable', (v: string, prev: string[] = []) => [...prev, v])
    .option('--source <name>', 'SourceSystem of the indicators (default: the file name)')
    .option('--lifetime <span>', 'validity of indicators without valid_until, from valid_from: 90d, 12h, 0 = never expire', '90d')
    .option('--as-of <time>', 'write the indicators as if imported at this time (ISO 8601 UTC), to replay past logs against them with `quarry rules test --from --to`')
    .addOption(workspaceOption())
    .action(async (files: string[], flags: ImportFlags) => setStatus(await runTiImport(files, flags, deps)));
  ti
    .command('refresh')
    .description('republish indicators written 7 or more days ago, so 14-day rule lookbacks keep seeing them; re-judge expiry')
    .addOption(workspaceOption())
    .action(async (flags: { workspace: string }) => setStatus(await runTiRefresh(flags, deps)));
  ti
    .command('rules')
    .description("copy the shipped TI map rules into the workspace's rules/threat-intelligence/ (existing files are kept)")
    .addOption(workspaceOption())
    .action(async (flags: { workspace: string }) => setStatus(await runTiRules(flags, deps)));
}

export async function runTiImport(files: readonly string[], flags: ImportFlags, deps: CliDeps): Promise<number> {
  if (flags.format !== undefined && flags.format !== 'stix' && flags.format !== 'csv') throw new UsageError(`--format ${flags.format}: expected stix or csv`);
  const { parseLifetime } = await import('../ti/indicator.js');
  try {
    parseLifetime(flags.lifetime ?? '90d');
  } catch (err) {
    throw new UsageError(`--lifetime: ${(err as Error).message}`);
  }
  const mapping = parseMappings(flags.map);
  let now: Date | undefined;
  if (flags.asOf !== undefined) {
    now = new Date(flags.asOf);
    if (!/^\d{4}-\d{2}-\d{2}/.test(flags.asOf) || Number.isNaN(now.getTime())) throw new UsageError(`--as-of ${flags.asOf}: expected an ISO 8601 time such as 2024-05-01T00:00:00Z`);
  }
  const workspace = openWorkspace(flags.workspace, { create: true });
  const { Ingestor } = await import('../ingest/ingestor.js');
  const { importFeedFile } = await import('../ti/import-file.js');
  const ingestor = await Ingestor.open(workspace.databasePath, { tables: workspace.config.tables });
  let failed = false;
  try {
    for (const file of files) {
      if (!existsSync(file)) {
        await writeOut(deps.io.stderr, `${file}: no such file\n`);
        failed = true;
        continue;
      }
      try {
        const s = await importFeedFile(ingestor, file, { format: flags.format as 'stix' | 'csv' | undefined, mapping, source: flags.source, lifetime: flags.lifetime, now });
        const skipped = Object.entries(s.skipped).map(([t, n]) => `${n} ${t}`).join(', ');
        const lines = [
          `${file}: ${s.indicators} indicators (${s.added} new, ${s.updated} updated, ${s.stale} older than stored and left out), ${s.rows} ThreatIntelIndicators rows, ${s.rejected} rejected`,
        ];
        if (skipped) lines.push(`  not indicators, not stored: ${skipped}`);
        if (s.republished) lines.push(`  republished ${s.republished} rows written 7+ days ago`);
        if (s.legacyViewNote) lines.push(`  note: ${s.legacyViewNote}`);
        if (s.rejected) lines.push('  details: quarry query "_IngestErrors | where TableName == \'ThreatIntelIndicators\' | order by TimeGenerated desc"');
        await writeOut(deps.io.stdout, `${lines.join('\n')}\n`);
      } catch (err) {
        failed = true;
        await writeOut(deps.io.stderr, `${file}: ${(err as Error).message}\n`);
      }
    }
  } finally {
    await ingestor.close();
  }
  return failed ? EXIT_QUERY_ERROR : EXIT_OK;
}

export async function runTiRefresh(flags: { workspace: string }, deps: CliDeps): Promise<number> {
  const workspace = openWorkspace(flags.workspace);
  const { Ingestor } = await import('../ingest/ingestor.js');
  const { republishIndicators } = await import('../ti/store.js');
  const ingestor = await Ingestor.open(workspace.databasePath, { tables: workspace.config.tables });
  try {
    const n = await republishIndicators(ingestor.connection, new Date());
    await writeOut(deps.io.stdout, `republished ${n} ThreatIntelIndicators rows\n`);
    return EXIT_OK;
  } finally {
    await ingestor.close();
  }
}

export async function runTiRules(flags: { workspace: string }, deps: CliDeps): Promise<number> {
  const workspace = openWorkspace(flags.workspace, { create: true });
  const target = path.join(workspace.dir, 'rules', 'threat-intelligence');
  mkdirSync(target, { recursive: true });
  const copied: string[] = [];
  const kept: string[] = [];
  for (const name of readdirSync(TI_RULES_DIR).sort()) {
    if (!/\.ya?ml$/i.test(name) && !name.startsWith('LICENSE')) continue;
    const to = path.join(target, name);
    const isRule = /\.ya?ml$/i.test(name);
    if (existsSync(to)) {
      if (isRule) kept.push(name);
    } else {
      copyFileSync(path.join(TI_RULES_DIR, name), to); // the licence travels with the rules
      if (isRule) copied.push(name);
    }
  }
  await writeOut(deps.io.stdout, `${target}: ${copied.length} rules copied${copied.length ? ` (${copied.join(', ')})` : ''}${kept.length ? `, ${kept.length} already there and kept` : ''}\n`);
  return EXIT_OK;
}
