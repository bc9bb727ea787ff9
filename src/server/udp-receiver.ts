/**
 * A UDP socket read on its own thread. Datagrams are not flow-controlled: when the thread that
 * reads them is busy (parsing, preparing a commit) the kernel's receive buffer overflows and
 * messages are lost. So a worker thread that does nothing else drains the socket and hands the
 * messages over in slices every few milliseconds; it stops handing over (and counts the
 * datagrams as dropped) when more than `maxOutstanding` wait unprocessed in the main thread.
 */
import { Worker } from 'node:worker_threads';

// Plain CommonJS evaluated in the worker: no loader or build step involved.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const dgram = require('node:dgram');
const { host, port, maxOutstanding } = workerData;
let outstanding = 0, dropped = 0, texts = [], senders = [];
const socket = dgram.createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: 4 * 1024 * 1024 });
socket.on('message', (msg, rinfo) => {
  if (outstanding + texts.length >= maxOutstanding) { dropped++; return; }
  texts.push(msg.toString('utf8')); senders.push(rinfo.address);
});
socket.on('error', (err) => parentPort.postMessage({ type: 'error', message: err.message }));
socket.bind(port, host, () => parentPort.postMessage({ type: 'listening', port: socket.address().port }));
const timer = setInterval(() => {
  if (texts.length) { outstanding += texts.length; parentPort.postMessage({ type: 'messages', texts, senders }); texts = []; senders = []; }
  if (dropped) { parentPort.postMessage({ type: 'dropped', count: dropped }); dropped = 0; }
}, 5);
parentPort.on('message', (m) => {
  if (m.type === 'consumed') outstanding -= m.count;
  if (m.type === 'close') { clearInterval(timer); socket.close(() => {
    if (texts.length) parentPort.postMessage({ type: 'messages', texts, senders });
    if (dropped) parentPort.postMessage({ type: 'dropped', count: dropped });
    parentPort.postMessage({ type: 'closed' });
  }); }
});
`;

export interface UdpReceiverHandlers {
  /** Messages in arrival order; call `consumed` semantics are handled here (after the callback). */
  onMessages(texts: string[], senders: string[]): void;
  onDropped(count: number): void;
  onError(message: string): void;
}

export class UdpReceiver {
  private constructor(private readonly worker: Worker, readonly port: number) {}

  static start(host: string, port: number, maxOutstanding: number, handlers: UdpReceiverHandlers): Promise<UdpReceiver> {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { host, port, maxOutstanding } });
    return new Promise((resolve, reject) => {
      let started = false;
      worker.on('message', (m: { type: string; port?: number; message?: string; texts?: string[]; senders?: string[]; count?: number }) => {
        if (m.type === 'listening') { started = true; resolve(new UdpReceiver(worker, m.port!)); }
        else if (m.type === 'messages') {
          handlers.onMessages(m.texts!, m.senders!);
          worker.postMessage({ type: 'consumed', count: m.texts!.length });
        } else if (m.type === 'dropped') handlers.onDropped(m.count!);
        else if (m.type === 'error') {
          if (!started) { void worker.terminate(); reject(new Error(`syslog udp: ${m.message}`)); } else handlers.onError(m.message!);
        }
      });
      worker.on('error', (err) => (started ? handlers.onError(err.message) : reject(err)));
    });
  }

  /** Closes the socket; resolves after the last messages were handed over. */
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      const onMessage = (m: { type: string }) => { if (m.type === 'closed') { this.worker.off('message', onMessage); resolve(); } };
      this.worker.on('message', onMessage);
      this.worker.postMessage({ type: 'close' });
    });
    await this.worker.terminate();
  }
}
