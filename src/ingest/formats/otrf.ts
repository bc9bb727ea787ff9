/**
 * OTRF Security-Datasets JSON lines: Windows events flattened by Winlogbeat/Logstash or NXLog
 * → SecurityEvent / Event through the same mapping as EVTX (windows/mapping.ts); the AWS
 * datasets' CloudTrail records → AWSCloudTrail. A blank line is not a record; anything else
 * that is not one of these becomes a rejection with its line number.
 */
import { firstLine, type FormatDefinition } from '../registry.js';
import type { FormatReader, ReadResult } from '../types.js';
import { isCloudTrailRecord, mapCloudTrail } from './cloudtrail.js';
import { readLineRecords, reject } from './lines.js';
import { isWindowsJson, windowsEventFromJson } from './windows/from-json.js';
import { mapWindowsEvent } from './windows/mapping.js';

export class OtrfReader implements FormatReader {
  readonly format = 'otrf';

  read(input: { path: string }): AsyncIterable<ReadResult> {
    return readLineRecords(input.path, undefined, (line, lineNo) => parseOtrfLine(line, input.path, lineNo));
  }
}

export function parseOtrfLine(line: string, path: string, lineNo: number): ReadResult | undefined {
  if (line.trim() === '') return undefined;
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch (e) {
    return reject(path, lineNo, line, `not JSON: ${(e as Error).message}`);
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return reject(path, lineNo, line, 'the line is JSON but not an object');
  const record = o as Record<string, unknown>;
  try {
    if (isWindowsJson(record)) return { kind: 'row', row: mapWindowsEvent(windowsEventFromJson(record, line)) };
    if (isCloudTrailRecord(record)) return { kind: 'row', row: mapCloudTrail(record) };
  } catch (e) {
    return reject(path, lineNo, line, (e as Error).message);
  }
  return reject(path, lineNo, line, 'neither a Windows event (EventID with Channel or SourceName) nor a CloudTrail record (eventSource, eventName, eventVersion)');
}

export const otrfFormat: FormatDefinition = {
  name: 'otrf',
  description: 'OTRF Security-Datasets / Winlogbeat / NXLog Windows events as JSON lines into SecurityEvent / Event (CloudTrail into AWSCloudTrail)',
  detect(_file, head) {
    const first = firstLine(head);
    if (!first.trimStart().startsWith('{')) return 0;
    if (/"EventID"\s*:/.test(first) && /"(Channel|SourceName)"\s*:/.test(first)) return 90;
    if (/"eventSource"\s*:/.test(first) && /"eventName"\s*:/.test(first) && /"userIdentity"\s*:/.test(first)) return 60;
    return 0;
  },
  create: () => new OtrfReader(),
};
