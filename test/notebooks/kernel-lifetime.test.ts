import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeLogonsWorkspace } from './fixtures.js';

const QUARRY = fileURLToPath(new URL('../../bin/quarry.js', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('kernel lifetime', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'quarry-kernel-life-'));
    await makeLogonsWorkspace(path.join(dir, 'ws'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits by itself when its parent dies without shutting it down', async () => {
    const conn = path.join(dir, 'kernel.json');
    const [shell, iopub, stdin, control, hb] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    writeFileSync(conn, JSON.stringify({ transport: 'tcp', ip: '127.0.0.1', shell_port: shell, iopub_port: iopub, stdin_port: stdin, control_port: control, hb_port: hb, key: 'k', signature_scheme: 'hmac-sha256' }));
    // A parent shell that starts the kernel in the background, prints its pid and waits.
    const parent = spawn('/bin/sh', ['-c', `"${process.execPath}" "${QUARRY}" kernel start -f "${conn}" -w "${path.join(dir, 'ws')}" & echo $!; wait`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    parent.stdout.on('data', (d: Buffer) => (out += d.toString()));
    parent.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const deadline = Date.now() + 60_000;
    while (!/listening/.test(err) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.match(err, /listening/, err);
    const pid = Number(out.trim());
    assert.ok(pid > 0 && alive(pid));
    parent.kill('SIGKILL');
    // Within seconds, even while it is still loading the parser in the background.
    const gone = Date.now() + 30_000;
    const killed = Date.now();
    while (alive(pid) && Date.now() < gone) await new Promise((r) => setTimeout(r, 100));
    const survived = alive(pid);
    if (survived) process.kill(pid, 'SIGKILL');
    assert.equal(survived, false, 'the kernel outlived its parent');
    console.log(`kernel exited ${Date.now() - killed} ms after its parent`);
    assert.match(err, /parent process ended/);
  });
});
