import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scalar, useEngine } from './helpers.js';

describe('result values in wire form', () => {
  const engine = useEngine();

  it('prints datetimes as ISO 8601 UTC with 7 fractional digits', async () => {
    assert.equal(await scalar(engine(), 'print datetime(2024-01-02 03:04:05.123456)'), '2024-01-02T03:04:05.1234560Z');
  });

  it('prints timespans as [d.]hh:mm:ss[.fffffff]', async () => {
    assert.equal(await scalar(engine(), 'print 1d + 2h + 3m + 4s'), '1.02:03:04');
    assert.equal(await scalar(engine(), 'print -90m'), '-01:30:00');
    assert.equal(await scalar(engine(), 'print 1500ms'), '00:00:01.5000000');
  });

  it('keeps longs beyond ±2^53 exact as JSON strings', async () => {
    assert.equal(await scalar(engine(), 'print 9007199254740993'), '9007199254740993');
    assert.equal(await scalar(engine(), 'print 9007199254740991'), 9007199254740991);
  });

  it('returns dynamic values as JSON', async () => {
    assert.deepEqual(await scalar(engine(), 'print dynamic({"a":[1,2,{"b":"c"}]})'), { a: [1, 2, { b: 'c' }] });
  });

  it('truncates results beyond 500,000 rows with a warning, unless notruncation', async () => {
    const r = await engine().query('range x from 1 to 500010 step 1');
    assert.equal(r.rows.length, 500000);
    assert.equal(r.truncated, true);
    assert.match(r.warnings.join('\n'), /truncated/);
    const all = await engine().query('set notruncation; range x from 1 to 500010 step 1 | count');
    assert.equal(all.rows[0]![0], 500010);
    const noTrunc = await engine().query('range x from 1 to 500010 step 1', { noTruncate: true });
    assert.equal(noTrunc.rows.length, 500010);
    assert.equal(noTrunc.truncated, false);
  });

  it('returns render as visualization metadata', async () => {
    const r = await engine().query('range x from 1 to 3 step 1 | render timechart with (title="t")');
    assert.deepEqual(r.visualization, { kind: 'timechart', title: 't' });
  });
});
