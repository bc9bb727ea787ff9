/**
 * CEF (ArcSight Common Event Format) → Sentinel's `CommonSecurityLog`, with header fields and
 * extension keys mapped as Microsoft documents them ("CEF and CommonSecurityLog field
 * mapping", learn.microsoft.com/azure/sentinel/cef-name-mapping); the CEF full key names map to
 * the same columns. Keys without a column go to `AdditionalExtensions` as `key=value;…`, as
 * Sentinel stores them.
 *
 * `CEF:Version|Device Vendor|Device Product|Device Version|Device Event Class ID|Name|Severity|Extension`
 * Header fields escape `|` and `\` with `\`; extension values escape `=`, `\`, and use `\n` `\r`.
 */

/** CEF extension key (short and full names) → CommonSecurityLog column. */
export const CEF_KEY_COLUMNS: Readonly<Record<string, string>> = {
  act: 'DeviceAction', deviceAction: 'DeviceAction',
  app: 'ApplicationProtocol', applicationProtocol: 'ApplicationProtocol',
  cat: 'DeviceEventCategory', deviceEventCategory: 'DeviceEventCategory',
  cnt: 'EventCount', baseEventCount: 'EventCount',
  destinationDnsDomain: 'DestinationDnsDomain',
  destinationServiceName: 'DestinationServiceName',
  destinationTranslatedAddress: 'DestinationTranslatedAddress',
  destinationTranslatedPort: 'DestinationTranslatedPort',
  deviceDirection: 'CommunicationDirection',
  deviceDnsDomain: 'DeviceDnsDomain',
  deviceExternalId: 'DeviceExternalID',
  deviceFacility: 'DeviceFacility',
  deviceInboundInterface: 'DeviceInboundInterface',
  deviceNtDomain: 'DeviceNtDomain',
  deviceOutboundInterface: 'DeviceOutboundInterface',
  devicePayloadId: 'DevicePayloadId',
  deviceProcessName: 'ProcessName',
  deviceTranslatedAddress: 'DeviceTranslatedAddress',
  dhost: 'DestinationHostName', destinationHostName: 'DestinationHostName',
  dmac: 'DestinationMACAddress', destinationMacAddress: 'DestinationMACAddress',
  dntdom: 'DestinationNTDomain', destinationNtDomain: 'DestinationNTDomain',
  dpid: 'DestinationProcessId', destinationProcessId: 'DestinationProcessId',
  dpriv: 'DestinationUserPrivileges', destinationUserPrivileges: 'DestinationUserPrivileges',
  dproc: 'DestinationProcessName', destinationProcessName: 'DestinationProcessName',
  dpt: 'DestinationPort', destinationPort: 'DestinationPort',
  dst: 'DestinationIP', destinationAddress: 'DestinationIP',
  dtz: 'DeviceTimeZone', deviceTimeZone: 'DeviceTimeZone',
  duid: 'DestinationUserID', destinationUserId: 'DestinationUserID',
  duser: 'DestinationUserName', destinationUserName: 'DestinationUserName',
  dvc: 'DeviceAddress', deviceAddress: 'DeviceAddress',
  dvchost: 'DeviceName', deviceHostName: 'DeviceName',
  dvcmac: 'DeviceMacAddress', deviceMacAddress: 'DeviceMacAddress',
  dvcpid: 'ProcessID', deviceProcessId: 'ProcessID',
  end: 'EndTime', endTime: 'EndTime',
  externalId: 'ExtID',
  fileCreateTime: 'FileCreateTime',
  fileHash: 'FileHash',
  fileId: 'FileID',
  fileModificationTime: 'FileModificationTime',
  filePath: 'FilePath',
  filePermission: 'FilePermission',
  fileType: 'FileType',
  fname: 'FileName', fileName: 'FileName',
  fsize: 'FileSize', fileSize: 'FileSize',
  in: 'ReceivedBytes', bytesIn: 'ReceivedBytes',
  msg: 'Message', message: 'Message',
  oldFileCreateTime: 'OldFileCreateTime',
  oldFileHash: 'OldFileHash',
  oldFileId: 'OldFileID',
  oldFileModificationTime: 'OldFileModificationTime',
  oldFileName: 'OldFileName',
  oldFilePath: 'OldFilePath',
  oldFilePermission: 'OldFilePermission',
  oldFileSize: 'OldFileSize',
  oldFileType: 'OldFileType',
  out: 'SentBytes', bytesOut: 'SentBytes',
  outcome: 'EventOutcome', eventOutcome: 'EventOutcome',
  proto: 'Protocol', transportProtocol: 'Protocol',
  reason: 'Reason',
  request: 'RequestURL', requestUrl: 'RequestURL',
  requestClientApplication: 'RequestClientApplication',
  requestContext: 'RequestContext',
  requestCookies: 'RequestCookies',
  requestMethod: 'RequestMethod',
  rt: 'ReceiptTime', receiptTime: 'ReceiptTime',
  shost: 'SourceHostName', sourceHostName: 'SourceHostName',
  smac: 'SourceMACAddress', sourceMacAddress: 'SourceMACAddress',
  sntdom: 'SourceNTDomain', sourceNtDomain: 'SourceNTDomain',
  sourceDnsDomain: 'SourceDnsDomain',
  sourceServiceName: 'SourceServiceName',
  sourceTranslatedAddress: 'SourceTranslatedAddress',
  sourceTranslatedPort: 'SourceTranslatedPort',
  spid: 'SourceProcessId', sourceProcessId: 'SourceProcessId',
  spriv: 'SourceUserPrivileges', sourceUserPrivileges: 'SourceUserPrivileges',
  sproc: 'SourceProcessName', sourceProcessName: 'SourceProcessName',
  spt: 'SourcePort', sourcePort: 'SourcePort',
  src: 'SourceIP', sourceAddress: 'SourceIP',
  start: 'StartTime', startTime: 'StartTime',
  suid: 'SourceUserID', sourceUserId: 'SourceUserID',
  suser: 'SourceUserName', sourceUserName: 'SourceUserName',
  type: 'EventType',
  // Custom fields: c6a1–4 (IPv6), cfp1–4 (floating point), cn1–3 (number), cs1–6 (string),
  // deviceCustomDate1–2, flexDate1, flexNumber1–2, flexString1–2, each with its Label.
  ...customFields('c6a', 'deviceCustomIPv6Address', 'DeviceCustomIPv6Address', 4),
  ...customFields('cfp', 'deviceCustomFloatingPoint', 'DeviceCustomFloatingPoint', 4),
  ...customFields('cn', 'deviceCustomNumber', 'DeviceCustomNumber', 3),
  ...customFields('cs', 'deviceCustomString', 'DeviceCustomString', 6),
  ...customFields('deviceCustomDate', 'deviceCustomDate', 'DeviceCustomDate', 2),
  ...customFields('flexDate', 'flexDate', 'FlexDate', 1),
  ...customFields('flexNumber', 'flexNumber', 'FlexNumber', 2),
  ...customFields('flexString', 'flexString', 'FlexString', 2),
};

