import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Reply, Socket } from 'zeromq';
import { MAGIC_HELP, parseCell } from '../cells/magics.js';
import type { NbOutput } from '../cells/outputs.js';
import type { NotebookRuntime } from '../cells/runtime.js';
import { endpoint, type ConnectionInfo } from './connection.js';
import { KernelHistory, type HistoryRequest } from './history.js';
import { isComplete } from './is-complete.js';
import { LANGUAGE_INFO } from './language.js';
import { codePointsToUtf16, utf16ToCodePoints } from './unicode.js';
import { decode, encode, PROTOCOL_VERSION, Signer, WireError, type JupyterMessage } from './wire.js';

type Channel = 'shell' | 'control';
type Log = (line: string) => void;


function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** zeromq sockets take one send at a time: sends on a socket wait for the previous one. */
class Sender {
  private last: Promise<unknown> = Promise.resolve();
  constructor(private readonly socket: { send(frames: Buffer[]): Promise<void> }, private readonly log: Log) {}
  send(frames: Buffer[]): Promise<void> {
    const next = this.last.then(() => this.socket.send(frames)).catch((err: unknown) => this.log(`send failed: ${(err as Error).message}`));
    this.last = next;
    return next;
  }
}

/**
 * Quarry's Jupyter kernel: the messaging protocol 5.3 over ZeroMQ. Shell requests are handled
 * one at a time in arrival order; control requests (interrupt, shutdown) are handled while a
 * cell runs. Malformed or wrongly signed messages are logged and dropped.
 */
export class QuarryKernel {
  private readonly signer: Signer;
  private readonly session = randomUUID();
  private readonly history = new KernelHistory();
  private executionCount = 0;
  /** After a failed cell with stop_on_error, execute requests sent before this moment are aborted. */
  private abortBefore = 0;
  private sockets: Socket[] = [];
  private iopub!: Sender;
  private replies = new Map<Channel, Sender>();
  private stopping?: () => void;
  private stopRequested = false;
  private readonly stopped: Promise<void>;

  constructor(
    private readonly connection: ConnectionInfo,
    private readonly runtime: NotebookRuntime,
    private readonly log: Log = (l) => process.stderr.write(`[quarry kernel] ${l}\n`),
  ) {
    this.signer = new Signer(connection.key, connection.signature_scheme);
    this.stopped = new Promise((resolve) => (this.stopping = resolve));
  }

  /** Binds the five channels and serves until shutdown; resolves when the kernel has stopped. */
  async serve(): Promise<void> {
    const zmq = await import('zeromq');
    const c = this.connection;
    const shell = new zmq.Router();
    const control = new zmq.Router();
    const stdin = new zmq.Router();
    const iopub = new zmq.Publisher();
    const hb = new zmq.Reply();
    this.sockets = [shell, control, stdin, iopub, hb];
    for (const s of this.sockets) s.linger = 0;
    await Promise.all([
      shell.bind(endpoint(c, c.shell_port)),
      control.bind(endpoint(c, c.control_port)),
      stdin.bind(endpoint(c, c.stdin_port)),
      iopub.bind(endpoint(c, c.iopub_port)),
      hb.bind(endpoint(c, c.hb_port)),
    ]);
    this.iopub = new Sender(iopub, this.log);
    this.replies.set('shell', new Sender(shell, this.log));
    this.replies.set('control', new Sender(control, this.log));
    void this.publish('status', { execution_state: 'starting' });
    void this.heartbeat(hb);
    void this.serveChannel(shell, 'shell');
    void this.serveChannel(control, 'control');
    // The stdin channel is bound (clients connect to it) but this kernel never asks for input.
    void (async () => {
      try {
        for await (const _ of stdin) { /* nothing is requested, so nothing is expected */ }
      } catch { /* closed */ }
    })();
    this.log(`listening (${c.transport}://${c.ip}, shell ${c.shell_port})`);
    await this.stopped;
  }

  /** Stops serving: closes the sockets and the session. */
  async stop(): Promise<void> {
    // Shutdown, SIGTERM and the parent watch may all ask: stop once.
    if (this.stopRequested) return;
    this.stopRequested = true;
    await this.runtime.close().catch((err: unknown) => this.log(`closing the session: ${(err as Error).message}`));
    for (const s of this.sockets) s.close();
    this.stopping?.();
  }

  private async heartbeat(hb: Reply): Promise<void> {
    try {
      for await (const frames of hb) await hb.send(frames);
    } catch {
      /* socket closed at shutdown */
    }
  }

  private async serveChannel(socket: AsyncIterable<Buffer[]>, channel: Channel): Promise<void> {
    try {
      for await (const frames of socket) {
        let msg: JupyterMessage;
        try {
          msg = decode(frames, this.signer);
        } catch (err) {
          this.log(`${channel}: message rejected: ${err instanceof WireError ? err.message : String(err)}`);
          continue;
        }
        // Control requests must not wait for a running cell: handle them without awaiting.
        const handled = this.handle(msg, channel).catch((err: unknown) => this.log(`${channel} ${msg.header.msg_type}: ${(err as Error).stack ?? err}`));
        if (channel === 'shell') await handled;
      }
    } catch (err) {
      if (!/closed|terminated/i.test(String(err))) this.log(`${channel} channel failed: ${String(err)}`);
    }
  }

