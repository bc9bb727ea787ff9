import { createInterface, type Interface } from 'node:readline';
import { statePath, type Workspace } from '../workspace/workspace.js';
import type { CliDeps, RunOptions } from './deps.js';
import { openWorkspaceEngine, queryOptions } from './deps.js';
import type { Engine } from './engine-factory.js';
import { formatQueryError } from './error-output.js';
import { formatColumns } from './format-columns.js';
import { formatTable } from './format-table.js';
import { EXIT_OK, EXIT_QUERY_ERROR, terminalWidth, writeOut } from './io.js';
import { HISTORY_SIZE, loadHistory, saveHistory } from './shell-history.js';
import { QueryBuffer, type ShellInput } from './shell-input.js';

const PROMPT = 'quarry> ';
const CONTINUATION_PROMPT = '    ..> ';
const TRUNCATION_HINT = "put 'set notruncation;' before the query to get all rows";

const HELP = `Type a KQL query. It runs at an empty line, or at a line ending in ;;
Shell commands:
  .tables [TEXT]   list the tables (those whose name contains TEXT)
  .help            show this help
  .quit, .exit     leave the shell (Ctrl-D does too)
Ctrl-C clears the input, or cancels a running query.
`;

/**
 * `quarry shell`: an interactive KQL prompt on a workspace. With a terminal it has line
 * editing and history (<workspace>/.quarry/history); without one (input piped in) it reads
 * the queries the same way, prints the results, and exits at end of input with status 1 if
 * any query failed.
 */
export async function runShell(options: RunOptions, deps: CliDeps): Promise<number> {
  const { io } = deps;
  const interactive = Boolean(io.stdin.isTTY);
  let session;
  try {
    session = await openWorkspaceEngine(options.workspace, deps);
  } catch (err) {
    await writeOut(io.stderr, formatQueryError('', err));
    return EXIT_QUERY_ERROR;
  }
  const { workspace, engine } = session;
  const historyFile = interactive ? historyPath(workspace, io) : undefined;
  const rl = createInterface({
    input: io.stdin,
    output: interactive ? io.stdout : undefined,
    terminal: interactive,
    history: historyFile ? loadHistory(historyFile) : [],
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
  });
  if (historyFile) {
    let warned = false; // a history that cannot be saved must not end the session
    rl.on('history', (history: string[]) => {
      try {
        saveHistory(historyFile, history);
      } catch (err) {
        if (!warned) io.stderr.write(`warning: cannot save the history: ${(err as Error).message}\n`);
        warned = true;
      }
    });
  }

  // Piped output stays clean: the banner is for people.
  const banner = `Quarry shell on ${workspace.dir}. Type .help for help, .quit or Ctrl-D to quit.\n`;
  await writeOut(interactive ? io.stdout : io.stderr, banner);

  const shell = new ShellSession(rl, engine, options, deps, interactive);
  try {
    return await shell.run();
  } finally {
    rl.close();
    await engine.close();
  }
}

/** Where the history lives; undefined (no history, with a warning) when .quarry cannot be made. */
function historyPath(workspace: Workspace, io: CliDeps['io']): string | undefined {
  try {
    return statePath(workspace, 'history');
  } catch (err) {
    io.stderr.write(`warning: no history this session: ${(err as Error).message}\n`);
    return undefined;
  }
}

class ShellSession {
  private readonly buffer = new QueryBuffer();
  private running = false;
  private interruptsWhileRunning = 0;
  private failures = 0;

  constructor(
    private readonly rl: Interface,
    private readonly engine: Engine,
    private readonly options: RunOptions,
    private readonly deps: CliDeps,
    private readonly interactive: boolean,
  ) {
    rl.on('SIGINT', () => this.onInterrupt());
  }

  async run(): Promise<number> {
    this.prompt();
    // Awaiting inside the loop runs queries one at a time; lines typed meanwhile wait.
    for await (const line of this.rl) {
      const done = await this.handle(this.buffer.push(line));
      if (done) return this.exitCode();
      this.prompt();
    }
    // End of input. Piped input may end without a closing empty line; a half-typed query
    // at Ctrl-D is dropped, as other shells do.
    if (this.interactive) await writeOut(this.deps.io.stdout, '\n');
    else await this.handle(this.buffer.finish());
    return this.exitCode();
  }

