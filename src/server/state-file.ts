/**
 * `<workspace>/.quarry/server.json`: how the CLI and the kernel find the server that owns a
 * workspace (URL, pid, the owner's token). Readable by its owner only; removed on clean exit.
 */
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { statePath, type Workspace } from '../workspace/workspace.js';

export const SERVER_FILE = 'server.json';

export interface ServerInfo {
  url: string;
  pid: number;
  token: string;
  started: string;
}

export function writeServerInfo(workspace: Workspace, info: ServerInfo): string {
  const file = statePath(workspace, SERVER_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return file;
}

export function readServerInfo(workspace: Workspace): ServerInfo | undefined {
  const file = statePath(workspace, SERVER_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<ServerInfo>;
    if (typeof data.url !== 'string' || typeof data.pid !== 'number' || typeof data.token !== 'string') return undefined;
    return data as ServerInfo;
  } catch {
    return undefined;
  }
}

/** Removes server.json if it is this process's (a newer server's file is left alone). */
export function removeServerInfo(workspace: Workspace, pid = process.pid): void {
  const info = readServerInfo(workspace);
  if (info && info.pid !== pid) return;
  rmSync(statePath(workspace, SERVER_FILE), { force: true });
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The server that owns the workspace now: server.json names a live process that answers
 * /api/health. A stale file (crashed server) is ignored.
 */
export async function findRunningServer(workspace: Workspace, timeoutMs = 1500): Promise<ServerInfo | undefined> {
  const info = readServerInfo(workspace);
  if (!info || !processAlive(info.pid)) return undefined;
  try {
    const res = await fetch(new URL('/api/health', info.url), { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? info : undefined;
  } catch {
    return undefined;
  }
}
