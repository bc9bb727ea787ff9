import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scalar, useEngine } from '../engine/helpers.js';

describe('more string functions', () => {
  const engine = useEngine();
  const value = (kql: string) => scalar(engine(), kql);

  test('strcmp is ordinal: -1, 0 or 1', async () => {
    assert.equal(await value('print strcmp("ABC", "ABC")'), 0);
    assert.equal(await value('print strcmp("abc", "ABC")'), 1);
    assert.equal(await value('print strcmp("ABC", "abc")'), -1);
  });

  test('translate: a shorter replacement list repeats its last character, an empty one deletes (translate docs)', async () => {
    assert.equal(await value('print translate("krasp", "otsku", "spark")'), 'kusto');
    assert.equal(await value('print translate("abc", "x", "abc")'), 'xxx');
    assert.equal(await value('print translate("abc", "", "ab")'), '');
  });

  test('regex_quote escapes regex metacharacters (regex_quote docs)', async () => {
    assert.equal(await value('print regex_quote("(so$me.Te^xt)")'), '\\(so\\$me\\.Te\\^xt\\)');
    assert.equal(await value('print "a.b" matches regex regex_quote("a.b")'), true);
    assert.equal(await value('print "axb" matches regex regex_quote("a.b")'), false);
  });

  test('indexof_regex: the n-th non-overlapping match from start within length; a negative start is null (indexof_regex docs)', async () => {
    assert.equal(await value('print indexof_regex("abcabc", @"a.c")'), 0);
    assert.equal(await value('print indexof_regex("abcabcdefg", @"a.c", 0, 9, 2)'), 3);
    assert.equal(await value('print indexof_regex("abcabc", @"a.c", 1, -1, 2)'), -1);
    assert.equal(await value('print indexof_regex("ababaa", @"a.a", 0, -1, 2)'), -1);
    assert.equal(await value('print indexof_regex("abcabc", @"a|ab", -1)'), null);
    assert.equal(await value('print indexof_regex("abcabc", "c", 3)'), 5);
    assert.equal(await value('print indexof_regex("abcabc", "x")'), -1);
    assert.equal(await value('print indexof_regex("abcabc", "b", 10)'), -1);
  });

  test('has_any_index returns the index of the first element the text has as a term (has_any_index docs)', async () => {
    assert.equal(await value('print has_any_index("this is an example", dynamic(["this", "example"]))'), 0);
    assert.equal(await value('print has_any_index("this is an example", dynamic(["not", "example"]))'), 1);
    assert.equal(await value('print has_any_index("this is an example", dynamic(["not", "found"]))'), -1);
    assert.equal(await value('print has_any_index("this is an example", dynamic(["exam"]))'), -1);
    assert.equal(await value('print has_any_index("this is an example", dynamic([]))'), -1);
  });

  test('extract_json reads a JSONPath as string, or as the requested type (extract_json docs)', async () => {
    assert.equal(await value(`print extract_json("$.hello", '{"hello":"world"}')`), 'world');
    assert.equal(await value(`print extract_json("$.a[1]", '{"a":[5,6]}', typeof(long))`), 6);
    assert.equal(await value(`print extractjson("$.missing", '{"a":1}')`), '');
  });

  test('repeat makes an array of copies; 0 gives [] and a negative count null (repeat docs)', async () => {
    assert.deepEqual(await value('print repeat(1, 3)'), [1, 1, 1]);
    assert.deepEqual(await value('print repeat("a", 2)'), ['a', 'a']);
    assert.deepEqual(await value('print repeat(1, 0)'), []);
    assert.equal(await value('print repeat(1, -1)'), null);
  });

  test('hash() is XXH64 of the UTF-8 text as a signed long (docs: hash("World"), hash("Hello")); mod gives 0 … mod−1', async () => {
    const r = await engine().query('print hash("World"), hash("Hello"), hash_xxhash64("World"), hash("World", 7), hash("", 1)');
    assert.deepEqual(r.rows, [['1846988464401551951', '753694413698530628', '1846988464401551951', Number(1846988464401551951n % 7n), 0]]);
  });

  test('hash of a non-string and hash_combine say why they are refused instead of returning values that differ from Kusto', async () => {
    await assert.rejects(engine().query('print hash(15)'), /only strings hash as Kusto hashes them/);
    await assert.rejects(engine().query('print hash_combine(hash("a"), hash("b"))'), /not documented/);
  });
});
