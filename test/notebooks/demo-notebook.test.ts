import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installKernelSpec } from '../../src/notebooks/kernel/install.js';
import { runNotebookCommand } from '../../src/notebooks/ipynb/run.js';
import { exportNotebookCommand } from '../../src/notebooks/ipynb/export-html.js';
import { readNotebook, sourceText, type NbCell, type Notebook } from '../../src/notebooks/ipynb/nbformat.js';
import type { NbOutput } from '../../src/notebooks/cells/outputs.js';
import { PassThrough } from 'node:stream';

const here = path.dirname(fileURLToPath(import.meta.url));
const DEMO = path.resolve(here, '../../demo/workspace');
const NOTEBOOK = 'notebooks/investigate-suspicious-logon.ipynb';

function cellWith(nb: Notebook, text: string): NbCell {
  const cell = nb.cells.find((c) => c.cell_type === 'code' && sourceText(c).includes(text));
  assert.ok(cell, `no code cell containing ${text}`);
  return cell;
}

function resultOf(cell: NbCell): { columns: { name: string }[]; rows: unknown[][]; totalRows: number } {
  const r = (cell.outputs ?? []).find((o) => o.output_type === 'execute_result') as Extract<NbOutput, { output_type: 'execute_result' }> | undefined;
  assert.ok(r, `cell ${cell.id} has no result: ${JSON.stringify(cell.outputs).slice(0, 500)}`);
  return r.data['application/json'] as never;
}

function chartOf(cell: NbCell): Record<string, unknown> {
  const d = (cell.outputs ?? []).find((o) => o.output_type === 'display_data') as Extract<NbOutput, { output_type: 'display_data' }> | undefined;
  assert.ok(d, `cell ${cell.id} has no chart`);
  const svg = d.data['image/svg+xml'];
  assert.match(Array.isArray(svg) ? svg.join('') : String(svg), /^<svg/);
  return d.data['application/vnd.vegalite.v5+json'] as Record<string, unknown>;
}

/** What the shipped investigation notebook must show, however it was executed. */
function checkInvestigation(nb: Notebook): void {
  for (const c of nb.cells) {
    if (c.cell_type !== 'code') continue;
    const errors = (c.outputs ?? []).filter((o) => o.output_type === 'error');
    assert.deepEqual(errors, [], `cell ${c.id} failed`);
  }
  const suspect = resultOf(cellWith(nb, 'where TargetUserName == suspect'));
  assert.equal(suspect.rows.length, 1);
  assert.deepEqual(suspect.rows[0]!.slice(1, 5), ['MSTICAlertsWin1\\adm1nistrator', 3, 'NTLM', 'fe80::38dc:e4a9:61bd:b458']);
  // The let from an earlier cell finds the account's creation.
  const created = resultOf(cellWith(nb, 'where CommandLine has suspect'));
  assert.equal(created.totalRows, 5);
  assert.ok(created.rows.some((r) => String(r[4]).includes('user adm1nistrator Bob_testing /add')));
  const timechart = chartOf(cellWith(nb, 'render timechart'));
  assert.equal(timechart['title'], 'Logons on MSTICAlertsWin1 by logon type');
  const anomaly = chartOf(cellWith(nb, 'render anomalychart'));
  assert.equal((anomaly['layer'] as unknown[]).length, 2);
  // Quarry's series_decompose_anomalies marks the same six hours as Kusto's labels in the file.
  const hours = resultOf(cellWith(nb, 'KustoLabel'));
  assert.equal(hours.rows.length, 6);
  for (const r of hours.rows) assert.equal(r[2], r[3], `anomaly at ${String(r[0])}`);
  const forest = resultOf(cellWith(nb, 'isolation_forest'));
  assert.ok(forest.rows.length >= 5 && forest.rows.length <= 8, `isolation forest flagged ${forest.rows.length} of 135 rows`);
}

describe('the shipped investigation notebook', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'quarry-demo-nb-'));
    // A copy: running creates the workspace database, which must not land in the repository.
    cpSync(DEMO, path.join(dir, 'workspace'), { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is stored stripped: no outputs in git', () => {
    const nb = readNotebook(path.join(DEMO, NOTEBOOK));
    assert.equal(nb.nbformat_minor, 5);
    for (const c of nb.cells) if (c.cell_type === 'code') assert.deepEqual(c.outputs, []);
  });

  it('runs headless under nbclient on the Quarry kernel', () => {
    installKernelSpec({ kind: 'prefix', dir });
    const ws = path.join(dir, 'workspace');
    const out = path.join(dir, 'executed.ipynb');
    const env: NodeJS.ProcessEnv = { ...process.env, JUPYTER_PATH: path.join(dir, 'share', 'jupyter'), JUPYTER_RUNTIME_DIR: path.join(dir, 'runtime') };
    delete env['QUARRY_WORKSPACE'];
    const run = spawnSync('/usr/bin/python3', [path.join(here, 'run_nbclient.py'), path.join(ws, NOTEBOOK), out, path.join(ws, 'notebooks')], { env, encoding: 'utf8', timeout: 300_000 });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    checkInvestigation(readNotebook(out));
  });

  it('runs with quarry notebook run, same outputs', async () => {
    const ws = path.join(dir, 'workspace');
    const out = path.join(dir, 'run.ipynb');
    const stderr = new PassThrough();
    let log = '';
    stderr.on('data', (d: Buffer) => (log += d.toString()));
    const status = await runNotebookCommand(path.join(ws, NOTEBOOK), { output: out }, { stdin: new PassThrough(), stdout: new PassThrough(), stderr });
    assert.equal(status, 0, log);
    assert.match(log, /\[12\/12\] cell [0-9a-f]+: ok/);
    checkInvestigation(readNotebook(out));
    // What Quarry writes is valid nbformat 4.5 for Jupyter's own validator.
    const check = spawnSync('/usr/bin/python3', ['-c', 'import sys, nbformat; nb = nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb); print(nb.nbformat, nb.nbformat_minor)', out], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    assert.equal(check.stdout.trim(), '4 5');
    // The report an analyst attaches to the incident: narrative, tables and the three charts.
    const html = path.join(dir, 'report.html');
    assert.equal(await exportNotebookCommand(out, html, { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() }), 0);
    const report = readFileSync(html, 'utf8');
    assert.match(report, /<title>Investigate a suspicious logon<\/title>/);
    assert.match(report, /<h2>Where did the account come from\?<\/h2>/);
    assert.equal(report.match(/<img alt="chart" src="data:image\/svg\+xml;base64,/g)?.length, 3);
    assert.match(report, /<td>MSTICAlertsWin1\\adm1nistrator<\/td>/);
    assert.ok(!/(src|href)="https?:/.test(report));
    // The source notebook is untouched.
    assert.doesNotMatch(readFileSync(path.join(ws, NOTEBOOK), 'utf8'), /execute_result/);
  });
});
