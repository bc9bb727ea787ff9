import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IngestionClock } from '../../src/server/ingestion-clock.js';

test('stamps strictly increase even when the wall clock stands still or goes back', () => {
  let wall = 1_000;
  const clock = new IngestionClock(() => wall);
  assert.equal(clock.stamp().getTime(), 1_000);
  assert.equal(clock.stamp().getTime(), 1_001);
  wall = 500;
  assert.equal(clock.stamp().getTime(), 1_002);
  wall = 5_000;
  assert.equal(clock.stamp().getTime(), 5_000);
});

test('committedBefore: the first stamp of the running write, else past every stamp and not before now', async () => {
  let wall = 1_000;
  const clock = new IngestionClock(() => wall);
  assert.equal(clock.committedBefore().getTime(), 1_000, 'nothing written: now');
  let release!: () => void;
  const running = clock.around(async () => {
    const first = clock.stamp().getTime();
    clock.stamp(); // an operation that takes two stamps (import, then the record-by-record retry)
    wall = 3_000;
    assert.equal(clock.committedBefore().getTime(), first, 'rows of the running write are not committed yet');
    await new Promise<void>((r) => { release = r; });
  });
  await new Promise((r) => setImmediate(r));
  assert.equal(clock.committedBefore().getTime(), 1_000);
  release();
  await running;
  assert.equal(clock.committedBefore().getTime(), 3_000, 'committed: up to now');
  wall = 0;
  assert.equal(clock.committedBefore().getTime(), 1_002, 'never before a stamp already handed out');
});

test('a write that has not stamped yet leaves the bound where the next stamp cannot be below it', async () => {
  const wall = 2_000;
  const clock = new IngestionClock(() => wall);
  await clock.around(async () => {
    const bound = clock.committedBefore().getTime();
    assert.ok(clock.stamp().getTime() >= bound);
  });
  await assert.rejects(Promise.all([clock.around(async () => undefined), clock.around(async () => undefined)]), /one at a time/);
});
