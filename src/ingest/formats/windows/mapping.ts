/**
 * A WindowsEvent to a row of the table Sentinel would put it in, with the columns filled as the
 * Log Analytics agent fills them (docs/ingestion-windows.md has the whole mapping):
 * - the Security channel → SecurityEvent: system fields, computed columns (Account, Activity,
 *   LogonTypeName, Process, …), every EventData field that has a same-named column, and
 *   `EventData` with the EventData XML;
 * - any other channel (Sysmon included) → Event: Source, EventLog, EventLevel(Name),
 *   RenderedDescription, UserName, `EventData` as the agent's `<DataItem>` XML and ParameterXml.
 * EVTX and OTRF JSON both arrive here, so the two sources give identical rows for an event.
 */
import { SentinelCatalog } from '../../../catalog/catalog.js';
import type { KqlType } from '../../../kql/types.js';
import type { IngestRow } from '../../types.js';
import { AUDIT_FAILURE, AUDIT_SUCCESS, EVENT_NS, dataValue, type WindowsEvent } from './event.js';
import { logonTypeName, securityActivity } from './security-activities.js';
import { isSysmon, renderSysmonMessage } from './sysmon.js';
import { escapeXml } from './xml-text.js';

let columnTypes: { SecurityEvent: Map<string, KqlType>; Event: Map<string, KqlType> } | undefined;

/** Column name → type of the two tables, from the shipped Sentinel catalog. */
function tableColumns(): NonNullable<typeof columnTypes> {
  if (!columnTypes) {
    const catalog = new SentinelCatalog();
    const load = (name: string): Map<string, KqlType> => {
      const schema = catalog.get(name);
      if (!schema) throw new Error(`the table catalog has no ${name} table`);
      return new Map(schema.columns.map((c) => [c.name, c.type]));
    };
    columnTypes = { SecurityEvent: load('SecurityEvent'), Event: load('Event') };
  }
  return columnTypes;
}

export function isSecurityChannel(event: WindowsEvent): boolean {
  return event.channel.toLowerCase() === 'security';
}

export function mapWindowsEvent(event: WindowsEvent): IngestRow {
  return isSecurityChannel(event) ? securityEventRow(event) : eventRow(event);
}

// Columns computed below; an EventData field of the same name does not overwrite them.
const COMPUTED = new Set([
  'TimeGenerated', 'Type', '_ItemId', 'EventID', 'Computer', 'Channel', 'EventSourceName', 'Level', 'EventLevelName', 'Task',
  'Opcode', 'Keywords', 'Version', 'EventRecordId', 'SystemProcessId', 'SystemThreadId', 'SystemUserId', 'Correlation',
  'Activity', 'Account', 'AccountType', 'SubjectAccount', 'TargetAccount', 'LogonTypeName', 'Process', 'EventData',
]);

function securityEventRow(event: WindowsEvent): IngestRow {
  const types = tableColumns().SecurityEvent;
  const v: Record<string, unknown> = {};
  for (const d of event.data) {
    const type = types.get(d.name);
    if (!type || COMPUTED.has(d.name) || d.name in v) continue;
    v[d.name] = typed(d.value, type);
  }
  const subject = account(dataValue(event, 'SubjectDomainName'), dataValue(event, 'SubjectUserName'));
  const target = account(dataValue(event, 'TargetDomainName'), dataValue(event, 'TargetUserName'));
  const acct = target || subject;
  const processPath = dataValue(event, 'NewProcessName') || dataValue(event, 'ProcessName') || '';
  const logonType = typeof v['LogonType'] === 'number' ? (v['LogonType'] as number) : null;
  const audit = auditResult(event.keywords);

  Object.assign(v, {
    TimeGenerated: event.timeCreated,
    EventID: event.eventId,
    Computer: event.computer,
    Channel: 'Security',
    EventSourceName: event.provider,
    Task: event.task,
    Level: audit ? String(audit.level) : event.level === null ? '' : String(event.level),
    EventLevelName: audit ? audit.name : levelName(event.level).name,
    Opcode: event.opcode === null ? '' : String(event.opcode),
    Keywords: event.keywords,
    Version: event.version,
    EventRecordId: event.recordId,
    SystemProcessId: event.processId,
    SystemThreadId: event.threadId,
    SystemUserId: event.userSid,
    Correlation: event.activityId,
    Activity: securityActivity(event.eventId),
    Account: acct,
    AccountType: acct === '' ? '' : acct.endsWith('$') ? 'Machine' : 'User',
    SubjectAccount: subject,
    TargetAccount: target,
    LogonTypeName: logonType === null ? '' : logonTypeName(logonType),
    Process: leafName(processPath),
    EventData: dataXml(event),
  });
  return { table: 'SecurityEvent', values: v };
}

function eventRow(event: WindowsEvent): IngestRow {
  const level = levelName(event.level);
  const sysmon = isSysmon(event);
  return {
    table: 'Event',
    values: {
      TimeGenerated: event.timeCreated,
      Source: event.provider,
      EventLog: event.channel,
      Computer: event.computer,
      EventID: event.eventId,
      EventCategory: event.task,
      EventLevel: level.code,
      EventLevelName: level.name,
      UserName: userName(event),
      RenderedDescription: event.message || (sysmon ? renderSysmonMessage(event) : ''),
      EventData: dataItemXml(event),
      ParameterXml: event.data.map((d) => `<Param>${escapeXml(d.value)}</Param>`).join(''),
    },
  };
}

