import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KqlError } from '../../src/kql/diagnostics.js';
import { useEngine } from './helpers.js';

const day = (d: string) => `${d}T00:00:00.0000000Z`;

/** make-series, after Microsoft's documented examples and hunting uses. */
describe('make-series', () => {
  const engine = useEngine();
  const rows = async (kql: string) => (await engine().query(kql)).rows;

  it('averages per day from `from` up to, not including, `to`; empty bins hold 0 (docs)', async () => {
    const r = await engine().query(`let data=datatable(timestamp:datetime, metric: real)
      [datetime(2016-12-31T06:00), 50, datetime(2017-01-01), 4, datetime(2017-01-02), 3, datetime(2017-01-03), 4,
       datetime(2017-01-03T03:00), 6, datetime(2017-01-05), 8, datetime(2017-01-05T13:40), 13, datetime(2017-01-06), 4,
       datetime(2017-01-07), 3, datetime(2017-01-08), 8, datetime(2017-01-08T21:00), 8, datetime(2017-01-09), 2,
       datetime(2017-01-09T12:00), 11, datetime(2017-01-10T05:00), 5];
      let interval = 1d; let stime = datetime(2017-01-01); let etime = datetime(2017-01-10);
      data | make-series avg(metric) on timestamp from stime to etime step interval`);
    assert.deepEqual(r.columns, [{ name: 'avg_metric', type: 'dynamic' }, { name: 'timestamp', type: 'dynamic' }]);
    assert.deepEqual(r.rows, [[
      [4, 3, 5, 0, 10.5, 4, 3, 8, 6.5],
      ['01', '02', '03', '04', '05', '06', '07', '08', '09'].map((d) => day(`2017-01-${d}`)),
    ]]);
  });

  it('one series per by key, with default= for empty bins (docs: supplier and fruit)', async () => {
    const r = await rows(`datatable(Supplier:string, Fruit:string, Price: real, Purchase:datetime)
      ["Aldi","Apple",4,datetime(2016-09-10), "Costco","Apple",2,datetime(2016-09-11), "Aldi","Apple",6,datetime(2016-09-10),
       "Costco","Snikers",5,datetime(2016-09-12), "Aldi","Apple",7,datetime(2016-09-12), "Aldi","Snikers",8,datetime(2016-09-11),
       "Costco","Apple",10,datetime(2016-09-12)]
      | make-series PriceAvg=avg(Price) default=0 on Purchase from datetime(2016-09-10) to datetime(2016-09-13) step 1d by Supplier, Fruit
      | order by Supplier asc, Fruit asc`);
    const axis = [day('2016-09-10'), day('2016-09-11'), day('2016-09-12')];
    assert.deepEqual(r, [
      ['Aldi', 'Apple', [5, 0, 7], axis],
      ['Aldi', 'Snikers', [0, 8, 0], axis],
      ['Costco', 'Apple', [0, 2, 10], axis],
      ['Costco', 'Snikers', [0, 0, 5], axis],
    ]);
  });

  it('several aggregates, each with its own default', async () => {
    const r = await rows(`datatable(T:datetime, v:long)[datetime(2020-01-01 00:10), 3, datetime(2020-01-01 00:20), 5, datetime(2020-01-01 02:00), 1]
      | make-series n = count(), total = sum(v) default = -1, top = max(v) default = long(null) on T from datetime(2020-01-01) to datetime(2020-01-01 03:00) step 1h`);
    assert.deepEqual(r[0]!.slice(0, 3), [[2, 0, 1], [8, -1, 1], [5, null, 1]]);
  });

  it('without from/to the axis runs from the first to the last bin holding data, aligned like bin()', async () => {
    const r = await rows(`datatable(T:datetime, h:string)[datetime(2020-01-01 01:10), "a", datetime(2020-01-01 03:59), "a", datetime(2020-01-01 02:00), "b"]
      | make-series c = count() on T step 1h by h | order by h asc`);
    const axis = ['01', '02', '03'].map((h) => `2020-01-01T${h}:00:00.0000000Z`);
    assert.deepEqual(r, [['a', [1, 0, 1], axis], ['b', [0, 1, 0], axis]]);
  });

  it('kind=nonempty gives a default-filled series for an empty input; the default kind gives no row (docs)', async () => {
    const q = (kind: string) => `datatable(Time:datetime, Value:long)[datetime(2022-01-01), 1, datetime(2022-01-02), 5]
      | where Value > 10 | make-series ${kind} sum(Value) default = 0 on Time from datetime(2022-01-01) to datetime(2022-01-04) step 1d`;
    assert.deepEqual(await rows(q('kind=nonempty')), [[[0, 0, 0], [day('2022-01-01'), day('2022-01-02'), day('2022-01-03')]]]);
    assert.deepEqual(await rows(q('')), []);
  });

  it('the legacy `in range(start, stop, step)` form includes stop', async () => {
    const r = await rows('datatable(T:datetime)[datetime(2020-01-03)] | make-series c = count() on T in range(datetime(2020-01-01), datetime(2020-01-03), 1d)');
    assert.deepEqual(r, [[[0, 0, 1], [day('2020-01-01'), day('2020-01-02'), day('2020-01-03')]]]);
  });

  it('a numeric axis bins by floor, also below zero', async () => {
    const r = await rows('datatable(x:long, v:long)[-3, 1, 4, 2, 7, 5] | make-series sum(v) on x step 5');
    assert.deepEqual(r, [[[1, 2, 5], [-5, 0, 5]]]);
  });

  it('a timespan axis bins in ticks and shows its bins as timespans', async () => {
    assert.deepEqual(await rows('datatable(T:timespan)[1h, 3h, 3h] | make-series c = count() on T step 1h'),
      [[[1, 0, 2], ['01:00:00', '02:00:00', '03:00:00']]]);
  });

  it('series feed series functions and mv-expand back into rows', async () => {
    const r = await rows(`datatable(T:datetime)[datetime(2020-01-01), datetime(2020-01-01), datetime(2020-01-03)]
      | make-series c = count() on T from datetime(2020-01-01) to datetime(2020-01-04) step 1d
      | mv-expand T to typeof(datetime), c to typeof(long) | project T, c`);
    assert.equal(r.length, 3);
    assert.deepEqual(r.map((x) => x[1]), [2, 0, 1]);
  });

  it('finds beaconing hosts: hourly connection counts per host with little variation (hunting)', async () => {
    // h1 calls out every hour; h2 once in a burst.
    const beacon = Array.from({ length: 24 }, (_, i) => `datetime(2024-05-01 ${String(i).padStart(2, '0')}:05), "h1"`).join(', ');
    const burst = Array.from({ length: 24 }, (_, i) => `datetime(2024-05-01 10:${String(i).padStart(2, '0')}), "h2"`).join(', ');
    const r = await rows(`datatable(TimeGenerated:datetime, Computer:string)[${beacon}, ${burst}]
      | make-series Conns = count() default = 0 on TimeGenerated from datetime(2024-05-01) to datetime(2024-05-02) step 1h by Computer
      | mv-expand Conns to typeof(long)
      | summarize ActiveHours = countif(Conns > 0), Peak = max(Conns), Hours = count() by Computer
      | where ActiveHours >= 20 and Peak <= 2
      | project Computer, ActiveHours, Hours`);
    assert.deepEqual(r, [['h1', 24, 24]]);
  });

  it('rejects a step that is not positive, naming make-series', async () => {
    await assert.rejects(engine().query('datatable(T:datetime)[datetime(2020-01-01)] | make-series count() on T step 0h'), (e: unknown) => {
      assert.ok(e instanceof KqlError);
      assert.match(e.message, /make-series/);
      return true;
    });
  });
});
