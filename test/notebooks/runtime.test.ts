import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NotebookRuntime, findWorkspace } from '../../src/notebooks/cells/runtime.js';
import type { NbOutput } from '../../src/notebooks/cells/outputs.js';
import { openSession } from '../../src/notebooks/session/open.js';
import { makeLogonsWorkspace } from './fixtures.js';

describe('notebook runtime (magics and outputs)', () => {
  let dir: string;
  let a: string;
  let b: string;
  let runtime: NotebookRuntime;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'quarry-runtime-'));
    a = await makeLogonsWorkspace(path.join(dir, 'a'));
    b = path.join(dir, 'b');
    await makeLogonsWorkspace(b);
    runtime = new NotebookRuntime({ open: openSession, workspace: a });
  });
  after(async () => {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (source: string) => {
    const outputs: NbOutput[] = [];
    const status = await runtime.runCell(source, 1, (o) => outputs.push(o));
    return { status, outputs };
  };

  it('finds the workspace above a notebook folder', () => {
    assert.equal(findWorkspace(path.join(a, 'notebooks')), a);
  });

  it('%workspace switches the database; a bad path is an error and keeps the old one', async () => {
    const { outputs } = await run(`%workspace ${b}`);
    assert.deepEqual(outputs, [{ output_type: 'stream', name: 'stdout', text: `workspace: ${b}\n` }]);
    const bad = await run(`%workspace ${path.join(dir, 'missing')}`);
    assert.equal(bad.status.ok, false);
    assert.match(bad.outputs[0]!.output_type === 'error' ? bad.outputs[0]!.evalue : '', /is not a Quarry workspace/);
    assert.equal((await run('Logons | count')).status.ok, true);
    const url = await run('%workspace http://localhost:8080');
    assert.match(url.outputs[0]!.output_type === 'error' ? url.outputs[0]!.evalue : '', /no Quarry server answers/);
  });

  it('%timeout stops a long query with a timeout error; %timeout off clears it', async () => {
    await run('%timeout 0.5');
    const started = Date.now();
    const { status } = await run('range i from 1 to 200000000000 step 1 | summarize sum(i % 7)');
    assert.equal(status.ok, false);
    assert.match(status.ok ? '' : `${status.ename}: ${status.evalue}`, /timeout/);
    assert.ok(Date.now() - started < 10_000);
    assert.deepEqual((await run('%timeout off')).outputs, [{ output_type: 'stream', name: 'stdout', text: 'timeout: off\n' }]);
  });

  it('errors come as one error output with the diagnostic under the source line', async () => {
    const { status, outputs } = await run('%limit 10\nLogons\n| where Acount == 1');
    assert.equal(status.ok, false);
    assert.equal(outputs.length, 1);
    const e = outputs[0]! as Extract<NbOutput, { output_type: 'error' }>;
    assert.equal(e.ename, 'KQL semantic error');
    assert.match(e.evalue, /^line 3, column 9: /);
    assert.match(e.traceback[1]!, /\| where Acount == 1\n\s+\^{6}/);
    assert.match((await run('%as T')).status.ok ? '' : 'failed', /failed/);
  });

  it('a render gives the chart first, then the table', async () => {
    const { outputs } = await run('Logons | summarize n = count() by Account | render piechart with (title="Who")');
    assert.deepEqual(outputs.map((o) => o.output_type), ['display_data', 'execute_result']);
  });
});