/**
 * The agent's EventLevel is the classic event type (1 error, 2 warning, 4 information), not the
 * ETW level: Critical and Error are both errors; LogAlways, Information and Verbose information.
 */
function levelName(level: number | null): { code: number; name: string } {
  if (level === 1 || level === 2) return { code: 1, name: 'Error' };
  if (level === 3) return { code: 2, name: 'Warning' };
  return { code: 4, name: 'Information' };
}

/** The Security log marks results in Keywords; the agent reports them as levels 8 and 16. */
function auditResult(keywords: string): { level: number; name: string } | undefined {
  let bits: bigint;
  try {
    bits = BigInt(keywords);
  } catch {
    return undefined;
  }
  if (bits & AUDIT_FAILURE) return { level: 16, name: 'Audit Failure' };
  if (bits & AUDIT_SUCCESS) return { level: 8, name: 'Audit Success' };
  return undefined;
}

const WELL_KNOWN_SIDS: Record<string, string> = {
  'S-1-5-18': 'NT AUTHORITY\\SYSTEM',
  'S-1-5-19': 'NT AUTHORITY\\LOCAL SERVICE',
  'S-1-5-20': 'NT AUTHORITY\\NETWORK SERVICE',
};

/** Event.UserName: the account the event was logged for, resolved where that is possible offline. */
function userName(event: WindowsEvent): string {
  if (event.userName) return event.userName;
  if (!event.userSid) return 'N/A';
  return WELL_KNOWN_SIDS[event.userSid] ?? event.userSid;
}

/** DOMAIN\user, as Sentinel writes accounts; '' when the event names no user. */
function account(domain: string | undefined, user: string | undefined): string {
  if (!user || user === '-') return '';
  return domain && domain !== '-' ? `${domain}\\${user}` : user;
}

function leafName(path: string): string {
  const i = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return i >= 0 ? path.slice(i + 1) : path;
}

/** EventData text to the column's type; numbers may be written in hex (`0x0`); unparsable → null. */
function typed(value: string, type: KqlType): unknown {
  if (type === 'string') return value;
  if (type === 'int' || type === 'long') {
    const t = value.trim();
    if (/^[+-]?\d+$/.test(t)) return type === 'int' ? Number(t) : BigInt(t);
    if (/^0x[0-9a-f]+$/i.test(t)) {
      const n = BigInt(t);
      return type === 'long' ? n : n <= 0xffffffffn ? Number(BigInt.asIntN(32, n)) : null;
    }
    return null;
  }
  return value;
}

/** SecurityEvent.EventData: the event's EventData (or UserData) element as XML. */
function dataXml(event: WindowsEvent): string {
  if (event.dataKind === 'none') return '';
  if (event.dataXml) return withEventNamespace(event.dataXml);
  if (event.dataKind === 'UserData') {
    const el = event.userDataElement ?? { name: 'EventXML', xmlns: '' };
    const ns = el.xmlns ? ` xmlns="${escapeXml(el.xmlns, true)}"` : '';
    return `<UserData xmlns="${EVENT_NS}"><${el.name}${ns}>${userDataFields(event)}</${el.name}></UserData>`;
  }
  const items = event.data
    .map((d) => (d.name ? `<Data Name="${escapeXml(d.name, true)}">${escapeXml(d.value)}</Data>` : `<Data>${escapeXml(d.value)}</Data>`))
    .join('');
  return `<EventData xmlns="${EVENT_NS}">${items}</EventData>`;
}

/** The block as Sentinel shows it: carrying the event namespace the parent <Event> declared. */
function withEventNamespace(xml: string): string {
  const m = /^<(EventData|UserData)(\s[^>]*)?(\/?)>/.exec(xml);
  if (!m || (m[2] ?? '').includes('xmlns=')) return xml;
  return `<${m[1]} xmlns="${EVENT_NS}"${m[2] ?? ''}${m[3]}>${xml.slice(m[0].length)}`;
}

/** UserData fields back as elements; nested names (`a.b`) were flattened and stay dotted paths' leaves. */
function userDataFields(event: WindowsEvent): string {
  return event.data
    .map((d) => {
      const tag = d.name.slice(d.name.lastIndexOf('.') + 1) || 'Data';
      return `<${tag}>${escapeXml(d.value)}</${tag}>`;
    })
    .join('');
}

/** Event.EventData as the agent writes it: the event's data wrapped in a `<DataItem>`. */
function dataItemXml(event: WindowsEvent): string {
  const time = event.timeCreated ?? '';
  const inner = event.dataKind === 'UserData' ? dataXml(event).replace(` xmlns="${EVENT_NS}"`, '') : dataXml(event);
  return `<DataItem type="System.XmlData" time="${escapeXml(time, true)}" sourceHealthServiceId="00000000-0000-0000-0000-000000000000">${inner}</DataItem>`;
}
