/**
 * Windows logs end to end: EVTX and OTRF files (one EVTX with a damaged chunk) ingested into a
 * workspace database through the Ingestor, then queried with KQL — Sentinel-style queries on
 * SecurityEvent / Event, the shipped `Sysmon` function with a community detection from the
 * corpus, and the rejected records in _IngestErrors.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { QueryEngine } from '../../src/engine/engine.js';
import { readEvtxBuffer } from '../../src/ingest/formats/evtx/reader.js';
import { Ingestor } from '../../src/ingest/ingestor.js';
import { ingestPaths, type IngestSummary } from '../../src/ingest/pipeline.js';
import type { IngestRow } from '../../src/ingest/types.js';

const EVTX = path.resolve('../shared/data/evtx');
const PSEXEC = path.join(EVTX, 'EVTX_full_APT_attack_steps/ID11,13,17,18-PSexec as system execution.evtx.gz');
const ROMANCE = path.join(EVTX, 'EVTX_full_APT_attack_steps/ID4624,4688,5140,5145-Eternal Romance - MS17_010_psexec (GLOBAL).evtx.gz');
const DONPAPI = path.join(EVTX, 'EVTX_full_APT_attack_steps/ID5145-4624-DonPAPI full extraction.evtx.gz');
const LSASS = path.resolve('../shared/data/otrf/atomic/windows/credential_access/host/psh_lsass_memory_dump_comsvcs.json.gz');
const SYSMON_FUNCTION = readFileSync(path.resolve('content/functions/Sysmon.kql'), 'utf8');

/** A query run with the shipped saved function in scope, as a workspace would provide it. */
const withSysmon = (query: string) => `let Sysmon = () {\n${SYSMON_FUNCTION}\n};\n${query}`;

interface CorpusQuery {
  repo: string;
  path: string;
  query: string;
}

