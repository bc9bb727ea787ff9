import { InProcessSession } from './in-process.js';
import type { QuerySession } from './query-session.js';

/**
 * Opens the session for a `%workspace` target. A server URL uses the server's query API
 * (RemoteSession; token from QUARRY_TOKEN unless the workspace is local-only). A folder whose
 * workspace a running `quarry serve` owns goes through that server (the database file is
 * the server's); any other folder opens the workspace in this process.
 */
export async function openSession(target: string): Promise<QuerySession> {
  if (/^https?:\/\//i.test(target)) {
    const { RemoteSession } = await import('../../server/remote-session.js');
    return RemoteSession.open(target, process.env.QUARRY_TOKEN);
  }
  const { openWorkspace } = await import('../../workspace/workspace.js');
  const { findRunningServer } = await import('../../server/state-file.js');
  const server = await findRunningServer(openWorkspace(target));
  if (server) {
    const { RemoteSession } = await import('../../server/remote-session.js');
    return RemoteSession.open(server.url, server.token, target);
  }
  return InProcessSession.open(target);
}
