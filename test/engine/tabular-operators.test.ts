import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { objects, scalar, useEngine } from './helpers.js';

const L = 'let L = datatable(k:long, a:string)[1, "a1", 2, "a2", 2, "a2b", 4, "a4"];';
const R = 'let R = datatable(k:long, b:string)[2, "b2", 3, "b3", 4, "b4", 4, "b4b"];';

describe('tabular operators', () => {
  const engine = useEngine();
  const rows = async (kql: string) => (await engine().query(kql)).rows;

  it('join kinds keep the rows Kusto documents', async () => {
    const j = (kind: string, tail = '| sort by k asc, b asc, a asc') => rows(`${L}${R} L | join kind=${kind} R on k ${tail}`);
    assert.deepEqual(await j('inner', '| project k, a, b | sort by k asc, a asc, b asc'),
      [[2, 'a2', 'b2'], [2, 'a2b', 'b2'], [4, 'a4', 'b4'], [4, 'a4', 'b4b']]);
    assert.equal((await j('innerunique', '| where k == 2 | count'))[0]![0], 1);
    assert.deepEqual(await j('leftouter', '| project k, a, b | sort by a asc, b asc'),
      [[1, 'a1', ''], [2, 'a2', 'b2'], [2, 'a2b', 'b2'], [4, 'a4', 'b4'], [4, 'a4', 'b4b']]);
    assert.deepEqual(await j('rightouter', '| project k1, b | sort by b asc'), [[2, 'b2'], [2, 'b2'], [3, 'b3'], [4, 'b4'], [4, 'b4b']]);
    assert.equal((await j('fullouter', '| count'))[0]![0], 6);
    assert.deepEqual(await j('leftanti', ''), [[1, 'a1']]);
    assert.deepEqual(await j('rightanti', ''), [[3, 'b3']]);
    assert.deepEqual(await j('leftsemi', '| sort by a asc'), [[2, 'a2'], [2, 'a2b'], [4, 'a4']]);
    assert.deepEqual(await j('rightsemi', '| sort by b asc'), [[2, 'b2'], [4, 'b4'], [4, 'b4b']]);
  });

  it('join names the right side\'s clashing columns as Kusto.Language does (k1)', async () => {
    const r = await engine().query(`${L}${R} L | join kind=inner R on k`);
    assert.deepEqual(r.columns.map((c) => c.name), ['k', 'a', 'k1', 'b']);
  });

  it('join on $left.x == $right.y matches columns of different names', async () => {
    const r = await rows(`${L} let S = datatable(id:long, s:string)[4, "s4"]; L | join kind=inner S on $left.k == $right.id | project a, s`);
    assert.deepEqual(r, [['a4', 's4']]);
  });

  it('lookup adds the right columns without repeating the key', async () => {
    const r = await engine().query(`${L} let D = datatable(k:long, name:string)[1, "one", 4, "four"]; L | lookup D on k | sort by a asc`);
    assert.deepEqual(r.columns.map((c) => c.name), ['k', 'a', 'name']);
    assert.deepEqual(r.rows, [[1, 'a1', 'one'], [2, 'a2', ''], [2, 'a2b', ''], [4, 'a4', 'four']]);
  });

  it('union widens columns, names clashing types name_type, and adds withsource', async () => {
    const r = await engine().query(`
      let A = datatable(x:long, y:string)[1, "a"];
      let B = datatable(x:string, z:real)["b", 2.5];
      union withsource=Source A, B | sort by Source asc`);
    assert.deepEqual(r.columns.map((c) => `${c.name}:${c.type}`), ['Source:string', 'x_long:long', 'x_string:string', 'y:string', 'z:real']);
    assert.deepEqual(objects(r), [
      { Source: 'A', x_long: 1, x_string: '', y: 'a', z: null },
      { Source: 'B', x_long: null, x_string: 'b', y: '', z: 2.5 },
    ]);
  });

  it('union kind=inner keeps only the common columns', async () => {
    const r = await engine().query('union kind=inner (print a=1, b=2), (print a=3, c=4) | sort by a asc');
    assert.deepEqual(r.columns.map((c) => c.name), ['a']);
    assert.deepEqual(r.rows, [[1], [3]]);
  });

  it('project-away, project-keep, project-rename and project-reorder reshape by name and wildcard', async () => {
    const base = 'print a=1, b=2, c1=3, c2=4';
    assert.deepEqual((await engine().query(`${base} | project-away c*`)).columns.map((c) => c.name), ['a', 'b']);
    assert.deepEqual((await engine().query(`${base} | project-keep c*, a`)).columns.map((c) => c.name), ['a', 'c1', 'c2']);
    assert.deepEqual(objects(await engine().query(`${base} | project-rename z = a`)), [{ z: 1, b: 2, c1: 3, c2: 4 }]);
    assert.deepEqual((await engine().query(`${base} | project-reorder c2, a`)).columns.map((c) => c.name), ['c2', 'a', 'b', 'c1']);
  });

  it('extend replaces a column in place and names unnamed expressions Column1', async () => {
    const r = await engine().query('print a=1, b=2 | extend a = a * 10, b + 1');
    assert.deepEqual(objects(r), [{ a: 10, b: 2, Column1: 3 }]);
  });

  it('top, take, distinct and count', async () => {
    const base = 'range x from 1 to 10 step 1 | extend m = x % 3';
    assert.deepEqual(await rows(`${base} | top 3 by x`), [[10, 1], [9, 0], [8, 2]]);
    assert.equal((await rows(`${base} | take 4`)).length, 4);
    assert.deepEqual(await rows(`${base} | distinct m | sort by m asc`), [[0], [1], [2]]);
    assert.deepEqual(await rows(`${base} | count`), [[10]]);
  });

  it('serialize gives row_number, prev and next over the row order', async () => {
    const r = await rows('range x from 1 to 4 step 1 | sort by x desc | extend rn = row_number(), p = prev(x), n = next(x, 1, -1)');
    assert.deepEqual(r, [[4, 1, null, 3], [3, 2, 4, 2], [2, 3, 3, 1], [1, 4, 2, -1]]);
  });

  it('let binds scalars, tables and functions with defaults; materialize and toscalar work', async () => {
    const r = await rows(`
      let threshold = 2;
      let T = materialize(range x from 1 to 5 step 1);
      let above = (t:(x:long), n:long = 3) { t | where x > n };
      let total = toscalar(T | summarize sum(x));
      above(T, threshold) | extend share = todouble(x) / total | project x, share`);
    assert.deepEqual(r, [[3, 0.2], [4, 4 / 15], [5, 1 / 3]]);
  });

  it('as names a result for later use in the same query', async () => {
    assert.equal(await scalar(engine(), 'range x from 1 to 3 step 1 | as T | join kind=inner (T) on x | count'), 3);
  });

  it('getschema lists columns with Kusto\'s type names', async () => {
    const r = await engine().query('print a=1, s="x", d=now(), t=1h, j=dynamic([1]) | getschema');
    assert.deepEqual(r.rows, [
      ['a', 0, 'System.Int64', 'long'],
      ['s', 1, 'System.String', 'string'],
      ['d', 2, 'System.DateTime', 'datetime'],
      ['t', 3, 'System.TimeSpan', 'timespan'],
      ['j', 4, 'System.Object', 'dynamic'],
    ]);
  });

  it('summarize by bin() over datetimes groups into aligned buckets', async () => {
    const r = await rows(`
      datatable(t:datetime)[datetime(2024-01-01 00:10), datetime(2024-01-01 00:50), datetime(2024-01-01 01:05)]
      | summarize n = count() by bin(t, 1h) | sort by t asc`);
    assert.deepEqual(r, [['2024-01-01T00:00:00.0000000Z', 2], ['2024-01-01T01:00:00.0000000Z', 1]]);
  });

  it('reads a table stored in the database', async () => {
    await engine().connection.run(`CREATE TABLE Logons (TimeGenerated TIMESTAMP, Account VARCHAR, Failed BOOLEAN)`);
    await engine().connection.run(`INSERT INTO Logons VALUES ('2024-05-01 10:00:00', 'alice', true), ('2024-05-01 11:00:00', 'bob', false)`);
    await engine().refreshCatalog();
    const r = await engine().query('Logons | where Failed | project Account');
    assert.deepEqual(r.rows, [['alice']]);
  });
});

