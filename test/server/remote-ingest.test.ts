// `quarry ingest` while a server owns the workspace: the CLI reads the files and sends batches
// with idempotency keys; the rows stored equal those the CLI stores when it opens the database itself.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { QuarryServer } from '../../src/server/server.js';
import { RemoteIngestor } from '../../src/server/remote-ingestor.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { runCli } from '../../src/cli/program.js';
import { QueryEngine } from '../../src/engine/engine.js';

const SHARED_EVTX = path.resolve('../shared/data/evtx/TA0006-Credential Access/T1003-Credential dumping');

let root: string;
let served: string;
let server: QuarryServer;

async function cli(args: string[]): Promise<{ status: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => { out += d; });
  stderr.on('data', (d) => { err += d; });
  const status = await runCli(args, {
    io: { stdin: new PassThrough() as never, stdout: stdout as never, stderr: stderr as never },
    openEngine: async (options) => QueryEngine.open(options),
  });
  return { status, out, err };
}

/** Every stored row of the tables, as sorted text: what must be equal on both paths. */
const FINGERPRINT = `union SecurityEvent, Event, Notes_CL
  | project Type, TimeGenerated, EventID, Computer, Account, TargetUserName, LogonType, EventData, RenderedDescription, n, note, at, tags
  | extend row = tostring(pack_all()) | order by row asc | project row`;

before(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'quarry-remote-ingest-'));
  served = path.join(root, 'served');
  const ws = openWorkspace(served, { create: true });
  server = await QuarryServer.start(ws, { port: 0, syslogUdpPort: 0, syslogTcpPort: 0, log: () => undefined });
  writeFileSync(path.join(root, 'notes.ndjson'), [
    '{"TimeGenerated":"2024-03-01T10:00:00.1234567Z","n":9007199254740993,"note":"big integer","at":"2024-03-01T10:00:00Z","tags":{"k":[1,2]}}',
    '{"TimeGenerated":"2024-03-01T11:00:00Z","n":2,"note":"second"}',
    'not json',
  ].join('\n'));
});

after(async () => {
  await server.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('quarry ingest through a running server', () => {
  it('sends EVTX and NDJSON records to the server and stores what the local path stores', async () => {
    const files = [SHARED_EVTX, path.join(root, 'notes.ndjson')];
    const viaServer = await cli(['ingest', '-w', served, ...files.slice(0, 1)]);
    assert.equal(viaServer.status, 0, viaServer.err);
    assert.match(viaServer.err, /owns this workspace: sending it the records/);
    const notes = await cli(['ingest', '-w', served, '--table', 'Notes_CL', files[1]!]);
    assert.equal(notes.status, 0, notes.err);
    assert.match(notes.out, /1 rejected/);

    const local = path.join(root, 'local');
    assert.equal((await cli(['ingest', '-w', local, files[0]!])).status, 0);
    assert.equal((await cli(['ingest', '-w', local, '--table', 'Notes_CL', files[1]!])).status, 0);

    const remoteRows = await cli(['query', '-w', served, '-f', 'json', '--no-truncate', FINGERPRINT]);
    const localRows = await cli(['query', '-w', local, '-f', 'json', '--no-truncate', FINGERPRINT]);
    assert.equal(remoteRows.status, 0, remoteRows.err);
    const remote = JSON.parse(remoteRows.out).rows;
    assert.ok(remote.length > 100, `only ${remote.length} rows`);
    assert.deepEqual(remote, JSON.parse(localRows.out).rows);
    // The line that is not JSON is an _IngestErrors row on the server too.
    const errors = await cli(['query', '-w', served, '-f', 'json', '_IngestErrors | where RawText == "not json" | count']);
    assert.deepEqual(JSON.parse(errors.out).rows, [[1]]);
  });

  it('a batch retried with the same idempotency key (same run, same number) is stored once', async () => {
    const sends: number[] = [];
    const ingestor = new RemoteIngestor({ url: server.url, token: server.token, pid: process.pid } as never);
    const batch = { source: 'retry-test', rows: [{ table: 'Retry_CL', values: { TimeGenerated: new Date('2024-01-01T00:00:00Z'), v: 9007199254740993n } }] };
    const first = await ingestor.write(batch);
    sends.push(first.accepted);
    // Replay the same key: a client whose connection dropped after the server committed.
    (ingestor as unknown as { sequence: number }).sequence -= 1;
    const again = await ingestor.write(batch);
    assert.equal(first.accepted, 1);
    assert.equal(again.duplicate, true);
    // One row, and a 64-bit integer beyond 2^53 (a bigint from a reader) arrives exactly, typed long.
    const n = await cli(['query', '-w', served, '-f', 'json', 'Retry_CL | project tostring(v), gettype(v)']);
    assert.deepEqual(JSON.parse(n.out).rows, [['9007199254740993', 'long']]);
  });

  it('a batch the server refuses names the file and the reason', async () => {
    const ingestor = new RemoteIngestor({ url: server.url, token: server.token, pid: process.pid } as never);
    await assert.rejects(ingestor.write({ source: 'some/file.log', rows: [{ table: 'not a table', values: {} }] }),
      /some\/file\.log: the server answered 400: invalid request field "rows\.0\.table": a table name is letters, digits and _/);
  });
});
