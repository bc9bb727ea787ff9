import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useEngine } from './helpers.js';

/**
 * The scan operator, against the outputs of Microsoft's documentation examples (scan-operator.md:
 * cumulative sums, fill forward, sessions, events between Start and Stop with its walkthrough,
 * session length per user under partition).
 */
describe('scan operator', () => {
  const engine = useEngine();
  /** Rows of the named columns. */
  const rows = async (q: string, cols: string[]) => {
    const r = await engine().query(q);
    const at = cols.map((c) => r.columns.findIndex((x) => x.name === c));
    assert.ok(at.every((i) => i >= 0), `columns ${cols.join(', ')} in ${r.columns.map((c) => c.name).join(', ')}`);
    return r.rows.map((row) => at.map((i) => row[i]));
  };

  it('cumulative sum (docs)', async () => {
    const q = `range x from 1 to 5 step 1
      | scan declare (cumulative_x:long=0) with (step s1: true => cumulative_x = x + s1.cumulative_x;)`;
    assert.deepEqual(await rows(q, ['x', 'cumulative_x']), [[1, 1], [2, 3], [3, 6], [4, 10], [5, 15]]);
  });

  it('cumulative sums of two columns with a reset condition (docs)', async () => {
    const q = `range x from 1 to 5 step 1 | extend y = 2 * x
      | scan declare (cumulative_x:long=0, cumulative_y:long=0) with (
          step s1: true => cumulative_x = iff(s1.cumulative_x >= 10, x, x + s1.cumulative_x),
                           cumulative_y = iff(s1.cumulative_y >= 10, y, y + s1.cumulative_y);)`;
    assert.deepEqual(await rows(q, ['x', 'y', 'cumulative_x', 'cumulative_y']),
      [[1, 2, 1, 2], [2, 4, 3, 6], [3, 6, 6, 12], [4, 8, 10, 8], [5, 10, 5, 18]]);
  });

  it('fill forward a string column (docs)', async () => {
    const q = `datatable (Ts: timespan, Event: string) [0m, "A", 1m, "", 2m, "B", 3m, "", 4m, "", 6m, "C", 8m, "", 11m, "D", 12m, ""]
      | sort by Ts asc
      | scan declare (Event_filled: string="") with (step s1: true => Event_filled = iff(isempty(Event), s1.Event_filled, Event);)`;
    assert.deepEqual((await rows(q, ['Event_filled'])).flat(), ['A', 'A', 'B', 'B', 'B', 'C', 'C', 'D', 'D']);
  });

  it('sessions tagging with with_match_id and an output=none step (docs)', async () => {
    const q = `datatable (Ts: timespan, Event: string) [0m, "A", 1m, "A", 2m, "B", 3m, "D", 32m, "B", 36m, "C", 38m, "D", 41m, "E", 75m, "A"]
      | sort by Ts asc
      | scan with_match_id=session_id declare (sessionStart: timespan) with (
          step inSession: true => sessionStart = iff(isnull(inSession.sessionStart), Ts, inSession.sessionStart);
          step endSession output=none: Ts - inSession.sessionStart > 30m;)`;
    assert.deepEqual(await rows(q, ['Ts', 'Event', 'sessionStart', 'session_id']), [
      ['00:00:00', 'A', '00:00:00', 0], ['00:01:00', 'A', '00:00:00', 0], ['00:02:00', 'B', '00:00:00', 0],
      ['00:03:00', 'D', '00:00:00', 0], ['00:32:00', 'B', '00:32:00', 1], ['00:36:00', 'C', '00:32:00', 1],
      ['00:38:00', 'D', '00:32:00', 1], ['00:41:00', 'E', '00:32:00', 1], ['01:15:00', 'A', '01:15:00', 2],
    ]);
  });

  it('events between Start and Stop: three steps, Check 1 promotes, Check 2 repeats (docs walkthrough)', async () => {
    const q = `datatable (Ts: timespan, Event: string) [0m, "A", 1m, "Start", 2m, "B", 3m, "D", 4m, "Stop", 6m, "C", 8m, "Start", 11m, "E", 12m, "Stop"]
      | sort by Ts asc
      | scan with_match_id=m_id with (
          step s1: Event == "Start";
          step s2: Event != "Start" and Event != "Stop" and Ts - s1.Ts <= 5m;
          step s3: Event == "Stop" and Ts - s1.Ts <= 5m;)`;
    const r = await engine().query(q);
    assert.deepEqual(r.columns.map((c) => c.name), ['Ts', 'Event', 'm_id']);
    assert.deepEqual(r.rows, [
      ['00:01:00', 'Start', 0], ['00:02:00', 'B', 0], ['00:03:00', 'D', 0], ['00:04:00', 'Stop', 0],
      ['00:08:00', 'Start', 1], ['00:11:00', 'E', 1], ['00:12:00', 'Stop', 1],
    ]);
  });

  it('session length per user: scan inside partition, output=none then output=all (docs)', async () => {
    const q = `datatable(Timestamp:datetime, userID:int, EventType:string) [
        datetime(2024-05-28 08:15:23), 1, "login", datetime(2024-05-28 08:30:15), 2, "login",
        datetime(2024-05-28 09:10:27), 3, "login", datetime(2024-05-28 12:30:45), 1, "logout",
        datetime(2024-05-28 11:45:32), 2, "logout", datetime(2024-05-28 13:25:19), 3, "logout"]
      | sort by userID, Timestamp
      | partition hint.strategy=native by userID (
          sort by Timestamp asc
          | scan declare (start: datetime, end: datetime, sessionDuration: timespan) with (
              step s1 output=none: EventType == "login" => start = Timestamp;
              step s2 output=all: EventType == "logout" => start = s1.start, end = Timestamp, sessionDuration = Timestamp - s1.start;))
      | project start, end, userID, sessionDuration
      | order by userID asc`;
    assert.deepEqual(await rows(q, ['start', 'end', 'userID', 'sessionDuration']), [
      ['2024-05-28T08:15:23.0000000Z', '2024-05-28T12:30:45.0000000Z', 1, '04:15:22'],
      ['2024-05-28T08:30:15.0000000Z', '2024-05-28T11:45:32.0000000Z', 2, '03:15:17'],
      ['2024-05-28T09:10:27.0000000Z', '2024-05-28T13:25:19.0000000Z', 3, '04:14:52'],
    ]);
  });

  it('output=last keeps only the last record of a series, flushed when its sequence moves on or the input ends', async () => {
    const total = `range x from 1 to 5 step 1 | scan declare (total:long=0) with (step a output=last: true => total = x + a.total;)`;
    assert.deepEqual(await rows(total, ['x', 'total']), [[5, 15]]);
    // A new sequence begins whenever b moves the running one on (x % 3 == 0): one row per series.
    const series = `range x from 1 to 8 step 1
      | scan with_match_id=id declare (total:long=0) with (
          step a output=last: true => total = x + a.total;
          step b output=none: x % 3 == 0;)`;
    assert.deepEqual(await rows(series, ['x', 'total', 'id']), [[2, 3, 0], [5, 12, 1], [8, 21, 2]]);
  });

  it('assignments may overwrite input columns; a step sees the state of the step before it on Check 1', async () => {
    // From a real query (ep3p/Sentinel_KQL, "-Example scan operator"): its comment says x = 15 has
    // no record whose parent step is step 3, and 11, 12, 13, 14 and 16 do.
    const q = `let threshold = 5;
      let _Range = range x from 1 to 16 step 1 | extend ToBeCounted = not(x between (4 .. 6));
      _Range
      | scan declare (ScanStep:long=0, ParentStep:long=0, Count:long=0) with (
          step Step1: ToBeCounted => ScanStep = 1, Count = Step1.Count + 1, ParentStep = iff(Step1.Count == 0, int(null), 1);
          step Step2: ToBeCounted and Step1.Count >= threshold => ScanStep = 2, Count = Step1.Count, ParentStep = iff(Step2.ParentStep == 0, 1, 2);
          step Step3: ToBeCounted and Step1.Count >= threshold => ScanStep = 3, Count = Step2.Count, ParentStep = iff(Step3.ParentStep == 0, 2, 3);)
      | where ParentStep == 3 | summarize make_list(x)`;
    assert.deepEqual((await engine().query(q)).rows, [[[11, 12, 13, 14, 16]]]);
    const overwrite = `range x from 1 to 3 step 1 | scan with (step s: true => x = x * 10 + coalesce(s.x, 0);)`;
    assert.deepEqual(await rows(overwrite, ["x"]), [[10], [30], [60]]);
  });

  it('an empty input gives no rows; a reference to an unknown column of a step is an error', async () => {
    assert.deepEqual((await engine().query('range x from 1 to 0 step 1 | scan declare (c:long=0) with (step s1: true => c = x + s1.c;)')).rows, []);
    await assert.rejects(engine().query('range x from 1 to 3 step 1 | scan with (step s1: s1.nope > 0;)'));
  });
});
