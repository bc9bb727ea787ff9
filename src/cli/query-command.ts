import type { CliDeps, RunOptions } from './deps.js';
import { openWorkspaceEngine, queryOptions } from './deps.js';
import { formatQueryError } from './error-output.js';
import { EXIT_OK, EXIT_QUERY_ERROR, readAll, terminalWidth, UsageError, writeOut } from './io.js';
import { renderResult, type OutputFormat } from './output-format.js';

export interface QueryCommandOptions extends RunOptions {
  format: OutputFormat;
}

/** `quarry query [KQL]`: runs one query (from the argument, else stdin) and prints the result. */
export async function runQueryCommand(queryArg: string | undefined, options: QueryCommandOptions, deps: CliDeps): Promise<number> {
  const { io } = deps;
  const text = queryArg ?? (await readQueryFromStdin(io));
  if (text.trim() === '') throw new UsageError('the query is empty');

  let session;
  try {
    session = await openWorkspaceEngine(options.workspace, deps);
  } catch (err) {
    await writeOut(io.stderr, formatQueryError(text, err));
    return EXIT_QUERY_ERROR;
  }
  const { engine } = session;
  try {
    const result = await engine.query(text, queryOptions(options));
    const out = renderResult(result, options.format, {
      maxWidth: terminalWidth(io.stdout),
      truncationHint: 'run with --no-truncate to get all rows',
    });
    await writeOut(io.stdout, out.stdout);
    if (out.stderr) await writeOut(io.stderr, out.stderr);
    return EXIT_OK;
  } catch (err) {
    await writeOut(io.stderr, formatQueryError(text, err));
    return EXIT_QUERY_ERROR;
  } finally {
    await engine.close();
  }
}

async function readQueryFromStdin(io: CliDeps['io']): Promise<string> {
  if (io.stdin.isTTY) throw new UsageError('no query given: pass it as an argument or pipe it on stdin');
  return (await readAll(io.stdin)).replace(/^\uFEFF/, '');
}
