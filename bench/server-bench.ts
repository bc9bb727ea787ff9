/**
 * Server sections of `npm run bench:ingest` (also runnable alone: node --import tsx bench/server-bench.ts):
 *   HTTP ingestion: 8 concurrent clients × NDJSON batches of 500 records to POST /api/ingest/{table},
 *     each acknowledged after its commit (goal ≥ 50,000 events/s on 2 cores). The server runs in a
 *     child process (`quarry serve`), so clients and server do not share an event loop.
 *   Syslog over UDP at a fixed offered rate (20,000 msg/s for 5 s) into the same kind of server;
 *     loss = sent − (rows in Syslog + rows in _IngestErrors from the listener).
 * Loopback only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

interface Running { child: ChildProcess; url: string; token: string; dir: string }

async function startServer(config: string, args: string[] = []): Promise<Running> {
  const dir = mkdtempSync(path.join(tmpdir(), 'quarry-server-bench-'));
  writeFileSync(path.join(dir, 'quarry.yaml'), config);
  const child = spawn(process.execPath, ['--import', TSX, MAIN, 'serve', '-w', dir, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const url = /URL:\s+(\S+)/.exec(out)?.[1];
      const token = /token:\s+(\S+)/.exec(out)?.[1];
      if (url && token) resolve({ child, url, token, dir });
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

async function stopServer(s: Running): Promise<void> {
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
  rmSync(s.dir, { recursive: true, force: true });
}

/** CPU time (user + system, every thread) of a process so far, from /proc (Linux); NaN elsewhere. */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

async function query(s: Running, kql: string): Promise<unknown[][]> {
  const res = await fetch(`${s.url}/api/query`, { method: 'POST', headers: { authorization: `Bearer ${s.token}` }, body: JSON.stringify({ query: kql }) });
  const data = (await res.json()) as { rows?: unknown[][]; error?: string };
  if (!data.rows) throw new Error(`query failed: ${data.error}`);
  return data.rows;
}

const HTTP_CONFIG = `name: bench
version: 1
localOnly: true
tables:
  BenchHttp_CL:
    columns: { Computer: string, EventID: int, Account: string, SrcIp: string, DstPort: int, Bytes: long, Success: bool, Message: string }
`;

export async function httpSection(options: { clients?: number; batch?: number; batchesPerClient?: number } = {}): Promise<void> {
  const clients = options.clients ?? 8;
  const batch = options.batch ?? 500;
  const perClient = options.batchesPerClient ?? 100;
  const total = clients * batch * perClient;
  console.log(`(load average ${loadavg()[0]!.toFixed(1)} on this machine: figures scale with the CPU left over)`);
  console.log(`## 2. HTTP ingestion (${clients} clients × ${batch}-record batches, ${total.toLocaleString('en-US')} records, acknowledged after commit)`);
  const server = await startServer(HTTP_CONFIG);
  try {
    // Bodies are made before timing: the benchmark measures the server, not JSON generation.
    const bodies = Array.from({ length: 16 }, (_, b) => Array.from({ length: batch }, (_, i) => JSON.stringify({
      TimeGenerated: new Date(Date.UTC(2024, 0, 1) + (b * batch + i) * 1000).toISOString(),
      Computer: `host-${i % 50}`, EventID: 4624 + (i % 5), Account: `user${i % 300}`, SrcIp: `10.0.${b}.${i % 250}`,
      DstPort: 443, Bytes: i * 1337, Success: i % 7 !== 0, Message: `event ${i} of batch ${b}`,
    })).join('\n'));
    let refused = 0;
    // The server analyses a first query at start (Kusto.Language loads, seconds of CPU): wait for
    // it, so the figure is the steady state of ingestion and not the start-up.
    await query(server, 'print ready = 1');
    const cpu0 = processCpuMs(server.child.pid!);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: clients }, async (_, c) => {
      for (let k = 0; k < perClient;) {
        const res = await fetch(`${server.url}/api/ingest/BenchHttp_CL`, { method: 'POST', body: bodies[(c * perClient + k) % bodies.length], headers: { 'content-type': 'application/x-ndjson' } });
        const answer = (await res.json()) as { accepted?: number };
        if (res.status === 429) { refused++; await new Promise((r) => setTimeout(r, 5)); continue; }
        if (answer.accepted !== batch) throw new Error(`batch answered ${res.status}: ${JSON.stringify(answer)}`);
        k++;
      }
    }));
    const seconds = (performance.now() - t0) / 1000;
    const cpuMs = processCpuMs(server.child.pid!) - cpu0;
    const stored = Number((await query(server, 'BenchHttp_CL | count'))[0]![0]);
    if (stored !== total) throw new Error(`stored ${stored} of ${total}`);
    console.log(`HTTP ingestion: ${seconds.toFixed(2)} s, ${Math.round(total / seconds).toLocaleString('en-US')} events/s (goal ≥ 50,000); 429s retried: ${refused}; stored ${stored.toLocaleString('en-US')}`);
    console.log(`server CPU (all threads): ${(cpuMs / 1000).toFixed(1)} s, ${(cpuMs / (total / 1000)).toFixed(1)} ms per 1,000 events (${(cpuMs / 1000 / seconds).toFixed(2)} cores busy)`);
  } finally {
    await stopServer(server);
  }
}

export async function syslogSection(options: { rate?: number; seconds?: number } = {}): Promise<void> {
  const rate = options.rate ?? 20_000;
  const seconds = options.seconds ?? 5;
  const total = rate * seconds;
  console.log(`## 3. Syslog over UDP at ${rate.toLocaleString('en-US')} msg/s for ${seconds} s (${total.toLocaleString('en-US')} messages)`);
  const server = await startServer('name: bench\nversion: 1\nlocalOnly: true\n', ['--syslog-udp', '0']);
  try {
    const stats = async () => (await (await fetch(`${server.url}/api/stats`)).json()) as { syslog: { udpPort: number; received: number; committed: number; dropped: number; rejected: number } };
    const port = (await stats()).syslog.udpPort;
    const socket = dgram.createSocket('udp4');
    const messages = Array.from({ length: 1000 }, (_, i) => Buffer.from(`<38>Jan 12 03:04:05 benchhost sshd[${1000 + i}]: Accepted password for user${i % 40} from 10.1.${i % 250}.${i % 200} port ${40000 + i} ssh2`));
    let sent = 0;
    const t0 = performance.now();
    // Every 5 ms, send what the offered rate owes by now.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
        while (sent < due) socket.send(messages[sent++ % messages.length]!, port, '127.0.0.1');
        if (sent >= total) { clearInterval(timer); resolve(); }
      }, 5);
    });
    const sendSeconds = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 1500));
    socket.close();
    const s = (await stats()).syslog;
    const rows = Number((await query(server, 'Syslog | where HostName == "benchhost" | count'))[0]![0]);
    console.log(`offered ${total.toLocaleString('en-US')} in ${sendSeconds.toFixed(2)} s (${Math.round(total / sendSeconds).toLocaleString('en-US')} msg/s); received ${s.received.toLocaleString('en-US')}, stored ${rows.toLocaleString('en-US')}, rejected ${s.rejected}, dropped by the listener ${s.dropped}; loss ${(total - rows - s.rejected).toLocaleString('en-US')} (goal 0)`);
  } finally {
    await stopServer(server);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await httpSection();
  console.log('');
  await syslogSection();
}
