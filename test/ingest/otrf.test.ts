import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { OtrfReader, otrfFormat, parseOtrfLine } from '../../src/ingest/formats/otrf.js';
import type { IngestRow, ReadResult } from '../../src/ingest/types.js';

const OTRF = path.resolve('../shared/data/otrf');

interface Dataset {
  file: string;
  events: number;
  channels: Record<string, number>;
  event_ids?: Record<string, number>;
}

async function readAll(file: string): Promise<ReadResult[]> {
  const out: ReadResult[] = [];
  for await (const r of new OtrfReader().read({ path: file })) out.push(r);
  return out;
}

function row(line: string): IngestRow {
  const r = parseOtrfLine(line, 'test.json', 1);
  assert.equal(r?.kind, 'row', JSON.stringify(r));
  return (r as { kind: 'row'; row: IngestRow }).row;
}

describe('OTRF Security-Datasets reader', () => {
  const manifest = JSON.parse(readFileSync(path.join(OTRF, 'manifest.json'), 'utf8')) as { datasets: Dataset[] };

  it('accounts for every event of every dataset, in the table its channel calls for', async () => {
    let total = 0;
    for (const d of manifest.datasets) {
      const results = await readAll(path.join(OTRF, d.file));
      assert.deepEqual(results.filter((r) => r.kind === 'rejection'), [], `${d.file}: no rejections`);
      const rows = results.flatMap((r) => (r.kind === 'row' ? [r.row] : []));
      assert.equal(rows.length, d.events, d.file);
      const count = (t: string) => rows.filter((r) => r.table === t).length;
      if (d.file.includes('/aws/')) {
        assert.equal(count('AWSCloudTrail'), d.events, d.file);
      } else {
        const security = (d.channels['Security'] ?? 0) + (d.channels['security'] ?? 0);
        assert.equal(count('SecurityEvent'), security, `${d.file}: SecurityEvent`);
        assert.equal(count('Event'), d.events - security, `${d.file}: Event`);
        const sysmon = rows.filter((r) => r.table === 'Event' && r.values['Source'] === 'Microsoft-Windows-Sysmon').length;
        assert.equal(sysmon, d.channels['Microsoft-Windows-Sysmon/Operational'] ?? 0, `${d.file}: Sysmon`);
        if (d.event_ids) {
          const ids: Record<string, number> = {};
          for (const r of rows) ids[String(r.values['EventID'])] = (ids[String(r.values['EventID'])] ?? 0) + 1;
          assert.deepEqual(ids, d.event_ids, `${d.file}: EventIDs`);
        }
        for (const r of rows) assert.match(String(r.values['TimeGenerated']), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/, d.file);
      }
      total += rows.length;
    }
    assert.equal(total, 7_588);
  });

  it('maps a Winlogbeat Security event like the EVTX reader does', () => {
    const r = row(
      '{"SubjectUserName":"wardog","TimeCreated":"2020-10-18 07:50:06.220","SubjectLogonId":"0xc61d9","SubjectDomainName":"WORKSTATION5",' +
        '"SubjectUserSid":"S-1-5-21-1","EventID":4689,"Channel":"security","Task":"13313","Keywords":-9214364837600034816,' +
        '"Message":"A process has exited.","Hostname":"WORKSTATION5","ProcessName":"C:\\\\Windows\\\\System32\\\\rundll32.exe",' +
        '"ProcessId":"0x12d8","Status":"0x0","SourceName":"Microsoft-Windows-Security-Auditing"}',
    );
    assert.equal(r.table, 'SecurityEvent');
    const v = r.values;
    assert.equal(v['EventID'], 4689);
    assert.equal(v['Channel'], 'Security');
    assert.equal(v['TimeGenerated'], '2020-10-18T07:50:06.220Z');
    assert.equal(v['Activity'], '4689 - A process has exited.');
    assert.equal(v['Account'], 'WORKSTATION5\\wardog');
    assert.equal(v['Process'], 'rundll32.exe');
    assert.equal(v['ProcessId'], '0x12d8');
    assert.equal(v['Status'], '0x0');
    // 0x8020000000000000 does not survive JSON.parse as a number; it is read from the text.
    assert.equal(v['Keywords'], '0x8020000000000000');
    assert.equal(v['EventLevelName'], 'Audit Success');
    assert.equal(v['Task'], 13313);
    assert.match(String(v['EventData']), /^<EventData xmlns="[^"]+"><Data Name="SubjectUserName">wardog<\/Data>/);
    assert.doesNotMatch(String(v['EventData']), /Name="(Message|Hostname|Channel|TimeCreated)"/);
  });

  it('orders NXLog Sysmon fields as the message lists them and keeps the event\'s EventType', () => {
    const r = row(
      '{"UtcTime":"2020-09-17 03:39:34.463","Channel":"Microsoft-Windows-Sysmon/Operational","AccountName":"SYSTEM",' +
        '"SourceName":"Microsoft-Windows-Sysmon","EventType":"CreateKey","EventTime":"2020-09-16 23:39:34",' +
        '"Message":"Registry object added or deleted:\\r\\nRuleName: -\\r\\nEventType: CreateKey\\r\\nUtcTime: 2020-09-17 03:39:34.463\\r\\nProcessGuid: {f0d8}\\r\\nProcessId: 5156\\r\\nImage: C:\\\\svchost.exe\\r\\nTargetObject: HKLM\\\\X",' +
        '"Domain":"NT AUTHORITY","Task":12,"UserID":"S-1-5-18","RuleName":"-","ProcessGuid":"{f0d8}","TargetObject":"HKLM\\\\X",' +
        '"EventID":12,"EventTypeOrignal":"INFO","Hostname":"WORKSTATION5.theshire.local","Image":"C:\\\\svchost.exe","ProcessId":"5156",' +
        '"SourceModuleType":"im_msvistalog","@timestamp":"2020-09-17T03:39:36.595Z"}',
    );
    assert.equal(r.table, 'Event');
    const v = r.values;
    assert.equal(v['Source'], 'Microsoft-Windows-Sysmon');
    assert.equal(v['UserName'], 'NT AUTHORITY\\SYSTEM');
    assert.equal(v['EventCategory'], 12);
    // Sysmon's own UtcTime, not NXLog's local EventTime.
    assert.equal(v['TimeGenerated'], '2020-09-17T03:39:34.463Z');
    assert.equal(String(v['RenderedDescription']).split(':')[0], 'Registry object added or deleted');
    assert.equal(
      String(v['ParameterXml']),
      '<Param>-</Param><Param>CreateKey</Param><Param>2020-09-17 03:39:34.463</Param><Param>{f0d8}</Param><Param>5156</Param><Param>C:\\svchost.exe</Param><Param>HKLM\\X</Param>',
    );
  });

  it('maps CloudTrail records into AWSCloudTrail and rejects other objects with their line', () => {
    const r = row(
      '{"eventVersion":"1.05","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/pedro","accountId":"1","userName":"pedro",' +
        '"sessionContext":{"attributes":{"mfaAuthenticated":"true","creationDate":"2020-09-13T17:16:47Z"}}},"eventSource":"s3.amazonaws.com",' +
        '"eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"1.2.3.4","requestParameters":{"bucketName":"b"},"@timestamp":"2020-09-14T01:00:00Z"}',
    );
    assert.equal(r.table, 'AWSCloudTrail');
    assert.equal(r.values['EventName'], 'GetObject');
    assert.equal(r.values['UserIdentityUserName'], 'pedro');
    assert.equal(r.values['SessionMfaAuthenticated'], true);
    assert.equal(r.values['RequestParameters'], '{"bucketName":"b"}');
    assert.equal(r.values['TimeGenerated'], '2020-09-14T01:00:00Z');

    const other = parseOtrfLine('{"hello":1}', 'f.json', 7);
    assert.equal(other?.kind, 'rejection');
    assert.equal(other?.kind === 'rejection' && other.rejection.source, 'f.json:7');
    assert.equal(parseOtrfLine('   ', 'f.json', 8), undefined);
    assert.match(parseOtrfLine('[1]', 'f.json', 9)?.kind === 'rejection' ? 'rejected' : '', /rejected/);
  });

  it('is detected from its first line', () => {
    assert.equal(otrfFormat.detect('a.json', Buffer.from('{"EventID":4689,"Channel":"Security"}\n')), 90);
    assert.equal(otrfFormat.detect('a.json', Buffer.from('{"ts":1,"uid":"x"}\n')), 0);
  });
});
