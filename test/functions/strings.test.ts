import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useDb, expr, fn, json, lit } from './helpers.js';

const db = useDb();

const s = (v: string) => lit('string', v);
const long = (v: number | null) => lit('long', v);
const str = async (name: string, ...args: Parameters<typeof fn>[1]) => db().value(fn(name, args, 'string'));

describe('concatenation', () => {
  test('strcat joins its arguments (strcat docs)', async () => {
    assert.equal(await str('strcat', s('hello'), s(' '), s('world')), 'hello world');
    assert.equal(await str('strcat', s('Line 1\n'), s('Line 2\n'), s('Line 3')), 'Line 1\nLine 2\nLine 3');
  });

  test('strcat applies tostring to each argument (a null becomes the empty string)', async () => {
    assert.equal(
      await str('strcat', s('n='), long(1), s(' r='), lit('real', 2.5), s(' b='), lit('bool', true), s(' x='), lit('long', null), s(' t='), lit('timespan', '1h')),
      'n=1 r=2.5 b=true x= t=01:00:00',
    );
  });

  test('strcat_delim applies tostring and puts the delimiter between (strcat_delim docs)', async () => {
    assert.equal(await str('strcat_delim', s('-'), long(1), s('2'), s('A'), lit('timespan', '1s')), '1-2-A-00:00:01');
  });
});