  private exitCode(): number {
    return !this.interactive && this.failures > 0 ? EXIT_QUERY_ERROR : EXIT_OK;
  }

  /** Returns true when the shell should end. */
  private async handle(input: ShellInput): Promise<boolean> {
    switch (input.kind) {
      case 'query':
        await this.runQuery(input.text);
        return false;
      case 'command':
        return this.runCommand(input.name, input.argument);
      case 'more':
      case 'nothing':
        return false;
    }
  }

  private async runQuery(text: string): Promise<void> {
    const { io } = this.deps;
    this.running = true;
    this.interruptsWhileRunning = 0;
    try {
      const result = await this.engine.query(text, queryOptions(this.options));
      await writeOut(io.stdout, formatTable(result, { maxWidth: terminalWidth(io.stdout), truncationHint: TRUNCATION_HINT }));
    } catch (err) {
      this.failures++;
      await writeOut(io.stderr, formatQueryError(text, err));
    } finally {
      this.running = false;
    }
  }

  private async runCommand(name: string, argument: string): Promise<boolean> {
    const { io } = this.deps;
    switch (name) {
      case 'quit':
      case 'exit':
        return true;
      case 'help':
        await writeOut(io.stdout, HELP);
        return false;
      case 'tables':
        await this.listTables(argument.trim());
        return false;
      default:
        this.failures++;
        await writeOut(io.stderr, `error: unknown command .${name} (type .help for the list)\n`);
        return false;
    }
  }

  private async listTables(filter: string): Promise<void> {
    const { io } = this.deps;
    const needle = filter.toLowerCase();
    const names = (await this.engine.tableNames())
      .filter((n) => n.toLowerCase().includes(needle))
      .sort((a, b) => a.localeCompare(b));
    const width = terminalWidth(io.stdout);
    const listing = width ? formatColumns(names, width) : names.map((n) => n + '\n').join('');
    const count = `(${names.length} ${names.length === 1 ? 'table' : 'tables'}${filter ? ` matching "${filter}"` : ''})\n`;
    await writeOut(io.stdout, listing + count);
  }

  private prompt(): void {
    if (!this.interactive) return;
    this.rl.setPrompt(this.buffer.isEmpty ? PROMPT : CONTINUATION_PROMPT);
    this.rl.prompt();
  }

  /** Ctrl-C (only seen with a terminal): cancel the running query, else drop the input. */
  private onInterrupt(): void {
    const { io } = this.deps;
    if (this.running) {
      this.interruptsWhileRunning++;
      if (this.interruptsWhileRunning > 1) {
        io.stderr.write('\n');
        process.exit(130); // the usual status for "ended by SIGINT"
      }
      if (typeof this.engine.cancel === 'function') {
        this.engine.cancel();
        io.stderr.write('\ncancelling the query (press Ctrl-C again to quit Quarry)\n');
      } else {
        io.stderr.write('\nthe engine cannot cancel a running query; press Ctrl-C again to quit Quarry\n');
      }
      return;
    }
    const hadInput = !this.buffer.isEmpty || this.rl.line.length > 0;
    this.buffer.clear();
    clearInputLine(this.rl, io.stdout);
    if (!hadInput) io.stdout.write('(to quit, press Ctrl-D or type .quit)\n');
    this.prompt();
  }
}

/**
 * Drops the line being edited and moves to a fresh line, leaving what was typed visible above.
 * node:readline's clearLine() does exactly this (the REPL uses it) but is not in its typings.
 */
function clearInputLine(rl: Interface, output: NodeJS.WritableStream): void {
  const withClearLine = rl as Interface & { clearLine?: () => void };
  if (typeof withClearLine.clearLine === 'function') {
    withClearLine.clearLine();
  } else {
    rl.write(null, { ctrl: true, name: 'u' }); // delete to the start of the line
    output.write('\n');
  }
}
