import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installKernelSpec } from '../../src/notebooks/kernel/install.js';
import { makeLogonsWorkspace } from './fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Real Jupyter against the real kernel: jupyter_client starts `quarry kernel start` from the
 * installed kernelspec, and jupyter_kernel_test (Debian's python3-jupyter-kernel-test, installed
 * by .ci/run) validates every message against the protocol's schemas.
 */
describe('Jupyter kernel (jupyter_kernel_test)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'quarry-kernel-'));
    const spec = installKernelSpec({ kind: 'prefix', dir });
    const kernelJson = JSON.parse(readFileSync(path.join(spec, 'kernel.json'), 'utf8')) as { display_name: string; language: string; argv: string[] };
    assert.equal(kernelJson.display_name, 'KQL (Quarry)');
    assert.equal(kernelJson.language, 'kusto');
    assert.ok(kernelJson.argv.includes('{connection_file}'));
    const ws = await makeLogonsWorkspace(path.join(dir, 'ws'));
    env = { ...process.env, JUPYTER_PATH: path.join(dir, 'share', 'jupyter'), QUARRY_WORKSPACE: ws, JUPYTER_RUNTIME_DIR: path.join(dir, 'runtime') };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('passes jupyter_kernel_test and the Quarry-specific protocol checks', () => {
    const run = spawnSync('/usr/bin/python3', [path.join(here, 'kernel_test.py')], { env, encoding: 'utf8', timeout: 540_000, cwd: dir });
    const report = `${run.stdout}\n${run.stderr}`;
    assert.equal(run.error, undefined, `could not run /usr/bin/python3 (install jupyter-client python3-jupyter-kernel-test: see .ci/run): ${run.error?.message}`);
    assert.equal(run.status, 0, report);
    // The run must really have exercised the kernel, not skipped everything.
    const ran = /Ran (\d+) tests/.exec(report);
    assert.ok(ran && Number(ran[1]) >= 20, report);
    const skipped = /skipped=(\d+)/.exec(report);
    // Skipped by design: stdout/stderr streams, pager and clear_output have no KQL counterpart.
    assert.ok(!skipped || Number(skipped[1]) <= 4, `too many skipped tests:\n${report}`);
  });
});
