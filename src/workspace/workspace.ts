import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, defaultConfig, parseConfig, serializeConfig, type WorkspaceConfig } from './config.js';

export { ConfigError, type WorkspaceConfig } from './config.js';

export const CONFIG_FILE = 'quarry.yaml';
export const DATABASE_FILE = 'quarry.duckdb';
/** Per-user local state (shell history, caches): never meant for version control. */
export const STATE_DIR = '.quarry';
export const CONTENT_DIRS = ['rules', 'notebooks', 'watchlists', 'functions', 'playbooks'] as const;

// A workspace folder may itself be a git repository (rules and notebooks are worth versioning);
// the database and the local state are not.
const WORKSPACE_GITIGNORE = `${STATE_DIR}/\n${DATABASE_FILE}\n${DATABASE_FILE}.wal\n`;

export interface Workspace {
  /** Absolute path of the workspace folder. */
  dir: string;
  config: WorkspaceConfig;
  /** Absolute path of the DuckDB database file (it may not exist yet). */
  databasePath: string;
}

export interface OpenWorkspaceOptions {
  /** Create the workspace when the folder is missing or empty. */
  create?: boolean;
}

/** A folder that is not (and cannot silently become) a workspace. */
export class WorkspaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkspaceError';
  }
}

/**
 * Opens the workspace in `dir`. With `create`, a missing or empty folder becomes a new
 * workspace; a non-empty folder without quarry.yaml is refused (use `initWorkspace` for that),
 * so a mistyped --workspace cannot scatter files through an unrelated folder.
 * Throws ConfigError when quarry.yaml is invalid.
 */
export function openWorkspace(dir: string, options: OpenWorkspaceOptions = {}): Workspace {
  const abs = path.resolve(dir);
  const configPath = path.join(abs, CONFIG_FILE);
  if (existsSync(configPath)) {
    const ws = loadWorkspace(abs);
    if (options.create) ensureLayout(abs);
    return ws;
  }
  if (!options.create) {
    throw new WorkspaceError(`${abs} is not a Quarry workspace (no ${CONFIG_FILE}); create one with: quarry init ${dir}`);
  }
  if (existsSync(abs) && !isEmptyDirectory(abs)) {
    throw new WorkspaceError(
      `${abs} is not empty and has no ${CONFIG_FILE}; to make it a workspace anyway run: quarry init ${dir}`,
    );
  }
  return initWorkspace(abs).workspace;
}

/**
 * Makes `dir` a workspace (any existing files are left alone) and fills in whatever part of
 * the layout is missing. An existing quarry.yaml is kept, and must be valid.
 */
export function initWorkspace(dir: string): { workspace: Workspace; created: boolean } {
  const abs = path.resolve(dir);
  if (existsSync(abs) && !statSync(abs).isDirectory()) {
    throw new WorkspaceError(`${abs} exists and is not a folder`);
  }
  const configPath = path.join(abs, CONFIG_FILE);
  const created = !existsSync(configPath);
  mkdirSync(abs, { recursive: true });
  if (created) writeFileSync(configPath, serializeConfig(defaultConfig(path.basename(abs))));
  const workspace = loadWorkspace(abs);
  ensureLayout(abs);
  return { workspace, created };
}

/** Path of a file in the workspace's local state folder, creating the folder. */
export function statePath(workspace: Workspace, name: string): string {
  const dir = path.join(workspace.dir, STATE_DIR);
  mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

function loadWorkspace(abs: string): Workspace {
  const configPath = path.join(abs, CONFIG_FILE);
  let text: string;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch (err) {
    throw new ConfigError(configPath, `cannot read: ${(err as Error).message}`);
  }
  const config = parseConfig(text, configPath);
  return { dir: abs, config, databasePath: path.join(abs, DATABASE_FILE) };
}

function ensureLayout(abs: string): void {
  for (const sub of CONTENT_DIRS) {
    const subDir = path.join(abs, sub);
    mkdirSync(subDir, { recursive: true });
    const keep = path.join(subDir, '.gitkeep');
    if (!existsSync(keep)) writeFileSync(keep, '');
  }
  const gitignore = path.join(abs, '.gitignore');
  if (!existsSync(gitignore)) writeFileSync(gitignore, WORKSPACE_GITIGNORE);
}

function isEmptyDirectory(abs: string): boolean {
  if (!statSync(abs).isDirectory()) throw new WorkspaceError(`${abs} exists and is not a folder`);
  return readdirSync(abs).length === 0;
}
