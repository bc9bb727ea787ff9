// `quarry ingest` end to end: bin/quarry.js ingests sample files into a new workspace, prints
// the per-table summary, and `quarry query` reads the rows back.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runRealCli, tempDir } from '../cli/helpers.js';
import { parseMappings } from '../../src/cli/ingest-command.js';

const DATA = '/work/shared/data';
const cwd = tempDir();
const ws = path.join(cwd, 'ws');
const quarry = (args: string[]) => runRealCli(args, { cwd });

describe('quarry ingest', () => {
  it('ingests files and folders, prints accepted/rejected per table, and the rows answer KQL', () => {
    const r = quarry(['ingest', '--workspace', ws, `${DATA}/syslog/cef`, `${DATA}/zeek/zeek-tsv/conn.log`, `${DATA}/suricata/honeypot-2018/eve.json`]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^table\s+accepted\s+rejected\s+converted$/m);
    assert.match(r.stdout, /^CommonSecurityLog\s+12\s+0\s+4$/m);
    assert.match(r.stdout, /^Suricata_alert_CL\s+44\s+0\s+0$/m);
    assert.match(r.stdout, /^Zeek_conn_CL\s+5\s+0\s+0$/m);
    assert.match(r.stdout, /61 accepted, 0 rejected from 5 file\(s\)/);
    const q = quarry(['query', '--workspace', ws, '--format', 'json', 'Zeek_conn_CL | summarize n=count(), b=sum(orig_bytes)']);
    assert.equal(q.status, 0, q.stderr);
    assert.deepEqual(JSON.parse(q.stdout).rows, [[5, 599]]);
  });

  it('maps NDJSON fields into a named table with --table and --map; a non-TTY gets no live progress', () => {
    const file = path.join(cwd, 'people.ndjson');
    writeFileSync(file, '{"when":"2024-02-03T04:05:06Z","name":"ann"}\n"oops"\n');
    const r = quarry(['ingest', '--workspace', ws, '--table', 'People_CL', '--map', 'when=TimeGenerated', '--map', 'name=Name', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^People_CL\s+1\s+1\s+0$/m);
    assert.match(r.stdout, /_IngestErrors/);
    assert.doesNotMatch(r.stderr, /\r/);
    const q = quarry(['query', '--workspace', ws, '--format', 'json', 'People_CL | project TimeGenerated, Name']);
    assert.deepEqual(JSON.parse(q.stdout).rows, [['2024-02-03T04:05:06.0000000Z', 'ann']]);
  });

  it('reports usage errors: unknown format, bad --map, no paths; a missing file fails', () => {
    const a = quarry(['ingest', '--workspace', ws, '--format', 'nope', `${DATA}/syslog/cef`]);
    assert.equal(a.status, 2);
    assert.match(a.stderr, /unknown format "nope" \(known: .*syslog/);
    assert.throws(() => parseMappings(['novalue']), /--map expects source=Column/);
    assert.deepEqual(parseMappings(['a=b', 'c.d=E']), { a: 'b', 'c.d': 'E' });
    const b = quarry(['ingest', '--workspace', ws]);
    assert.equal(b.status, 2);
    const c = quarry(['ingest', '--workspace', ws, path.join(cwd, 'missing.log')]);
    assert.equal(c.status, 1);
    assert.match(c.stderr, /missing\.log: no such file or folder/);
  });
});

describe('quarry ingest with a mapping in quarry.yaml', () => {
  it('applies the table mapping and declared column types from the workspace config', () => {
    const dir = path.join(cwd, 'ws-mapped');
    assert.equal(quarry(['init', dir]).status, 0);
    writeFileSync(path.join(dir, 'quarry.yaml'), [
      'name: mapped', 'version: 1', 'localOnly: true', 'tables:', '  Flows_CL:',
      '    columns: { SrcIp: string, DstPort: int, Bytes: long }', '    mapping: { src: SrcIp, dport: DstPort }', '    retentionDays: 30', '',
    ].join('\n'));
    const file = path.join(cwd, 'flows.csv');
    writeFileSync(file, 'src,dport,Bytes\n10.0.0.1,443,1200\n10.0.0.2,x,5\n');
    const r = quarry(['ingest', '--workspace', dir, '--table', 'Flows_CL', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Flows_CL\s+2\s+0\s+1$/m);
    const q = quarry(['query', '--workspace', dir, '--format', 'json', 'Flows_CL | order by SrcIp asc | project SrcIp, DstPort, Bytes, AdditionalFields']);
    const result = JSON.parse(q.stdout);
    assert.deepEqual(result.columns.map((c: { type: string }) => c.type), ['string', 'int', 'long', 'dynamic']);
    assert.deepEqual(result.rows, [['10.0.0.1', 443, 1200, null], ['10.0.0.2', null, 5, { DstPort: 'x' }]]);
  });
});