const CORPUS: CorpusQuery[] = readFileSync(path.resolve('../shared/corpus/kql/queries.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line)
  .map((line) => JSON.parse(line) as CorpusQuery);

function corpusQuery(file: string): string {
  const q = CORPUS.find((c) => c.repo === 'BlueTeamLabs/sentinel-attack' && c.path === file);
  if (!q) throw new Error(`${file} is not in the corpus`);
  return q.query;
}

describe('EVTX and OTRF into a workspace, queried with KQL', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'quarry-windows-e2e-'));
  const db = path.join(dir, 'quarry.duckdb');
  const damagedFile = path.join(dir, 'damaged.evtx');
  let summary: IngestSummary;
  let engine: QueryEngine;
  let sysmonRows: IngestRow[];
  let badRecords = 0;
  let lsassAccesses = 0;

  before(async () => {
    // A copy of the DonPAPI log with bytes flipped inside its third chunk.
    const damaged = Buffer.from(gunzipSync(readFileSync(DONPAPI)));
    const chunk3 = 0x1000 + 2 * 0x10000;
    for (let i = 0x2000; i < 0x2008; i++) damaged[chunk3 + i] = damaged[chunk3 + i]! ^ 0x5a;
    writeFileSync(damagedFile, damaged);
    badRecords = [...readEvtxBuffer(damaged, 'x')].filter((r) => r.kind === 'rejection').length;
    sysmonRows = [...readEvtxBuffer(gunzipSync(readFileSync(PSEXEC)), 'x')].flatMap((r) => (r.kind === 'row' ? [r.row] : []));

    for (const line of gunzipSync(readFileSync(LSASS)).toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      const o = JSON.parse(line) as Record<string, unknown>;
      if (o['EventID'] === 10 && String(o['TargetImage'] ?? '').toLowerCase().includes('lsass.exe')) lsassAccesses++;
    }

    const ingestor = await Ingestor.open(db);
    summary = await ingestPaths(ingestor, [PSEXEC, ROMANCE, damagedFile, LSASS]);
    await ingestor.close();
    engine = await QueryEngine.open({ databasePath: db });
  });

  after(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rows = async (query: string) => (await engine.query(query)).rows;

  it('detects the formats and stores every record or its rejection', () => {
    assert.deepEqual(
      summary.files.map((f) => [path.basename(f.path), f.format, f.accepted + f.rejected]),
      [
        [path.basename(PSEXEC), 'evtx', 15],
        [path.basename(ROMANCE), 'evtx', 46],
        ['damaged.evtx', 'evtx', 750],
        [path.basename(LSASS), 'otrf', 184],
      ],
    );
    assert.ok(badRecords > 0);
    assert.equal(summary.rejected, badRecords);
    assert.equal(summary.tables['SecurityEvent']?.accepted, 46 + 750 - badRecords + 36);
    assert.equal(summary.tables['Event']?.accepted, 15 + 148);
    assert.equal(summary.conflicts, 0);
  });

  it('answers Sentinel-style SecurityEvent queries', async () => {
    assert.deepEqual(await rows('SecurityEvent | summarize count()'), [[46 + 750 - badRecords + 36]]);
    assert.deepEqual(
      await rows(
        'SecurityEvent | where EventID == 4624 and Computer == "fs03vuln.offsec.lan" and TimeGenerated between (datetime(2021-04-22) .. datetime(2021-04-23)) | summarize Logons = count() by Account, LogonTypeName, IpAddress | order by IpAddress asc',
      ),
      [
        ['OFFSEC\\admmig', '3 - Network', '10.23.123.11', 1],
        ['OFFSEC\\admmig', '3 - Network', '10.23.23.9', 2],
      ],
    );
    // The Security log read from EVTX and from OTRF JSON lands in the same columns.
    const processes = await rows('SecurityEvent | where EventID == 4688 | summarize by Process, bool = isnotempty(NewProcessName) | order by Process asc');
    assert.ok(processes.some(([p]) => p === 'cmd.exe'));
    assert.ok(processes.every(([, hasName]) => hasName === true));
    const parsed = await rows('SecurityEvent | where EventID == 4624 | extend d = parse_xml(EventData) | take 1 | project tostring(d.EventData.Data[8]["#text"]), LogonType');
    assert.equal(parsed[0]![0], String(parsed[0]![1]));
  });

  it('keeps the damaged chunk\'s records in _IngestErrors with the reason', async () => {
    const errors = await rows('_IngestErrors | summarize count() by Reason, Outcome');
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]![0]), /chunk records checksum \(CRC32\) does not match/);
    assert.equal(errors[0]![1], 'rejected');
    assert.equal(errors[0]![2], badRecords);
    const sources = await rows('_IngestErrors | where Source has "damaged.evtx#record=" | count');
    assert.deepEqual(sources, [[badRecords]]);
  });

  it('runs the Sysmon hunting queries of the corpus through the shipped Sysmon function', async () => {
    // Named pipes (T0000): the reader's own rows say which events the detection must return.
    const pipes = /\\(isapi_http|isapi_dg|isapi_dg2|sdlrpc|aheec|winsession|lsassw|rpchlp_3|NamePipe_MoreWindows|pcheap_reuse|PSEXESVC|PowerShellISEPipeName_|csexec|paexec|remcom)/i;
    const expected = sysmonRows.filter((r) => r.values['EventID'] === 17 && pipes.test(/<Data Name="PipeName">([^<]*)</.exec(String(r.values['EventData']))?.[1] ?? ''));
    assert.ok(expected.length > 0);
    const hits = await rows(withSysmon(`${corpusQuery('detections/T0000_Named_Pipes.txt')}\n| project pipe_name, process_path`));
    assert.equal(hits.length, expected.length);
    for (const [pipe, image] of hits) {
      assert.match(String(pipe), /PSEXESVC/);
      assert.match(String(image), /PSEXESVC\.exe$|PsExec64\.exe$/i);
    }

    // Process access to lsass (T1003) on the OTRF comsvcs dataset: as many as the JSON holds, the rundll32 dump among them.
    const lsass = await rows(withSysmon('Sysmon | where EventID == 10 and target_process_path contains "lsass.exe" | project process_path, process_granted_access'));
    assert.equal(lsass.length, lsassAccesses);
    assert.ok(lsass.some(([p, access]) => /rundll32\.exe$/i.test(String(p)) && access === '0x1410'));

    // The corpus' detections written against the Sysmon parser compile against the shipped
    // function, but one that misspells a column (process_commandline) — as it would in Sentinel.
    // (All 117 were run on data once, 116 compiling; a quarter of them here keeps the suite short.)
    const all = CORPUS.filter((c) => /^\s*Sysmon\b/m.test(c.query) && !c.path.startsWith('parser/'));
    assert.ok(all.length >= 100, `${all.length} Sysmon detections`);
    const detections = all.filter((c, i) => i % 4 === 0 || c.path === 'detections/T1196_Control_Panel_Items_Process.txt');
    const failing: string[] = [];
    for (const d of detections) {
      try {
        engine.prepare(withSysmon(d.query));
      } catch (e) {
        failing.push(`${d.path}: ${(e as Error).message.slice(0, 100)}`);
      }
    }
    assert.deepEqual(failing.map((f) => f.replace(/:.*/s, '')), ['detections/T1196_Control_Panel_Items_Process.txt'], failing.join('\n'));
    assert.match(failing[0]!, /process_commandline/);

    const create = await rows(withSysmon('Sysmon | where EventID == 1 and Computer == "fs03vuln.offsec.lan" and process_path endswith "PsExec64.exe" | project process_path, process_command_line, hash_sha256, technique_id, process_parent_path, file_name'));
    assert.deepEqual(create[0], [
      'C:\\TOOLS\\PsExec64.exe',
      'PsExec64.exe  -i -s cmd',
      'AD6B98C01EE849874E4B4502C3D7853196F6044240D3271E4AB3FC6E3C08E9A4',
      'T1035',
      'C:\\Windows\\System32\\cmd.exe',
      'psexec.c',
    ]);
  });
});
