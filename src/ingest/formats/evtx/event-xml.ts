/**
 * The XML of one rendered EVTX record (`<Event><System>…</System><EventData>…</EventData></Event>`)
 * to a WindowsEvent.
 */
import type { WindowsEvent, WindowsEventData } from '../windows/event.js';
import { parseXmlTree, XmlSyntaxError, type XmlElement } from './xml-tree.js';

export class EventXmlError extends Error {}

export function parseEventXml(xml: string): WindowsEvent {
  let event: XmlElement;
  try {
    event = parseXmlTree(xml);
  } catch (e) {
    if (e instanceof XmlSyntaxError) throw new EventXmlError(`record XML does not parse: ${e.message}`);
    throw e;
  }
  if (event.name !== 'Event') throw new EventXmlError(`record XML has <${event.name}> where <Event> was expected`);
  const system = child(event, 'System');
  if (!system) throw new EventXmlError('record XML has no <System> element');

  const f = (name: string) => child(system, name);
  const provider = f('Provider');
  const eventIdEl = f('EventID');
  const eventIdText = (eventIdEl?.text ?? '').trim();
  const eventId = Number(eventIdText);
  if (eventIdText === '' || !Number.isInteger(eventId)) throw new EventXmlError(`EventID '${eventIdText}' is not a number`);
  const time = f('TimeCreated')?.attrs['SystemTime'];
  const execution = f('Execution');
  const result: WindowsEvent = {
    provider: provider?.attrs['Name'] ?? '',
    providerGuid: provider?.attrs['Guid'] ?? '',
    eventId,
    qualifiers: int(eventIdEl?.attrs['Qualifiers']),
    version: int(f('Version')?.text),
    level: int(f('Level')?.text),
    task: int(f('Task')?.text),
    opcode: int(f('Opcode')?.text),
    keywords: (f('Keywords')?.text ?? '').trim(),
    timeCreated: time ? parseSystemTime(time) : null,
    recordId: (f('EventRecordID')?.text ?? '').trim(),
    activityId: f('Correlation')?.attrs['ActivityID'] ?? '',
    processId: int(execution?.attrs['ProcessID']),
    threadId: int(execution?.attrs['ThreadID']),
    channel: (f('Channel')?.text ?? '').trim(),
    computer: (f('Computer')?.text ?? '').trim(),
    userSid: f('Security')?.attrs['UserID'] ?? '',
    userName: '',
    data: [],
    dataKind: 'none',
    message: '',
  };

  const eventData = child(event, 'EventData');
  const userData = child(event, 'UserData');
  if (eventData || userData) result.dataXml = blockXml(xml, eventData ? 'EventData' : 'UserData');
  if (eventData) {
    result.dataKind = 'EventData';
    for (const d of eventData.children) {
      // <Data Name="…"> items; classic sources add <Binary> next to them.
      if (d.name === 'Data') result.data.push({ name: d.attrs['Name'] ?? '', value: d.text });
      else if (d.name === 'Binary') result.data.push({ name: 'Binary', value: d.text.trim() });
    }
  } else if (userData) {
    result.dataKind = 'UserData';
    const inner = userData.children[0];
    if (inner) {
      result.userDataElement = { name: inner.name, xmlns: inner.attrs['xmlns'] ?? '' };
      flatten(inner, '', result.data);
    }
  }
  return result;
}

/** The `<EventData …>…</EventData>` (or UserData) text of the record, as written. */
function blockXml(xml: string, tag: string): string | undefined {
  const start = xml.indexOf(`<${tag}`);
  if (start < 0) return undefined;
  const close = `</${tag}>`;
  const end = xml.lastIndexOf(close);
  if (end > start) return xml.slice(start, end + close.length);
  const empty = xml.indexOf('/>', start);
  return empty > start ? xml.slice(start, empty + 2) : undefined;
}

function child(el: XmlElement, name: string): XmlElement | undefined {
  for (const c of el.children) if (c.name === name) return c;
  return undefined;
}

/** UserData's element tree as name/value pairs (nested names joined with '.'). */
function flatten(el: XmlElement, prefix: string, out: WindowsEventData[]): void {
  for (const c of el.children) {
    const name = prefix ? `${prefix}.${c.name}` : c.name;
    for (const [attr, value] of Object.entries(c.attrs)) if (!attr.startsWith('xmlns')) out.push({ name: `${name}.${attr}`, value });
    if (c.children.length > 0) flatten(c, name, out);
    else if (c.text !== '' || Object.keys(c.attrs).length === 0) out.push({ name, value: c.text });
  }
}

/** `2021-04-22T08:50:53.6141234Z` checked and kept as text (a Date would drop the sub-millisecond digits). */
export function parseSystemTime(s: string): string | null {
  const t = s.trim();
  return Number.isNaN(new Date(t).getTime()) ? null : t;
}

function int(s: string | undefined): number | null {
  const t = (s ?? '').trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isInteger(n) ? n : null;
}
