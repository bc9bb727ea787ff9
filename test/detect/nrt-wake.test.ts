// NRT rules in a long-lived scheduler: run when woken (a commit landed), over the ingestion times
// the host says are committed, on their own runner, while scheduled rules keep their loop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QueryEngine } from '../../src/engine/engine.js';
import { parseRuleText } from '../../src/detect/rules/load.js';
import { DetectionStore } from '../../src/detect/store.js';
import { RuleRunner, type RunReport } from '../../src/detect/runner.js';
import { DetectionScheduler, type Clock } from '../../src/detect/scheduler.js';

/** A clock whose timers never fire by themselves: only wake() can start an NRT pass. */
class StillClock implements Clock {
  constructor(public t: number) {}
  now() { return new Date(this.t); }
  setTimeout() { return 0; }
  clearTimeout() {}
}

test('wake() runs NRT rules over the committed range only, on the NRT runner (a lane), without a timer', async () => {
  const engine = await QueryEngine.open();
  await engine.connection.run(`CREATE TABLE SigninLogs (TimeGenerated TIMESTAMP, UserPrincipalName VARCHAR, ResultType VARCHAR, _TimeReceived TIMESTAMP)`);
  await engine.refreshCatalog();
  const lane = await engine.openLane();
  const store = new DetectionStore(lane);
  const laneQueries: string[] = [];
  const nrtRunner = new RuleRunner({ query: (text, options) => { laneQueries.push(text); return lane.query(text, options); } }, store);
  const rule = parseRuleText(`id: 7c1b2c3d-0000-4000-8000-0000000000aa
name: NRT failure
severity: High
kind: NRT
query: SigninLogs | where ResultType != "0"
`, 'nrt.yaml').rule!;
  const clock = new StillClock(Date.parse('2024-05-01T10:00:00Z'));
  let committedBefore = new Date('2024-05-01T10:00:00Z');
  const fired: RunReport[] = [];
  let passes = 0;
  const s = new DetectionScheduler({
    rules: () => [rule], runner: new RuleRunner(engine, store), nrtRunner, store, clock,
    nrtWindowEnd: () => committedBefore,
    onRun: (r) => fired.push(r),
    onPass: (kind) => { if (kind === 'NRT') passes++; },
  });
  const settle = async (n: number) => { while (passes < n) await new Promise((r) => setTimeout(r, 5)); };
  s.start();
  await settle(1);
  // Two rows arrive: one committed (received before the bound), one still being committed.
  await engine.connection.run(`INSERT INTO SigninLogs VALUES
    ('2024-05-01 10:00:01', 'alice@contoso.com', '50126', '2024-05-01 10:00:01'),
    ('2024-05-01 10:00:02', 'bob@contoso.com', '50126', '2024-05-01 10:00:02')`);
  committedBefore = new Date('2024-05-01T10:00:02Z');
  s.wake();
  await settle(2);
  assert.equal(fired.length, 1);
  assert.equal(fired[0]!.resultCount, 1, 'only the committed row');
  committedBefore = new Date('2024-05-01T10:00:03Z');
  s.wake();
  await settle(3);
  assert.equal(fired.length, 2);
  assert.equal(fired[1]!.resultCount, 1, "bob's row once its commit is known, and alice's not again");
  await s.stop();
  assert.ok(laneQueries.length >= 3, 'NRT queries went through the NRT runner');
  const alerts = await lane.query('SecurityAlert | summarize count()');
  assert.deepEqual(alerts.rows, [[2]]);
  lane.close();
  await engine.close();
});

test('a lane runs its query while the engine connection is busy with another', async () => {
  const engine = await QueryEngine.open();
  const lane = await engine.openLane();
  // A query that runs until it is cancelled, on the engine's own connection.
  const long = engine.query('range x from 1 to 50000000000 step 1 | summarize count()');
  const quick = await lane.query('print answer = 42');
  assert.deepEqual(quick.rows, [[42]]);
  engine.cancel();
  await assert.rejects(long);
  lane.close();
  await engine.close();
});

/** A clock whose timers fire only when the test runs them. */
class ManualClock implements Clock {
  timers: Array<{ at: number; fn: () => void }> = [];
  constructor(public t: number) {}
  now() { return new Date(this.t); }
  setTimeout(fn: () => void, ms: number) { const h = { at: this.t + ms, fn }; this.timers.push(h); return h; }
  clearTimeout(h: unknown) { this.timers = this.timers.filter((x) => x !== h); }
  advance(ms: number) {
    this.t += ms;
    const due = this.timers.filter((x) => x.at <= this.t);
    this.timers = this.timers.filter((x) => x.at > this.t);
    for (const x of due) x.fn();
  }
}

test('wake() calls closer together than nrtMinIntervalMs make one pass, at the interval', async () => {
  const engine = await QueryEngine.open();
  const store = new DetectionStore(engine);
  const rule = parseRuleText(`id: 7c1b2c3d-0000-4000-8000-0000000000ab
name: NRT print
severity: Low
kind: NRT
query: print x = 1 | where x == 0
`, 'nrt.yaml').rule!;
  const clock = new ManualClock(Date.parse('2024-05-01T10:00:00Z'));
  let passes = 0;
  const s = new DetectionScheduler({
    rules: () => [rule], runner: new RuleRunner(engine, store), store, clock, nrtMinIntervalMs: 500, tickMs: 60_000,
    nrtWindowEnd: () => clock.now(),
    onPass: (kind) => { if (kind === 'NRT') passes++; },
  });
  const settle = async (n: number) => { while (passes < n) await new Promise((r) => setTimeout(r, 5)); };
  s.start();
  await settle(1);
  clock.advance(100);
  s.wake();
  s.wake();
  s.wake();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(passes, 1, 'no pass before the interval is over');
  clock.advance(400);
  await settle(2);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(passes, 2, 'one pass for the three wakes');
  await s.stop();
  await engine.close();
});
