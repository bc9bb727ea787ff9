/**
 * Syslog messages (RFC 3164 "BSD" and RFC 5424) → rows of Sentinel's `Syslog` table. A message
 * whose body is CEF or LEEF goes to `CommonSecurityLog` instead (cef.ts, leef.ts), with the
 * syslog header's host as `Computer`. Pure functions: a line in, a row or a rejection out.
 *
 * Accepted headers, with or without the `<PRI>` part (a missing PRI is user.notice, RFC 3164 §4.3.3):
 *   RFC 5424: `<PRI>1 2024-01-02T03:04:05.678Z host app 123 MSGID [sd] msg`
 *   RFC 3164: `<PRI>Mmm dd hh:mm:ss host tag[pid]: msg`, also `dd Mmm hh:mm:ss`, `Mmm dd yyyy hh:mm:ss`
 *             and an RFC 3339 time stamp in place of the BSD one (rsyslog's high-precision format).
 */
import { parseCefMessage, isCefPayload } from './cef.js';
import { parseLeefMessage, isLeefPayload } from './leef.js';
import { parseIsoMicros } from '../values.js';

export const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'ntp', 'audit', 'alert', 'clock', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
] as const;
/** SeverityLevel values as Sentinel's Syslog table spells them. */
export const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

export interface SyslogContext {
  /** The time the message arrived: supplies the year RFC 3164 leaves out. */
  received: Date;
  /** Address of the sender (listeners), for HostIP. */
  senderIp?: string;
}

export type SyslogParse =
  | { ok: true; table: 'Syslog' | 'CommonSecurityLog'; values: Record<string, unknown> }
  | { ok: false; reason: string };

interface Header {
  pri?: number;
  time?: Date;
  host: string;
  appName: string;
  procId: string;
  msgId?: string;
  structuredData?: string;
  message: string;
  rfc: '3164' | '5424';
}

/** Parses one syslog message (one line, or one frame from a listener). */
export function parseSyslog(line: string, ctx: SyslogContext): SyslogParse {
  const text = line.replace(/^\uFEFF/, '').replace(/[\r\n]+$/, '');
  if (text.trim() === '') return { ok: false, reason: 'empty syslog message' };
  // Bare CEF/LEEF lines (no syslog header at all) are common in exported files.
  if (isCefPayload(text) || isLeefPayload(text)) return payloadRow(text, undefined, ctx);
  const header = parseHeader(text, ctx.received);
  if (!header) return { ok: false, reason: 'no syslog header: expected <PRI>, an RFC 5424 header, or a time stamp such as "Jan  2 03:04:05" at the start' };
  const pri = header.pri ?? 13;
  const facility = FACILITIES[pri >> 3] ?? `facility${pri >> 3}`;
  const severity = SEVERITIES[pri & 7]!;
  if (isCefPayload(header.message) || isLeefPayload(header.message)) return payloadRow(header.message, header, ctx, facility, severity);
  const values: Record<string, unknown> = {
    Facility: facility,
    SeverityLevel: severity,
    HostName: header.host,
    Computer: header.host,
    ProcessName: header.appName === '-' ? '' : header.appName,
    SyslogMessage: header.message,
    EventTime: header.time ?? null,
    TimeGenerated: header.time ?? null,
    HostIP: ctx.senderIp ?? '',
    SourceSystem: 'Linux',
  };
  if (/^\d{1,10}$/.test(header.procId) && Number(header.procId) <= 2147483647) values.ProcessID = Number(header.procId);
  else if (header.procId && header.procId !== '-') values.ProcessIDText = header.procId;
  if (header.msgId && header.msgId !== '-') values.MsgId = header.msgId;
  if (header.structuredData && header.structuredData !== '-') values.StructuredData = header.structuredData;
  return { ok: true, table: 'Syslog', values };
}

function payloadRow(payload: string, header: Header | undefined, ctx: SyslogContext, facility?: string, severity?: string): SyslogParse {
  const parsed = isCefPayload(payload) ? parseCefMessage(payload) : parseLeefMessage(payload);
  if (!parsed.ok) return parsed;
  const values = parsed.values;
  if (header) {
    values.Computer = header.host;
    if (header.appName && header.appName !== '-' && values.ProcessName === undefined) values.ProcessName = header.appName;
    if (values.TimeGenerated === undefined) values.TimeGenerated = header.time ?? null;
  }
  if (facility !== undefined) values.Facility = facility;
  if (severity !== undefined) values.OriginalLogSeverity ??= severity;
  if (ctx.senderIp) values.CollectorHostName ??= ctx.senderIp;
  return { ok: true, table: 'CommonSecurityLog', values };
}

