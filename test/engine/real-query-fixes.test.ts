import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useEngine } from './helpers.js';

/** Shapes from real queries (the corpus) that used to fail while running. */
describe('real-query shapes that failed at run time', () => {
  const engine = useEngine();
  const rows = async (q: string) => (await engine().query(q)).rows;

  it('make-series bounds read let values even where the input has a column of that name', async () => {
    const q = `let StartTime = datetime(2024-01-01); let EndTime = datetime(2024-01-01 00:20);
      datatable(TimeGenerated:datetime, StartTime:datetime, EndTime:datetime, Quantity:real)
        [datetime(2024-01-01 00:05), datetime(1999-01-01), datetime(1999-01-01), 2.0,
         datetime(2024-01-01 00:25), datetime(1999-01-01), datetime(1999-01-01), 3.0]
      | make-series s = sum(Quantity) default = 0 on TimeGenerated in range(StartTime, EndTime, 10m)`;
    assert.deepEqual(await rows(q), [[[2, 0, 3], ['2024-01-01T00:00:00.0000000Z', '2024-01-01T00:10:00.0000000Z', '2024-01-01T00:20:00.0000000Z']]]);
    await assert.rejects(engine().query('datatable(t:datetime, e:datetime)[] | make-series count() on t from datetime(2024-01-01) to e step 1h'), /single values, but e is a column/);
  });

  it('a parse into an existing column, then extend: the Name1 Kusto.Language lists reads the replaced column', async () => {
    const q = `datatable(msg_s:string, Message:string)["TCP request. Action: Deny. Intel: bad", "old"]
      | parse msg_s with * ". Action: " Action "." Message
      | extend z = 1
      | project Action, Message, z`;
    assert.deepEqual(await rows(q), [['Deny', ' Intel: bad', 1]]);
  });

  it('where with a window function (row_number(), next()) over the serialized rows', async () => {
    assert.deepEqual(await rows('range x from 1 to 10 step 1 | serialize | where row_number() == 3 or next(x) == 10'), [[3], [9]]);
    assert.deepEqual(await rows('range x from 1 to 5 step 1 | sort by x desc | where row_number() <= 2'), [[5], [4]]);
  });

  it('extract_json: member and bracket steps, indexes from either end; a path without a step separator is refused before running', async () => {
    const j = `'{"runId":7,"a b":2,"a":[1,{"b":"x"}]}'`;
    assert.deepEqual(await rows(`print extract_json('$.runId', ${j}), extract_json("$['a b']", ${j}), extract_json('$.a[1].b', ${j}), extract_json('$.a[-1].b', ${j})`),
      [['7', '2', 'x', 'x']]);
    await assert.rejects(engine().query(`print extractjson('$runId', ${j})`), /'\$runId' is not a JSONPath .*'\$\.runId'\?/);
  });

  it('a name that no column has after bag_unpack learned its columns says what the data gave', async () => {
    await assert.rejects(engine().query('print d = dynamic({"a":1}) | evaluate bag_unpack(d) | project b'),
      /'b' is not a column here: the data has no such property or value \(evaluate bag_unpack\(\) found the columns a\)/);
    await assert.rejects(engine().query('datatable(d:dynamic)[] | evaluate bag_unpack(d) | project b'), /found no columns \(no rows to learn them from\)/);
  });

  it("bag_unpack(columnsConflict='replace_source') without an output schema: the bag's values replace the input's (docs example)", async () => {
    const r = await engine().query(`datatable(Name:string, d:dynamic)['Old_name', dynamic({"Name": "John", "Age":20}), 'Old_name', dynamic({"Name": "Dave", "Age":40})]
      | evaluate bag_unpack(d, columnsConflict='replace_source')`);
    assert.deepEqual(r.columns.map((c) => c.name), ['Age', 'Name']);
    assert.deepEqual(r.rows, [[20, 'John'], [40, 'Dave']]);
  });

  it('summarize arg_max(T, *) by a computed key named like a column still carries that column (as Name1, as Kusto.Language lists it)', async () => {
    const r = await engine().query(`datatable(T:datetime, A:string, U:dynamic, X:long)
        [datetime(2020-01-01), "a", dynamic(["p"]), 1, datetime(2021-01-01), "a", dynamic(["p"]), 2]
      | summarize arg_max(T, *) by A, tostring(U)`);
    assert.deepEqual(r.columns.map((c) => c.name), ['A', 'U', 'T', 'U1', 'X']);
    assert.deepEqual(r.rows, [['a', '["p"]', '2021-01-01T00:00:00.0000000Z', ['p'], 2]]);
  });
});
