import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { describe, it } from 'node:test';
import { EvtxReader, evtxFormat, readEvtxBuffer } from '../../src/ingest/formats/evtx/reader.js';
import { crc32Checksum } from '@ts-evtx/core';
import { parseEventXml } from '../../src/ingest/formats/evtx/event-xml.js';
import type { IngestRow, ReadResult } from '../../src/ingest/types.js';

const EVTX = path.resolve('../shared/data/evtx');
const SIGMA = path.resolve('../shared/data/sigma/regression');

interface ManifestEntry {
  file: string;
  records: number;
  decoded: boolean;
  event_ids: Record<string, number> | null;
  channels: Record<string, number> | null;
  event_ids_in_name: number[];
}

async function readAll(file: string): Promise<ReadResult[]> {
  const out: ReadResult[] = [];
  for await (const r of new EvtxReader().read({ path: file })) out.push(r);
  return out;
}

const rowsOf = (results: ReadResult[]): IngestRow[] => results.flatMap((r) => (r.kind === 'row' ? [r.row] : []));
const channelOf = (row: IngestRow): string => String(row.table === 'SecurityEvent' ? row.values['Channel'] : row.values['EventLog']);

function histogram(values: unknown[]): Record<string, number> {
  const h: Record<string, number> = {};
  for (const v of values) h[String(v)] = (h[String(v)] ?? 0) + 1;
  return h;
}

