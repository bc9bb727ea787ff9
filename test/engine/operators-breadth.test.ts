import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueryEngine } from '../../src/engine/engine.js';
import { KqlError } from '../../src/kql/diagnostics.js';
import { useEngine } from './helpers.js';

/** Tabular operators and plugins beyond the core set, mirroring the examples of Kusto's docs. */
describe('operators (breadth)', () => {
  const engine = useEngine();
  const run = (kql: string) => engine().query(kql);
  const rows = async (kql: string) => (await run(kql)).rows;
  const names = async (kql: string) => (await run(kql)).columns.map((c) => `${c.name}:${c.type}`);

  describe('sequential window functions', () => {
    it('row_number(start, restart) starts again at start where restart is true', async () => {
      assert.deepEqual(await rows('range x from 1 to 7 step 1 | extend rn = row_number(10, x % 3 == 0) | project rn'),
        [[10], [11], [10], [11], [12], [10], [11]]);
    });

    it('row_cumsum(x, restart) sums from the restarting row on', async () => {
      assert.deepEqual(await rows('range x from 1 to 7 step 1 | extend cs = row_cumsum(x, x % 3 == 0) | project cs'),
        [[1], [3], [3], [7], [12], [6], [13]]);
    });

    it('restart forms follow the order a sort defined, and restart may itself use prev()', async () => {
      const r = await rows(`datatable(k:string, v:long)["b", 1, "a", 2, "b", 3, "a", 4]
        | sort by k asc, v asc | extend cs = row_cumsum(v, k != prev(k)), n = row_number(1, k != prev(k))`);
      assert.deepEqual(r, [['a', 2, 2, 1], ['a', 4, 6, 2], ['b', 1, 1, 1], ['b', 3, 4, 2]]);
    });

    it('row_rank_dense / row_rank_min: ranks of the term in the sorted rows, restarting per airport (docs example)', async () => {
      const r = await rows(`datatable (Airport:string, Airline:string, Departures:long)[
          "SEA", "LH", 3, "SEA", "LY", 100, "SEA", "UA", 3, "SEA", "BA", 2, "SEA", "EL", 3, "AMS", "EL", 1, "AMS", "BA", 1]
        | sort by Airport desc, Departures asc
        | extend Dense = row_rank_dense(Departures, prev(Airport) != Airport), Min = row_rank_min(Departures, prev(Airport) != Airport)
        | project Airport, Departures, Dense, Min`);
      assert.deepEqual(r, [['SEA', 2, 1, 1], ['SEA', 3, 2, 2], ['SEA', 3, 2, 2], ['SEA', 3, 2, 2], ['SEA', 100, 3, 5], ['AMS', 1, 1, 1], ['AMS', 1, 1, 1]]);
    });

    it('row_window_session: the docs example (1h from first, 5m between neighbours, restart per ID)', async () => {
      const r = await rows(`datatable (ID:string, Timestamp:datetime) [
          "1", datetime(2024-04-11 10:00:00), "2", datetime(2024-04-11 10:18:00),
          "1", datetime(2024-04-11 11:00:00), "3", datetime(2024-04-11 11:30:00),
          "2", datetime(2024-04-11 13:30:00), "2", datetime(2024-04-11 10:16:00)]
        | sort by ID asc, Timestamp asc
        | extend SessionStarted = row_window_session(Timestamp, 1h, 5m, ID != prev(ID))`);
      assert.deepEqual(r.map((x) => [x[0], String(x[2]).slice(11, 16)]),
        [['1', '10:00'], ['1', '11:00'], ['2', '10:16'], ['2', '10:16'], ['2', '13:30'], ['3', '11:30']]);
    });

    it('row_window_session starts a new session once a value is MaxDistanceFromFirst past the session start (equal counts)', async () => {
      const r = await rows(`range i from 0 to 9 step 1 | extend t = datetime(2024-01-01) + i * 10m
        | extend s = row_window_session(t, 30m, 15m) | summarize n = count() by s | sort by s asc | project n`);
      assert.deepEqual(r, [[3], [3], [3], [1]]);
    });

    it('row_window_session gives null for a null value, and the next value starts a session', async () => {
      const r = await rows(`datatable(t:datetime)[datetime(2024-01-01 00:00), datetime(null), datetime(2024-01-01 00:01)]
        | serialize | extend s = row_window_session(t, 1h, 1h) | project s`);
      assert.deepEqual(r, [['2024-01-01T00:00:00.0000000Z'], [null], ['2024-01-01T00:01:00.0000000Z']]);
    });
  });

  describe('evaluate bag_unpack / pivot / narrow', () => {
    it('bag_unpack: one column per property, learned from the data (docs: make_bag example)', async () => {
      const r = await run(`datatable(prop:string, value:string)["prop01", "val_a", "prop02", "val_b", "prop03", "val_c"]
        | extend p = bag_pack(prop, value) | summarize bag = make_bag(p) | evaluate bag_unpack(bag)`);
      assert.deepEqual(r.columns.map((c) => c.name), ['prop01', 'prop02', 'prop03']);
      assert.deepEqual(r.rows, [['val_a', 'val_b', 'val_c']]);
    });

    it('bag_unpack keeps the other columns, drops the bag and leaves empty where a row lacks a property', async () => {
      const kql = `datatable(x:long, d:dynamic)[1, dynamic({"a":1, "b":"s"}), 2, dynamic({"a":2, "c":[1]})]`;
      assert.deepEqual(await names(`${kql} | evaluate bag_unpack(d)`), ['x:long', 'a:long', 'b:string', 'c:dynamic']);
      assert.deepEqual(await rows(`${kql} | evaluate bag_unpack(d) | sort by x asc`), [[1, 1, 's', null], [2, 2, '', [1]]]);
    });

    it('bag_unpack types a column as its values\' common type, dynamic when they differ (docs)', async () => {
      const kql = `datatable(d:dynamic)[dynamic({"Name": "John", "Age": 20}), dynamic({"Name": "Dave", "Age": 40.5}), dynamic({"Name": "Jo", "On": true, "N": null})]`;
      assert.deepEqual(await names(`${kql} | evaluate bag_unpack(d)`), ['Age:dynamic', 'N:dynamic', 'Name:string', 'On:bool']);
    });

    it('later operators see the unpacked columns', async () => {
      const r = await rows(`datatable(d:dynamic)[dynamic({"n":1}), dynamic({"n":5})] | evaluate bag_unpack(d) | where toint(n) > 2 | extend m = toint(n) * 2`);
      assert.deepEqual(r, [[5, 10]]);
    });

    it('bag_unpack with a prefix, and with an explicit output schema (typed, no pre-query)', async () => {
      const kql = `datatable(d:dynamic)[dynamic({"a":1, "c":3})]`;
      assert.deepEqual(await names(`${kql} | evaluate bag_unpack(d, 'p_')`), ['p_a:long', 'p_c:long']);
      assert.deepEqual(await rows(`${kql} | evaluate bag_unpack(d) : (a:long, c:string)`), [[1, '3']]);
    });

    it('bag_unpack: a property clashing with a column is an error unless columnsConflict says otherwise', async () => {
      const kql = `datatable(x:long, d:dynamic)[1, dynamic({"x":7, "y":2})]`;
      await assert.rejects(run(`${kql} | evaluate bag_unpack(d)`), (e: unknown) => e instanceof KqlError && /property 'x'.*already has/.test(e.message));
      assert.deepEqual(await rows(`${kql} | evaluate bag_unpack(d, columnsConflict='keep_source')`), [[1, 2]]);
    });

    it('pivot counts by default and groups by all the other columns', async () => {
      const kql = `datatable(State:string, EventType:string)["AL", "Wind", "AK", "Wind", "AL", "Wind", "AL", "Hail"]`;
      assert.deepEqual(await names(`${kql} | evaluate pivot(State)`), ['EventType:string', 'AK:long', 'AL:long']);
      assert.deepEqual(await rows(`${kql} | evaluate pivot(State) | sort by EventType asc`), [['Hail', 0, 1], ['Wind', 1, 2]]);
    });

    it('pivot with an aggregation and explicit group columns', async () => {
      const r = await rows(`datatable(k:string, s:string, v:long, z:long)["a","x",1,0, "a","y",2,0, "b","x",5,0, "a","x",3,0]
        | evaluate pivot(s, sum(v), k) | sort by k asc`);
      assert.deepEqual(r, [['a', 4, 2], ['b', 5, 0]]);
    });

    it('pivot refuses empty pivot values, which cannot name a column', async () => {
      await assert.rejects(run('datatable(k:string, s:string)["a", "", "a", "x"] | evaluate pivot(s)'), /empty \(or null\) values/);
    });

    it('narrow: one row per cell, Row counted from 0, values as strings', async () => {
      assert.deepEqual(await rows('datatable(k:string, v:long)["a", 1, "b", 2] | evaluate narrow()'),
        [[0, 'k', 'a'], [0, 'v', '1'], [1, 'k', 'b'], [1, 'v', '2']]);
    });

    it('inside a let-declared function body (also one declared in another body) the schema is written into the declaration', async () => {
      const kql = 'let f = (T:(d:dynamic)) { T | evaluate bag_unpack(d) }; datatable(d:dynamic)[dynamic({"a":1})] | invoke f()';
      assert.deepEqual(await rows(kql), [[1]]);
      assert.deepEqual(await rows(kql.replace('bag_unpack(d)', 'bag_unpack(d) : (a:long)')), [[1]]);
      const nested = `let g = (T:(d:dynamic)) { let h = (U:(d:dynamic)) { U | evaluate bag_unpack(d) | extend n = 1 }; T | invoke h() };
        print d = dynamic({"c":2, "e":"x"}) | invoke g() | evaluate pivot(e, sum(c))`;
      const r = await run(nested);
      assert.deepEqual(r.columns.map((c) => c.name), ['n', 'x']);
      assert.deepEqual(r.rows, [[1, 2]]);
    });

    it('prepare() alone cannot learn a data-dependent schema and says why', () => {
      assert.throws(() => engine().prepare('datatable(d:dynamic)[dynamic({"a":1})] | evaluate bag_unpack(d)'), /learns its columns from the data/);
    });
  });

  describe('top-nested, sample, sample-distinct', () => {
    const sales = `datatable(Region:string, Person:string, Amount:long)[
      "west", "ann", 10, "west", "bob", 30, "west", "cid", 5, "east", "dan", 7,
      "east", "eve", 8, "north", "fay", 4, "north", "gus", 2]`;

    it('top-nested: top N groups per level by the aggregate, with the columns Kusto.Language names', async () => {
      const kql = `${sales} | top-nested 2 of Region by sum(Amount), top-nested 1 of Person by s = sum(Amount)`;
      assert.deepEqual(await names(kql), ['Region:string', 'aggregated_Region:long', 'Person:string', 's:long']);
      assert.deepEqual(await rows(`${kql} | sort by Region asc`), [['east', 15, 'eve', 8], ['west', 45, 'bob', 30]]);
    });

    it('top-nested with others: one more group whose aggregate is over all rows outside the top', async () => {
      const r = await rows(`${sales} | top-nested 1 of Region with others = "rest" by dcount(Person) | sort by Region asc`);
      assert.deepEqual(r, [['rest', 4], ['west', 3]]);
    });

    it('top-nested without N keeps every group; asc ranks from the smallest', async () => {
      assert.deepEqual(await rows(`${sales} | top-nested of Region by sum(Amount) | sort by Region asc`), [['east', 15], ['north', 6], ['west', 45]]);
      assert.deepEqual(await rows(`${sales} | top-nested 1 of Region by sum(Amount) asc`), [['north', 6]]);
    });

    it('sample N returns N of the rows; sample-distinct N returns N distinct values', async () => {
      const r = await rows('range x from 1 to 100 step 1 | sample 5');
      assert.equal(r.length, 5);
      assert.equal(new Set(r.map((x) => x[0])).size, 5);
      const d = await run('range x from 1 to 100 step 1 | extend m = x % 7 | sample-distinct 3 of m');
      assert.deepEqual(d.columns.map((c) => c.name), ['m']);
      assert.equal(new Set(d.rows.map((x) => x[0])).size, 3);
      assert.equal((await rows('range x from 1 to 3 step 1 | sample 10')).length, 3);
    });
  });

  describe('invoke, declare query_parameters, as hint.materialized', () => {
    it('invoke passes the piped table as the function\'s first argument', async () => {
      assert.deepEqual(await rows('let f = (T:(x:long), n:long) { T | where x > n }; range x from 1 to 5 step 1 | invoke f(3)'), [[4], [5]]);
      assert.deepEqual(await rows('let MyFilter = (T:(*)) { T | count }; range x from 1 to 5 step 1 | invoke MyFilter()'), [[5]]);
    });

    it('declare query_parameters: values from QueryOptions.parameters, else the declared defaults', async () => {
      const kql = 'declare query_parameters(lim:long = 3, s:string = "a"); range x from 1 to 10 step 1 | take lim | extend s';
      assert.deepEqual((await engine().query(kql)).rows, [[1, 'a'], [2, 'a'], [3, 'a']]);
      assert.deepEqual((await engine().query(kql, { parameters: { lim: 1, s: 'zz' } })).rows, [[1, 'zz']]);
      const typed = await engine().query('declare query_parameters(t:datetime, d:timespan); print t + d', { parameters: { t: '2024-01-01', d: '1h' } });
      assert.deepEqual(typed.rows, [['2024-01-01T01:00:00.0000000Z']]);
    });

    it('declare query_parameters: a missing value without default, or a value of the wrong type, is an error', async () => {
      await assert.rejects(engine().query('declare query_parameters(lim:long); range x from 1 to 3 step 1 | take lim'), /no value was given for 'lim'/);
      await assert.rejects(engine().query('declare query_parameters(lim:long); range x from 1 to 3 step 1 | take lim', { parameters: { lim: 'x' } }), /declared long/);
    });

    it('fork is refused with the reason: it returns several tables', async () => {
      await assert.rejects(run('range x from 1 to 3 step 1 | fork (where x > 1) (take 1)'), /fork \(it returns several result tables/);
    });

    it('as hint.materialized=true evaluates the named input once for all its uses', async () => {
      const kql = 'range x from 1 to 3 step 1 | extend r = rand() | as hint.materialized=true T | join kind=inner (T) on x | where r != r1 | count';
      assert.deepEqual(await rows(kql), [[0]]);
      assert.match(engine().prepare(kql).sql, /MATERIALIZED/);
    });
  });

  describe('partition, search, find', () => {
    before(async () => {
      await engine().connection.run(`CREATE TABLE SearchT1 (a VARCHAR, n BIGINT); INSERT INTO SearchT1 VALUES ('hello world', 1), ('Foo bar', 2), ('xyz', 3);
        CREATE TABLE SearchT2 (a VARCHAR, b VARCHAR); INSERT INTO SearchT2 VALUES ('nothing', 'foo'), ('foobar', 'q');`);
      await engine().refreshCatalog();
    });
    const data = 'datatable(a:string, v:long)["x",1, "x",5, "y",2, "y",7, "y",3, "z",0]';

    it('partition runs the subquery once per key value (docs: top 3 per partition)', async () => {
      const r = await rows(`${data} | partition hint.strategy=native by a ( top 2 by v ) | sort by a asc, v desc`);
      assert.deepEqual(r, [['x', 5], ['x', 1], ['y', 7], ['y', 3], ['z', 0]]);
      const s = await rows(`${data} | partition by a ( summarize s = sum(v) | extend d = s * 2 ) | sort by s asc`);
      assert.deepEqual(s, [[0, 0], [6, 12], [12, 24]]);
    });

    it('partition by Col { query }: a whole query per key, reading the key as Col (toscalar of a scalar is its value)', async () => {
      const r = await rows(`let Other = datatable(w:long)[10, 20];
        ${data} | partition hint.materialized=true by a { Other | extend k = toscalar(a), n = w + 1 } | sort by k asc, w asc`);
      assert.deepEqual(r, [[10, 'x', 11], [20, 'x', 21], [10, 'y', 11], [20, 'y', 21], [10, 'z', 11], [20, 'z', 21]]);
    });

    it('search "term" looks in every column of every database table, naming the table in $table', async () => {
      const r = await run('search "foo" | sort by $table asc');
      assert.deepEqual(r.columns.map((c) => c.name), ['$table', 'a', 'n', 'b']);
      // has matches whole terms, case-insensitively: "foobar" does not have "foo".
      assert.deepEqual(r.rows, [['SearchT1', 'Foo bar', 2, ''], ['SearchT2', 'nothing', null, 'foo']]);
    });

    it('search terms: prefix*, *infix*, kind=case_sensitive, Col: term, * has, and ordinary predicates', async () => {
      const count = async (kql: string) => (await rows(`${kql} | count`))[0]![0];
      assert.equal(await count('search in (SearchT1, SearchT2) "foo*"'), 3);
      assert.equal(await count('search in (SearchT1, SearchT2) "*oba*"'), 1);
      assert.equal(await count('search kind=case_sensitive in (SearchT1, SearchT2) "Foo"'), 1);
      assert.equal(await count('search kind=case_sensitive "Foo"'), 1);
      assert.deepEqual(await rows('SearchT1 | search a: "world" or n > 2 | project a'), [['hello world'], ['xyz']]);
      assert.deepEqual(await rows('search in (SearchT1, SearchT2) * has "bar" | project a'), [['Foo bar']]);
      assert.deepEqual(await rows('SearchT1 | search not(a: "*o*") | project a'), [['xyz']]);
    });

    it('find in (…) where … project: source_ names the table', async () => {
      const r = await run('find in (SearchT1, SearchT2) where a has "foo" or b == "foo" project a, n | sort by a asc');
      assert.deepEqual(r.columns.map((c) => c.name), ['source_', 'a', 'n']);
      assert.deepEqual(r.rows, [['SearchT1', 'Foo bar', 2], ['SearchT2', 'nothing', null]]);
    });

    it('find without project: the common columns, and pack_ with the row\'s other columns', async () => {
      const r = await run('find withsource=Source in (SearchT1, SearchT2) where a startswith "no" or a startswith "xy" | sort by a asc');
      assert.deepEqual(r.columns.map((c) => c.name), ['Source', 'a', 'pack_']);
      assert.deepEqual(r.rows, [['SearchT2', 'nothing', { b: 'foo' }], ['SearchT1', 'xyz', { n: 3 }]]);
    });
  });

  describe('externaldata', () => {
    let dir = '';
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'quarry-externaldata-'));
      writeFileSync(path.join(dir, 'a.csv'), 'name,count\nalpha,1\n"b, c",22\n');
      writeFileSync(path.join(dir, 'b.json'), '{"name":"x","count":3,"t":"2024-01-01T00:00:00Z","d":{"k":1}}\n{"name":"y","count":4}\n');
      writeFileSync(path.join(dir, 'c.tsv'), 'x\t5\ny\t6\n');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));
    const file = (name: string) => JSON.stringify(path.join(dir, name));

    it('reads a local csv file, skipping the header with ignoreFirstRecord (quoted fields kept whole)', async () => {
      const r = await rows(`externaldata(name:string, count:long) [ ${file('a.csv')} ] with (format="csv", ignoreFirstRecord=true)`);
      assert.deepEqual(r, [['alpha', 1], ['b, c', 22]]);
    });

    it('reads json lines by property name, typed as the schema says; tsv by extension; file:// URIs', async () => {
      const j = await rows(`externaldata(name:string, count:long, t:datetime, d:dynamic) [ h@"file://${path.join(dir, 'b.json')}" ] with (format="multijson")`);
      assert.deepEqual(j, [['x', 3, '2024-01-01T00:00:00.0000000Z', { k: 1 }], ['y', 4, null, null]]);
      assert.deepEqual(await rows(`externaldata(name:string, count:long) [ ${file('c.tsv')} ] | summarize sum(count)`), [[11]]);
    });

    it('http(s) sources need a workspace that allows network access; other schemes are refused', async () => {
      await assert.rejects(run('externaldata(name:string) [ "https://example.com/x.csv" ]'), /needs network access/);
      await assert.rejects(run('externaldata(name:string) [ "s3://bucket/x.csv" ]'), /neither a local file nor an http\(s\) URL/);
    });

    it('reads http(s) sources under the allowed URL prefixes only, fetched by Node (DuckDB never touches the network)', async () => {
      const server = createServer((req, res) => {
        if (req.url === '/feeds/ips.csv') res.end('ip,score\n10.0.0.1,90\n10.0.0.2,40\n');
        else { res.statusCode = 404; res.end(); }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const remote = await QueryEngine.open({ remoteData: { allow: [`${base}/feeds/`] } });
      try {
        const r = await remote.query(`externaldata(ip:string, score:long) [ "${base}/feeds/ips.csv" ] with (format="csv", ignoreFirstRecord=true) | where score > 50`);
        assert.deepEqual(r.rows, [['10.0.0.1', 90]]);
        await assert.rejects(remote.query(`externaldata(ip:string) [ "${base}/other/x.csv?sig=secret" ]`), (e: Error) =>
          /not under the URL prefixes this workspace allows/.test(e.message) && !e.message.includes('secret'));
        await assert.rejects(remote.query(`externaldata(ip:string) [ "${base}/feeds/missing.csv" ]`), /answered HTTP 404/);
      } finally {
        await remote.close();
        server.close();
      }
    });
  });
});
