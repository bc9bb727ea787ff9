/**
 * The server's ingestion time (`_TimeReceived`) and how far it is committed. Every ingestor
 * operation takes exactly one stamp (IngestorOptions.now) and the server runs them one at a time
 * (ServerDatabase's write queue), so stamps are strictly increasing in commit order. Hence:
 *
 * - while an operation runs, every row stamped before its first stamp is committed;
 * - when none runs, every row stamped so far is committed, and the next stamp will be at least
 *   max(last stamp + 1 ms, now).
 *
 * `committedBefore()` is that bound: NRT rules select rows with `_TimeReceived` below it and lose
 * none to a commit still in progress, without waiting a fixed delay.
 */
export class IngestionClock {
  private last = 0;
  private running = false;
  /** The first stamp taken since the running operation began. */
  private firstOfRunning: number | undefined;

  constructor(private readonly wallClock: () => number = Date.now) {}

  /** The next stamp: the wall clock, or 1 ms after the previous stamp if the clock has not moved on. */
  stamp(): Date {
    const t = Math.max(this.wallClock(), this.last + 1);
    this.last = t;
    if (this.running && this.firstOfRunning === undefined) this.firstOfRunning = t;
    return new Date(t);
  }

  /** Runs one write operation (its stamps are uncommitted until it settles). Callers run one at a time. */
  async around<T>(work: () => Promise<T>): Promise<T> {
    if (this.running) throw new Error('internal: ingestion writes must run one at a time');
    this.running = true;
    this.firstOfRunning = undefined;
    try {
      return await work();
    } finally {
      this.running = false;
      this.firstOfRunning = undefined;
    }
  }

  /** Every row with a stamp below this is committed (or rolled back), and no later row will have one. */
  committedBefore(): Date {
    if (this.firstOfRunning !== undefined) return new Date(this.firstOfRunning);
    return new Date(Math.max(this.last + 1, this.wallClock()));
  }
}
