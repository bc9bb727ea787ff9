// Readers and the file pipeline on the shared data (Zeek, Suricata, syslog, CSV) and on bad
// input: truncated gzip, invalid UTF-8, a 10 MB line, JSON that is not an object.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { QueryEngine } from '../../src/engine/engine.js';
import { CsvTokenizer } from '../../src/ingest/formats/csv.js';
import { zeekTime } from '../../src/ingest/formats/zeek.js';
import { Ingestor } from '../../src/ingest/ingestor.js';
import { ingestPaths, type IngestFilesOptions } from '../../src/ingest/pipeline.js';
import { detectFormat } from '../../src/ingest/registry.js';

const DATA = '/work/shared/data';
const dir = mkdtempSync(path.join(tmpdir(), 'quarry-formats-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function ingest(paths: string[], options: IngestFilesOptions = {}) {
  const db = path.join(dir, `f${n++}.duckdb`);
  const ing = await Ingestor.open(db);
  const summary = await ingestPaths(ing, paths, options);
  await ing.close();
  const engine = await QueryEngine.open({ databasePath: db });
  after(() => engine.close());
  return { summary, q: (kql: string) => engine.query(kql) };
}

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe('format detection', () => {
  it('recognises each sample by its content', async () => {
    const cases: Array<[string, string]> = [
      ['syslog/rfc3164/openvpn.log', 'syslog'],
      ['syslog/cef/checkpoint-cef.log', 'cef'],
      ['syslog/cef/barracuda-waf-cef.log', 'cef'],
      ['zeek/zeek-tsv/conn.log', 'zeek'],
      ['zeek/zeek-tsv/conn-tsv.log', 'zeek'],
      ['zeek/otrf-apt29-day1/NASHUA_dns.log', 'zeek'],
      ['suricata/honeypot-2018/eve.json', 'suricata'],
      ['suricata/honeypot-2018/alerts-only.json', 'suricata'],
      ['syslog/sentinel-syslog-table/syslog_data.csv', 'csv'],
    ];
    for (const [f, want] of cases) assert.equal((await detectFormat(`${DATA}/${f}`))?.name, want, f);
    assert.equal((await detectFormat(file('x.ndjson', '{"a":1}\n')))?.name, 'ndjson');
    assert.equal((await detectFormat(file('x.gz', gzipSync('<13>Jan  1 00:00:00 h a: b\n'))))?.name, 'syslog');
    assert.equal(await detectFormat(`${DATA}/zeek/zeek-tsv/README`), undefined);
  });
});

describe('Zeek', () => {
  it('TSV: one table per #path, types from #types, µs time stamps, sets as arrays', async () => {
    const { summary, q } = await ingest([`${DATA}/zeek/zeek-tsv/conn.log`, `${DATA}/zeek/zeek-tsv/unset-field.log`]);
    assert.equal(summary.rejected, 0);
    const r = await q('Zeek_conn_CL | order by ts asc | take 1 | project ts, TimeGenerated, uid, id_orig_h, id_orig_p, duration, orig_bytes, local_orig, tunnel_parents');
    assert.deepEqual(r.columns.map((c) => c.type), ['datetime', 'datetime', 'string', 'string', 'long', 'timespan', 'long', 'bool', 'dynamic']);
    assert.deepEqual(r.rows[0], ['2012-02-21T16:52:41.9684920Z', '2012-02-21T16:52:41.9684920Z', 'CXWv6p3arKYeMETxOg', '141.142.220.235', 50003, '00:00:38.0556250', 180, null, []]);
    const k = await q('Zeek_kerberos_CL | project success, error_msg, forwardable, renewable');
    // The custom #unset_field "(unset_test)" reads as null.
    assert.deepEqual(k.rows[0], [true, '', true, false]); // strings are never null
  });

  it('JSON (Security-Datasets): the log type from @stream, the same column names as TSV', async () => {
    const { summary, q } = await ingest([`${DATA}/zeek/otrf-apt29-day1`]);
    assert.equal(summary.accepted, 479 + 21 + 376 + 134 + 32 + 62 + 2);
    assert.equal(summary.rejected, 0);
    assert.deepEqual((await q('Zeek_conn_CL | count')).rows, [[613]]);
    assert.deepEqual((await q('Zeek_dns_CL | count')).rows, [[53]]);
    const r = await q('Zeek_conn_CL | where uid == "Cvf4XX17hSAgXDdGEd" | project ts, id_resp_p, duration');
    assert.deepEqual(r.rows, [['2020-04-30T00:06:39.8243700Z', 53, '00:00:00.0015280']]);
    assert.equal(summary.files.find((f) => f.path.endsWith('LICENSE'))?.skipped, 'format not recognised');
  });

  it('reports malformed headers and bad times without losing rows', async () => {
    const { summary, q } = await ingest([`${DATA}/zeek/zeek-tsv/missing-separator.log`, `${DATA}/zeek/zeek-tsv/null-separator.log`, `${DATA}/zeek/zeek-tsv/invalid-time.log`]);
    assert.equal(summary.files[0]!.rejected, 2);
    assert.equal(summary.files[1]!.rejected, 2);
    assert.equal(summary.files[2]!.accepted, 5);
    const e = await q('_IngestErrors | where Outcome == "kept" | project Reason');
    assert.equal(e.rows.length, 2); // "hello" and the overflowing 77777777777777777777
    const r = await q('Zeek_invalid_CL | order by test asc | project test, ts');
    assert.deepEqual(r.rows.map((row) => row[0]), ['a', 'b', 'c', 'd', 'e']);
    assert.equal(r.rows[1]![1], '1969-12-31T20:34:14.8765440Z'); // -12345.123456 s
    assert.equal(r.rows[3]![1], null);
  });

  it('converts epoch seconds to ISO text keeping microseconds', () => {
    assert.equal(zeekTime('1329843175.736107'), '2012-02-21T16:52:55.736107Z');
    assert.equal(zeekTime('0.000000'), '1970-01-01T00:00:00.000000Z');
    assert.equal(zeekTime('hello'), undefined);
  });
});

describe('Suricata EVE', () => {
  it('NDJSON and JSON array files go to Suricata_alert_CL with nested objects as dynamic', async () => {
    const { summary, q } = await ingest([`${DATA}/suricata/honeypot-2018/eve.json`, `${DATA}/suricata/honeypot-2018/alerts-only.json`]);
    assert.equal(summary.accepted, 88);
    assert.deepEqual((await q('Suricata_alert_CL | summarize dcount(tostring(alert.signature_id))')).rows, [[44]]);
    const r = await q('Suricata_alert_CL | where alert.signature == "ET SCAN Potential SSH Scan" | take 1 | project TimeGenerated, src_ip, dest_port, sev=toint(alert.severity)');
    assert.deepEqual(r.columns.map((c) => c.type), ['datetime', 'string', 'long', 'int']);
    assert.equal(r.rows[0]![2], 22);
  });
});

describe('syslog files', () => {
  it('reads syslog and CEF samples into Syslog and CommonSecurityLog', async () => {
    const { summary, q } = await ingest([`${DATA}/syslog/rfc3164`, `${DATA}/syslog/cef`]);
    assert.equal(summary.tables.Syslog!.accepted, 34);
    assert.equal(summary.tables.CommonSecurityLog!.accepted, 12);
    const r = await q('CommonSecurityLog | summarize n=count() by DeviceVendor | order by DeviceVendor asc');
    assert.deepEqual(r.rows, [['BarracudaNetworks', 5], ['Check Point', 3], ['ForgeRock Inc', 4]]);
    const s = await q('CommonSecurityLog | where DeviceVendor == "BarracudaNetworks" | take 1 | project SourcePort, DestinationPort, ReceivedBytes, Computer');
    assert.deepEqual(s.rows, [[48293, 9049, 209, 'Barracuda']]);
    // ForgeRock's cn1=IDM cannot be DeviceCustomNumber1 (int): kept in AdditionalFields, reported.
    assert.equal(summary.tables.CommonSecurityLog!.conflicts, 4);
  });
});

describe('JSON, NDJSON and CSV into a named table', () => {
  it('CSV: header names fields, --map renames them, typed columns convert the text', async () => {
    const { summary, q } = await ingest([`${DATA}/syslog/sentinel-syslog-table/syslog_data.csv`], { table: 'Syslog' });
    assert.equal(summary.accepted, 100);
    assert.equal(summary.rejected, 0);
    const r = await q('Syslog | summarize n=count() by Facility | order by Facility asc');
    assert.equal(r.rows.reduce((s, row) => s + Number(row[1]), 0), 100);
    assert.equal(r.rows[0]![0], 'authpriv');
    // Row 0 of the file: "7/8/2019 16:08" (M/d/yyyy, as Log Analytics exports write it).
    const first = await q('Syslog | where TimeGenerated == datetime(2019-07-08 16:08) and SyslogMessage startswith "pam_unix(sudo:session)" | summarize n=count(), p=any(ProcessName), ip=any(HostIP)');
    assert.equal(first.rows[0]![1], 'sudo');
    assert.equal(first.rows[0]![2], '10.0.6.5');
    assert.ok(Number(first.rows[0]![0]) >= 1);
  });

  it('CSV tokenizer: quotes, doubled quotes, newlines in fields, CRLF, chunk boundaries', () => {
    const t = new CsvTokenizer();
    const text = 'a,b,c\r\n"x, y","say ""hi""","line1\nline2"\r\n1,,3';
    const records = [];
    for (let i = 0; i < text.length; i += 3) records.push(...t.feed(text.slice(i, i + 3)));
    records.push(...t.end());
    assert.deepEqual(records.map((r) => r.fields), [['a', 'b', 'c'], ['x, y', 'say "hi"', 'line1\nline2'], ['1', '', '3']]);
    const u = new CsvTokenizer();
    const broken = [...u.feed('a\n"never closed\n'), ...u.end()];
    assert.match(String(broken[1]!.error), /never closed/);
  });

  it('NDJSON: non-objects and invalid JSON are rejected with their line; --map renames', async () => {
    const p = file('mixed.ndjson', '{"ts":"2024-01-01T00:00:00Z","who":"a"}\n[1,2]\n42\nnull\n{"who":\n"text"\n\n{"who":"b"}\n');
    const { summary, q } = await ingest([p], { format: 'ndjson', table: 'People_CL', mapping: { ts: 'TimeGenerated', who: 'Name' } });
    assert.equal(summary.accepted, 2);
    assert.equal(summary.rejected, 5);
    assert.deepEqual((await q('People_CL | order by Name asc | project Name')).rows, [['a'], ['b']]);
    assert.deepEqual((await q('People_CL | where Name == "a" | project TimeGenerated')).rows, [['2024-01-01T00:00:00.0000000Z']]);
    const e = await q('_IngestErrors | order by Source asc | project Source, Reason');
    assert.deepEqual(e.rows.map((r) => r[0]), [`${p}:2`, `${p}:3`, `${p}:4`, `${p}:5`, `${p}:6`]);
    assert.match(String(e.rows[0]![1]), /line 2 is JSON an array, not an object/);
    assert.match(String(e.rows[3]![1]), /line 5 is not valid JSON/);
  });

  it('JSON array: each element a row; non-object elements rejected', async () => {
    const p = file('arr.json', JSON.stringify([{ a: 1 }, 'x', { a: 2 }]));
    const { summary } = await ingest([p], { table: 'Arr_CL' });
    assert.equal(summary.accepted, 2);
    assert.equal(summary.rejected, 1);
  });

  it('needs --table for generic formats, saying so', async () => {
    const p = file('lonely.ndjson', '{"a":1}\n');
    const { summary } = await ingest([p]);
    assert.match(String(summary.files[0]!.error), /needs a target table: pass --table/);
    assert.equal(summary.rejected, 1);
  });
});

describe('bad input', () => {
  it('truncated gzip: the lines before the damage are stored, the damage reported', async () => {
    const text = Array.from({ length: 2000 }, (_, i) => `<13>Jan  1 00:00:00 host app[${i}]: message number ${i} ${'x'.repeat(i % 50)}`).join('\n') + '\n';
    const gz = gzipSync(text);
    const p = file('cut.log.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
    const { summary, q } = await ingest([p]);
    const f = summary.files[0]!;
    assert.equal(f.format, 'syslog');
    assert.match(String(f.error), /gzip data is truncated/);
    const stored = Number((await q('Syslog | count')).rows[0]![0]);
    assert.ok(stored > 100 && stored < 2000, `stored ${stored}`);
    assert.equal(stored, f.accepted);
    const e = await q('_IngestErrors | project Reason');
    assert.ok(e.rows.some((r) => /truncated/.test(String(r[0]))));
  });

  it('invalid UTF-8: that line is rejected (raw kept as Latin-1), the others stored', async () => {
    const p = file('bad-utf8.log', Buffer.concat([Buffer.from('<13>Jan  1 00:00:00 h a: good\n<13>Jan  1 00:00:00 h a: bad '), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('\n<13>Jan  1 00:00:00 h a: good again\n')]));
    const { summary, q } = await ingest([p]);
    assert.equal(summary.accepted, 2);
    assert.equal(summary.rejected, 1);
    const e = await q('_IngestErrors | project Source, Reason, RawText');
    assert.equal(e.rows[0]![0], `${p}:2`);
    assert.match(String(e.rows[0]![1]), /not valid UTF-8 \(at byte 29\)/);
    assert.match(String(e.rows[0]![2]), /bad ÿþA$/);
  });

  it('a 10 MB single line is read as one record', async () => {
    const big = 'y'.repeat(10 * 1024 * 1024);
    const p = file('big.ndjson', `{"id":1,"blob":"${big}"}\n{"id":2,"blob":"small"}\n`);
    const { summary, q } = await ingest([p], { table: 'Big_CL' });
    assert.equal(summary.accepted, 2);
    assert.deepEqual((await q('Big_CL | project id, n=strlen(blob) | order by id asc')).rows, [[1, big.length], [2, 5]]);
  });

  it('a missing file is a clear error', async () => {
    const db = path.join(dir, `f${n++}.duckdb`);
    const ing = await Ingestor.open(db);
    await assert.rejects(ingestPaths(ing, [path.join(dir, 'nope.log')]), /nope\.log: no such file or folder/);
    await ing.close();
  });

  it('the sample CSV parses identically from a gzip copy', async () => {
    const p = file('syslog_data.csv.gz', gzipSync(readFileSync(`${DATA}/syslog/sentinel-syslog-table/syslog_data.csv`)));
    const { summary } = await ingest([p], { format: 'csv', table: 'Syslog' });
    assert.equal(summary.accepted, 100);
  });
});
