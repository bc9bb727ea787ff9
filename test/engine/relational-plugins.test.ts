import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { objects, useEngine } from './helpers.js';

/** evaluate ipv4_lookup / rolling_percentile / sliding_window_counts, lowered to relational SQL. */
describe('relational evaluate plugins', () => {
  const engine = useEngine();
  const rows = async (q: string) => (await engine().query(q)).rows;

  const networks = `let Nets = datatable(network:string, name:string, site:string)[
      "10.0.0.0/8","corp","a", "10.1.0.0/16","lab","a", "192.168.1.0/24","home","b", "not-an-ip","junk","a"];`;

  it('ipv4_lookup joins each address to every network holding it; unmatched rows only with return_unmatched (empty strings, never null)', async () => {
    const ips = `let Ips = datatable(ip:string, site:string)['10.1.2.3','a', '192.168.1.9','b', '8.8.8.8','a', 'garbage','a'];`;
    const matched = await rows(`${networks}${ips} Ips | evaluate ipv4_lookup(Nets, ip, network) | project ip, name | order by ip asc, name asc`);
    assert.deepEqual(matched, [['10.1.2.3', 'corp'], ['10.1.2.3', 'lab'], ['192.168.1.9', 'home']]);
    const all = await engine().query(`${networks}${ips} Ips | evaluate ipv4_lookup(Nets, ip, network, return_unmatched = true) | order by ip asc, name asc`);
    assert.deepEqual(all.columns.map((c) => c.name), ['ip', 'site', 'network', 'name', 'site1']);
    assert.deepEqual(objects(all).filter((r) => r['ip'] === '8.8.8.8' || r['ip'] === 'garbage').map((r) => [r['ip'], r['network'], r['name']]),
      [['8.8.8.8', '', ''], ['garbage', '', '']]);
  });

  it('ipv4_lookup compares extra keys for equality, as a join does', async () => {
    const ips = `let Ips = datatable(ip:string, site:string)['10.1.2.3','b', '192.168.1.9','b'];`;
    assert.deepEqual(await rows(`${networks}${ips} Ips | evaluate ipv4_lookup(Nets, ip, network, site) | project ip, name`), [['192.168.1.9', 'home']]);
  });

  it('ipv4_lookup names a missing or non-string key column', async () => {
    await assert.rejects(engine().query(`${networks} datatable(ip:long)[1] | evaluate ipv4_lookup(Nets, ip, network)`), /SourceIPv4Key 'ip' of type long/);
  });

  const hourly = `let T = range idx from 0 to 24 * 10 - 1 step 1
      | project Timestamp = datetime(2018-01-01) + 1h * idx, val = idx + 1 | extend EvenOrOdd = iff(val % 2 == 0, "Even", "Odd");`;

  it('rolling_percentile: the percentile over each bin and the BinsToLookBack − 1 before it, no bins past the data (docs)', async () => {
    const r = await engine().query(`${hourly} T | evaluate rolling_percentile(val, 50, Timestamp, 1d, 3) | order by Timestamp asc`);
    assert.deepEqual(r.columns.map((c) => `${c.name}:${c.type}`), ['Timestamp:datetime', 'rolling_3_percentile_val_50:long']);
    assert.deepEqual(r.rows.map((x) => x[1]), [12, 24, 36, 60, 84, 108, 132, 156, 180, 204]);
  });

  it('rolling_percentile per dimension', async () => {
    const r = await rows(`${hourly} T | evaluate rolling_percentile(val, 50, Timestamp, 1d, 3, EvenOrOdd) | where Timestamp == datetime(2018-01-04) | order by EvenOrOdd asc`);
    assert.deepEqual(r, [['2018-01-04T00:00:00.0000000Z', 'Even', 60], ['2018-01-04T00:00:00.0000000Z', 'Odd', 59]]);
  });

  it('sliding_window_counts: count and distinct ids over the look-back window ending at each bin, within start…end (docs)', async () => {
    const q = `let T = datatable(UserId:string, Timestamp:datetime)[
        'Bob', datetime(2017-08-01), 'David', datetime(2017-08-01), 'David', datetime(2017-08-01), 'John', datetime(2017-08-01),
        'Bob', datetime(2017-08-01), 'Ananda', datetime(2017-08-02), 'Atul', datetime(2017-08-02), 'John', datetime(2017-08-02),
        'Ananda', datetime(2017-08-03), 'Atul', datetime(2017-08-03), 'Atul', datetime(2017-08-03), 'John', datetime(2017-08-03),
        'Bob', datetime(2017-08-03), 'Betsy', datetime(2017-08-04), 'Bob', datetime(2017-08-05), 'Eve', datetime(2017-08-09)];
      T | evaluate sliding_window_counts(UserId, Timestamp, datetime(2017-08-01), datetime(2017-08-07), 3d, 1d) | order by Timestamp asc`;
    const r = await rows(q);
    assert.deepEqual(r.map((x) => [String(x[0]).slice(0, 10), x[1], x[2]]), [
      ['2017-08-01', 5, 3], ['2017-08-02', 8, 5], ['2017-08-03', 13, 5], ['2017-08-04', 9, 5],
      ['2017-08-05', 7, 5], ['2017-08-06', 2, 2], ['2017-08-07', 1, 1],
    ]);
  });
});

