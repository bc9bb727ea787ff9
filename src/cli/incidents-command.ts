import { userInfo } from 'node:os';
import { IncidentBook, type IncidentChange, type IncidentFilter } from '../detect/incidents/book.js';
import { detectionServices, isDetectionEngine } from '../detect/session.js';
import type { Row } from '../detect/store.js';
import type { CliDeps } from './deps.js';
import { openWorkspaceEngine } from './deps.js';
import { EXIT_OK, UsageError, writeOut } from './io.js';
import { parseTime } from './rules-command.js';

export interface IncidentsFlags {
  workspace: string;
  format?: 'text' | 'json';
  status?: string;
  severity?: string;
  owner?: string;
  rule?: string;
  since?: string;
  limit?: string;
  classification?: string;
  reason?: string;
  comment?: string;
  tag?: string[];
  untag?: string[];
  as?: string;
}

type Action = (book: IncidentBook, actor: string) => Promise<unknown>;

async function withBook(flags: IncidentsFlags, deps: CliDeps, action: Action): Promise<unknown> {
  const { engine } = await openWorkspaceEngine(flags.workspace, deps);
  try {
    if (!isDetectionEngine(engine)) throw new Error('this engine cannot work on incidents');
    const { store } = detectionServices(engine);
    const actor = flags.as ?? userInfo().username;
    return await store.session((s) => action(new IncidentBook(s), actor), { transaction: true });
  } finally {
    await engine.close();
  }
}

function incidentNumber(text: string): number {
  const n = Number(text.replace(/^#/, ''));
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`"${text}" is not an incident number`);
  return n;
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? '' : String(v));
const owner = (row: Row) => String((row['Owner'] as { assignedTo?: string } | null)?.assignedTo ?? '');

function jsonSafe(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v instanceof Date ? v.toISOString() : v)));
}

function line(row: Row): string {
  const alerts = (row['AlertIds'] as string[] | null)?.length ?? 0;
  return `#${row['IncidentNumber']}  ${String(row['Status']).padEnd(6)}  ${String(row['Severity']).padEnd(13)}  ${iso(row['CreatedTime'])}  ${alerts} alert${alerts === 1 ? ' ' : 's'}  ${owner(row) || '-'}  ${row['Title']}\n`;
}

/** `quarry incidents list`: current state of incidents, filtered. */
export async function runIncidentsList(flags: IncidentsFlags, deps: CliDeps): Promise<number> {
  const filter: IncidentFilter = {
    status: flags.status, severity: flags.severity, owner: flags.owner, ruleId: flags.rule,
    since: flags.since ? parseTime(flags.since, '--since') : undefined,
    limit: flags.limit ? Number(flags.limit) : undefined,
  };
  const rows = (await withBook(flags, deps, (b) => b.list(filter))) as Row[];
  if (flags.format === 'json') await writeOut(deps.io.stdout, JSON.stringify(jsonSafe(rows), null, 2) + '\n');
  else await writeOut(deps.io.stdout, rows.length ? rows.map(line).join('') : 'no incidents\n');
  return EXIT_OK;
}

/** `quarry incidents show N`: one incident with its alerts, entities, events and audit trail. */
export async function runIncidentsShow(n: string, flags: IncidentsFlags, deps: CliDeps): Promise<number> {
  const d = (await withBook(flags, deps, (b) => b.details(incidentNumber(n)))) as Awaited<ReturnType<IncidentBook['details']>>;
  if (flags.format === 'json') {
    await writeOut(deps.io.stdout, JSON.stringify(jsonSafe(d), null, 2) + '\n');
    return EXIT_OK;
  }
  const i = d.incident;
  const tags = ((i['Labels'] as Array<{ labelName: string }> | null) ?? []).map((l) => l.labelName).join(', ');
  let out = `Incident #${i['IncidentNumber']}: ${i['Title']}\n` +
    `  status ${i['Status']}  severity ${i['Severity']}  owner ${owner(i) || '-'}${tags ? `  tags ${tags}` : ''}\n` +
    (i['Classification'] ? `  classification ${i['Classification']}${i['ClassificationReason'] ? ` (${i['ClassificationReason']})` : ''}${i['ClassificationComment'] ? `: ${i['ClassificationComment']}` : ''}\n` : '') +
    `  created ${iso(i['CreatedTime'])}  activity ${iso(i['FirstActivityTime'])} .. ${iso(i['LastActivityTime'])}\n` +
    `  ${i['Description']}\n\nAlerts (${d.alerts.length}):\n` +
    d.alerts.map((a) => `  ${iso(a['TimeGenerated'])} [${a['AlertSeverity']}] ${a['DisplayName']} (${a['SystemAlertId']})\n`).join('') +
    `\nEntities (${d.entities.length}):\n` +
    d.entities.map((e) => `  ${e.Type}: ${Object.entries(e).filter(([k]) => k !== 'Type').map(([k, v]) => `${k}=${v}`).join(' ')}\n`).join('') +
    `\nEvents (${d.events.length}):\n` + d.events.slice(0, 20).map((e) => `  ${JSON.stringify(e)}\n`).join('') +
    (d.events.length > 20 ? `  … ${d.events.length - 20} more (--format json shows all)\n` : '');
  const comments = (i['Comments'] as Array<{ message: string; createdTimeUtc: string; author?: { name?: string } }> | null) ?? [];
  if (comments.length) out += `\nComments:\n${comments.map((c) => `  ${c.createdTimeUtc} ${c.author?.name ?? ''}: ${c.message}\n`).join('')}`;
  out += `\nAudit:\n${d.audit.map((a) => `  ${iso(a['TimeGenerated'])} ${a['Actor']} ${a['Action']}${a['Field'] ? ` ${a['Field']}` : ''}${a['OldValue'] || a['NewValue'] ? `: ${a['OldValue'] || '∅'} → ${a['NewValue'] || '∅'}` : ''}\n`).join('')}`;
  await writeOut(deps.io.stdout, out);
  return EXIT_OK;
}

/** `quarry incidents update N --status … --owner … --severity … --classification … --reason … --tag …`. */
export async function runIncidentsUpdate(n: string, flags: IncidentsFlags, deps: CliDeps): Promise<number> {
  const change: IncidentChange = {
    status: flags.status, owner: flags.owner, severity: flags.severity, classification: flags.classification,
    classificationReason: flags.reason, classificationComment: flags.comment, addTags: flags.tag, removeTags: flags.untag,
  };
  if (Object.values(change).every((v) => v === undefined)) throw new UsageError('nothing to change: give --status, --owner, --severity, --classification, --reason, --comment, --tag or --untag');
  const row = (await withBook(flags, deps, (b, actor) => b.update(incidentNumber(n), change, actor))) as Row;
  await writeOut(deps.io.stdout, line(row));
  return EXIT_OK;
}

/** `quarry incidents comment N TEXT`. */
export async function runIncidentsComment(n: string, text: string, flags: IncidentsFlags, deps: CliDeps): Promise<number> {
  await withBook(flags, deps, (b, actor) => b.comment(incidentNumber(n), text, actor));
  await writeOut(deps.io.stdout, `commented on #${incidentNumber(n)}\n`);
  return EXIT_OK;
}