function parseHeader(text: string, received: Date): Header | undefined {
  let rest = text;
  let pri: number | undefined;
  const priMatch = /^<(\d{1,3})>/.exec(rest);
  if (priMatch) {
    pri = Number(priMatch[1]);
    if (pri > 191) return undefined;
    rest = rest.slice(priMatch[0].length);
  }
  const v5424 = /^1 (\S+) (\S+) (\S+) (\S+) (\S+) ?/.exec(rest);
  if (v5424) return parse5424(pri, v5424, rest.slice(v5424[0].length));
  const stamp = parseBsdTime(rest, received);
  if (!stamp) {
    // A PRI followed by no time stamp: RFC 3164 §4.3.2 says the whole rest is the message.
    if (pri !== undefined) return { pri, host: '', appName: '', procId: '', message: rest, rfc: '3164' };
    return undefined;
  }
  rest = rest.slice(stamp.length).replace(/^ +/, '');
  let host = '';
  // The host is the next word unless that word is already the tag (`sshd[12]:`) or the payload.
  const word = /^(\S+)(?: +|$)/.exec(rest);
  if (word && !/[:\[]/.test(word[1]!.slice(-1)) && !/\[\d+\]:?$/.test(word[1]!) && !isCefPayload(rest) && !isLeefPayload(rest)) {
    host = word[1]!;
    rest = rest.slice(word[0].length);
  }
  let appName = '';
  let procId = '';
  const tag = /^([A-Za-z0-9_.\/@()-]{1,64})(?:\[([^\]\s]{1,32})\])?: ?/.exec(rest);
  if (tag && !isCefPayload(rest) && !isLeefPayload(rest)) {
    appName = tag[1]!;
    procId = tag[2] ?? '';
    rest = rest.slice(tag[0].length);
  }
  return { pri, time: stamp.time, host, appName, procId, message: rest, rfc: '3164' };
}

function parse5424(pri: number | undefined, m: RegExpExecArray, after: string): Header {
  const [, timestamp, host, app, proc, msgId] = m;
  let time: Date | undefined;
  if (timestamp !== '-') {
    const micros = parseIsoMicros(timestamp!);
    if (micros !== undefined) time = new Date(Number(micros / 1000n));
  }
  let rest = after;
  let sd = '-';
  if (rest.startsWith('-')) {
    rest = rest.slice(1);
  } else if (rest.startsWith('[')) {
    const end = structuredDataEnd(rest);
    sd = rest.slice(0, end);
    rest = rest.slice(end);
  }
  rest = rest.replace(/^ /, '').replace(/^\uFEFF/, '');
  return { pri, time, host: host === '-' ? '' : host!, appName: app!, procId: proc!, msgId, structuredData: sd, message: rest, rfc: '5424' };
}

/** End of the SD-ELEMENTs (`[id k="v"]…`); `]` and `"` inside values are escaped with `\`. */
function structuredDataEnd(s: string): number {
  let i = 0;
  while (i < s.length && s[i] === '[') {
    let inQuote = false;
    i++;
    for (; i < s.length; i++) {
      const c = s[i];
      if (c === '\\') { i++; continue; }
      if (c === '"') inQuote = !inQuote;
      else if (c === ']' && !inQuote) { i++; break; }
    }
  }
  return i;
}

/** The BSD time stamp forms at the start of `s`, with the text they cover. */
function parseBsdTime(s: string, received: Date): { time: Date; length: number } | undefined {
  let m = /^([A-Z][a-z]{2}) +(\d{1,2}) (?:(\d{4}) )?(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/.exec(s);
  if (m && MONTHS[m[1]!.toLowerCase()] !== undefined) return bsd(MONTHS[m[1]!.toLowerCase()]!, m[2]!, m[3], m[4]!, m[5]!, m[6]!, m[7], m[0].length, received);
  m = /^(\d{1,2}) ([A-Z][a-z]{2}) (?:(\d{4}) )?(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/.exec(s);
  if (m && MONTHS[m[2]!.toLowerCase()] !== undefined) return bsd(MONTHS[m[2]!.toLowerCase()]!, m[1]!, m[3], m[4]!, m[5]!, m[6]!, m[7], m[0].length, received);
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?/.exec(s);
  if (iso) {
    const micros = parseIsoMicros(iso[0]);
    if (micros !== undefined) return { time: new Date(Number(micros / 1000n)), length: iso[0].length };
  }
  return undefined;
}

function bsd(month: number, day: string, year: string | undefined, hh: string, mm: string, ss: string, frac: string | undefined, length: number, received: Date) {
  const d = Number(day);
  if (d < 1 || d > 31 || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 60) return undefined;
  const ms = (frac ? Number((frac + '000').slice(0, 3)) : 0);
  let y = year ? Number(year) : received.getUTCFullYear();
  let t = Date.UTC(y, month, d, Number(hh), Number(mm), Number(ss), ms);
  // RFC 3164 has no year: a time more than a day ahead of arrival belongs to last year (December logs read in January).
  if (!year && t > received.getTime() + 86_400_000) t = Date.UTC(--y, month, d, Number(hh), Number(mm), Number(ss), ms);
  return { time: new Date(t), length };
}