describe('EVTX reader on the EVTX-to-MITRE-Attack files', () => {
  const manifest = JSON.parse(readFileSync(path.join(EVTX, 'manifest.json'), 'utf8')) as ManifestEntry[];

  it('accounts for every record the manifest counts, with the manifest\'s EventIDs and channels', async () => {
    let total = 0;
    for (const m of manifest) {
      const results = await readAll(path.join(EVTX, m.file));
      const rows = rowsOf(results);
      const rejections = results.filter((r) => r.kind === 'rejection');
      assert.equal(results.length, m.records, `${m.file}: records`);
      assert.deepEqual(rejections, [], `${m.file}: no rejections`);
      if (m.event_ids) assert.deepEqual(histogram(rows.map((r) => r.values['EventID'])), m.event_ids, `${m.file}: EventIDs`);
      if (m.channels) assert.deepEqual(histogram(rows.map(channelOf)), m.channels, `${m.file}: channels`);
      for (const r of rows) {
        assert.equal(r.table, channelOf(r) === 'Security' ? 'SecurityEvent' : 'Event');
        assert.ok(r.values['TimeGenerated'], `${m.file}: TimeGenerated`);
        assert.notEqual(r.values['Computer'], '', `${m.file}: Computer`);
      }
      total += results.length;
    }
    assert.equal(total, 10_015);
  });

  it('decodes the 13 files whose records carry no template (1,287 records)', async () => {
    const plain = manifest.filter((m) => !m.decoded);
    assert.equal(plain.length, 13);
    let records = 0;
    for (const m of plain) {
      const rows = rowsOf(await readAll(path.join(EVTX, m.file)));
      assert.equal(rows.length, m.records, m.file);
      records += rows.length;
      // The file name lists the event ids the file was made to show; each must be there.
      const ids = new Set(rows.map((r) => r.values['EventID']));
      for (const id of m.event_ids_in_name) assert.ok(ids.has(id), `${m.file}: EventID ${id}`);
      for (const r of rows) assert.match(String(r.values['EventData']), /^<(EventData|DataItem|UserData)/, m.file);
    }
    assert.equal(records, 1_287);

    const defender = rowsOf(await readAll(path.join(EVTX, 'Antivirus/ID1116-1117-Defender threat detected.evtx.gz')));
    const first = defender[0]!.values;
    assert.equal(first['Source'], 'Microsoft-Windows-Windows Defender');
    assert.equal(first['EventLog'], 'Microsoft-Windows-Windows Defender/Operational');
    assert.equal(first['EventID'], 1116);
    assert.equal(first['EventLevelName'], 'Warning');
    assert.equal(first['TimeGenerated'], '2020-12-11T12:28:01.2990045Z');
    assert.equal(first['UserName'], 'NT AUTHORITY\\SYSTEM');
    assert.match(String(first['EventData']), /<Data Name="Threat Name">HackTool:Win64\/Mikatz!dha<\/Data>/);
    assert.match(String(first['ParameterXml']), /^<Param>Microsoft Defender Antivirus<\/Param><Param>4\.18\.2011\.6<\/Param>/);
  });

  it('fills SecurityEvent columns as Sentinel does', async () => {
    const file = path.join(EVTX, 'EVTX_full_APT_attack_steps/ID4624,4688,5140,5145-Eternal Romance - MS17_010_psexec (GLOBAL).evtx.gz');
    const rows = rowsOf(await readAll(file));
    const logon = rows.find((r) => r.values['EventID'] === 4624)!.values;
    assert.equal(logon['Activity'], '4624 - An account was successfully logged on.');
    assert.equal(logon['Account'], 'OFFSEC\\admmig');
    assert.equal(logon['AccountType'], 'User');
    assert.equal(logon['TargetAccount'], 'OFFSEC\\admmig');
    assert.equal(logon['LogonType'], 3);
    assert.equal(logon['LogonTypeName'], '3 - Network');
    assert.equal(logon['IpAddress'], '10.23.123.11');
    assert.equal(logon['IpPort'], '41747');
    assert.equal(logon['WorkstationName'], '0Konuy9q8HtkWeKS');
    assert.equal(logon['ProcessId'], '0x0');
    assert.equal(logon['Level'], '8');
    assert.equal(logon['EventLevelName'], 'Audit Success');
    assert.equal(logon['EventSourceName'], 'Microsoft-Windows-Security-Auditing');
    assert.equal(logon['Computer'], 'fs03vuln.offsec.lan');
    assert.match(String(logon['EventData']), /^<EventData xmlns="http:\/\/schemas.microsoft.com\/win\/2004\/08\/events\/event"><Data Name="SubjectUserSid">S-1-0-0<\/Data>/);

    const proc = rows.find((r) => r.values['EventID'] === 4688)!.values;
    assert.equal(proc['NewProcessName'], 'C:\\Windows\\System32\\cmd.exe');
    assert.equal(proc['Process'], 'cmd.exe');
    assert.equal(proc['NewProcessId'], '0x6e8');
    assert.equal(proc['Account'], 'OFFSEC\\FS03VULN$');
    assert.equal(proc['AccountType'], 'Machine');
    assert.match(String(proc['CommandLine']), /^C:\\Windows\\system32\\cmd\.exe \/b \/c start \/b \/min powershell\.exe/);

    // 1102 keeps its UserData; its fields still fill the same-named columns.
    const cleared = rows.find((r) => r.values['EventID'] === 1102)!.values;
    assert.equal(cleared['SubjectUserName'], 'admmig');
    assert.equal(cleared['Activity'], '1102 - The audit log was cleared.');
    assert.match(String(cleared['EventData']), /^<UserData xmlns="[^"]+"><LogFileCleared xmlns="http:\/\/manifests.microsoft.com\/win\/2004\/08\/windows\/eventlog"><SubjectUserSid>/);
  });

  it('keeps multi-line values exactly (no pretty-printing inside values)', async () => {
    const rows = rowsOf(await readAll(path.join(EVTX, 'EVTX_full_APT_attack_steps/ID4624,4688,5140,5145-Eternal Romance - MS17_010_psexec (GLOBAL).evtx.gz')));
    const special = rows.find((r) => r.values['EventID'] === 4964)!.values;
    assert.match(String(special['EventData']), /<Data Name="SidList">\s*%\{S-1-5-21-4230534742-2542757381-3142984815-1613\}<\/Data>/);
    assert.doesNotMatch(String(special['EventData']), /\n {4}/);
  });

  it('renders Sysmon events into Event with the message Sysmon writes', async () => {
    const rows = rowsOf(await readAll(path.join(EVTX, 'EVTX_full_APT_attack_steps/ID11,13,17,18-PSexec as system execution.evtx.gz')));
    const create = rows.find((r) => r.values['EventID'] === 1)!.values;
    assert.equal(create['Source'], 'Microsoft-Windows-Sysmon');
    assert.equal(create['EventLog'], 'Microsoft-Windows-Sysmon/Operational');
    assert.equal(create['UserName'], 'NT AUTHORITY\\SYSTEM');
    assert.match(String(create['RenderedDescription']), /^Process Create:\r\nRuleName: technique_id=T1035,technique_name=Service Execution\r\nUtcTime: 2021-12-04 21:19:16\.741\r\n/);
    assert.match(
      String(create['EventData']),
      /^<DataItem type="System.XmlData" time="2021-12-04T21:19:16\.741\d{4}Z" sourceHealthServiceId="[^"]+"><EventData xmlns="[^"]+"><Data Name="RuleName">/,
    );
    assert.match(String(create['EventData']), /<Data Name="ParentCommandLine">"C:\\Windows\\system32\\cmd\.exe" <\/Data><\/EventData><\/DataItem>$/);
  });
});