  private publish(msgType: string, content: unknown, parent?: JupyterMessage): Promise<void> {
    return this.iopub.send(encode(this.signer, msgType, content, parent, this.session, [Buffer.from(`kernel.${this.session}.${msgType}`)]));
  }

  private reply(channel: Channel, parent: JupyterMessage, msgType: string, content: unknown): Promise<void> {
    return this.replies.get(channel)!.send(encode(this.signer, msgType, content, parent, this.session));
  }

  private async handle(msg: JupyterMessage, channel: Channel): Promise<void> {
    const type = msg.header.msg_type;
    await this.publish('status', { execution_state: 'busy' }, msg);
    try {
      const replyType = type.replace(/_request$/, '_reply');
      switch (type) {
        case 'kernel_info_request':
          await this.reply(channel, msg, replyType, this.kernelInfo());
          break;
        case 'execute_request':
          await this.execute(msg, channel);
          break;
        case 'is_complete_request':
          await this.reply(channel, msg, replyType, isComplete(String(msg.content['code'] ?? '')));
          break;
        case 'complete_request':
          await this.reply(channel, msg, replyType, await this.complete(msg.content));
          break;
        case 'inspect_request':
          await this.reply(channel, msg, replyType, await this.inspect(msg.content));
          break;
        case 'history_request':
          await this.reply(channel, msg, replyType, { status: 'ok', history: this.history.query(msg.content as HistoryRequest) });
          break;
        case 'comm_info_request':
          await this.reply(channel, msg, replyType, { status: 'ok', comms: {} });
          break;
        case 'comm_open':
          // No comm targets: tell the frontend the comm is closed.
          await this.publish('comm_close', { comm_id: msg.content['comm_id'], data: {} }, msg);
          break;
        case 'comm_msg':
        case 'comm_close':
          break;
        case 'interrupt_request':
          this.runtime.interrupt();
          await this.reply(channel, msg, replyType, { status: 'ok' });
          break;
        case 'shutdown_request': {
          const restart = Boolean(msg.content['restart']);
          await this.reply(channel, msg, replyType, { status: 'ok', restart });
          await this.publish('status', { execution_state: 'idle' }, msg);
          await this.stop();
          return;
        }
        default:
          this.log(`${channel}: unknown message type '${type}' ignored`);
      }
    } finally {
      if (type !== 'shutdown_request') await this.publish('status', { execution_state: 'idle' }, msg);
    }
  }

  private kernelInfo(): Record<string, unknown> {
    return {
      status: 'ok',
      protocol_version: PROTOCOL_VERSION,
      implementation: 'quarry',
      implementation_version: packageVersion(),
      language_info: LANGUAGE_INFO,
      banner: `Quarry ${packageVersion()}: KQL on your own logs. Magics:\n${Object.values(MAGIC_HELP).join('\n')}`,
      help_links: [{ text: 'KQL reference', url: 'https://learn.microsoft.com/kusto/query/' }],
      debugger: false,
    };
  }

  private async execute(msg: JupyterMessage, channel: Channel): Promise<void> {
    const code = String(msg.content['code'] ?? '');
    const silent = Boolean(msg.content['silent']);
    const storeHistory = msg.content['store_history'] !== false && !silent;
    const stopOnError = msg.content['stop_on_error'] !== false;
    const sent = Date.parse(String(msg.header.date ?? ''));
    if (Number.isFinite(sent) && sent < this.abortBefore) {
      await this.reply(channel, msg, 'execute_reply', { status: 'aborted', execution_count: this.executionCount });
      return;
    }
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    if (!silent) await this.publish('execute_input', { code, execution_count: count }, msg);
    let shown: string | null = null;
    const status = await this.runtime.runCell(code, count, (o: NbOutput) => {
      if (o.output_type === 'execute_result') shown = String(o.data['text/plain'] ?? '');
      if (silent) return;
      void this.publishOutput(o, msg);
    });
    if (storeHistory) this.history.add(count, code, shown);
    if (status.ok) {
      await this.reply(channel, msg, 'execute_reply', { status: 'ok', execution_count: count, user_expressions: {}, payload: [] });
    } else {
      if (stopOnError) this.abortBefore = Date.now();
      await this.reply(channel, msg, 'execute_reply', { status: 'error', execution_count: count, ename: status.ename, evalue: status.evalue, traceback: status.traceback });
    }
  }

