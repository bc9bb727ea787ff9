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
  // externaldata may read http(s) URLs only in a workspace that is not local-only.
  const engine = await deps.openEngine({ databasePath: workspace.databasePath, allowRemoteData: !workspace.config.localOnly });
  return { workspace, engine };
}

export function queryOptions(options: RunOptions): QueryOptions {
  const result: QueryOptions = {};
  if (options.timeout !== undefined) result.timeoutMs = Math.round(options.timeout * 1000);
  if (options.truncate === false) result.noTruncate = true;
  return result;
}
