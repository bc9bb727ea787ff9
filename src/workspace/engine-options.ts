/**
 * How a workspace opens the KQL engine: its database file, the externaldata URL prefixes it
 * allows, and its saved functions. Every process that opens a workspace (CLI, server, kernel)
 * goes through here, so a query means the same everywhere.
 */
import type { EngineOptions } from '../engine/engine.js';
import path from 'node:path';
import { SavedFunctions } from './saved-functions.js';
import { Watchlists } from './watchlists.js';
import type { Workspace } from './workspace.js';

export function engineOptionsFor(workspace: Workspace): EngineOptions {
  return {
    databasePath: workspace.databasePath,
    remoteData: { allow: workspace.config.externalData?.allow ?? [] },
    savedFunctions: SavedFunctions.forWorkspace(workspace.dir),
    watchlists: new Watchlists(path.join(workspace.dir, 'watchlists')),
  };
}
