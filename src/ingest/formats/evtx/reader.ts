/**
 * EVTX reader: Windows event log files (plain or gzipped) → SecurityEvent / Event rows.
 *
 * Framing (chunks, records, checksums, templates) is `@ts-evtx/core`'s low-level API; records
 * without a template, which it renders as an empty `<Event/>`, go through our own decoder
 * (bxml-plain.ts). Each chunk's CRC32s are checked: the records of a chunk that fails them are
 * reported with the reason, never stored as if they were sound, while the other chunks load.
 * Every record of the file ends up as a row or as a rejection.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { BinaryReader, ChunkHeader, type Record as EvtxRecord } from '@ts-evtx/core';
import type { FormatDefinition } from '../../registry.js';
import type { FormatReader, ReadResult } from '../../types.js';
import { mapWindowsEvent } from '../windows/mapping.js';
import { renderPlainBxml } from './bxml-plain.js';
import { parseEventXml } from './event-xml.js';
import { NoTemplateError, renderTemplatedRecord } from './template-render.js';

const FILE_MAGIC = 'ElfFile\0';
const CHUNK_MAGIC = 'ElfChnk\0';
const FILE_HEADER_SIZE = 0x1000;
const CHUNK_SIZE = 0x10000;
const RECORD_HEADER_SIZE = 0x18;
const MAX_RECORDS_PER_CHUNK = BigInt((CHUNK_SIZE - 0x200) / 0x20);
/** How much of an undecodable record is kept (as hex) in the rejection. */
const RAW_HEX_BYTES = 4096;

export class EvtxReader implements FormatReader {
  readonly format = 'evtx';

  async *read(input: { path: string }): AsyncIterable<ReadResult> {
    let buf: Buffer;
    try {
      buf = await readFile(input.path);
      if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
    } catch (e) {
      yield reject(input.path, '', `cannot read the file: ${(e as Error).message}`);
      return;
    }
    yield* readEvtxBuffer(buf, input.path);
  }
}

export const evtxFormat: FormatDefinition = {
  name: 'evtx',
  description: 'Windows event log files (.evtx) into SecurityEvent (Security channel) and Event (other channels, Sysmon)',
  detect: (_file, head) => (head.subarray(0, 8).toString('latin1') === FILE_MAGIC ? 100 : 0),
  create: () => new EvtxReader(),
};

/** Rows and rejections of an EVTX file already in memory. */
export function* readEvtxBuffer(buf: Uint8Array, source: string): Generator<ReadResult> {
  if (buf.length < FILE_HEADER_SIZE || ascii(buf, 0, 8) !== FILE_MAGIC) {
    yield reject(source, hex(buf.subarray(0, 64)), 'not an EVTX file (no "ElfFile" signature at the start)');
    return;
  }
  const reader = new BinaryReader(buf);
  for (let offset = FILE_HEADER_SIZE, index = 0; offset + CHUNK_SIZE <= buf.length; offset += CHUNK_SIZE, index++) {
    yield* readChunk(buf, reader, offset, `${source}#chunk=${index}`, source);
  }
  const tail = (buf.length - FILE_HEADER_SIZE) % CHUNK_SIZE;
  if (buf.length > FILE_HEADER_SIZE && tail !== 0 && !allZero(buf.subarray(buf.length - tail))) {
    yield reject(`${source}#offset=${buf.length - tail}`, hex(buf.subarray(buf.length - tail)), `the file ends with a partial chunk (${tail} bytes): it was truncated`);
  }
}

