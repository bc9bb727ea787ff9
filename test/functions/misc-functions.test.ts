import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { objects, scalar, useEngine } from '../engine/helpers.js';
import { replaceStrings } from '../../src/engine/duckdb/udfs/json-text.js';

describe('aliases, column_ifexists and small functions', () => {
  const engine = useEngine();
  const value = (kql: string) => scalar(engine(), kql);

  test('deprecated aliases behave as the functions they name', async () => {
    assert.equal(await value('print array_strcat(dynamic([1, 2, 3]), "->")'), '1->2->3');
    assert.equal(await value('print arraylength(dynamic([1, 2]))'), 2);
    assert.equal(await value('print make_string(75, 117, 115, 116, 111)'), 'Kusto');
    assert.equal(await value('print datepart("year", datetime(2020-05-01))'), 2020);
  });

  test('column_ifexists gives the column when the row has it (converted to the default\'s type), else the default', async () => {
    const [row] = objects(await engine().query('datatable(a:long, s:string)[1, "q"] | extend x = column_ifexists("a", ""), y = column_ifexists("b", 0), z = columnifexists("s", "d")'));
    assert.deepEqual([row!.x, row!.y, row!.z], ['1', 0, 'q']);
    assert.equal(await value('datatable(a:long)[1] | where column_ifexists("a", 0) == 1 | count'), 1);
  });

  test('around(value, center, delta) is inclusive on both sides, for numbers and datetimes (around docs)', async () => {
    assert.equal(await value('print around(1.5, 1, 0.5)'), true);
    assert.equal(await value('print around(3, 1, 1)'), false);
    assert.equal(await value('print around(datetime(2021-01-01 10:00), datetime(2021-01-01 09:59), 1m)'), true);
    assert.equal(await value('print around(datetime(2021-01-01 10:00), datetime(2021-01-01 09:58), 1m)'), false);
  });

  test('dynamic_to_json sorts bag keys at every level (dynamic_to_json docs)', async () => {
    assert.equal(await value('print dynamic_to_json(dynamic({"b": 1, "a": [1, {"d": 1, "c": 2}]}))'), '{"a":[1,{"c":2,"d":1}],"b":1}');
    assert.equal(await value('print dynamic_to_json(dynamic([3, 1]))'), '[3,1]');
  });

  test('treepath lists the distinct paths; array elements share [0] (treepath docs)', async () => {
    assert.deepEqual(await value(`print treepath(parse_json('{"a":"b", "c":123}'))`), ["['a']", "['c']"]);
    assert.deepEqual(await value(`print treepath(parse_json('{"prop1":[1,2,3,4], "prop2":"value2"}'))`), ["['prop1']", "['prop1'][0]", "['prop2']"]);
    assert.deepEqual(await value(`print treepath(parse_json('{"listProperty":[100,200,300,"abcde",{"x":"y"}]}'))`), ["['listProperty']", "['listProperty'][0]", "['listProperty'][0]['x']"]);
  });

  test('replace_strings replaces in one pass, so lookups can swap (replace_strings docs)', async () => {
    assert.equal(await value('print replace_strings("Swap: first and second", dynamic(["first", "second"]), dynamic(["second", "first"]))'), 'Swap: second and first');
    assert.equal(await value('print replace_strings("Kusto is great", dynamic(["Kusto"]), dynamic([]))'), ' is great');
    assert.equal(replaceStrings('abab', '["ab", "aba"]', '["x", "y"]'), 'yb');
  });

  test('datetime_list_timezones lists IANA zones; bin_auto explains why it is unsupported', async () => {
    assert.equal(await value('print set_has_element(datetime_list_timezones(), "Europe/Berlin")'), true);
    await assert.rejects(engine().query('print bin_auto(1)'), /function bin_auto\(\): needs the query_bin_auto_size/);
  });

  test('estimate_data_size sums the sizes of the columns given, or of the whole row for * (estimate_data_size docs)', async () => {
    assert.equal(await value("range x from 1 to 10 step 1 | extend Text = '1234567890' | summarize Total = sum(estimate_data_size(*))"), 180);
    assert.equal(await value("print x = 1, s = 'añ' | project estimate_data_size(s)"), 3);
    assert.equal(await value('print b = true, i = int(1) | project estimate_data_size(b, i)'), 5);
  });

  test('rank_tdigest and percentrank_tdigest; make_dictionary is make_bag', async () => {
    const [row] = objects(await engine().query('range x from 1 to 10 step 1 | summarize t = tdigest(x), d = make_dictionary(bag_pack(tostring(x), x)) | project r = rank_tdigest(t, 4), p = percentrank_tdigest(t, 5), n = array_length(bag_keys(d))'));
    assert.deepEqual([row!.r, row!.p, row!.n], [4, 50, 10]);
  });
});
