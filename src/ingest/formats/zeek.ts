/**
 * Zeek logs → one custom table per log type, `Zeek_<path>_CL` (conn → Zeek_conn_CL).
 *
 * TSV: `#separator`, `#set_separator`, `#empty_field`, `#unset_field`, `#path`, `#fields`,
 * `#types` directives; column types come from `#types` (time → datetime, interval → timespan,
 * count/int/port → long, double → real, bool → bool, set/vector → dynamic array, others
 * string). A header line without `#` (zeek-cut output) names the fields; their types then come
 * from Zeek's well-known field names. JSON: one object per line, the log type from `_path` or
 * `@stream` (Security-Datasets exports), else the file name.
 *
 * Field names become column names with `.` replaced by `_` (`id.orig_h` → `id_orig_h`), the
 * spelling Zeek's JSON exports already use, so TSV and JSON logs of a type share one table.
 * `ts` is also the row's TimeGenerated.
 */
import type { KqlType } from '../../kql/types.js';
import { baseName, firstLine, type FormatDefinition } from '../registry.js';
import type { FormatReader, ReadResult } from '../types.js';
import { readLineRecords, reject } from './lines.js';
import { describeJson } from './json.js';
import { parseIsoMicros } from '../values.js';

/** Zeek type name → KQL type. */
export function kqlTypeOfZeek(zeekType: string): KqlType {
  if (/^(set|vector|table)\[/.test(zeekType)) return 'dynamic';
  switch (zeekType) {
    case 'time': return 'datetime';
    case 'interval': return 'timespan';
    case 'count': case 'int': case 'port': return 'long';
    case 'double': return 'real';
    case 'bool': return 'bool';
    default: return 'string';
  }
}

/** Types of common Zeek fields, for logs that carry no `#types` (JSON, zeek-cut output). */
const WELL_KNOWN: Record<string, KqlType> = {
  ts: 'datetime', duration: 'timespan', rtt: 'timespan', _write_ts: 'datetime',
  id_orig_p: 'long', id_resp_p: 'long', orig_bytes: 'long', resp_bytes: 'long', missed_bytes: 'long',
  orig_pkts: 'long', orig_ip_bytes: 'long', resp_pkts: 'long', resp_ip_bytes: 'long',
  trans_depth: 'long', request_body_len: 'long', response_body_len: 'long', status_code: 'long',
  trans_id: 'long', qclass: 'long', qtype: 'long', rcode: 'long', TTLs: 'dynamic', answers: 'dynamic',
  local_orig: 'bool', local_resp: 'bool', AA: 'bool', TC: 'bool', RD: 'bool', RA: 'bool', rejected: 'bool',
  resumed: 'bool', established: 'bool', tunnel_parents: 'dynamic',
};

export function zeekTableName(logPath: string): string {
  return `Zeek_${logPath.replace(/[^A-Za-z0-9_]/g, '_')}_CL`;
}

export function zeekColumnName(field: string): string {
  return field.replace(/\./g, '_');
}

/** Epoch seconds text (`1329843175.736107`) → ISO 8601 text keeping the microseconds; undefined if not a time. */
export function zeekTime(text: string): string | undefined {
  const m = /^(-?)(\d{1,12})(?:\.(\d{1,9}))?$/.exec(text);
  if (!m) return undefined;
  const micros = (BigInt(m[2]!) * 1_000_000n + BigInt(((m[3] ?? '') + '000000').slice(0, 6))) * (m[1] ? -1n : 1n);
  const ms = micros / 1000n - (micros < 0n && micros % 1000n !== 0n ? 1n : 0n);
  const date = new Date(Number(ms));
  if (Number.isNaN(date.getTime())) return undefined;
  const subMs = Number(((micros % 1000n) + 1000n) % 1000n);
  return date.toISOString().replace('Z', `${String(subMs).padStart(3, '0')}Z`);
}

/** A converted time stamp (a bad one stays raw text and only its own column reports it). */
function isIsoTime(v: unknown): boolean {
  return typeof v === 'string' && parseIsoMicros(v) !== undefined;
}

/** Zeek escapes bytes as `\xHH` in TSV values. */
function unescapeZeek(v: string): string {
  if (!v.includes('\\x')) return v;
  return v.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

interface TsvHeader {
  separator: string;
  setSeparator: string;
  emptyField: string;
  unsetField: string;
  path?: string;
  fields?: string[];
  types?: string[];
}

/** Converts one TSV value by its Zeek type. */
function tsvValue(raw: string, zeekType: string | undefined, h: TsvHeader): unknown {
  if (raw === h.unsetField) return null;
  const kql = zeekType ? kqlTypeOfZeek(zeekType) : 'string';
  if (raw === h.emptyField) return kql === 'dynamic' ? [] : '';
  const v = unescapeZeek(raw);
  switch (kql) {
    case 'datetime': return zeekTime(v) ?? v; // a bad time stays text: the core reports the conflict
    case 'timespan': return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
    case 'long': return /^-?\d+$/.test(v) ? BigInt(v) : v;
    case 'real': return /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(v) ? Number(v) : v;
    case 'bool': return v === 'T' ? true : v === 'F' ? false : v;
    case 'dynamic': {
      const inner = /\[(.*)\]$/.exec(zeekType!)?.[1] ?? 'string';
      return raw.split(h.setSeparator).map((item) => tsvValue(item, inner, { ...h, emptyField: '\u0000' }));
    }
    default: return v;
  }
}

function decodeSeparator(spec: string): string | undefined {
  const hex = /^\\x([0-9a-fA-F]{2})$/.exec(spec);
  if (hex) return String.fromCharCode(parseInt(hex[1]!, 16));
  return spec.length === 1 ? spec : undefined;
}

async function* readZeekTsv(path: string): AsyncGenerator<ReadResult> {
  const header: TsvHeader = { separator: '\t', setSeparator: ',', emptyField: '(empty)', unsetField: '-' };
  let broken: string | undefined;
  const fallbackPath = baseName(path).replace(/\.log$/i, '').replace(/[-.].*$/, '') || 'log';
  yield* readLineRecords(path, undefined, (text, lineNo) => {
    if (text.startsWith('#separator')) {
      const spec = text.slice('#separator'.length).trim();
      const sep = decodeSeparator(spec);
      if (!sep || sep === '\u0000' || sep === '\n') {
        broken = `the #separator directive ${JSON.stringify(spec)} does not give a usable separator character`;
        return reject(path, lineNo, text, broken);
      }
      header.separator = sep;
      broken = undefined;
      return undefined;
    }
    if (text.startsWith('#')) {
      const parts = text.split(header.separator);
      const directive = parts[0]!;
      const args = parts.slice(1);
      if (parts.length === 1 && /^#\w+\s/.test(text)) {
        // A directive not split by the separator: the header and the separator disagree.
        broken = `header line ${JSON.stringify(text.slice(0, 80))} is not separated by the declared separator ${JSON.stringify(header.separator)}`;
        return reject(path, lineNo, text, broken);
      }
      switch (directive) {
        case '#set_separator': header.setSeparator = decodeSeparator(args[0] ?? ',') ?? ','; break;
        case '#empty_field': header.emptyField = args[0] ?? '(empty)'; break;
        case '#unset_field': header.unsetField = args[0] ?? '-'; break;
        case '#path': header.path = args[0]; break;
        case '#fields': header.fields = args; header.types = undefined; break;
        case '#types': header.types = args; break;
        default: break; // #open, #close and comments
      }
      return undefined;
    }
    if (broken) return reject(path, lineNo, text, broken);
    const values = text.split(header.separator);
    if (!header.fields) {
      // zeek-cut output: the first line names the fields.
      if (/^[A-Za-z_][\w.]*$/.test(values[0] ?? '') && !/^\d/.test(text)) {
        header.fields = values;
        return undefined;
      }
      return reject(path, lineNo, text, 'Zeek record before any #fields header: its fields are unknown');
    }
    const table = zeekTableName(header.path ?? fallbackPath);
    if (values.length !== header.fields.length) {
      return reject(path, lineNo, text, `record has ${values.length} fields; #fields names ${header.fields.length}`, table);
    }
    const row: Record<string, unknown> = {};
    const types: Record<string, KqlType> = {};
    for (let i = 0; i < values.length; i++) {
      const field = zeekColumnName(header.fields[i]!);
      const zeekType = header.types?.[i];
      types[field] = zeekType ? kqlTypeOfZeek(zeekType) : (WELL_KNOWN[field] ?? 'string');
      row[field] = zeekType ? tsvValue(values[i]!, zeekType, header) : wellKnownValue(values[i]!, field, header);
    }
    if (types.ts === 'datetime' && isIsoTime(row.ts)) row.TimeGenerated = row.ts;
    return { kind: 'row', row: { table, values: row, types } };
  });
}

function wellKnownValue(raw: string, field: string, h: TsvHeader): unknown {
  const type = WELL_KNOWN[field];
  const zeekType = type === 'datetime' ? 'time' : type === 'timespan' ? 'interval' : type === 'long' ? 'count' : type === 'bool' ? 'bool' : type === 'dynamic' ? 'set[string]' : 'string';
  return tsvValue(raw, zeekType, h);
}

/** One Zeek JSON record → a row of its log type's table. */
export function zeekJsonRecord(text: string, path: string, lineNo: number, fallbackPath: string): ReadResult | undefined {
  if (text.trim() === '') return undefined;
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    return reject(path, lineNo, text, `line ${lineNo} is not valid JSON: ${(err as Error).message}`);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return reject(path, lineNo, text, `line ${lineNo} is JSON ${describeJson(obj)}, not a Zeek record object`);
  const record = obj as Record<string, unknown>;
  const logPath = typeof record._path === 'string' ? record._path : typeof record['@stream'] === 'string' ? (record['@stream'] as string) : fallbackPath;
  const table = zeekTableName(logPath);
  const values: Record<string, unknown> = {};
  const types: Record<string, KqlType> = {};
  for (const key in record) {
    const field = zeekColumnName(key);
    let v = record[key];
    const known = WELL_KNOWN[field];
    if (known) types[field] = known;
    if (known === 'datetime' && typeof v === 'number') v = zeekTime(String(v)) ?? v;
    values[field] = v;
  }
  if (isIsoTime(values.ts)) values.TimeGenerated = values.ts;
  return { kind: 'row', row: { table, values, types } };
}

export const zeekFormat: FormatDefinition = {
  name: 'zeek',
  description: 'Zeek logs (TSV with #fields headers, or JSON) into Zeek_<log>_CL tables',
  detect(file, head) {
    const line = firstLine(head);
    if (/^#(separator|fields)\b/.test(line)) return 90;
    if (line.startsWith('{') && /"(_path|@stream)"\s*:/.test(line) && /"ts"\s*:/.test(line)) return 80;
    if (line.startsWith('{') && /"uid"\s*:/.test(line) && /"id[._]orig_h"\s*:/.test(line)) return 75;
    if (/^ts\tuid\t/.test(line)) return 70;
    return 0;
  },
  create(): FormatReader {
    return {
      format: 'zeek',
      async *read({ path }) {
        const { readHead } = await import('../input.js');
        const line = firstLine(await readHead(path, 4096));
        const fallback = baseName(path).replace(/\.log$/i, '').replace(/^[A-Z]+_/, '') || 'log';
        if (line.startsWith('{')) yield* readLineRecords(path, undefined, (text, lineNo) => zeekJsonRecord(text, path, lineNo, fallback));
        else yield* readZeekTsv(path);
      },
    };
  },
};
