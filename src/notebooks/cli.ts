import { Command, InvalidArgumentError, Option } from 'commander';
import type { CliDeps } from '../cli/deps.js';
import { UsageError } from '../cli/io.js';

/**
 * The `quarry kernel …` and `quarry notebook …` commands. Only commander is loaded here; the
 * kernel, DuckDB and Kusto.Language load when a command runs.
 */
export function registerNotebookCommands(program: Command, deps: CliDeps, setStatus: (code: number) => void): void {
  const kernel = program.command('kernel').description('the Jupyter kernel for KQL');
  kernel
    .command('install')
    .description(`install the 'quarry' kernelspec ("KQL (Quarry)") where Jupyter finds it`)
    .option('--user', 'for the current user (the default)')
    .option('--sys-prefix', "into the Python environment that runs Jupyter (sys.prefix; PYTHON names the python)")
    .option('--prefix <dir>', 'under <dir>/share/jupyter/kernels')
    .option('-w, --workspace <dir>', 'always open this workspace (otherwise the one holding the notebook)')
    .action(async (flags: { user?: boolean; sysPrefix?: boolean; prefix?: string; workspace?: string }) => {
      const chosen = [flags.user, flags.sysPrefix, flags.prefix !== undefined].filter(Boolean).length;
      if (chosen > 1) throw new UsageError('choose one of --user, --sys-prefix and --prefix');
      const { installKernelSpec } = await import('./kernel/install.js');
      const scope = flags.sysPrefix ? { kind: 'sys-prefix' as const } : flags.prefix !== undefined ? { kind: 'prefix' as const, dir: flags.prefix } : { kind: 'user' as const };
      const dir = installKernelSpec(scope, flags.workspace);
      deps.io.stdout.write(`installed the kernelspec 'quarry' in ${dir}\n`);
      setStatus(0);
    });
  kernel
    .command('start')
    .description('run the kernel (Jupyter starts it from the kernelspec)')
    .requiredOption('-f, --connection-file <file>', "the connection file Jupyter wrote")
    .option('-w, --workspace <dir>', 'the workspace (default: QUARRY_WORKSPACE, else the one holding the working folder)')
    .action(async (flags: { connectionFile: string; workspace?: string }) => {
      const { startKernel } = await import('./kernel/main.js');
      await startKernel({ connectionFile: flags.connectionFile, workspace: flags.workspace });
      setStatus(0);
    });

  const notebook = program.command('notebook').description('run, export and clean Jupyter notebooks without Jupyter');
  notebook
    .command('run')
    .description("run a notebook's KQL cells with Quarry's engine and save their outputs")
    .argument('<notebook>', 'the .ipynb file')
    .option('-o, --output <file>', 'write the executed notebook here (default: in place)')
    .option('-w, --workspace <dir>', 'the workspace (default: the one holding the notebook)')
    .addOption(new Option('-t, --timeout <seconds>', 'stop each query after this many seconds').argParser(positive))
    .option('--continue', 'run the remaining cells after a failed one')
    .action(async (file: string, flags: { output?: string; workspace?: string; timeout?: number; continue?: boolean }) => {
      const { runNotebookCommand } = await import('./ipynb/run.js');
      setStatus(await runNotebookCommand(file, flags, deps.io));
    });
  notebook
    .command('export')
    .description('write a notebook as one self-contained HTML report (no network needed to open it)')
    .argument('<notebook>', 'the .ipynb file')
    .requiredOption('--html <file>', 'the HTML file to write')
    .action(async (file: string, flags: { html: string }) => {
      const { exportNotebookCommand } = await import('./ipynb/export-html.js');
      setStatus(await exportNotebookCommand(file, flags.html, deps.io));
    });
  notebook
    .command('strip')
    .description('remove outputs and execution counts, for clean git diffs')
    .argument('<notebooks...>', '.ipynb files, rewritten in place')
    .action(async (files: string[]) => {
      const { stripNotebookCommand } = await import('./ipynb/strip.js');
      setStatus(await stripNotebookCommand(files, deps.io));
    });
}

function positive(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return n;
}
