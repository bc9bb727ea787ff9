import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { CliDeps } from './deps.js';
import { registerNotebookCommands } from '../notebooks/cli.js';
import { registerDetectionCommands } from './detection-commands.js';
import { registerTiCommands } from './ti-command.js';
import { formatQueryError } from './error-output.js';
import { EXIT_QUERY_ERROR, EXIT_USAGE, UsageError } from './io.js';
import { OUTPUT_FORMATS, type OutputFormat } from './output-format.js';

export const DEFAULT_WORKSPACE = './workspace';

interface QueryFlags {
  workspace: string;
  format: OutputFormat;
  timeout?: number;
  truncate: boolean;
  batch?: boolean;
}

interface ShellFlags {
  workspace: string;
  timeout?: number;
}

/**
 * Runs the quarry CLI on `argv` (without node and script) and returns the exit status:
 * 0 ok, 1 query (or engine/workspace) error, 2 usage error. Never calls process.exit.
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  let status = 0;
  const program = buildProgram(deps, (code) => { status = code; });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return status;
  } catch (err) {
    // Commander has already printed its own message; --help and --version end here with 0.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_USAGE;
    if (err instanceof UsageError) {
      deps.io.stderr.write(`error: ${err.message}\n`);
      return EXIT_USAGE;
    }
    deps.io.stderr.write(formatQueryError('', err));
    return EXIT_QUERY_ERROR;
  }
}

function buildProgram(deps: CliDeps, setStatus: (code: number) => void): Command {
  const program = new Command('quarry')
    .description('Self-hosted security analytics workbench: KQL on your own logs')
    .version(packageVersion(), '-V, --version')
    // Set before adding commands: subcommands copy these settings.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => deps.io.stdout.write(s),
      writeErr: (s) => deps.io.stderr.write(s),
    })
    .showHelpAfterError('(add --help for usage)');

  const workspaceOption = () =>
    new Option('-w, --workspace <dir>', 'workspace folder, created if missing').default(DEFAULT_WORKSPACE);
  const timeoutOption = () =>
    new Option('-t, --timeout <seconds>', 'stop a query after this many seconds').argParser(parseSeconds);

  program
    .command('query')
    .description('run a KQL query, given as an argument or on stdin')
    .argument('[kql]', 'the query (read from stdin when omitted)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .addOption(workspaceOption())
    .addOption(timeoutOption())
    .option('--no-truncate', 'return all rows instead of stopping at the result limit')
    .option('--batch', 'read NDJSON requests {"id","query"} on stdin, answer one NDJSON line each')
    .action(async (kql: string | undefined, flags: QueryFlags, command: Command) => {
      if (flags.batch) {
        if (kql !== undefined) throw new UsageError('--batch reads its queries from stdin; do not pass a query argument');
        if (command.getOptionValueSource('format') === 'cli') throw new UsageError('--batch always answers in NDJSON; drop --format');
        const { runBatch } = await import('./batch.js');
        setStatus(await runBatch(flags, deps));
        return;
      }
      const { runQueryCommand } = await import('./query-command.js');
      setStatus(await runQueryCommand(kql, flags, deps));
    });

  program
    .command('shell')
    .description('interactive KQL prompt on a workspace')
    .addOption(workspaceOption())
    .addOption(timeoutOption())
    .action(async (flags: ShellFlags) => {
      const { runShell } = await import('./shell.js');
      setStatus(await runShell(flags, deps));
    });

  program
    .command('init')
    .description('create a workspace')
    .argument('[dir]', 'folder of the new workspace', DEFAULT_WORKSPACE)
    .action(async (dir: string) => {
      const { runInitCommand } = await import('./init-command.js');
      setStatus(await runInitCommand(dir, deps));
    });

  program
    .command('ingest')
    .description('read log files and folders (gzip too) into the workspace tables')
    .argument('<paths...>', 'files or folders')
    .option('--table <table>', 'target table (JSON, NDJSON and CSV need one)')
    .option('--format <format>', 'input format (detected per file when omitted)')
    .option('--map <source=Column>', 'rename a source field to a column (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .addOption(workspaceOption())
    .action(async (paths: string[], flags: { workspace: string; table?: string; format?: string; map?: string[] }) => {
      const { runIngestCommand } = await import('./ingest-command.js');
      setStatus(await runIngestCommand(paths, flags, deps));
    });

  program
    .command('serve')
    .description('serve the workspace: HTTP API, syslog listeners, retention (Ctrl-C stops)')
    .addOption(workspaceOption())
    .option('--port <n>', 'HTTP port (default: server.port in quarry.yaml, else 8686)', parsePort)
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--syslog-udp <port>', 'syslog UDP port (overrides server.syslog.udpPort)', parsePort)
    .option('--syslog-tcp <port>', 'syslog TCP port (overrides server.syslog.tcpPort)', parsePort)
    .option('--demo', 'create the workspace from demo/ and import the demo data on first run')
    .action(async (flags: import('../server/serve-command.js').ServeFlags) => {
      const { runServeCommand } = await import('../server/serve-command.js');
      setStatus(await runServeCommand(flags, deps));
    });

  program
    .command('token')
    .description('API tokens of the workspace server')
    .command('create')
    .description('create an API token (printed once, stored hashed)')
    .option('--name <name>', 'a name to tell tokens apart')
    .addOption(workspaceOption())
    .action(async (flags: { workspace: string; name?: string }) => {
      const { runTokenCreate } = await import('../server/serve-command.js');
      setStatus(await runTokenCreate(flags, deps));
    });

  registerNotebookCommands(program, deps, setStatus);

  registerDetectionCommands(program, deps, setStatus, workspaceOption);

  registerTiCommands(program, deps, setStatus, workspaceOption);

  return program;
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidArgumentError('expected a positive number of seconds');
  }
  return seconds;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65535) throw new InvalidArgumentError('expected a port number 0-65535');
  return port;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
