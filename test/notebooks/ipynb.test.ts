import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { normaliseNotebook, readNotebook, serialiseNotebook, NotebookError } from '../../src/notebooks/ipynb/nbformat.js';
import { stripNotebook, stripNotebookCommand } from '../../src/notebooks/ipynb/strip.js';
import { runNotebookCommand } from '../../src/notebooks/ipynb/run.js';
import { notebookHtml } from '../../src/notebooks/ipynb/export-html.js';
import { makeLogonsWorkspace } from './fixtures.js';

const io = () => {
  const stderr = new PassThrough();
  const log = { text: '' };
  stderr.on('data', (d: Buffer) => (log.text += d.toString()));
  return { io: { stdin: new PassThrough(), stdout: new PassThrough(), stderr }, log };
};

const nbOf = (cells: Array<{ cell_type: string; source: string; [k: string]: unknown }>, minor = 4) => ({
  nbformat: 4,
  nbformat_minor: minor,
  metadata: { kernelspec: { name: 'quarry', display_name: 'KQL (Quarry)', language: 'kusto' } },
  cells: cells.map((c) => ({ metadata: {}, ...(c.cell_type === 'code' ? { outputs: [], execution_count: null } : {}), ...c })),
});

describe('nbformat', () => {
  it('upgrades to 4.5: unique cell ids, code cell fields', () => {
    const nb = normaliseNotebook({ nbformat: 4, nbformat_minor: 2, metadata: {}, cells: [
      { cell_type: 'code', source: ['a\n', 'b'], metadata: {} },
      { cell_type: 'markdown', source: '# t', metadata: {}, id: 'same' },
      { cell_type: 'markdown', source: 'x', metadata: {}, id: 'same' },
    ] });
    assert.equal(nb.nbformat_minor, 5);
    const ids = nb.cells.map((c) => c.id);
    assert.equal(new Set(ids).size, 3);
    assert.equal(ids[1], 'same');
    for (const id of ids) assert.match(id, /^[a-zA-Z0-9-_]{1,64}$/);
    assert.deepEqual(nb.cells[0]!.outputs, []);
    assert.equal(nb.cells[0]!.execution_count, null);
  });

  it('refuses what is not an nbformat 4 notebook', () => {
    assert.throws(() => normaliseNotebook({ nbformat: 3, cells: [] }), NotebookError);
    assert.throws(() => normaliseNotebook({ hello: 1 }), /no cells/);
    assert.throws(() => normaliseNotebook({ nbformat: 4, cells: [{ cell_type: 'weird' }] }), /cell 1/);
  });

  it('writes as Jupyter does: sorted keys, one-space indent, sources as lines, JSON data untouched', () => {
    const nb = normaliseNotebook(nbOf([{ cell_type: 'code', source: 'print 1\n| take 1', id: 'c1', outputs: [
      { output_type: 'execute_result', execution_count: 1, metadata: {}, data: { 'text/plain': 'a\nb', 'application/json': { rows: ['x\ny'] } } },
    ] }]));
    const text = serialiseNotebook(nb);
    assert.ok(text.startsWith('{\n "cells": [\n  {\n   "cell_type": "code",'));
    const back = JSON.parse(text);
    assert.deepEqual(back.cells[0].source, ['print 1\n', '| take 1']);
    assert.deepEqual(back.cells[0].outputs[0].data['text/plain'], ['a\n', 'b']);
    assert.deepEqual(back.cells[0].outputs[0].data['application/json'], { rows: ['x\ny'] });
    assert.ok(text.endsWith('}\n'));
  });
});