function* readChunk(buf: Uint8Array, reader: BinaryReader, offset: number, where: string, source: string): Generator<ReadResult> {
  const magic = ascii(buf, offset, 8);
  if (magic !== CHUNK_MAGIC) {
    if (allZero(buf.subarray(offset, offset + CHUNK_SIZE))) return; // space the log never used
    yield reject(where, hex(buf.subarray(offset, offset + 128)), 'chunk header is damaged (no "ElfChnk" signature); its records cannot be located');
    return;
  }
  const chunk = new ChunkHeader(reader, offset);
  const first = BigInt(chunk.logFirstRecordNumber());
  const last = BigInt(chunk.logLastRecordNumber());
  const damage = chunkDamage(chunk);
  const seen = new Set<bigint>();
  try {
    for (const record of chunk.records()) {
      const num = BigInt(record.recordNum());
      const recordSource = `${source}#record=${num}`;
      seen.add(num);
      if (damage) {
        yield reject(recordSource, salvage(buf, chunk, record), `${damage}; the record is not trusted`);
        continue;
      }
      yield decodeRecord(buf, chunk, record, recordSource);
    }
  } catch (e) {
    yield reject(where, '', `records stopped at an unreadable record: ${(e as Error).message}`);
  }
  // Records the header promises but the chain of record sizes did not reach (a chunk holds at
  // most a few thousand records; a larger range means the numbers themselves are damaged).
  const promised = last >= first ? last - first + 1n : 0n;
  if (BigInt(seen.size) < promised && promised <= MAX_RECORDS_PER_CHUNK) {
    for (let n = first; n <= last; n++) {
      if (!seen.has(n)) yield reject(`${source}#record=${n}`, '', `record ${n} could not be located in ${where}: a record before it is damaged`);
    }
  }
}

/** Why a chunk cannot be trusted, or undefined when its checksums hold. */
function chunkDamage(chunk: ChunkHeader): string | undefined {
  if (chunk.headerChecksum() !== chunk.calculateHeaderChecksum()) return 'chunk header checksum (CRC32) does not match: the chunk is damaged';
  if (chunk.dataChecksum() !== chunk.calculateDataChecksum()) return 'chunk records checksum (CRC32) does not match: the chunk is damaged';
  return undefined;
}

function decodeRecord(buf: Uint8Array, chunk: ChunkHeader, record: EvtxRecord, source: string): ReadResult {
  let xml: string;
  try {
    xml = renderRecord(buf, chunk, record);
  } catch (e) {
    return reject(source, hex(recordBytes(buf, record)), `record binary XML cannot be decoded: ${(e as Error).message}`);
  }
  try {
    const event = parseEventXml(xml);
    return { kind: 'row', row: mapWindowsEvent(event) };
  } catch (e) {
    return reject(source, xml, (e as Error).message);
  }
}

/** The record's XML: rendered from its template, or decoded directly when it has none. */
function renderRecord(buf: Uint8Array, chunk: ChunkHeader, record: EvtxRecord): string {
  try {
    return renderTemplatedRecord(record, chunk, buf);
  } catch (e) {
    if (!(e instanceof NoTemplateError)) throw e;
  }
  const start = record.offset + RECORD_HEADER_SIZE;
  return renderPlainBxml(buf, chunk.offset, start, record.offset + record.size() - 4);
}

/** What can be recovered of a record in a damaged chunk: its XML when it still decodes, else its bytes. */
function salvage(buf: Uint8Array, chunk: ChunkHeader, record: EvtxRecord): string {
  try {
    return renderRecord(buf, chunk, record);
  } catch {
    return hex(recordBytes(buf, record));
  }
}

function recordBytes(buf: Uint8Array, record: EvtxRecord): Uint8Array {
  return buf.subarray(record.offset, Math.min(buf.length, record.offset + record.size()));
}

function reject(source: string, raw: string, reason: string): ReadResult {
  return { kind: 'rejection', rejection: { source, raw, reason } };
}

function ascii(buf: Uint8Array, at: number, n: number): string {
  return String.fromCharCode(...buf.subarray(at, at + n));
}

function hex(bytes: Uint8Array): string {
  const shown = bytes.subarray(0, RAW_HEX_BYTES);
  const text = Buffer.from(shown.buffer, shown.byteOffset, shown.byteLength).toString('hex');
  return bytes.length > RAW_HEX_BYTES ? `${text}… (${bytes.length} bytes, hex)` : text;
}

// Logs keep unused chunks as 64 KiB of zeros: compared natively (memcmp), a slice at a time.
const ZEROS = new Uint8Array(CHUNK_SIZE);

function allZero(bytes: Uint8Array): boolean {
  for (let at = 0; at < bytes.length; at += ZEROS.length) {
    const part = bytes.subarray(at, at + ZEROS.length);
    if (Buffer.compare(part, ZEROS.subarray(0, part.length)) !== 0) return false;
  }
  return true;
}
