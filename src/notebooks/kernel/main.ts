import path from 'node:path';
import { NotebookRuntime, findWorkspace } from '../cells/runtime.js';
import { openSession } from '../session/open.js';
import { readConnectionFile } from './connection.js';
import { QuarryKernel } from './kernel.js';

export interface KernelStartOptions {
  connectionFile: string;
  /** The workspace; otherwise QUARRY_WORKSPACE, otherwise the workspace holding the working folder. */
  workspace?: string;
}

/**
 * Runs the kernel until it is shut down or its parent (the Jupyter server or client) dies.
 * Jupyter starts a kernel with the notebook's folder as working folder, so a notebook in
 * `<workspace>/notebooks/` finds its workspace by itself.
 */
export async function startKernel(options: KernelStartOptions): Promise<void> {
  const connection = readConnectionFile(options.connectionFile);
  const envWorkspace = process.env['QUARRY_WORKSPACE'];
  const workspace = options.workspace ?? (envWorkspace ? path.resolve(envWorkspace) : findWorkspace(process.cwd()));
  const runtime = new NotebookRuntime({ open: openSession, workspace });
  const kernel = new QuarryKernel(connection, runtime);
  // Interrupts come as messages (interrupt_mode: message); a stray SIGINT stops the query, not the kernel.
  process.on('SIGINT', () => runtime.interrupt());
  process.on('SIGTERM', () => void kernel.stop());
  const parent = process.ppid;
  const watch = setInterval(() => {
    // Orphaned: the parent died without shutting the kernel down (its pid is re-parented).
    if (process.ppid !== parent) {
      clearInterval(watch);
      process.stderr.write('[quarry kernel] parent process ended; exiting\n');
      void kernel.stop();
      // Nobody is left to wait for a clean stop: exit even if closing hangs.
      setTimeout(() => process.exit(0), 5000).unref();
    }
  }, 1000);
  watch.unref();
  // Load DuckDB, Kusto.Language and the catalog while the user is still reading the notebook
  // (after the sockets are bound and kernel_info is answered), so the first cell does not wait.
  setTimeout(() => void runtime.warmUp(), 300).unref();
  await kernel.serve();
  clearInterval(watch);
}
