import type { RuleWindow } from './evaluate.js';
import type { AnalyticsRule } from './rules/rule.js';
import type { RunReport, RuleRunner } from './runner.js';
import type { DetectionStore, RunMode } from './store.js';

/** The scheduler's sense of time; tests pass a fake one. */
export interface Clock {
  now(): Date;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface SchedulerOptions {
  /** The enabled, valid rules; called on every tick, so edited rule files take effect. */
  rules: () => Promise<readonly AnalyticsRule[]> | readonly AnalyticsRule[];
  runner: RuleRunner;
  store: DetectionStore;
  clock?: Clock;
  /** A scheduled window is run this long after it ends, so late events are in (Sentinel waits about 5 minutes). */
  ingestionDelayMs?: number;
  /** NRT windows end this long before now, so rows being committed are not missed (without nrtWindowEnd). */
  nrtDelayMs?: number;
  /**
   * Where an NRT window may end now: the ingestion time before which every row is committed
   * (the server knows it from its commits). Default: now − nrtDelayMs.
   */
  nrtWindowEnd?: () => Date;
  /** Runs NRT rules (their queries on their own connection, so scheduled rules never delay them). Default: runner. */
  nrtRunner?: RuleRunner;
  /** After start(): how often NRT rules run when wake() is not called (default tickMs). */
  nrtTickMs?: number;
  /**
   * After start(): NRT passes start at least this far apart however often wake() is called
   * (default 0). A pass costs every NRT rule's query whatever it finds, so a server committing
   * ten times a second runs one pass over the last several commits instead of one per commit.
   */
  nrtMinIntervalMs?: number;
  /** How often the scheduler looks for due work. */
  tickMs?: number;
  /** Missed scheduled windows older than this are not caught up (Sentinel's longest query period). */
  maxCatchUpMs?: number;
  /** Quiet NRT windows are written to the run history merged, at most this often. */
  nrtCheckpointMs?: number;
  onRun?: (report: RunReport) => void;
  onError?: (err: unknown) => void;
  /** After start(): each finished pass of one kind's loop. */
  onPass?: (kind: 'NRT' | 'Scheduled') => void;
}

const MINUTE = 60_000;

/** Consecutive quiet NRT windows of one rule, written to the run history as one row. */
interface QuietStretch {
  ruleName: string;
  start: Date;
  end: Date;
  rows: number;
  ms: number;
}

/**
 * Runs rules on their schedule inside any long-lived process (`start`/`stop`), or step by step
 * (`tick`) in tests. Scheduled rules: windows end on multiples of queryFrequency (UTC epoch), each
 * covering queryPeriod before its end, run ingestionDelay after the end. Windows missed while
 * Quarry was down are caught up once each; the run history says which windows ran, so a restart
 * never runs one twice. NRT rules: every tick, the rows ingested since the last run.
 */
export class DetectionScheduler {
  private readonly clock: Clock;
  private timer: unknown;
  private nrtTimer: unknown;
  private running = false;
  private ticking?: Promise<void>;
  private nrtTicking?: Promise<void>;
  /** wake() during an NRT pass: run another right after it. */
  private nrtAgain = false;
  private nrtLoop?: () => void;
  private lastNrtStart = Number.NEGATIVE_INFINITY;
  /** When the pending NRT timer fires (clock time). */
  private nrtTimerAt = Number.POSITIVE_INFINITY;
  /** NRT: where the next window starts, and the quiet stretch not yet written down. */
  private readonly nrtFrom = new Map<string, Date>();
  private readonly nrtQuiet = new Map<string, QuietStretch>();

  constructor(private readonly o: SchedulerOptions) {
    this.clock = o.clock ?? systemClock;
  }

  /**
   * Two loops: scheduled rules every tickMs, NRT rules on wake() (new rows committed) or every
   * nrtTickMs, so a long scheduled query never holds up NRT rules.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = () => {
      if (!this.running) return;
      this.ticking = this.pass('Scheduled').then(() => this.o.onPass?.('Scheduled'), (err) => this.o.onError?.(err)).finally(() => {
        if (this.running) this.timer = this.clock.setTimeout(loop, this.o.tickMs ?? 1000);
      });
    };
    const nrtLoop = () => {
      if (!this.running || this.nrtTicking) return;
      this.clearNrtTimer();
      this.nrtAgain = false;
      this.lastNrtStart = this.clock.now().getTime();
      this.nrtTicking = this.pass('NRT').then(() => this.o.onPass?.('NRT'), (err) => this.o.onError?.(err)).finally(() => {
        this.nrtTicking = undefined;
        if (!this.running) return;
        if (this.nrtAgain) this.wake();
        else this.scheduleNrt(this.o.nrtTickMs ?? this.o.tickMs ?? 1000);
      });
    };
    this.nrtLoop = nrtLoop;
    loop();
    nrtLoop();
  }

  /** New rows were committed: run the NRT rules now (or after the pass in progress, nrtMinIntervalMs after its start). */
  wake(): void {
    if (!this.running || !this.nrtLoop) return;
    if (this.nrtTicking) { this.nrtAgain = true; return; }
    const wait = this.lastNrtStart + (this.o.nrtMinIntervalMs ?? 0) - this.clock.now().getTime();
    if (wait <= 0) this.nrtLoop();
    else this.scheduleNrt(wait);
  }

