import { initWorkspace } from '../workspace/workspace.js';
import type { CliDeps } from './deps.js';
import { EXIT_OK, writeOut } from './io.js';

/** `quarry init [DIR]`: makes DIR a workspace, or completes the layout of an existing one. */
export async function runInitCommand(dir: string, deps: CliDeps): Promise<number> {
  const { workspace, created } = initWorkspace(dir);
  const message = created
    ? `Created workspace "${workspace.config.name}" in ${workspace.dir}\n`
    : `${workspace.dir} is already a workspace ("${workspace.config.name}"); its layout is complete\n`;
  await writeOut(deps.io.stdout, message);
  return EXIT_OK;
}