describe('quarry notebook run / strip', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'quarry-nb-'));
    await makeLogonsWorkspace(path.join(dir, 'ws'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, cells: Parameters<typeof nbOf>[0]) => {
    const file = path.join(dir, 'ws', 'notebooks', name);
    writeFileSync(file, JSON.stringify(nbOf(cells)));
    return file;
  };

  it('runs cells in order with the session, and stops at the first error', async () => {
    const file = write('stop.ipynb', [
      { cell_type: 'markdown', source: '# x' },
      { cell_type: 'code', source: 'let who = "bob";' },
      { cell_type: 'code', source: 'Logons | where Account == who | count' },
      { cell_type: 'code', source: 'Logons | where Nope == 1' },
      { cell_type: 'code', source: 'print after = 1' },
    ]);
    const { io: streams, log } = io();
    assert.equal(await runNotebookCommand(file, {}, streams), 1);
    assert.match(log.text, /\[1\/4\] cell \w+: ok \(/);
    assert.match(log.text, /\[3\/4\] cell \w+: FAILED: KQL semantic error: line 1, column 16: The name 'Nope'/);
    assert.match(log.text, /1 not run after the failure/);
    const nb = readNotebook(file);
    const code = nb.cells.filter((c) => c.cell_type === 'code');
    assert.deepEqual(code.map((c) => c.execution_count), [1, 2, 3, null]);
    const count = code[1]!.outputs!.find((o) => o.output_type === 'execute_result') as unknown as { data: { 'application/json': { rows: unknown[][] } } };
    assert.deepEqual(count.data['application/json'].rows, [[2]]);
    assert.equal(code[2]!.outputs![0]!.output_type, 'error');
    assert.equal((nb.metadata['language_info'] as { name: string }).name, 'kusto');
  });

  it('--continue runs the cells after a failure; -o leaves the source alone', async () => {
    const file = write('continue.ipynb', [
      { cell_type: 'code', source: 'nosuchtable' },
      { cell_type: 'code', source: 'print after = 1' },
    ]);
    const before = readFileSync(file, 'utf8');
    const out = path.join(dir, 'out.ipynb');
    const { io: streams, log } = io();
    assert.equal(await runNotebookCommand(file, { continue: true, output: out }, streams), 1);
    assert.match(log.text, /1 of 2 cells failed/);
    assert.equal(readFileSync(file, 'utf8'), before);
    const code = readNotebook(out).cells;
    assert.equal(code[1]!.execution_count, 2);
    assert.equal(code[1]!.outputs!.at(-1)!.output_type, 'execute_result');
  });

  it('refuses a notebook of another kernel', async () => {
    const file = path.join(dir, 'py.ipynb');
    writeFileSync(file, JSON.stringify({ ...nbOf([{ cell_type: 'code', source: 'print(1)' }]), metadata: { kernelspec: { name: 'python3' } } }));
    await assert.rejects(runNotebookCommand(file, {}, io().io), /kernel is 'python3'/);
  });

  it('strip removes outputs, counts and run metadata, and leaves clean files alone', async () => {
    const file = write('strip.ipynb', [{ cell_type: 'code', source: 'print 1', metadata: { execution: { t: 1 }, tags: ['keep'] } }]);
    await runNotebookCommand(file, {}, io().io);
    assert.match(readFileSync(file, 'utf8'), /execute_result/);
    const { io: streams, log } = io();
    await stripNotebookCommand([file], streams);
    const nb = readNotebook(file);
    assert.deepEqual(nb.cells[0]!.outputs, []);
    assert.equal(nb.cells[0]!.execution_count, null);
    assert.deepEqual(nb.cells[0]!.metadata, { tags: ['keep'] });
    await stripNotebookCommand([file], streams);
    assert.match(log.text, /outputs removed\n.*already clean\n$/);
    assert.deepEqual(stripNotebook(nb), nb);
  });
});

describe('quarry notebook export --html', () => {
  const nb = normaliseNotebook(nbOf([
    { cell_type: 'markdown', source: '# Report\n\n**bold** <script>alert(1)</script> <img src=x onerror=alert(2)> [bad](javascript:alert(3)) [ok](https://example.org/)' },
    { cell_type: 'code', source: 'print "<b>"', execution_count: 1, outputs: [
      { output_type: 'display_data', metadata: {}, data: { 'image/svg+xml': '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(4)</script></svg>', 'application/vnd.vegalite.v5+json': {} } },
      { output_type: 'execute_result', execution_count: 1, metadata: {}, data: { 'text/html': '<b>old</b>', 'application/json': { columns: [{ name: 'a', type: 'string' }], rows: [['<i>x</i>']], totalRows: 3 } } },
    ] },
    { cell_type: 'code', source: 'x', outputs: [
      { output_type: 'display_data', metadata: {}, data: { 'text/html': '<script>alert(5)</script>' } },
      { output_type: 'error', ename: 'E', evalue: 'v', traceback: ['\u001b[31mred <tag>\u001b[0m'] },
    ] },
  ]));
  const html = notebookHtml(nb, 'Report <1>');

  it('renders Markdown and runs nothing from the notebook', () => {
    assert.match(html, /<h1>Report<\/h1>/);
    assert.match(html, /<strong>bold<\/strong>/);
    assert.ok(!html.includes('<script>alert'), 'a script from the notebook reached the page');
    assert.ok(!/<img src=x/.test(html));
    assert.ok(!/href="javascript:/i.test(html));
    assert.match(html, /<a href="https:\/\/example.org\/">ok<\/a>/);
    assert.match(html, /<title>Report &lt;1&gt;<\/title>/);
  });

  it('is self-contained: CSP without network, charts and images embedded', () => {
    assert.match(html, /Content-Security-Policy" content="default-src 'none';[^"]*img-src data:"/);
    assert.ok(!/\s(src|href)="(?!data:|https:\/\/example\.org\/)/.test(html.replace(/<a href="https:\/\/example.org\/">/, '')));
    // The chart is an <img>: the SVG's own script cannot run.
    assert.match(html, /<img alt="chart" src="data:image\/svg\+xml;base64,/);
  });

  it('draws Quarry tables again from their data, escaped, with the total', () => {
    assert.match(html, /<td>&lt;i&gt;x&lt;\/i&gt;<\/td>/);
    assert.match(html, /3 rows; showing the first 1/);
    assert.ok(!html.includes('<b>old</b>'));
    // Other HTML is only shown in a sandboxed frame; the traceback without colour codes.
    assert.match(html, /<iframe sandbox="" [^>]*srcdoc="&lt;script&gt;alert\(5\)&lt;\/script&gt;"/);
    assert.match(html, /<div class="error">red &lt;tag&gt;<\/div>/);
  });
});