function customFields(short: string, long: string, column: string, count: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 1; i <= count; i++) {
    out[`${short}${i}`] = `${column}${i}`;
    out[`${short}${i}Label`] = `${column}${i}Label`;
    out[`${long}${i}`] = `${column}${i}`;
    out[`${long}${i}Label`] = `${column}${i}Label`;
  }
  return out;
}

/** Columns whose CEF value is a time stamp (epoch milliseconds or `MMM dd yyyy HH:mm:ss`). */
const TIME_COLUMNS = new Set(['StartTime', 'EndTime']);

const CEF_START = /^CEF:\s*\d+\|/;

export function isCefPayload(text: string): boolean {
  return CEF_START.test(text);
}

export type CefParse = { ok: true; values: Record<string, unknown> } | { ok: false; reason: string };

/** Parses a CEF message (starting at `CEF:`) into CommonSecurityLog values. */
export function parseCefMessage(text: string): CefParse {
  const head = /^CEF:\s*(\d+)\|/.exec(text);
  if (!head) return { ok: false, reason: 'not a CEF message: it must start with "CEF:<version>|"' };
  const fields: string[] = [];
  let i = head[0].length;
  let current = '';
  // Six more header fields after the version, each ended by an unescaped `|`.
  while (fields.length < 6 && i < text.length) {
    const c = text[i]!;
    if (c === '\\' && (text[i + 1] === '|' || text[i + 1] === '\\')) {
      current += text[i + 1];
      i += 2;
      continue;
    }
    if (c === '|') {
      fields.push(current);
      current = '';
    } else {
      current += c;
    }
    i++;
  }
  if (fields.length < 6) return { ok: false, reason: `CEF header has ${fields.length + 1 + (current === '' ? 0 : 1)} of its 7 fields (Version|Device Vendor|Device Product|Device Version|Device Event Class ID|Name|Severity)` };
  const [vendor, product, version, classId, name, severity] = fields as [string, string, string, string, string, string];
  const values: Record<string, unknown> = {
    DeviceVendor: vendor,
    DeviceProduct: product,
    DeviceVersion: version,
    DeviceEventClassID: classId,
    Activity: name,
    LogSeverity: severity.trim(),
  };
  const extensions = parseCefExtensions(text.slice(i));
  applyExtensions(extensions, values);
  return { ok: true, values };
}

