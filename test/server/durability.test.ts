// THE durability test: a server child process is SIGKILLed in the middle of a loaded ingestion;
// after a restart every acknowledged record is present exactly once, and every batch is whole or absent.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const BATCH = 250;
const CLIENTS = 8;

const dir = mkdtempSync(path.join(tmpdir(), 'quarry-durability-'));
// A declared table: concurrent batches are group-committed through DuckDB's NDJSON reader.
writeFileSync(path.join(dir, 'quarry.yaml'), 'name: durable\nversion: 1\nlocalOnly: true\ntables:\n  Durable_CL:\n    columns: { batch: string, seq: int, payload: string }\n');
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `quarry serve` and resolves with its URL and token once it listens. */
function startServer(): Promise<{ child: ChildProcess; url: string; token: string }> {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, 'serve', '-w', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const url = /URL:\s+(\S+)/.exec(out)?.[1];
      const token = /token:\s+(\S+)/.exec(out)?.[1];
      if (url && token) {
        clearTimeout(timer);
        resolve({ child, url, token });
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${err}`)); });
  });
}

it('keeps every acknowledged record exactly once across a SIGKILL', async () => {
  const first = await startServer();
  const acked: string[] = [];
  let stop = false;
  const client = async (c: number) => {
    for (let b = 0; !stop; b++) {
      const batch = `c${c}-b${b}`;
      const body = Array.from({ length: BATCH }, (_, i) => JSON.stringify({ batch, seq: i, payload: `record ${i} of ${batch}` })).join('\n');
      try {
        // Half the clients send keyed batches (one transaction each), half keyless (group commit).
        const headers: Record<string, string> = { authorization: `Bearer ${first.token}` };
        if (c % 2 === 0) headers['idempotency-key'] = batch;
        const res = await fetch(`${first.url}/api/ingest/Durable_CL`, { method: 'POST', body, headers });
        if (res.status === 200) acked.push(batch);
        else await res.arrayBuffer();
      } catch {
        return; // the server is gone
      }
    }
  };
  const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
  // Let ingestion get going, then kill the server while requests are in flight.
  while (acked.length < 40) await new Promise((r) => setTimeout(r, 20));
  first.child.kill('SIGKILL');
  stop = true;
  await Promise.all(clients);
  await new Promise((r) => (first.child.exitCode !== null || first.child.signalCode !== null ? r(null) : first.child.once('exit', r)));
  assert.ok(acked.length >= 40);

  const second = await startServer();
  try {
    const res = await fetch(`${second.url}/api/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${second.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'Durable_CL | summarize n = count(), distinctSeq = dcount(seq) by batch', noTruncate: true }),
    });
    const result = (await res.json()) as { rows: [string, number, number][] };
    assert.equal(res.status, 200, JSON.stringify(result));
    const stored = new Map(result.rows.map(([batch, n, d]) => [batch, { n, d }]));
    for (const batch of acked) {
      assert.deepEqual(stored.get(batch), { n: BATCH, d: BATCH }, `acknowledged batch ${batch}`);
    }
    // Unacknowledged batches that made it are whole too (one transaction per batch).
    for (const [batch, { n }] of stored) assert.equal(n, BATCH, `batch ${batch} is partial`);
    // A retry of an acknowledged batch after the restart is stored once.
    const retried = acked.find((b) => b.startsWith('c0-'))!;
    const body = Array.from({ length: BATCH }, (_, i) => JSON.stringify({ batch: retried, seq: i })).join('\n');
    const again = await fetch(`${second.url}/api/ingest/Durable_CL`, { method: 'POST', body, headers: { authorization: `Bearer ${second.token}`, 'idempotency-key': retried } });
    assert.equal(((await again.json()) as { duplicate: boolean }).duplicate, true);
  } finally {
    second.child.kill('SIGTERM');
    const code = await new Promise((r) => second.child.once('exit', (c) => r(c)));
    assert.equal(code, 0);
  }
});