describe('simple string functions', () => {
  test('strlen, tolower, toupper, reverse', async () => {
    assert.equal(await db().value(fn('strlen', [s('Hello')], 'long')), 5);
    assert.equal(await str('tolower', s('HeLLo')), 'hello');
    assert.equal(await str('toupper', s('HeLLo')), 'HELLO');
    assert.equal(await str('reverse', s('ABCDEFGHIJKLMNOPQRSTUVWXYZ')), 'ZYXWVUTSRQPONMLKJIHGFEDCBA');
  });

  test('reverse applies tostring first (reverse docs: int, real, datetime, timespan)', async () => {
    assert.equal(await str('reverse', lit('int', 12345)), '54321');
    assert.equal(await str('reverse', lit('real', 123.45)), '54.321');
    assert.equal(await str('reverse', lit('datetime', '2017-10-15T12:00:00Z')), 'Z0000000.00:00:21T51-01-7102');
    assert.equal(await str('reverse', lit('timespan', '3h')), '00:00:30');
  });

  test('substring is zero-based; a negative start counts from the end (substring docs)', async () => {
    assert.equal(await str('substring', s('123456'), long(1)), '23456');
    assert.equal(await str('substring', s('123456'), long(2), long(2)), '34');
    assert.equal(await str('substring', s('ABCD'), long(0), long(2)), 'AB');
    assert.equal(await str('substring', s('123456'), long(-2), long(2)), '56');
  });

  test('substring out of range is the empty string, never null', async () => {
    assert.equal(await str('substring', s('abc'), long(10)), '');
    assert.equal(await str('substring', s('abc'), long(1), long(-1)), '');
    assert.equal(await str('substring', s('abc'), lit('long', null)), '');
  });

  test('split returns a dynamic array; with an index a one-element array or []', async () => {
    assert.deepEqual(json(await db().value(fn('split', [s('aa_bb'), s('_')], 'dynamic'))), ['aa', 'bb']);
    assert.deepEqual(json(await db().value(fn('split', [s('aaa_bbb_ccc'), s('_'), long(1)], 'dynamic'))), ['bbb']);
    assert.deepEqual(json(await db().value(fn('split', [s('aa_bb'), s('_'), long(5)], 'dynamic'))), []);
    assert.deepEqual(json(await db().value(fn('split', [s('a__b'), s('_')], 'dynamic'))), ['a', '', 'b']);
  });

  test('trim removes all leading and trailing matches of a regex (trim docs)', async () => {
    assert.equal(await str('trim', s('--'), s('--https://bing.com--')), 'https://bing.com');
    for (let x = 1; x <= 2; x++) assert.equal(await str('trim', s('[^\\w]+'), s(`-  Te st${x}// $`)), `Te st${x}`);
    assert.equal(await str('trim', s('\\s+'), s('    Hello, world!    ')), 'Hello, world!');
    assert.equal(await str('trim', expr('string', '--'), s('----x--')), 'x');
    assert.equal(await str('trim_start', s('-'), s('--x--')), 'x--');
    assert.equal(await str('trim_end', s('-'), s('--x--')), '--x');
  });

  test('replace_string replaces every occurrence (replace_string docs)', async () => {
    assert.equal(await str('replace_string', s('A magic trick can turn a cat into a dog'), s('cat'), s('hamster')), 'A magic trick can turn a hamster into a dog');
    assert.equal(await str('replace_string', s('Number is 1'), s('is'), s('was')), 'Number was 1');
    assert.equal(await str('replace_string', s('aaa'), s(''), s('b')), 'aaa');
  });

  test('replace_regex rewrites with \\1 groups, every match (replace_regex docs)', async () => {
    assert.equal(await str('replace_regex', s('Number is 1'), s('is (\\d+)'), s('was: \\1')), 'Number was: 1');
    assert.equal(await str('replace_regex', s('a1b22c'), s('\\d'), s('#')), 'a#b##c');
  });

  test('countof: plain matches may overlap, regex matches do not (countof docs)', async () => {
    const count = (...args: Parameters<typeof fn>[1]) => db().value(fn('countof', args, 'long'));
    assert.equal(await count(s('aaa'), s('a')), 3);
    assert.equal(await count(s('aaaa'), s('aa')), 3);
    assert.equal(await count(s('ababa'), s('ab'), s('normal')), 2);
    assert.equal(await count(s('ababa'), s('aba')), 2);
    assert.equal(await count(s('ababa'), s('aba'), s('regex')), 1);
    assert.equal(await count(s('abcabc'), s('a.c'), s('regex')), 2);
    assert.equal(await count(s('Hello, world!'), expr('string', 'l')), 3);
  });

  test('indexof with start, length and occurrence (indexof docs)', async () => {
    const idx = (...args: Parameters<typeof fn>[1]) => db().value(fn('indexof', args, 'long'));
    assert.equal(await idx(s('abcdefg'), s('cde')), 2);
    assert.equal(await idx(s('abcdefg'), s('cde'), long(1), long(4)), 2);
    assert.equal(await idx(s('abcdefg'), s('cde'), long(1), long(2)), -1);
    assert.equal(await idx(s('abcdefg'), s('cde'), long(3), long(4)), -1);
    assert.equal(await idx(s('abcdefg'), s('cde'), long(-5)), 2);
    assert.equal(await idx(lit('long', 1234567), lit('long', 5), long(1), long(4)), 4);
    assert.equal(await idx(s('abcdefg'), s('cde'), long(2), long(-1)), 2);
    assert.equal(await idx(s('abcdefgabcdefg'), s('cde'), long(1), long(10), long(2)), 9);
    assert.equal(await idx(s('abcdefgabcdefg'), s('cde'), long(1), long(-1), long(3)), -1);
    assert.equal(await idx(s('abc'), s('x')), -1);
  });
});

