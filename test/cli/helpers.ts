// Shared helpers for the CLI tests: temporary folders and running the CLI as a process.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const QUARRY_BIN = path.join(REPO, 'bin', 'quarry.js');
const FAKE_CLI = fileURLToPath(new URL('./fixtures/fake-quarry.ts', import.meta.url));
// Resolved here, so the child finds tsx even when it runs in a temporary folder.
const TSX = import.meta.resolve('tsx');

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh temporary folder, removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'quarry-cli-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function fakeCliCommand(args: readonly string[]): [string, string[]] {
  return [process.execPath, ['--import', TSX, FAKE_CLI, ...args]];
}

/** Runs the CLI on the fake engine (test/cli/fixtures/fake-engine.ts) as a real process. */
export function runFakeCli(args: readonly string[], options: { input?: string; cwd: string }): RunResult {
  const [cmd, argv] = fakeCliCommand(args);
  return run(cmd, argv, options);
}

/** Runs bin/quarry.js: the real CLI on the real engine. */
export function runRealCli(args: readonly string[], options: { input?: string; cwd: string }): RunResult {
  return run(process.execPath, [QUARRY_BIN, ...args], options);
}

function run(cmd: string, argv: string[], options: { input?: string; cwd: string }): RunResult {
  const r = spawnSync(cmd, argv, { cwd: options.cwd, input: options.input ?? '', encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the fake CLI with piped stdio, for tests that talk to it line by line. */
export function startFakeCli(args: readonly string[], cwd: string) {
  const [cmd, argv] = fakeCliCommand(args);
  return spawn(cmd, argv, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
}
