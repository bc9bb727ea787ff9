/**
 * `quarry serve [--workspace DIR] [--port N] [--host H] [--demo]`: runs the workspace's server
 * until SIGINT/SIGTERM, then stops cleanly (in-flight commits finish, server.json removed).
 */
import type { CliDeps } from '../cli/deps.js';
import { EXIT_OK, EXIT_QUERY_ERROR, writeOut } from '../cli/io.js';
import { openWorkspace } from '../workspace/workspace.js';

export interface ServeFlags {
  workspace: string;
  port?: number;
  host?: string;
  demo?: boolean;
  syslogUdp?: number;
  syslogTcp?: number;
}

export async function runServeCommand(flags: ServeFlags, deps: CliDeps): Promise<number> {
  const { io } = deps;
  const print = (line: string) => { io.stderr.write(line + '\n'); };
  // Installed first: a Ctrl-C during start-up stops the server as soon as it is up.
  const stopRequested = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      print(`${signal}: stopping (finishing in-flight commits)…`);
      resolve();
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
  const { QuarryServer } = await import('./server.js');
  let workspace;
  let importDemo = false;
  if (flags.demo) {
    const { prepareDemoWorkspace, demoImported } = await import('./demo.js');
    const prepared = prepareDemoWorkspace(flags.workspace);
    workspace = prepared.workspace;
    if (prepared.created) print(`created the demo workspace ${workspace.dir}`);
    importDemo = !demoImported(workspace);
  } else {
    workspace = openWorkspace(flags.workspace, { create: true });
  }
  let server;
  try {
    server = await QuarryServer.start(workspace, {
      port: flags.port, host: flags.host, syslogUdpPort: flags.syslogUdp, syslogTcpPort: flags.syslogTcp,
    });
  } catch (err) {
    await writeOut(io.stderr, `error: ${(err as Error).message}\n`);
    return EXIT_QUERY_ERROR;
  }
  if (importDemo) {
    const { importDemoData } = await import('./demo.js');
    print('importing the demo data (demo/README.md says where it comes from):');
    await importDemoData(server.db, print);
  }
  await writeOut(io.stdout, `Quarry serves ${workspace.dir}\n  URL:   ${server.url}\n  token: ${server.token}\n` +
    `${workspace.config.localOnly ? '  (local-only workspace: loopback requests need no token)\n' : ''}Press Ctrl-C to stop.\n`);
  await stopRequested;
  await server.stop();
  print('stopped');
  return EXIT_OK;
}

/** `quarry token create [--name N]`: prints a new API token (stored hashed). */
export async function runTokenCreate(flags: { workspace: string; name?: string }, deps: CliDeps): Promise<number> {
  const { createToken } = await import('./tokens.js');
  const workspace = openWorkspace(flags.workspace);
  const name = flags.name ?? `token-${new Date().toISOString().slice(0, 10)}`;
  const token = createToken(workspace, name);
  await writeOut(deps.io.stdout, `${token}\n`);
  deps.io.stderr.write(`created token '${name}' for ${workspace.dir} (shown once; stored as a SHA-256 hash)\n`);
  return EXIT_OK;
}
