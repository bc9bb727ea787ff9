/**
 * `quarry serve`: one process owns the workspace database — the QueryEngine and the Ingestor on
 * one DuckDB instance (database.ts) — and serves the HTTP API, the syslog listeners and the
 * retention job. It writes `.quarry/server.json` (URL, pid, owner token; mode 0600) once it
 * listens and removes it when it stops.
 */
import { isLoopbackHost } from './auth.js';
import { buildApp } from './app.js';
import type { ServerContext } from './context.js';
import { ServerDatabase } from './database.js';
import { QueryService } from './queries.js';
import { RetentionJob } from './retention.js';
import { removeServerInfo, writeServerInfo, findRunningServer } from './state-file.js';
import { SyslogListeners } from './syslog.js';
import { startDetections, type HostedDetections } from './detections.js';
import { OWNER_TOKEN_NAME, TokenVerifier, createToken } from './tokens.js';
import { DEFAULT_SERVER_PORT } from '../workspace/server-config.js';
import type { Workspace } from '../workspace/workspace.js';
import type { FastifyInstance } from 'fastify';

export interface ServeOptions {
  port?: number;
  host?: string;
  /** Syslog ports (override config; 0 = any free port). */
  syslogUdpPort?: number;
  syslogTcpPort?: number;
  log?: (line: string) => void;
  /** Run retention at start and hourly (default true). */
  retention?: boolean;
  /** Run the workspace's detection rules on their schedule (default true). */
  detections?: boolean;
}

export class QuarryServer {
  private stopped?: Promise<void>;

  private constructor(
    readonly workspace: Workspace,
    readonly url: string,
    readonly token: string,
    private readonly app: FastifyInstance,
    private readonly ctx: ServerContext,
    readonly syslog: SyslogListeners | undefined,
    private readonly retention: RetentionJob | undefined,
    private readonly detections: HostedDetections | undefined,
  ) {}

  get db(): ServerDatabase {
    return this.ctx.db;
  }

  static async start(workspace: Workspace, options: ServeOptions = {}): Promise<QuarryServer> {
    const log = options.log ?? ((line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`));
    const cfg = workspace.config.server ?? {};
    const host = options.host ?? cfg.host ?? '127.0.0.1';
    const port = options.port ?? cfg.port ?? DEFAULT_SERVER_PORT;
    if (workspace.config.localOnly && !isLoopbackHost(host)) {
      throw new Error(`${workspace.dir}: the workspace is local-only (localOnly: true in quarry.yaml), so it serves on loopback only; set localOnly: false (API tokens are then required) to listen on ${host}`);
    }
    const other = await findRunningServer(workspace);
    if (other) throw new Error(`a Quarry server (pid ${other.pid}) already serves this workspace at ${other.url}`);

    const db = await ServerDatabase.open(workspace);
    const ctx: ServerContext = { db, queries: new QueryService(db), syslog: () => undefined, stopping: false, log };
    let syslog: SyslogListeners | undefined;
    let app: FastifyInstance | undefined;
    try {
      const token = createToken(workspace, OWNER_TOKEN_NAME, { replace: true });
      app = buildApp(ctx, new TokenVerifier(workspace));
      const address = await app.listen({ port, host });
      const url = address.replace('[::1]', 'localhost');
      const udpPort = options.syslogUdpPort ?? cfg.syslog?.udpPort;
      const tcpPort = options.syslogTcpPort ?? cfg.syslog?.tcpPort;
      if (udpPort !== undefined || tcpPort !== undefined) {
        syslog = new SyslogListeners(db, { host: cfg.syslog?.host ?? host, udpPort, tcpPort, log });
        await syslog.start();
        ctx.syslog = () => syslog!.stats;
        log(`syslog: ${[syslog.stats.udpPort !== null ? `udp ${syslog.stats.udpPort}` : '', syslog.stats.tcpPort !== null ? `tcp ${syslog.stats.tcpPort}` : ''].filter(Boolean).join(', ')}`);
      }
      let retention: RetentionJob | undefined;
      if (options.retention !== false) {
        retention = new RetentionJob(db, cfg.retentionIntervalHours ?? 1, log);
        retention.start();
      }
      const detections = options.detections === false ? undefined : startDetections(db, log);
      writeServerInfo(workspace, { url, pid: process.pid, token, started: new Date().toISOString() });
      // Kusto.Language loads on the first analysis (seconds): do it now, not in the first user's query.
      void ctx.queries.run({ query: 'print warm_up = 1' }).catch(() => undefined);
      return new QuarryServer(workspace, url, token, app, ctx, syslog, retention, detections);
    } catch (err) {
      await syslog?.stop().catch(() => undefined);
      await app?.close().catch(() => undefined);
      await db.close();
      throw err;
    }
  }

  /**
   * Stops cleanly: no new requests, in-flight requests and commits finish, the listeners'
   * buffered messages are committed, the database is checkpointed and closed.
   */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.ctx.stopping = true;
      removeServerInfo(this.workspace);
      await this.syslog?.stop();
      await this.app.close();
      await this.retention?.stop();
      await this.detections?.stop();
      await this.ctx.db.close();
    })();
    return this.stopped;
  }
}
