import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useEngine } from './helpers.js';

/** evaluate activity_counts_metrics, against the docs' daily example and hand-counted dimensions. */
describe('evaluate activity_counts_metrics', () => {
  const engine = useEngine();
  const T = `let T = datatable(UserId:string, Timestamp:datetime)
    ['A', datetime(2017-08-01), 'D', datetime(2017-08-01), 'J', datetime(2017-08-01), 'B', datetime(2017-08-01),
     'C', datetime(2017-08-02), 'T', datetime(2017-08-02), 'J', datetime(2017-08-02), 'H', datetime(2017-08-03),
     'T', datetime(2017-08-03), 'T', datetime(2017-08-03), 'J', datetime(2017-08-03), 'B', datetime(2017-08-03),
     'S', datetime(2017-08-03), 'S', datetime(2017-08-04)];`;

  it('daily counts, distinct ids, new ids and the running distinct count (docs example)', async () => {
    const r = await engine().query(`${T} T | evaluate activity_counts_metrics(UserId, Timestamp, datetime(2017-08-01), datetime(2017-08-04), 1d)`);
    assert.deepEqual(r.columns.map((c) => c.name), ['Timestamp', 'count', 'dcount', 'new_dcount', 'aggregated_dcount']);
    assert.deepEqual(r.rows, [
      ['2017-08-01T00:00:00.0000000Z', 4, 4, 4, 4],
      ['2017-08-02T00:00:00.0000000Z', 3, 3, 2, 6],
      ['2017-08-03T00:00:00.0000000Z', 6, 5, 2, 8],
      ['2017-08-04T00:00:00.0000000Z', 1, 1, 0, 8],
    ]);
  });

  it('dimensions slice every metric; windows outside Start..End are dropped; 2-day windows start at Start', async () => {
    const q = `${T} T | extend Team = iff(UserId in ('A', 'B', 'J'), 'x', 'y')
      | evaluate activity_counts_metrics(UserId, Timestamp, datetime(2017-08-02), datetime(2017-08-03), 2d, Team)`;
    const r = await engine().query(q);
    assert.deepEqual(r.columns.map((c) => c.name), ['Timestamp', 'Team', 'count', 'dcount', 'new_dcount', 'aggregated_dcount']);
    // One window (08-02..08-03): x = J, J, B (3 records, 2 ids); y = C, T, H, T, T, S (6 records, 4 ids).
    assert.deepEqual(r.rows, [
      ['2017-08-02T00:00:00.0000000Z', 'x', 3, 2, 2, 2],
      ['2017-08-02T00:00:00.0000000Z', 'y', 6, 4, 4, 4],
    ]);
    const daily = await engine().query(q.replace('2d, Team', '1d, Team').replace("datetime(2017-08-02), datetime(2017-08-03)", "datetime(2017-08-01), datetime(2017-08-04)"));
    assert.deepEqual(daily.rows.filter((row) => row[1] === 'x').map((row) => row.slice(2)), [[3, 3, 3, 3], [1, 1, 0, 3], [2, 2, 0, 3]]);
  });

  it('too few arguments are reported by the front end', async () => {
    await assert.rejects(engine().query(`${T} T | evaluate activity_counts_metrics(UserId, Timestamp)`), /expects between 5/);
  });
});
