import { engineOptionsFor } from '../workspace/engine-options.js';
import type { QueryOptions } from '../engine/result.js';
import { openWorkspace, type Workspace } from '../workspace/workspace.js';
import type { Engine, EngineFactory } from './engine-factory.js';
import type { CliIO } from './io.js';

/** Everything a command needs from outside: injected so tests can swap the engine and streams. */
export interface CliDeps {
  io: CliIO;
  openEngine: EngineFactory;
}

/** Options shared by the commands that run queries. */
export interface RunOptions {
  workspace: string;
  /** Seconds. */
  timeout?: number;
  truncate?: boolean;
}

/** Opens (creating if missing) the workspace, then the engine on its database. */
export async function openWorkspaceEngine(dir: string, deps: CliDeps): Promise<{ workspace: Workspace; engine: Engine }> {
  const workspace = openWorkspace(dir, { create: true });
  // A running `quarry serve` owns the database file: send the queries to it instead.
  const { findRunningServer } = await import('../server/state-file.js');
  const server = await findRunningServer(workspace);
  if (server) {
    const { RemoteEngine } = await import('../server/remote-engine.js');
    return { workspace, engine: new RemoteEngine(server) };
  }
  const engine = await deps.openEngine(engineOptionsFor(workspace));
  return { workspace, engine };
}

export function queryOptions(options: RunOptions): QueryOptions {
  const result: QueryOptions = {};
  if (options.timeout !== undefined) result.timeoutMs = Math.round(options.timeout * 1000);
  if (options.truncate === false) result.noTruncate = true;
  return result;
}