describe('extract', () => {
  test('extract returns the capture group (extract docs)', async () => {
    const t1 = s('User: James, Email: James@example.com, Age: 29');
    assert.equal(await str('extract', s('User: ([^,]+)'), long(1), t1), 'James');
    assert.equal(await str('extract', s('Email: (\\S+),'), long(1), t1), 'James@example.com');
    assert.equal(await str('extract', s('\\d+'), long(0), t1), '29');
  });

  test('extract without a match is the empty string, never null', async () => {
    assert.equal(await str('extract', s('Email: (\\S+),'), long(1), s('User: David, Age: 35')), '');
  });

  test('extract with typeof(int) converts the match (extract docs: month of 15-12-2024 is 12)', async () => {
    const month = (d: string) => db().value(fn('extract', [s('-(\\d{2})-'), long(1), s(d), lit('string', 'int')], 'int'));
    assert.equal(await month('15-12-2024'), 12);
    assert.equal(await month('21-07-2023'), 7);
    assert.equal(await month('10-03-2022'), 3);
    assert.equal(await month('no date'), null, 'no match with a typed result is null');
  });

  test('extract_all: one group gives an array of strings (extract_all docs)', async () => {
    const v = fn('extract_all', [s('(\\d+)'), s('a set of numbers: 123, 567 and 789')], 'dynamic');
    assert.deepEqual(json(await db().value(v)), ['123', '567', '789']);
  });

  test('extract_all: several groups give an array per match; a groups array picks some', async () => {
    const id = s('82b8be2d-dfa7-4bd1-8f63-24ad26d31449');
    const all = fn('extract_all', [s('(\\w)(\\w+)(\\w)'), id], 'dynamic');
    assert.deepEqual(json(await db().value(all)), [['8', '2b8be2', 'd'], ['d', 'fa', '7'], ['4', 'bd', '1'], ['8', 'f6', '3'], ['2', '4ad26d3144', '9']]);
    const some = fn('extract_all', [s('(\\w)(\\w+)(\\w)'), lit('dynamic', [1, 3]), id], 'dynamic');
    assert.deepEqual(json(await db().value(some)), [['8', 'd'], ['d', '7'], ['4', '1'], ['8', '3'], ['2', '9']]);
    const named = fn('extract_all', [s('(?P<first>\\w)(\\w+)(?P<last>\\w)'), lit('dynamic', ['first', 'last']), id], 'dynamic');
    assert.deepEqual(json(await db().value(named)), [['8', 'd'], ['d', '7'], ['4', '1'], ['8', '3'], ['2', '9']]);
  });

  test('extract_all without a match is null', async () => {
    assert.equal(await db().value(fn('extract_all', [s('(\\d+)'), s('none')], 'dynamic')), null);
  });
});

describe('encoding and hashing', () => {
  test('base64_encode_tostring / base64_decode_tostring (docs)', async () => {
    assert.equal(await str('base64_encode_tostring', s('Kusto')), 'S3VzdG8=');
    assert.equal(await str('base64_decode_tostring', s('S3VzdG8=')), 'Kusto');
  });

  test('base64_decode_tostring of invalid input is the empty string', async () => {
    assert.equal(await str('base64_decode_tostring', s('not base64!')), '');
    assert.equal(await str('base64_decode_tostring', s('/w==')), '', 'bytes that are not UTF-8');
  });

  test('url_encode encodes as .NET does: lowercase hex, space as + (url_encode docs)', async () => {
    assert.equal(await str('url_encode', s('https://www.bing.com/hello world')), 'https%3a%2f%2fwww.bing.com%2fhello+world');
    assert.equal(await str('url_encode', s('é')), '%c3%a9');
  });

  test('url_decode decodes %XX (UTF-8) and + as space', async () => {
    assert.equal(await str('url_decode', s('https%3a%2f%2fwww.bing.com%2fhello+world')), 'https://www.bing.com/hello world');
    assert.equal(await str('url_decode', s('%C3%A9%zz')), 'é%zz');
  });

  test('hash_sha256, hash_md5, hash_sha1 give lowercase hex', async () => {
    assert.equal(await str('hash_sha256', s('World')), '78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524');
    assert.equal(await str('hash_md5', s('')), 'd41d8cd98f00b204e9800998ecf8427e');
    assert.equal(await str('hash_sha1', s('abc')), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  });

  test('new_guid gives a fresh guid per call', async () => {
    const rows = await db().rows(`SELECT count(DISTINCT ${fn('new_guid', [], 'guid').sql}) FROM range(10)`);
    assert.equal(rows[0]![0], 10);
  });
});

test('.NET-style named groups (?<name>…) work in extract, matches regex and replace_regex, as Kusto accepts them', async () => {
  const { QueryEngine } = await import('../../src/engine/engine.js');
  const engine = await QueryEngine.open();
  try {
    const r = await engine.query('print e = extract(@"user=(?<name>\\w+)", 1, "user=bob x"), m = "id=42" matches regex @"id=(?<id>\\d+)", r = replace_regex("a1b2", @"(?<d>\\d)", "#")');
    assert.deepEqual(r.rows, [['bob', true, 'a#b#']]);
  } finally {
    await engine.close();
  }
});
