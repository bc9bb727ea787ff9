/**
 * Suricata EVE JSON → one custom table per event type, `Suricata_<event_type>_CL`
 * (alert → Suricata_alert_CL, dns → Suricata_dns_CL, …). Top-level fields become columns
 * (`src_ip`, `dest_port`, `flow_id`, …); nested objects (`alert`, `http`, `flow`, …) become
 * dynamic columns, so `Suricata_alert_CL | where alert.severity == 1` reads as in EVE.
 * `timestamp` is the row's TimeGenerated. Reads NDJSON (as Suricata writes eve.json) and JSON
 * arrays of records.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { KqlType } from '../../kql/types.js';
import { isGzip } from '../input.js';
import { parseIsoMicros } from '../values.js';
import { firstLine, type FormatDefinition } from '../registry.js';
import type { FormatReader, ReadResult } from '../types.js';
import { describeJson } from './json.js';
import { readLineRecords, reject } from './lines.js';

const TYPES: Record<string, KqlType> = {
  timestamp: 'datetime', flow_id: 'long', src_port: 'long', dest_port: 'long', pcap_cnt: 'long', tx_id: 'long',
};

export function suricataTableName(eventType: string): string {
  return `Suricata_${eventType.replace(/[^A-Za-z0-9_]/g, '_')}_CL`;
}

/** Suricata writes `2019-01-02T03:50:11.315110+0000`; a time without a zone is UTC. */
function eveTime(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const normalised = v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return parseIsoMicros(normalised) !== undefined ? normalised : v;
}

export function suricataRecord(value: unknown, source: string, raw: () => string): ReadResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { kind: 'rejection', rejection: { source, raw: raw(), reason: `EVE record is JSON ${describeJson(value)}, not an object` } };
  }
  const record = value as Record<string, unknown>;
  const eventType = typeof record.event_type === 'string' && record.event_type !== '' ? record.event_type : undefined;
  if (!eventType) return { kind: 'rejection', rejection: { source, raw: raw(), reason: 'EVE record has no event_type, so its table is unknown' } };
  const values: Record<string, unknown> = { ...record };
  if ('timestamp' in values) values.timestamp = eveTime(values.timestamp);
  if (values.timestamp !== undefined && values.timestamp !== null) values.TimeGenerated = values.timestamp;
  return { kind: 'row', row: { table: suricataTableName(eventType), values, types: TYPES } };
}

export const suricataFormat: FormatDefinition = {
  name: 'suricata',
  description: 'Suricata EVE JSON into Suricata_<event_type>_CL tables',
  detect(_file, head) {
    // The first record: the first line of EVE NDJSON, or the start of a JSON array.
    const text = head.toString('utf8').trimStart();
    const first = text.startsWith('[') ? text.slice(0, 4096) : firstLine(head);
    if ((first.startsWith('{') || first.startsWith('[')) && /"event_type"\s*:/.test(first) && /"(src_ip|flow_id|timestamp)"\s*:/.test(first)) return 85;
    return 0;
  },
  create(): FormatReader {
    return {
      format: 'suricata',
      async *read({ path }) {
        const { readHead } = await import('../input.js');
        const head = firstLine(await readHead(path, 4096)).trimStart();
        if (head.startsWith('[')) {
          yield* readArray(path);
          return;
        }
        yield* readLineRecords(path, undefined, (text, lineNo) => {
          if (text.trim() === '') return undefined;
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch (err) {
            return reject(path, lineNo, text, `line ${lineNo} is not valid JSON: ${(err as Error).message}`);
          }
          return suricataRecord(value, `${path}:${lineNo}`, () => text);
        });
      },
    };
  },
};

async function* readArray(path: string): AsyncGenerator<ReadResult> {
  let bytes = await readFile(path);
  if (await isGzip(path)) bytes = gunzipSync(bytes);
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    yield reject(path, 0, bytes.subarray(0, 64 * 1024).toString('utf8'), `not valid JSON: ${(err as Error).message}`);
    return;
  }
  const items = Array.isArray(doc) ? doc : [doc];
  for (let i = 0; i < items.length; i++) yield suricataRecord(items[i], `${path}[${i}]`, () => JSON.stringify(items[i]) ?? '');
}