describe('EVTX reader against the Sigma regression JSON dumps (decoded by another reader)', () => {
  const cases = JSON.parse(readFileSync(path.join(SIGMA, 'cases.json'), 'utf8')) as Array<{
    test_type: string;
    data_file: string;
    json_file: string;
    records: number;
  }>;

  /** Values as the other reader prints them: GUIDs without braces, numbers as numbers, text trimmed. */
  const normal = (v: unknown): string => String(v ?? '').trim().replace(/^\{([0-9A-Fa-f-]{36})\}$/, '$1').toUpperCase();

  it('gives every record, with the same System fields and EventData values', async () => {
    let compared = 0;
    for (const c of cases.filter((x) => x.test_type === 'evtx')) {
      const results = await readAll(path.join(SIGMA, c.data_file));
      assert.equal(results.length, c.records, c.data_file);
      const rows = rowsOf(results);
      assert.equal(rows.length, c.records, `${c.data_file}: all rows`);
      // The dump is pretty-printed objects one after another: split at top-level braces.
      const dump = readFileSync(path.join(SIGMA, c.json_file), 'utf8');
      const events = dump.split(/\n(?=\{)/).filter((s) => s.trim()).map((s) => JSON.parse(s) as { Event: Record<string, any> });
      assert.equal(events.length, rows.length, `${c.data_file}: dump events`);
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!.values;
        const ev = events[i]!.Event;
        assert.equal(row['EventID'], Number(ev['System']['EventID']['#text'] ?? ev['System']['EventID']), c.data_file);
        assert.equal(row['Computer'], ev['System']['Computer'], c.data_file);
        // TimeCreated to the microsecond (the other reader prints six digits; we keep Windows' seven).
        const theirs = String(ev['System']['TimeCreated']['#attributes']['SystemTime']);
        assert.equal(String(row['TimeGenerated']).slice(0, 26), theirs.slice(0, 26), `${c.data_file} TimeCreated`);
        const xmlEvent = parseEventXml(`<Event><System><EventID>0</EventID></System>${String(row['EventData']).replace(/^<DataItem[^>]*>|<\/DataItem>$/g, '')}</Event>`);
        const ours = Object.fromEntries(xmlEvent.data.map((d) => [d.name, d.value]));
        for (const [name, value] of Object.entries((ev['EventData'] ?? {}) as Record<string, unknown>)) {
          if (value !== null && typeof value === 'object') continue; // attribute-only elements
          assert.equal(normal(ours[name]), normal(value), `${c.data_file} record ${i + 1} ${name}`);
          compared++;
        }
      }
    }
    assert.ok(compared > 1500, `compared ${compared} values`);
  });
});

