/**
 * LEEF (IBM QRadar Log Event Extended Format) 1.0 and 2.0 → `CommonSecurityLog`.
 *
 * `LEEF:1.0|Vendor|Product|Version|EventID|attr=value<TAB>attr=value…`
 * `LEEF:2.0|Vendor|Product|Version|EventID|<delimiter>|attr=value<delimiter>…` where the
 * delimiter is one character, or `xHH`/`0xHH` for a character code (default TAB).
 *
 * Sentinel has no documented LEEF mapping; Quarry maps LEEF's predefined attributes onto the
 * CommonSecurityLog columns of the same meaning (documented in docs/ingestion.md). Other
 * attributes go to AdditionalExtensions.
 */
import { applyExtensions, cefTime } from './cef.js';

export const LEEF_KEY_COLUMNS: Readonly<Record<string, string>> = {
  cat: 'DeviceEventCategory',
  src: 'SourceIP', dst: 'DestinationIP',
  srcPort: 'SourcePort', dstPort: 'DestinationPort',
  srcPreNAT: 'SourceIP', dstPreNAT: 'DestinationIP',
  srcPostNAT: 'SourceTranslatedAddress', dstPostNAT: 'DestinationTranslatedAddress',
  srcPostNATPort: 'SourceTranslatedPort', dstPostNATPort: 'DestinationTranslatedPort',
  srcMAC: 'SourceMACAddress', dstMAC: 'DestinationMACAddress',
  usrName: 'SourceUserName', accountName: 'SourceUserName',
  identHostName: 'SourceHostName', identSrc: 'SourceIP',
  proto: 'Protocol',
  sev: 'LogSeverity',
  srcBytes: 'SentBytes', dstBytes: 'ReceivedBytes',
  url: 'RequestURL',
  action: 'DeviceAction',
  domain: 'DestinationNTDomain',
};

const LEEF_START = /^LEEF:\s*[12]\.0\|/;

export function isLeefPayload(text: string): boolean {
  return LEEF_START.test(text);
}

export type LeefParse = { ok: true; values: Record<string, unknown> } | { ok: false; reason: string };

export function parseLeefMessage(text: string): LeefParse {
  const head = /^LEEF:\s*([12])\.0\|/.exec(text);
  if (!head) return { ok: false, reason: 'not a LEEF message: it must start with "LEEF:1.0|" or "LEEF:2.0|"' };
  const version = head[1]!;
  const parts: string[] = [];
  let i = head[0].length;
  const headerCount = version === '2' ? 5 : 4;
  while (parts.length < headerCount) {
    const bar = text.indexOf('|', i);
    if (bar === -1) {
      if (version === '2' && parts.length === 4) break; // the delimiter field is optional
      return { ok: false, reason: `LEEF ${version}.0 header is incomplete: expected Vendor|Product|Version|EventID|${version === '2' ? 'Delimiter|' : ''}` };
    }
    parts.push(text.slice(i, bar));
    i = bar + 1;
  }
  const [vendor, product, productVersion, eventId, delimiterSpec] = parts as [string, string, string, string, string | undefined];
  const delimiter = version === '2' && delimiterSpec ? decodeDelimiter(delimiterSpec) : '\t';
  if (delimiter === undefined) return { ok: false, reason: `LEEF 2.0 delimiter ${JSON.stringify(delimiterSpec)} is not one character or a hex code (x09)` };
  const pairs: Array<[string, string]> = [];
  let devTime: string | undefined;
  for (const item of text.slice(i).split(delimiter)) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0) {
      // Text without a key is kept, not dropped.
      pairs.push(['_unkeyed', item]);
      continue;
    }
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1);
    if (key === 'devTime') devTime = value;
    else pairs.push([key, value]);
  }
  const values: Record<string, unknown> = {
    DeviceVendor: vendor,
    DeviceProduct: product,
    DeviceVersion: productVersion,
    DeviceEventClassID: eventId,
    Activity: eventId,
  };
  applyExtensions(pairs, values, LEEF_KEY_COLUMNS);
  if (devTime !== undefined) {
    const t = cefTime(devTime);
    if (t instanceof Date) values.TimeGenerated = t;
    else values.AdditionalExtensions = [values.AdditionalExtensions, `devTime=${devTime}`].filter(Boolean).join(';');
  }
  return { ok: true, values };
}

function decodeDelimiter(spec: string): string | undefined {
  if (spec.length === 1) return spec;
  const hex = /^(?:0?x)([0-9a-fA-F]{1,4})$/.exec(spec);
  if (hex) return String.fromCharCode(parseInt(hex[1]!, 16));
  return undefined;
}
