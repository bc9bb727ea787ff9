/**
 * Syslog listeners (UDP and TCP) feeding the syslog/CEF/LEEF parsers of src/ingest/formats.
 * Messages are parsed as they arrive and committed in batches (every 100 ms or 5,000
 * messages). Unparseable messages go to _IngestErrors. UDP has no back-pressure: its socket is
 * read on a worker thread (udp-receiver.ts); when more than `maxBuffered` messages wait, new
 * datagrams are counted as dropped.
 */
import net from 'node:net';
import { parseSyslog } from '../ingest/formats/syslog.js';
import type { IngestRejection, IngestRow } from '../ingest/types.js';
import type { ServerDatabase } from './database.js';
import { SyslogFramer } from './syslog-framing.js';
import { UdpReceiver } from './udp-receiver.js';

const FLUSH_MS = 100;
const FLUSH_COUNT = 5000;

export interface SyslogStats {
  udpPort: number | null;
  tcpPort: number | null;
  received: number;
  rejected: number;
  dropped: number;
  committed: number;
}

export interface SyslogOptions {
  host: string;
  udpPort?: number;
  tcpPort?: number;
  maxBuffered?: number;
  log?: (line: string) => void;
}

export class SyslogListeners {
  private udp?: UdpReceiver;
  private tcp?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private rows: IngestRow[] = [];
  private rejections: IngestRejection[] = [];
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private inFlight = 0;
  readonly stats: SyslogStats = { udpPort: null, tcpPort: null, received: 0, rejected: 0, dropped: 0, committed: 0 };

  constructor(private readonly db: ServerDatabase, private readonly options: SyslogOptions) {}

  async start(): Promise<void> {
    const { host, udpPort, tcpPort } = this.options;
    if (udpPort !== undefined) {
      this.udp = await UdpReceiver.start(host, udpPort, this.options.maxBuffered ?? 200_000, {
        onMessages: (texts, senders) => { for (let i = 0; i < texts.length; i++) this.message(texts[i]!, senders[i], 'syslog:udp'); },
        onDropped: (n) => { this.stats.received += n; this.stats.dropped += n; },
        onError: (message) => this.options.log?.(`syslog udp: ${message}`),
      });
      this.stats.udpPort = this.udp.port;
    }
    if (tcpPort !== undefined) {
      const tcp = net.createServer((socket) => this.connection(socket));
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(tcpPort, host, () => { tcp.off('error', reject); resolve(); });
      });
      this.tcp = tcp;
      this.stats.tcpPort = (tcp.address() as net.AddressInfo).port;
    }
  }

  private connection(socket: net.Socket): void {
    this.sockets.add(socket);
    const framer = new SyslogFramer();
    const sender = socket.remoteAddress;
    socket.on('data', (chunk) => {
      for (const f of framer.push(chunk)) this.frame(f, sender);
    });
    socket.on('end', () => { for (const f of framer.end()) this.frame(f, sender); });
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private frame(f: ReturnType<SyslogFramer['push']>[number], sender: string | undefined): void {
    if (f.ok) this.message(f.text, sender, 'syslog:tcp');
    else this.reject('syslog:tcp', f.raw, f.reason, sender);
  }

  private message(text: string, sender: string | undefined, source: string): void {
    this.stats.received++;
    if (this.rows.length + this.rejections.length >= (this.options.maxBuffered ?? 200_000)) {
      this.stats.dropped++;
      return;
    }
    const parsed = parseSyslog(text, { received: new Date(), senderIp: sender?.replace(/^::ffff:/, '') });
    if (parsed.ok) this.rows.push({ table: parsed.table, values: parsed.values });
    else this.reject(source, text, parsed.reason, sender);
    this.schedule();
  }

  private reject(source: string, raw: string, reason: string, sender: string | undefined): void {
    this.stats.rejected++;
    this.rejections.push({ source: sender ? `${source} from ${sender}` : source, raw, reason, table: 'Syslog' });
    this.schedule();
  }

  private schedule(): void {
    if (this.rows.length + this.rejections.length >= FLUSH_COUNT && this.inFlight === 0) {
      void this.flush();
      return;
    }
    this.timer ??= setTimeout(() => { this.timer = undefined; void this.flush(); }, FLUSH_MS);
  }

  /** Commits what is buffered (one batch at a time; the next waits for this one). */
  flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    this.writing = this.writing.then(async () => {
      if (this.rows.length === 0 && this.rejections.length === 0) return;
      const rows = this.rows;
      const rejections = this.rejections;
      this.rows = [];
      this.rejections = [];
      this.inFlight++;
      try {
        const result = await this.db.ingest({ source: 'syslog', rows, rejections }, { force: true });
        this.stats.committed += result.accepted;
      } catch (err) {
        this.options.log?.(`syslog: a batch of ${rows.length} messages could not be committed: ${(err as Error).message}`);
        this.stats.dropped += rows.length;
      } finally {
        this.inFlight--;
      }
      if (this.rows.length + this.rejections.length >= FLUSH_COUNT) void this.flush();
    });
    return this.writing;
  }

  /** Stops listening, then commits what was received. */
  async stop(): Promise<void> {
    await this.udp?.stop();
    for (const s of this.sockets) s.end();
    await new Promise<void>((resolve) => (this.tcp ? this.tcp.close(() => resolve()) : resolve()));
    for (const s of this.sockets) s.destroy();
    await this.flush();
  }
}