describe('EVTX damage', () => {
  const file = path.join(EVTX, 'EVTX_full_APT_attack_steps/ID5145-4624-DonPAPI full extraction.evtx.gz');
  const original = gunzipSync(readFileSync(file));

  it('loads the good chunks of a file with a corrupted chunk and reports every record of the bad one', () => {
    const clean = [...readEvtxBuffer(original, 'clean')];
    const damaged = Buffer.from(original);
    // Flip bytes in the middle of the second chunk's records.
    const chunk2 = 0x1000 + 0x10000;
    for (let i = 0x3000; i < 0x3010; i++) damaged[chunk2 + i] = damaged[chunk2 + i]! ^ 0xff;
    const results = [...readEvtxBuffer(damaged, 'damaged')];
    assert.equal(results.length, clean.length, 'every record accounted for');
    const bad = results.filter((r) => r.kind === 'rejection');
    assert.ok(bad.length > 0);
    for (const r of bad) {
      assert.equal(r.kind, 'rejection');
      if (r.kind === 'rejection') {
        assert.match(r.rejection.reason, /checksum \(CRC32\) does not match/);
        assert.match(r.rejection.source, /^damaged#record=\d+$/);
        assert.ok(r.rejection.raw.length > 0, 'the record is kept as far as it could be recovered');
      }
    }
    // Every other chunk's rows are exactly the clean file's.
    const good = results.filter((r) => r.kind === 'row');
    assert.equal(good.length, clean.length - bad.length);
    const cleanById = new Map(rowsOf(clean).map((r) => [r.values['EventRecordId'], JSON.stringify(r.values)]));
    for (const r of rowsOf(good)) assert.equal(JSON.stringify(r.values), cleanById.get(r.values['EventRecordId']));
  });

  it('rejects a file that is not EVTX and reports a truncated tail', () => {
    const notEvtx = [...readEvtxBuffer(Buffer.from('hello world'.repeat(500)), 'x.evtx')];
    assert.equal(notEvtx.length, 1);
    assert.match(notEvtx[0]!.kind === 'rejection' ? notEvtx[0]!.rejection.reason : '', /not an EVTX file/);

    const truncated = original.subarray(0, 0x1000 + 0x10000 + 0x8000);
    const results = [...readEvtxBuffer(truncated, 'cut')];
    const last = results[results.length - 1]!;
    assert.equal(last.kind, 'rejection');
    assert.match(last.kind === 'rejection' ? last.rejection.reason : '', /partial chunk .* truncated/);
    assert.ok(results.filter((r) => r.kind === 'row').length > 0);
  });

  it('survives random damage that keeps the checksums valid (decoders see the garbage)', () => {
    // Seeded mutations of the first chunk's records; the data CRC is recomputed so the chunk is
    // trusted and the binary XML decoders get the damaged bytes. Every record must come out as a
    // row or as a rejection with a reason, and nothing may throw.
    let seed = 42;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const chunk = 0x1000;
    const view = new DataView(original.buffer, original.byteOffset, original.byteLength);
    const end = view.getUint32(chunk + 0x30, true);
    let rejected = 0;
    for (let round = 0; round < 40; round++) {
      const copy = Buffer.from(original);
      for (let k = 0; k < 1 + Math.floor(random() * 8); k++) {
        const at = chunk + 0x200 + Math.floor(random() * (end - 0x200));
        copy[at] = Math.floor(random() * 256);
      }
      copy.writeUInt32LE(crc32Checksum(copy.subarray(chunk + 0x200, chunk + end)) >>> 0, chunk + 0x34);
      const results = [...readEvtxBuffer(copy, `round${round}`)];
      assert.ok(results.length > 0);
      for (const r of results) {
        if (r.kind === 'rejection') {
          rejected++;
          assert.ok(r.rejection.reason.length > 0);
        } else assert.ok(r.row.table === 'SecurityEvent' || r.row.table === 'Event');
      }
    }
    assert.ok(rejected > 0, 'some damage is noticed');
  });

  it('is detected by its signature', () => {
    assert.equal(evtxFormat.detect('x', Buffer.from(original.subarray(0, 4096))), 100);
    assert.equal(evtxFormat.detect('x.evtx', Buffer.from('{"EventID": 1}')), 0);
  });
});
