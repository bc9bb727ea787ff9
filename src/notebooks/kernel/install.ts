import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOGO_SVG, logoPng } from './logo.js';

export const KERNEL_NAME = 'quarry';
export const DISPLAY_NAME = 'KQL (Quarry)';

export type InstallScope = { kind: 'user' } | { kind: 'sys-prefix' } | { kind: 'prefix'; dir: string };

/** Jupyter's per-user data folder (JUPYTER_DATA_DIR wins), as jupyter_core computes it. */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env['JUPYTER_DATA_DIR']) return env['JUPYTER_DATA_DIR'];
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Jupyter');
  if (platform === 'win32') return path.join(env['APPDATA'] ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'jupyter');
  return path.join(env['XDG_DATA_HOME'] || path.join(os.homedir(), '.local', 'share'), 'jupyter');
}

/** The kernels folder for a scope: the user's, the Python environment's (sys.prefix), or a prefix's. */
export function kernelsDir(scope: InstallScope, python = process.env['PYTHON'] ?? 'python3'): string {
  if (scope.kind === 'user') return path.join(userDataDir(), 'kernels');
  const prefix = scope.kind === 'prefix' ? path.resolve(scope.dir) : pythonPrefix(python);
  return path.join(prefix, 'share', 'jupyter', 'kernels');
}

function pythonPrefix(python: string): string {
  try {
    return execFileSync(python, ['-c', 'import sys; print(sys.prefix)'], { encoding: 'utf8' }).trim();
  } catch (err) {
    throw new Error(`--sys-prefix needs the Python that runs Jupyter (tried '${python}', set PYTHON to choose): ${(err as Error).message}`);
  }
}

/** kernel.json: Jupyter starts this node with Quarry's launcher; interrupts come as messages. */
export function kernelSpec(workspace?: string): Record<string, unknown> {
  const launcher = fileURLToPath(new URL('../../../bin/quarry.js', import.meta.url));
  return {
    argv: [process.execPath, launcher, 'kernel', 'start', '-f', '{connection_file}', ...(workspace ? ['--workspace', path.resolve(workspace)] : [])],
    display_name: DISPLAY_NAME,
    language: 'kusto',
    interrupt_mode: 'message',
    metadata: { debugger: false },
  };
}

/** Writes the `quarry` kernelspec (kernel.json and logos); returns its folder. */
export function installKernelSpec(scope: InstallScope, workspace?: string): string {
  const dir = path.join(kernelsDir(scope), KERNEL_NAME);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'kernel.json'), `${JSON.stringify(kernelSpec(workspace), null, 2)}\n`);
  writeFileSync(path.join(dir, 'logo-32x32.png'), logoPng(32));
  writeFileSync(path.join(dir, 'logo-64x64.png'), logoPng(64));
  writeFileSync(path.join(dir, 'logo-svg.svg'), LOGO_SVG);
  return dir;
}
