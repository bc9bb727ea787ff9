/** Syslog, CEF and LEEF files: one message per line, each parsed by parseSyslog. */
import { baseName, firstLine, type FormatDefinition, type ReaderOptions } from '../registry.js';
import type { FormatReader } from '../types.js';
import { isCefPayload } from './cef.js';
import { isLeefPayload } from './leef.js';
import { readLineRecords, reject } from './lines.js';
import { parseSyslog } from './syslog.js';

const BSD_START = /^(<\d{1,3}>)?([A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}|\d{1,2} [A-Z][a-z]{2} \d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2})/;
const PRI_START = /^<\d{1,3}>/;

function syslogReader(format: string, options: ReaderOptions): FormatReader {
  const received = options.received ?? new Date();
  return {
    format,
    read: ({ path }) => readLineRecords(path, undefined, (text, lineNo) => {
      if (text.trim() === '') return undefined;
      const parsed = parseSyslog(text, { received });
      if (!parsed.ok) return reject(path, lineNo, text, `line ${lineNo}: ${parsed.reason}`, format === 'syslog' ? 'Syslog' : 'CommonSecurityLog');
      return { kind: 'row', row: { table: parsed.table, values: parsed.values } };
    }),
  };
}

export const syslogFormat: FormatDefinition = {
  name: 'syslog',
  description: 'RFC 3164 / RFC 5424 syslog into Syslog (CEF and LEEF messages into CommonSecurityLog)',
  detect(file, head) {
    const line = firstLine(head);
    if (PRI_START.test(line) || BSD_START.test(line)) return /\.(json|csv)$/i.test(baseName(file)) ? 10 : 60;
    return /\b(syslog|messages)\b/i.test(baseName(file)) ? 10 : 0;
  },
  create: (options) => syslogReader('syslog', options),
};

export const cefFormat: FormatDefinition = {
  name: 'cef',
  description: 'CEF, bare or over syslog, into CommonSecurityLog',
  detect(_file, head) {
    const line = firstLine(head);
    if (isCefPayload(line)) return 95;
    return /\sCEF:\s*\d+\|/.test(line) && BSD_START.test(line) ? 70 : 0;
  },
  create: (options) => syslogReader('cef', options),
};

export const leefFormat: FormatDefinition = {
  name: 'leef',
  description: 'LEEF 1.0 / 2.0, bare or over syslog, into CommonSecurityLog',
  detect(_file, head) {
    const line = firstLine(head);
    if (isLeefPayload(line)) return 95;
    return /\sLEEF:\s*[12]\.0\|/.test(line) && BSD_START.test(line) ? 70 : 0;
  },
  create: (options) => syslogReader('leef', options),
};
