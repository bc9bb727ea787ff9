// `quarry query` as a process, on the fake engine (see fixtures/fake-engine.ts).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { runCli } from '../../src/cli/program.js';
import { FakeEngine } from './fixtures/fake-engine.js';
import { runFakeCli, tempDir } from './helpers.js';

const cwd = tempDir();
const query = (args: string[], input?: string) => runFakeCli(['query', ...args], { cwd, input });

describe('quarry query', () => {
  it('prints a table and exits 0', () => {
    const r = query(['print x=1']);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'x\n-\n1\n(1 row, 12 ms)\n');
    assert.equal(r.status, 0);
  });

  it('reads the query from stdin when there is no argument', () => {
    const r = query(['--format', 'ndjson'], 'print x=1\n');
    assert.equal(r.stdout, '{"x":1}\n');
    assert.equal(r.status, 0);
  });

  it('writes json as the QueryResult object', () => {
    const r = query(['--format', 'json', 'fake:notes']);
    assert.deepEqual(JSON.parse(r.stdout), {
      columns: [{ name: 'x', type: 'long' }], rows: [[1], [2]], truncated: true,
      warnings: ['first warning', 'second warning'], visualization: { kind: 'timechart' },
      stats: { elapsedMs: 12, rowCount: 2 },
    });
    assert.equal(r.stderr, '');
  });

  it('writes csv with quoting, and its warnings on stderr', () => {
    const r = query(['-f', 'csv', 'fake:tricky']);
    assert.equal(r.stdout,
      'Text,Bag,N\r\n"a,b","{""k"":""v,\\""w\\""""}",1\r\n"say ""hi""","[1,""two""]",\r\n"line1\nline2","""plain""",3\r\n,,4\r\n');
    assert.equal(r.status, 0);
    const noted = query(['-f', 'csv', 'fake:notes']);
    assert.equal(noted.stdout, 'x\r\n1\r\n2\r\n');
    assert.equal(noted.stderr, 'warning: first warning\nwarning: second warning\n' +
      'warning: the result was truncated at the row/size limit; run with --no-truncate to get all rows\n');
  });

  it('passes --timeout (in seconds) and --no-truncate to the engine', () => {
    const r = query(['-f', 'ndjson', '--timeout', '2.5', '--no-truncate', 'fake:options']);
    assert.equal(r.stdout, '{"timeoutMs":2500,"noTruncate":true}\n');
    assert.equal(query(['-f', 'ndjson', 'fake:options']).stdout, '{"timeoutMs":null,"noTruncate":null}\n');
  });

  it('prints diagnostics with a caret on stderr and exits 1 for a query error', () => {
    const r = query([], 'print x = 1\n| where y == bad\n');
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, "2:14: error KS001: unexpected 'bad'\n  | where y == bad\n               ^^^\n");
    assert.equal(r.status, 1);
  });

  it('prints `error: message` for errors without diagnostics, never a stack trace', () => {
    const timeout = query(['--timeout', '1', 'fake:timeout']);
    assert.equal(timeout.stderr, 'error: the query ran longer than 1000 ms\n');
    assert.equal(timeout.status, 1);
    const crash = query(['fake:crash']);
    assert.equal(crash.stderr, 'error: disk on fire\n');
    assert.equal(crash.status, 1);
  });

  for (const [why, args, input, message] of [
    ['an unknown option', ['--bogus', 'print x=1'], '', /^error: unknown option '--bogus'/],
    ['an unknown format', ['--format', 'xml', 'print x=1'], '', /argument 'xml' is invalid. Allowed choices are table, json, csv, ndjson/],
    ['a bad timeout', ['--timeout', '-3', 'print x=1'], '', /expected a positive number of seconds/],
    ['an empty query', [], '  \n', /^error: the query is empty$/m],
    ['--batch with a query argument', ['--batch', 'print x=1'], '', /^error: --batch reads its queries from stdin/],
    ['--batch with --format', ['--batch', '--format', 'csv'], '', /^error: --batch always answers in NDJSON/],
  ] as const) {
    it(`exits 2 for ${why}`, () => {
      const r = query([...args], input);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
      assert.equal(r.status, 2);
    });
  }

  it('exits 2 for an unknown command', () => {
    const r = runFakeCli(['frobnicate'], { cwd });
    assert.match(r.stderr, /unknown command 'frobnicate'/);
    assert.equal(r.status, 2);
  });

  it('exits 1 with a message naming the file and field when quarry.yaml is invalid', () => {
    const dir = tempDir();
    runFakeCli(['init', 'ws'], { cwd: dir });
    const yamlPath = path.join(dir, 'ws', 'quarry.yaml');
    writeFileSync(yamlPath, 'name: ws\nversion: 1\nlocalOnly: maybe\n');
    const r = runFakeCli(['query', '-w', 'ws', 'print x=1'], { cwd: dir });
    assert.equal(r.stderr, `error: ${yamlPath}: field "localOnly": Invalid input: expected boolean, received string\n`);
    assert.equal(r.status, 1);
  });
});

describe('runCli with injected streams', () => {
  it('asks for a query instead of waiting when stdin is a terminal', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let opened = 0;
    const status = await runCli(['query', '-w', `${cwd}/tty-ws`], {
      io: { stdin, stdout, stderr },
      openEngine: async () => { opened++; return new FakeEngine(); },
    });
    assert.equal(status, 2);
    assert.equal(String(stderr.read()), 'error: no query given: pass it as an argument or pipe it on stdin\n');
    assert.equal(opened, 0);
  });

  it('closes the engine after the query', async () => {
    const engine = new FakeEngine();
    const stdout = new PassThrough();
    const status = await runCli(['query', '-w', `${cwd}/ws2`, '-f', 'json', 'print x=1'], {
      io: { stdin: new PassThrough(), stdout, stderr: new PassThrough() },
      openEngine: async () => engine,
    });
    assert.equal(status, 0);
    assert.equal(JSON.parse(String(stdout.read())).rows[0][0], 1);
    assert.equal(engine.closed, true);
  });
});
