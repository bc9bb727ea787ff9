import type { EngineFactory } from './engine-factory.js';
import { runCli } from './program.js';

/** Runs the CLI on this process's arguments and streams, then exits with its status. */
export async function runProcess(openEngine: EngineFactory): Promise<never> {
  // `quarry query … | head` closes stdout early: stop quietly, as other CLI tools do.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const status = await runCli(process.argv.slice(2), {
    io: { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
    openEngine,
  });
  // Let the output drain, then exit: an engine may keep handles (threads, files) open.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  process.exit(status);
}
