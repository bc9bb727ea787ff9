import { PassThrough } from 'node:stream';
import { runCli } from '../src/cli/program.js';
import { openQueryEngine } from '../src/cli/engine-factory.js';

/** Runs `quarry ARGS…` in-process on the real engine (stdin a TTY), capturing what it prints. */
export async function runCliCaptured(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const status = await runCli(args, { io: { stdin, stdout, stderr }, openEngine: openQueryEngine });
  return { status, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}