describe('schema_merge', () => {
  const engine = useEngine();
  const schemas = (second: string) => `let schema1 = datatable(Uri:string, HttpStatus:int)[] | getschema;
    let schema2 = datatable(${second})[] | getschema; union schema1, schema2`;

  it('merges getschema outputs: a new column follows its predecessor in its own schema (docs)', async () => {
    const r = await engine().query(`${schemas('Uri:string, HttpStatus:int, Referrer:string')} | evaluate schema_merge()`);
    assert.deepEqual(r.columns.map((c) => `${c.name}:${c.type}`), ['ColumnName:string', 'ColumnOrdinal:int', 'DataType:string', 'ColumnType:string']);
    assert.deepEqual(r.rows, [['Uri', 0, 'System.String', 'string'], ['HttpStatus', 1, 'System.Int32', 'int'], ['Referrer', 2, 'System.String', 'string']]);
  });

  it('PreserveOrder (default) reports a column whose ordinal moved; PreserveOrder=false renumbers (docs)', async () => {
    for (let run = 0; run < 3; run++) {
      // Repeated: the union's inputs may reach the merge interleaved, which must not matter.
      const kept = await engine().query(`${schemas('Uri:string, Referrer:string, HttpStatus:int')} | evaluate schema_merge()`);
      assert.deepEqual(kept.rows[2], ['HttpStatus', -1, 'ERROR(unknown CSL type:ERROR(columns are out of order))', 'ERROR(columns are out of order)']);
    }
    const renumbered = await engine().query(`${schemas('Uri:string, Referrer:string, HttpStatus:int')} | evaluate schema_merge(PreserveOrder = false)`);
    assert.deepEqual(renumbered.rows.map((x) => [x[0], x[1]]), [['Uri', 0], ['Referrer', 1], ['HttpStatus', 2]]);
  });
});

describe('find and search over every table', () => {
  const engine = useEngine();

  it('on a database with no tables find nothing, with the columns Kusto.Language gives (catalog columns resolve)', async () => {
    const r = await engine().query("find where InitiatingProcessCommandLine has_all ('a', 'b') or CommandLine has 'x'");
    assert.deepEqual(r.rows, []);
    assert.ok(r.columns.some((c) => c.name === 'InitiatingProcessCommandLine'));
    const s = await engine().query('search "evil" | summarize count() by $table, bin(TimeGenerated, 1h)');
    assert.deepEqual(s.columns.map((c) => c.name), ['$table', 'TimeGenerated', 'count_']);
  });
});

describe('union with table wildcards', () => {
  const engine = useEngine();

  it('union Pattern* reads every stored and catalog table the pattern matches, each named by withsource', async () => {
    await engine().connection.run("CREATE TABLE SecurityThing_CL (TimeGenerated TIMESTAMP, Msg VARCHAR); INSERT INTO SecurityThing_CL VALUES ('2024-01-01', 'hello')");
    await engine().refreshCatalog();
    const r = await engine().query('union withsource=Source Security* | where isnotempty(Msg) | project Source, Msg');
    assert.deepEqual(r.rows, [['SecurityThing_CL', 'hello']]);
    const all = await engine().query('union withsource=T * | summarize count() by T');
    assert.deepEqual(all.rows, [['SecurityThing_CL', 1]]);
  });

  it('an input column named like the withsource column keeps its values, renamed as Kusto does (Name1)', async () => {
    const r = await engine().query("let T = datatable(TableName:string, v:long)['x', 1]; union withsource=TableName T, (datatable(v:long)[2]) | order by v asc");
    assert.deepEqual(r.columns.map((c) => c.name), ['TableName', 'TableName1', 'v']);
    assert.deepEqual(r.rows, [['T', 'x', 1], ['union_arg1', '', 2]]);
  });
});

describe('parse_user_agent (uap-core regexes, as Kusto)', () => {
  const engine = useEngine();
  const nokia = 'Mozilla/5.0 (SymbianOS/9.2; U; Series60/3.1 NokiaN81-3/10.0.032 Profile/MIDP-2.0 Configuration/CLDC-1.1 ) AppleWebKit/413 (KHTML, like Gecko) Safari/4';

  it('gives the requested targets with missing parts as empty strings (docs examples)', async () => {
    const r = await engine().query(`print a = parse_user_agent("${nokia}", dynamic(["browser","os","device"])),
        b = parse_user_agent("Mozilla/5.0 (Windows; U; en-US) AppleWebKit/531.9 (KHTML, like Gecko) AdobeAIR/2.5.1", "browser")`);
    assert.deepEqual(r.rows[0]![0], {
      Browser: { Family: 'Nokia OSS Browser', MajorVersion: '3', MinorVersion: '1', Patch: '' },
      OperatingSystem: { Family: 'Symbian OS', MajorVersion: '9', MinorVersion: '2', Patch: '', PatchMinor: '' },
      Device: { Family: 'Nokia N81', Brand: 'Nokia', Model: 'N81-3' },
    });
    assert.deepEqual(r.rows[0]![1], { Browser: { Family: 'AdobeAIR', MajorVersion: '2', MinorVersion: '5', Patch: '1' } });
  });

  it('names an unknown look-for target', async () => {
    await assert.rejects(engine().query('print parse_user_agent("x", "brows")'), /unknown look-for target 'brows'/);
  });
});
