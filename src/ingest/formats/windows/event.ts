/**
 * One Windows event, independent of how it arrived (an EVTX record or an OTRF / Winlogbeat /
 * NXLog JSON object). Both readers fill this shape and `mapWindowsEvent` (mapping.ts) turns it
 * into a row of SecurityEvent or Event, so the two sources give the same columns.
 */
export interface WindowsEventData {
  /** The `Name` attribute of a `<Data>` element (or a UserData child element's tag); '' when unnamed. */
  name: string;
  value: string;
}

export interface WindowsEvent {
  provider: string;
  providerGuid: string;
  eventId: number;
  /** `Qualifiers` of `<EventID>`, when present (classic event sources). */
  qualifiers: number | null;
  version: number | null;
  /** Windows level: 0 LogAlways, 1 Critical, 2 Error, 3 Warning, 4 Information, 5 Verbose. */
  level: number | null;
  task: number | null;
  opcode: number | null;
  /** Keywords as the hexadecimal text Windows shows (`0x8020000000000000`). */
  keywords: string;
  /** TimeCreated as ISO 8601 UTC text (EVTX keeps 100-ns digits; the table keeps microseconds). */
  timeCreated: string | null;
  recordId: string;
  activityId: string;
  processId: number | null;
  threadId: number | null;
  channel: string;
  computer: string;
  /** `Security UserID`: the SID the event was logged for, '' when none. */
  userSid: string;
  /** DOMAIN\name of `userSid` when the source resolved it (NXLog does), else ''. */
  userName: string;
  /** EventData `<Data>` items or the flattened UserData fields, in document order. */
  data: WindowsEventData[];
  /** Which block the data came from: Sentinel keeps them apart in the EventData XML. */
  dataKind: 'EventData' | 'UserData' | 'none';
  /** UserData's single child element (its tag and namespace), for rebuilding the XML. */
  userDataElement?: { name: string; xmlns: string };
  /** The source's own `<EventData>`/`<UserData>` XML when it has one (EVTX); otherwise it is rebuilt from `data`. */
  dataXml?: string;
  /** The rendered message when the source carried one (JSON shippers do; EVTX files do not). */
  message: string;
}

export const EVENT_NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

/** Keywords bits of the Security log's audit results. */
export const AUDIT_SUCCESS = 0x0020000000000000n;
export const AUDIT_FAILURE = 0x0010000000000000n;

export function dataValue(event: WindowsEvent, name: string): string | undefined {
  for (const d of event.data) if (d.name === name) return d.value;
  return undefined;
}
