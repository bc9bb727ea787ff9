import { InProcessSession } from './in-process.js';
import type { QuerySession } from './query-session.js';

/**
 * Opens the session for a `%workspace` target: a folder opens the workspace in this process.
 * A server URL will use the server's query API once the server exists (the seam is
 * QuerySession); until then it is refused with a clear message.
 */
export async function openSession(target: string): Promise<QuerySession> {
  if (/^https?:\/\//i.test(target)) {
    throw new Error(`${target}: querying through a Quarry server is not available yet; give the workspace folder instead`);
  }
  return InProcessSession.open(target);
}
