import path from 'node:path';
import type { CliIO } from '../../cli/io.js';
import { NotebookRuntime, findWorkspace } from '../cells/runtime.js';
import type { NbOutput } from '../cells/outputs.js';
import { openSession } from '../session/open.js';
import type { SessionOpener } from '../session/query-session.js';
import { KERNEL_NAME } from '../kernel/install.js';
import { NotebookError, readNotebook, sourceText, withQuarryMetadata, writeNotebook, type Notebook } from './nbformat.js';

export interface RunNotebookOptions {
  /** Run the cells after a failed one too. */
  continueOnError?: boolean;
  timeoutSeconds?: number;
  /** Told about each cell as it finishes. */
  progress?: (line: string) => void;
}

export interface RunSummary {
  notebook: Notebook;
  ran: number;
  failed: number;
  /** Code cells not run because an earlier one failed. */
  skipped: number;
}

/**
 * Runs a notebook's code cells in order with the same runtime as the kernel, so the outputs are
 * the kernel's. Stops at the first failed cell unless `continueOnError`.
 */
export async function runNotebook(nb: Notebook, runtime: NotebookRuntime, options: RunNotebookOptions = {}): Promise<RunSummary> {
  const kernel = (nb.metadata['kernelspec'] as { name?: string } | undefined)?.name;
  if (kernel && kernel !== KERNEL_NAME) throw new NotebookError(`the notebook's kernel is '${kernel}', not '${KERNEL_NAME}': Quarry runs only KQL notebooks`);
  const cells = nb.cells.map((c) => ({ ...c }));
  const code = cells.filter((c) => c.cell_type === 'code');
  let count = 0;
  let failed = 0;
  let skipped = 0;
  if (options.timeoutSeconds) await runtime.runCell(`%timeout ${options.timeoutSeconds}`, null, () => {});
  for (const cell of code) {
    if (failed && !options.continueOnError) {
      skipped++;
      continue;
    }
    const outputs: NbOutput[] = [];
    const started = performance.now();
    const status = await runtime.runCell(sourceText(cell), ++count, (o) => outputs.push(o));
    cell.outputs = outputs;
    cell.execution_count = count;
    const ms = Math.round(performance.now() - started);
    const rows = outputs.find((o) => o.output_type === 'execute_result') as { data: { 'application/json'?: { totalRows?: number } } } | undefined;
    const what = status.ok ? `ok${rows?.data['application/json']?.totalRows !== undefined ? `, ${rows.data['application/json'].totalRows} rows` : ''}` : `FAILED: ${status.ename}: ${status.evalue.split('\n')[0]}`;
    options.progress?.(`[${count}/${code.length}] cell ${cell.id}: ${what} (${ms} ms)`);
    if (!status.ok) failed++;
  }
  return { notebook: withQuarryMetadata({ ...nb, cells }), ran: count, failed, skipped };
}

/** `quarry notebook run NB [-o OUT]`: exit status 0 when every cell ran, 1 otherwise. */
export async function runNotebookCommand(
  file: string,
  flags: { output?: string; workspace?: string; timeout?: number; continue?: boolean },
  io: CliIO,
  open: SessionOpener = openSession,
): Promise<number> {
  const nb = readNotebook(file);
  const dir = path.dirname(path.resolve(file));
  const workspace = flags.workspace ? path.resolve(flags.workspace) : findWorkspace(dir);
  const runtime = new NotebookRuntime({ open, workspace });
  // As under Jupyter, the notebook's folder is the working folder (relative externaldata paths).
  const cwd = process.cwd();
  process.chdir(dir);
  let summary: RunSummary;
  try {
    summary = await runNotebook(nb, runtime, {
      continueOnError: flags.continue,
      timeoutSeconds: flags.timeout,
      progress: (line) => io.stderr.write(`${line}\n`),
    });
  } finally {
    process.chdir(cwd);
    await runtime.close();
  }
  const out = path.resolve(flags.output ?? file);
  writeNotebook(out, summary.notebook);
  const tail = summary.skipped ? `; ${summary.skipped} not run after the failure (use --continue to run them)` : '';
  io.stderr.write(`${summary.failed ? `${summary.failed} of ${summary.ran} cells failed` : `${summary.ran} cells ran`}${tail}; wrote ${out}\n`);
  return summary.failed ? 1 : 0;
}