  private publishOutput(o: NbOutput, parent: JupyterMessage): Promise<void> {
    switch (o.output_type) {
      case 'stream':
        return this.publish('stream', { name: o.name, text: o.text }, parent);
      case 'display_data':
        return this.publish('display_data', { data: o.data, metadata: o.metadata, transient: {} }, parent);
      case 'execute_result':
        return this.publish('execute_result', { execution_count: o.execution_count, data: o.data, metadata: o.metadata }, parent);
      case 'error':
        return this.publish('error', { ename: o.ename, evalue: o.evalue, traceback: o.traceback }, parent);
    }
  }

  private async complete(content: Record<string, unknown>): Promise<Record<string, unknown>> {
    const code = String(content['code'] ?? '');
    const cursor = codePointsToUtf16(code, Number(content['cursor_pos'] ?? code.length));
    const empty = { status: 'ok', matches: [], cursor_start: utf16ToCodePoints(code, cursor), cursor_end: utf16ToCodePoints(code, cursor), metadata: {} };
    const lineStart = code.lastIndexOf('\n', cursor - 1) + 1;
    const linePrefix = code.slice(lineStart, cursor);
    const magic = /^\s*%(\w*)$/.exec(linePrefix);
    if (magic) {
      const names = Object.keys(MAGIC_HELP).filter((n) => n.startsWith(magic[1]!.toLowerCase())).map((n) => `%${n}`);
      const start = cursor - magic[1]!.length - 1;
      return { ...empty, matches: names, cursor_start: utf16ToCodePoints(code, start) };
    }
    let list;
    try {
      const session = await this.runtime.currentSession();
      list = session.complete(parseCell(code).code, cursor);
    } catch (err) {
      this.log(`complete: ${(err as Error).message}`);
      return empty;
    }
    const matches = [...new Set(list.items.map((i) => i.text))];
    return {
      status: 'ok',
      matches,
      cursor_start: utf16ToCodePoints(code, list.start),
      cursor_end: utf16ToCodePoints(code, Math.max(list.end, cursor)),
      metadata: {
        _jupyter_types_experimental: list.items.map((i) => ({
          start: utf16ToCodePoints(code, list.start),
          end: utf16ToCodePoints(code, Math.max(list.end, cursor)),
          text: i.text,
          type: completionType(i.kind),
          signature: i.display !== i.text ? i.display : '',
        })),
      },
    };
  }

  private async inspect(content: Record<string, unknown>): Promise<Record<string, unknown>> {
    const code = String(content['code'] ?? '');
    const cursor = codePointsToUtf16(code, Number(content['cursor_pos'] ?? code.length));
    let info: string | undefined;
    try {
      const session = await this.runtime.currentSession();
      const kql = parseCell(code).code;
      for (const at of inspectionPoints(kql, cursor)) {
        info = session.inspect(kql, at);
        if (info) break;
      }
    } catch (err) {
      this.log(`inspect: ${(err as Error).message}`);
    }
    const lines = info?.split('\n') ?? [];
    const links = lines.filter((l) => l.startsWith('Documentation: ')).map((l) => `[documentation](${l.slice('Documentation: '.length)})`);
    const signature = lines.filter((l) => !l.startsWith('Documentation: ')).join('\n');
    return info
      ? { status: 'ok', found: true, data: { 'text/plain': info, 'text/markdown': [`\`\`\`\n${signature}\n\`\`\``, ...links].join('\n\n') }, metadata: {} }
      : { status: 'ok', found: false, data: {}, metadata: {} };
  }
}

/**
 * Where to ask for quick info: at the cursor, just before it (the cursor usually follows the
 * name), then the function whose call the cursor is in, then the last name before the cursor.
 */
export function inspectionPoints(code: string, cursor: number): number[] {
  const points = [cursor, cursor - 1];
  const nameBefore = (i: number) => /[A-Za-z_]\w*\s*$/.exec(code.slice(0, i))?.index;
  let depth = 0;
  let lastCall: number | undefined;
  for (let i = cursor - 1; i >= 0; i--) {
    const c = code[i];
    if (c === ')') depth++;
    else if (c === '(') {
      if (depth === 0) {
        const at = nameBefore(i);
        if (at !== undefined) points.push(at);
        break;
      }
      depth--;
      if (depth === 0 && lastCall === undefined) lastCall = nameBefore(i);
    }
  }
  if (lastCall !== undefined) points.push(lastCall);
  const last = /[A-Za-z_]\w*(?=[^A-Za-z_\w]*$)/.exec(code.slice(0, cursor));
  if (last) points.push(last.index);
  return points.filter((p, i) => p >= 0 && points.indexOf(p) === i);
}

function completionType(kind: string): string {
  switch (kind) {
    case 'Table': return 'class';
    case 'Column': return 'property';
    case 'BuiltInFunction': case 'LocalFunction': case 'DatabaseFunction': case 'AggregateFunction': return 'function';
    case 'Variable': case 'Parameter': return 'instance';
    case 'Keyword': case 'QueryPrefix': case 'TabularPrefix': case 'TabularSuffix': case 'ScalarPrefix': case 'ScalarInfix': return 'keyword';
    default: return 'text';
  }
}
