/**
 * A Windows event shipped as one flat JSON object (OTRF Security-Datasets, recorded through
 * Winlogbeat/Logstash or NXLog) to a WindowsEvent. The shippers put the System fields and the
 * event's own EventData fields side by side; the names below are the shippers' own fields and
 * everything else is EventData.
 */
import { dataValue, type WindowsEvent, type WindowsEventData } from './event.js';
import { SYSMON_PROVIDER, SYSMON_CHANNEL } from './sysmon.js';

/** Fields the shippers add or take from <System>; not part of the event's EventData. */
const SHIPPER_FIELDS = new Set([
  '@timestamp', '@version', 'AccountName', 'AccountType', 'ActivityID', 'Category', 'Channel', 'Domain', 'ERROR_EVT_UNRESOLVED',
  'EventID', 'EventReceivedTime', 'EventTime', 'EventTypeOrignal', 'ExecutionProcessID', 'Hostname', 'Keywords', 'Level',
  'Message', 'Opcode', 'OpcodeValue', 'ProviderGuid', 'RecordNumber', 'Severity', 'SeverityValue', 'SourceModuleName',
  'SourceModuleType', 'SourceName', 'Task', 'ThreadID', 'TimeCreated', 'UserID', 'Version', 'host', 'port', 'tags',
]);

export class WindowsJsonError extends Error {}

/** Whether a JSON object looks like a flattened Windows event. */
export function isWindowsJson(o: Record<string, unknown>): boolean {
  return o['EventID'] !== undefined && (o['Channel'] !== undefined || o['SourceName'] !== undefined);
}

/**
 * `line` is the object's JSON text: Keywords is a 64-bit number that JSON.parse would round,
 * so it is read from the text.
 */
export function windowsEventFromJson(o: Record<string, unknown>, line: string): WindowsEvent {
  const eventId = Number(o['EventID']);
  if (!Number.isInteger(eventId)) throw new WindowsJsonError(`EventID ${JSON.stringify(o['EventID'])} is not a number`);
  const nxlog = o['SourceModuleType'] !== undefined;
  // NXLog writes its own severity into EventType; Logstash then kept the event's in EventTypeOrignal… or not.
  const eventTypeIsShippers = nxlog && o['EventTypeOrignal'] === undefined;
  const provider = text(o['SourceName']);
  const channel = text(o['Channel']);

  const fields: WindowsEventData[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (SHIPPER_FIELDS.has(k) || (k === 'EventType' && eventTypeIsShippers)) continue;
    fields.push({ name: k, value: text(v) });
  }
  const message = text(o['Message']);
  const sysmon = provider === SYSMON_PROVIDER || channel === SYSMON_CHANNEL;
  const event: WindowsEvent = {
    provider,
    providerGuid: text(o['ProviderGuid']),
    eventId,
    qualifiers: null,
    version: int(o['Version']),
    level: int(o['Level']),
    task: int(o['Task']),
    opcode: int(o['OpcodeValue'] ?? o['Opcode']),
    keywords: keywords(line),
    timeCreated: null,
    recordId: text(o['RecordNumber']),
    activityId: text(o['ActivityID']),
    processId: int(o['ExecutionProcessID']),
    threadId: int(o['ThreadID']),
    channel,
    computer: text(o['Hostname']),
    userSid: text(o['UserID']),
    userName: o['AccountName'] ? (o['Domain'] ? `${text(o['Domain'])}\\${text(o['AccountName'])}` : text(o['AccountName'])) : '',
    data: sysmon && message ? inMessageOrder(fields, message) : fields,
    dataKind: fields.length ? 'EventData' : 'none',
    message,
  };
  event.timeCreated = eventTime(o, event);
  return event;
}

/**
 * The event's time, in UTC: TimeCreated (Winlogbeat), else Sysmon's own UtcTime, else the
 * shipper's @timestamp (seconds after the event). NXLog's EventTime is the collector's local
 * time without a zone, so it is the last resort and read as UTC.
 */
function eventTime(o: Record<string, unknown>, event: WindowsEvent): string | null {
  const candidates = [o['TimeCreated'], dataValue(event, 'UtcTime'), o['@timestamp'], o['EventTime']];
  for (const c of candidates) {
    const t = text(c).trim();
    if (!t) continue;
    const iso = /^\d{4}-\d{2}-\d{2} \d/.test(t) ? `${t.replace(' ', 'T')}${/[zZ]|[+-]\d\d:?\d\d$/.test(t) ? '' : 'Z'}` : t;
    if (!Number.isNaN(new Date(iso).getTime())) return iso;
  }
  return null;
}

/** Sysmon's message lists the fields in EventData order (`Name: value` lines); JSON lost that order. */
function inMessageOrder(fields: WindowsEventData[], message: string): WindowsEventData[] {
  const order = new Map<string, number>();
  for (const line of message.split(/\r?\n/)) {
    const m = /^([A-Za-z][A-Za-z0-9]*): /.exec(line) ?? /^([A-Za-z][A-Za-z0-9]*):$/.exec(line);
    if (m && !order.has(m[1]!)) order.set(m[1]!, order.size);
  }
  return [...fields].sort((a, b) => (order.get(a.name) ?? 1e9) - (order.get(b.name) ?? 1e9));
}

/** Keywords as Windows shows them (`0x8020000000000000`), from the signed 64-bit number in the text. */
function keywords(line: string): string {
  const m = /"Keywords"\s*:\s*(-?\d+)/.exec(line);
  if (m) return `0x${BigInt.asUintN(64, BigInt(m[1]!)).toString(16)}`;
  const s = /"Keywords"\s*:\s*"([^"]*)"/.exec(line);
  return s ? s[1]! : '';
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function int(v: unknown): number | null {
  if (v === undefined || v === null || v === '') return null;
  const n = Number(v);
  return Number.isInteger(n) ? n : null;
}
