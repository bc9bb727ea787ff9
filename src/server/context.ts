import type { ServerDatabase } from './database.js';
import type { QueryService } from './queries.js';
import type { SyslogStats } from './syslog.js';

/** What the route modules share. */
export interface ServerContext {
  db: ServerDatabase;
  queries: QueryService;
  syslog: () => SyslogStats | undefined;
  stopping: boolean;
  log: (line: string) => void;
}
