// `quarry query --batch` as a process, on the fake engine (see fixtures/fake-engine.ts).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fakeCliCommand, REPO, runFakeCli, startFakeCli, tempDir } from './helpers.js';

const cwd = tempDir();
const batch = (input: string) => runFakeCli(['query', '--batch'], { cwd, input });
const answers = (stdout: string) => stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('quarry query --batch', () => {
  it('answers each request in order; a failing query or malformed line does not stop the batch', () => {
    const r = batch([
      JSON.stringify({ id: 'a', query: 'print x=1' }),
      '{"id": "broken", "query": ',
      JSON.stringify({ id: 7, query: 'print\n  bad' }),
      '',
      JSON.stringify({ id: 'c', query: 'fake:crash' }),
      JSON.stringify({ id: 'd' }),
      '[1, 2]',
      JSON.stringify({ query: 'print x=1' }),
      JSON.stringify({ id: 'e', query: 'fake:empty' }),
    ].join('\n') + '\n');
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], '{"id":"a","columns":[{"name":"x","type":"long"}],"rows":[[1]],"truncated":false,' +
      '"warnings":[],"visualization":null,"stats":{"elapsedMs":12,"rowCount":1}}');
    const got = answers(r.stdout);
    assert.equal(got.length, 8);
    assert.equal(got[1]!.id, null);
    assert.match(String(got[1]!.error), /^malformed request: not JSON/);
    assert.deepEqual(got[2], {
      id: 7, error: 'unexpected token', kind: 'syntax',
      diagnostics: [{ code: 'KS001', severity: 'error', message: "unexpected 'bad'", start: 8, length: 3, line: 2, column: 3 }],
    });
    assert.deepEqual(got[3], { id: 'c', error: 'disk on fire' });
    assert.deepEqual(got[4], { id: 'd', error: 'malformed request: "query" must be a string' });
    assert.deepEqual(got[5], { id: null, error: 'malformed request: expected an object {"id", "query"}' });
    assert.deepEqual(got[6], { id: null, error: 'malformed request: "id" must be a string or a number' });
    assert.deepEqual(got[7], {
      id: 'e', columns: [{ name: 'a', type: 'string' }, { name: 'b', type: 'long' }], rows: [], truncated: false,
      warnings: [], visualization: null, stats: { elapsedMs: 12, rowCount: 0 },
    });
  });

  it('accepts CRLF line ends and a last line without a newline', () => {
    const r = batch('{"id":1,"query":"print x=1"}\r\n{"id":2,"query":"fake:timeout"}');
    assert.deepEqual(answers(r.stdout).map((a) => [a.id, a.error ?? a.rows]), [[1, [[1]]], [2, 'the query ran longer than 0 ms']]);
  });

  it('writes each answer as soon as it is ready, before stdin ends', async () => {
    const child = startFakeCli(['query', '--batch'], cwd);
    const lines = createInterface({ input: child.stdout });
    const next = () => new Promise<string>((resolve) => lines.once('line', resolve));
    child.stdin.write('{"id":"first","query":"print x=1"}\n');
    assert.equal(JSON.parse(await next()).id, 'first');
    child.stdin.write('{"id":"second","query":"where bad"}\n');
    assert.equal(JSON.parse(await next()).id, 'second');
    child.stdin.end();
    const status = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(status, 0);
  });

  const checker = path.join(REPO, '..', 'shared', 'conformance', 'kql-docs', 'check.mjs');
  it('speaks the protocol the kql-docs reference checker expects', { skip: !existsSync(checker) && 'check.mjs not found' }, async () => {
    const { checkBatch } = await import(checker) as {
      checkBatch(cases: object[], cmd: string, timeoutMs: number): Promise<{ ok: boolean; why?: string }[]>;
    };
    const [node, args] = fakeCliCommand(['query', '--batch', '--workspace', path.join(cwd, 'checker-ws')]);
    const cmd = [node, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    const results = await checkBatch([
      { id: 'one#0', query: 'print x=1', expected: { columns: ['x'], rows: [['1']] }, ordered: true },
      { id: 'types#0', query: 'fake:tricky', ordered: true, expected: {
        columns: ['Text', 'Bag', 'N'],
        rows: [['a,b', '{"k": "v,\\"w\\""}', '1'], ['say "hi"', '[1, "two"]', ''], ['line1\nline2', 'plain', '3'], ['', '', '4']],
      } },
      { id: 'fails#0', query: 'bad', expected: { columns: ['x'], rows: [['1']] }, ordered: true },
    ], cmd, 30_000);
    assert.deepEqual(results, [{ ok: true }, { ok: true }, { ok: false, why: 'error: unexpected token' }]);
  });
});