/** Maps extension pairs onto columns; unknown keys go to AdditionalExtensions. */
export function applyExtensions(pairs: ReadonlyArray<[string, string]>, values: Record<string, unknown>, columns: Readonly<Record<string, string>> = CEF_KEY_COLUMNS): void {
  const additional: string[] = [];
  for (const [key, value] of pairs) {
    const column = Object.hasOwn(columns, key) ? columns[key] : undefined;
    if (!column) {
      additional.push(`${key}=${value}`);
      continue;
    }
    values[column] = TIME_COLUMNS.has(column) ? cefTime(value) : value;
  }
  if (additional.length) values.AdditionalExtensions = additional.join(';');
}

/**
 * `key=value key2=value with spaces` → pairs. A key is a run of word characters (and `.`, `-`,
 * `[`, `]`) right before an unescaped `=` that follows a space; everything up to the next such
 * key is the value (trailing spaces dropped).
 */
export function parseCefExtensions(ext: string): Array<[string, string]> {
  const starts: Array<{ key: string; keyStart: number; valueStart: number }> = [];
  const keyRe = /(?:^|\s)([A-Za-z0-9_.\-[\]]+)=/g;
  let m: RegExpExecArray | null;
  while ((m = keyRe.exec(ext))) {
    const eq = m.index + m[0].length - 1;
    if (isEscaped(ext, eq)) continue;
    const keyStart = eq - m[1]!.length;
    starts.push({ key: m[1]!, keyStart, valueStart: eq + 1 });
    // The value may begin with another `x=`; let the scan continue from the value.
    keyRe.lastIndex = eq + 1;
  }
  const pairs: Array<[string, string]> = [];
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k]!;
    const end = k + 1 < starts.length ? starts[k + 1]!.keyStart : ext.length;
    pairs.push([s.key, unescapeCefValue(ext.slice(s.valueStart, end).replace(/\s+$/, ''))]);
  }
  return pairs;
}

function isEscaped(s: string, i: number): boolean {
  let n = 0;
  for (let j = i - 1; j >= 0 && s[j] === '\\'; j--) n++;
  return n % 2 === 1;
}

function unescapeCefValue(v: string): string {
  if (!v.includes('\\')) return v;
  return v.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c === '=' || c === '\\' ? c : `\\${c}`));
}

/** CEF time values: epoch milliseconds, or `MMM dd [yyyy] HH:mm:ss[.SSS] [zone]` (UTC when none). */
export function cefTime(value: string): unknown {
  const v = value.trim();
  if (/^\d{10,13}$/.test(v)) return new Date(v.length === 13 ? Number(v) : Number(v) * 1000);
  const m = /^([A-Z][a-z]{2}) (\d{1,2}) (\d{4}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?: (Z|UTC|GMT|[+-]\d{2}:?\d{2}))?$/.exec(v);
  if (m) {
    const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].indexOf(m[1]!);
    if (month >= 0) {
      let t = Date.UTC(Number(m[3]), month, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]), Number((m[7] ?? '0').padEnd(3, '0')));
      const zone = m[8];
      if (zone && /^[+-]/.test(zone)) {
        const digits = zone.slice(1).replace(':', '');
        t -= (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
      }
      return new Date(t);
    }
  }
  return v;
}