describe('forms real hunting queries use', () => {
  const engine = useEngine();

  it('mv-expand of an unnamed expression replaces the column it reads, as Kusto names it', async () => {
    const r = await engine().query('print s = "a b" | mv-expand split(s, " ") | project t = tostring(s)');
    assert.deepEqual(r.rows, [['a'], ['b']]);
  });

  it('table(name) reads the table a constant names, also a function parameter given a literal', async () => {
    await engine().connection.run("CREATE TABLE Logins_CL (TimeGenerated TIMESTAMP, ResultType VARCHAR, UserPrincipalName VARCHAR); INSERT INTO Logins_CL VALUES ('2024-01-01', '0', 'bob'), ('2024-01-01', '50126', 'amy')");
    await engine().refreshCatalog();
    const r = await engine().query('let Ok = (t:string) { table(t) | where ResultType == "0" | project UserPrincipalName }; let name = "Logins_CL"; union Ok("Logins_CL"), (table(name) | where ResultType != "0" | project UserPrincipalName) | order by UserPrincipalName asc');
    assert.deepEqual(r.rows, [['amy'], ['bob']]);
  });

  it('a function call may name some arguments and give the rest by position; assert() fails the query with its message (docs)', async () => {
    const q = "let check = (len:long, s:string) { assert(len > 0, 'Length must be greater than zero') and strlen(s) > len }; datatable(input:string)['123', '4567'] | where check(len=3, input)";
    assert.deepEqual((await engine().query(q)).rows, [['4567']]);
    await assert.rejects(engine().query(q.replace('len=3', 'len=-1')), /assert\(\) failed: Length must be greater than zero/);
  });

  it('ingestion_time() is null for tables without an ingestion-time policy', async () => {
    assert.equal(await scalar(engine(), 'print isnull(ingestion_time())'), true);
  });
});

describe('dynamic literals as real queries write them', () => {
  const engine = useEngine();

  it('reads verbatim strings, escaped quotes and datetime() values inside dynamic([...])', async () => {
    const r = await engine().query(`print d = dynamic([@'C:\\Users', 'it\\'s', "say \\"hi\\"", datetime(2011-11-11), 1])`);
    assert.deepEqual(r.rows[0]![0], ['C:\\Users', "it's", 'say "hi"', '2011-11-11T00:00:00.0000000Z', 1]);
  });

  it('adjacent string literals inside dynamic([...]) are one string, as elsewhere in KQL (a missing comma in a real query)', async () => {
    const r = await engine().query(`print d = dynamic([':\\\\Windows\\\\CcmExec.exe'
      "HKEY\\\\Installed\\\\", 'a', @'b' 'c', 2])`);
    assert.deepEqual(r.rows[0]![0], [':\\Windows\\CcmExec.exeHKEY\\Installed\\', 'a', 'bc', 2]);
  });
});