  /** The next NRT pass in `ms`, unless one is due sooner. */
  private scheduleNrt(ms: number): void {
    const at = this.clock.now().getTime() + ms;
    if (this.nrtTimer !== undefined && this.nrtTimerAt <= at) return;
    this.clearNrtTimer();
    this.nrtTimerAt = at;
    this.nrtTimer = this.clock.setTimeout(() => { this.nrtTimer = undefined; this.nrtTimerAt = Number.POSITIVE_INFINITY; this.nrtLoop?.(); }, ms);
  }

  private clearNrtTimer(): void {
    if (this.nrtTimer !== undefined) this.clock.clearTimeout(this.nrtTimer);
    this.nrtTimer = undefined;
    this.nrtTimerAt = Number.POSITIVE_INFINITY;
  }

  /** Stops after the work in progress, writing down quiet NRT windows. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.clearNrtTimer();
    await this.ticking;
    await this.nrtTicking;
    await this.flushNrt(true);
  }

  /** Runs everything that is due now. */
  tick(): Promise<RunReport[]> {
    return this.pass();
  }

  /** Runs the due rules of one kind (both when omitted). */
  private async pass(kind?: 'NRT' | 'Scheduled'): Promise<RunReport[]> {
    const reports: RunReport[] = [];
    // NRT windows end here, taken BEFORE rules() (which may refresh the catalog): every table
    // holding rows committed before this end is then known to the queries.
    const nrtEnd = kind === 'Scheduled' ? undefined : this.o.nrtWindowEnd?.() ?? new Date(this.clock.now().getTime() - (this.o.nrtDelayMs ?? 1000));
    const rules = await this.o.rules();
    for (const rule of rules) {
      if (!rule.enabled || (kind && (rule.kind === 'NRT') !== (kind === 'NRT'))) continue;
      if (!this.running && kind) break; // stopping: the rest waits for the next start
      try {
        if (rule.kind === 'NRT') reports.push(...(await this.runNrt(rule, nrtEnd!)));
        else for (const [window, mode] of await this.dueWindows(rule)) reports.push(await this.runOnce(rule, window, mode, this.clock.now()));
      } catch (err) {
        // A store failure for one rule: report it and carry on with the others.
        this.o.onError?.(err);
      }
    }
    if (kind !== 'Scheduled') await this.flushNrt(false);
    return reports;
  }

  /** The scheduled windows due now and not yet run: the newest `scheduled`, older ones `catch-up`. */
  async dueWindows(rule: AnalyticsRule): Promise<Array<[RuleWindow, RunMode]>> {
    const now = this.clock.now().getTime();
    const f = rule.queryFrequencyMs;
    const latestEnd = Math.floor((now - (this.o.ingestionDelayMs ?? 5 * MINUTE)) / f) * f;
    const last = await this.o.store.session((s) => s.lastWindowEnd(rule.id));
    const oldest = Math.max(last ? last.getTime() + f : latestEnd, latestEnd - (this.o.maxCatchUpMs ?? 14 * 24 * 60 * MINUTE));
    const due: Array<[RuleWindow, RunMode]> = [];
    for (let end = Math.ceil(oldest / f) * f; end <= latestEnd; end += f) {
      due.push([{ start: new Date(end - rule.queryPeriodMs), end: new Date(end) }, end === latestEnd ? 'scheduled' : 'catch-up']);
    }
    return due;
  }

  private async runOnce(rule: AnalyticsRule, window: RuleWindow, mode: RunMode, at: Date): Promise<RunReport> {
    const report = await this.o.runner.run(rule, window, mode, at);
    this.o.onRun?.(report);
    return report;
  }

  private async runNrt(rule: AnalyticsRule, end: Date): Promise<RunReport[]> {
    let start = this.nrtFrom.get(rule.id);
    if (!start) {
      const last = await this.o.store.session((s) => s.lastWindowEnd(rule.id));
      start = last ?? new Date(end.getTime() - MINUTE);
    }
    if (end <= start) return [];
    const runner = this.o.nrtRunner ?? this.o.runner;
    const report = await runner.runQuietly(rule, { start, end }, 'scheduled', this.clock.now());
    this.nrtFrom.set(rule.id, end);
    if (report.outcome === 'Quiet') {
      const q = this.nrtQuiet.get(rule.id);
      this.nrtQuiet.set(rule.id, q
        ? { ...q, end, rows: q.rows + report.resultCount, ms: q.ms + report.durationMs }
        : { ruleName: rule.name, start, end, rows: report.resultCount, ms: report.durationMs });
      return [];
    }
    // A fired or failed run is written by the runner; the quiet stretch before it goes first.
    await this.flushNrtRule(rule);
    if (report.outcome !== 'Fired') await runner.record(rule, report);
    this.o.onRun?.(report);
    return [report];
  }

  private async flushNrt(force: boolean): Promise<void> {
    const now = this.clock.now().getTime();
    for (const [ruleId, q] of this.nrtQuiet) {
      if (force || now - q.start.getTime() >= (this.o.nrtCheckpointMs ?? MINUTE)) await this.writeQuiet(ruleId, q);
    }
  }

  private async flushNrtRule(rule: AnalyticsRule): Promise<void> {
    const q = this.nrtQuiet.get(rule.id);
    if (q) await this.writeQuiet(rule.id, q);
  }

  private async writeQuiet(ruleId: string, q: QuietStretch): Promise<void> {
    this.nrtQuiet.delete(ruleId);
    await this.o.store.session((s) => s.recordRun({
      startedAt: q.start, ruleId, ruleName: q.ruleName, kind: 'NRT', mode: 'scheduled', windowStart: q.start, windowEnd: q.end,
      durationMs: q.ms, resultCount: q.rows, alertCount: 0, outcome: 'Quiet', error: '',
    }));
  }
}
