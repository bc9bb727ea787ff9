import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scalar, useEngine } from '../engine/helpers.js';
import { parseCsv, parsePath, parseWindowsCommandLine } from '../../src/engine/duckdb/udfs/text-formats.js';

describe('text formats', () => {
  const engine = useEngine();
  const value = (kql: string) => scalar(engine(), kql);

  test('parse_url splits an absolute URL; every part is a string, Port too (parse_url docs)', async () => {
    assert.deepEqual(await value('print parse_url("scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment")'), {
      Scheme: 'scheme', Host: 'host', Port: '1234', Path: '/this/is/a/path', Username: 'username', Password: 'password',
      'Query Parameters': { k1: 'v1', k2: 'v2' }, Fragment: 'fragment',
    });
    assert.deepEqual(await value('print parse_url("not a url")'), {});
  });

  test('parse_urlquery decodes values under "Query Parameters"; d.[expr] reads a computed key (parse_urlquery docs)', async () => {
    assert.deepEqual(await value('print parse_urlquery("k1=v1&k2=v2&k3=v3")'), { 'Query Parameters': { k1: 'v1', k2: 'v2', k3: 'v3' } });
    assert.equal(await value('print p="q" | project tostring(parse_urlquery("q=a%20b+c")["Query Parameters"].[p])'), 'a b c');
  });

  test('parse_path: drive root, UNC and POSIX paths, file:// URLs and alternate data streams (parse_path docs)', async () => {
    assert.deepEqual(await value('print parse_path(@"C:\\temp\\file.txt")'), {
      Scheme: '', RootPath: 'C:', DirectoryPath: 'C:\\temp', DirectoryName: 'temp', Filename: 'file.txt', Extension: 'txt', AlternateDataStreamName: '',
    });
    assert.deepEqual(JSON.parse(parsePath('file://C:/temp/file.txt:some.exe')), {
      Scheme: 'file', RootPath: 'C:', DirectoryPath: 'C:/temp', DirectoryName: 'temp', Filename: 'file.txt', Extension: 'txt', AlternateDataStreamName: 'some.exe',
    });
    assert.equal(JSON.parse(parsePath('\\\\shared\\users\\temp\\file.txt.gz')).RootPath, '');
    assert.equal(JSON.parse(parsePath('/usr/lib/temp/file.txt')).DirectoryPath, '/usr/lib/temp');
  });

  test('parse_csv reads only the first record; "" inside quotes is a quote (parse_csv docs)', async () => {
    assert.deepEqual(await value(`print parse_csv('aa,"b,b,b",cc,"Escaping quotes: ""Title""","line1\\nline2"')`), ['aa', 'b,b,b', 'cc', 'Escaping quotes: "Title"', 'line1\nline2']);
    assert.deepEqual(JSON.parse(parseCsv('record1,a,b,c\nrecord2,x,y,z')), ['record1', 'a', 'b', 'c']);
    assert.deepEqual(JSON.parse(parseCsv('')), ['']);
  });

  test('parse_command_line follows CommandLineToArgvW: backslashes are literal unless before a quote', async () => {
    assert.deepEqual(await value('print parse_command_line(@"echo ""hello world"" x", "windows")'), ['echo', 'hello world', 'x']);
    assert.deepEqual(JSON.parse(parseWindowsCommandLine('"C:\\Program Files\\a.exe" a\\\\\\"b "c d"\\\\ e\\f')), ['C:\\Program Files\\a.exe', 'a\\"b', 'c d\\\\', 'e\\f']);
    await assert.rejects(engine().query('print parse_command_line("a b", "linux")'), /parse_command_line\(\): the parser must be the literal "windows"/);
  });

  test('parse_version packs four 8-digit fields into one comparable decimal; invalid text is null (parse_version docs)', async () => {
    assert.equal(String(await value('print parse_version("1.2.3.4")')), '1000000020000000300000004');
    assert.equal(String(await value('print parse_version("0.0.0.5")')), '5');
    assert.equal(await value('print parse_version("0.2") < parse_version("1.0.0.0")'), true);
    assert.equal(await value('print parse_version("1.2.3.4.5")'), null);
  });

  test('parse_xml follows the documented mapping: @attributes, #text, arrays for repeats, null for empty (parse_xml docs)', async () => {
    assert.deepEqual(await value('print parse_xml("<?xml version=\\"1.0\\"?><duration><value>118.0</value><min>100.0</min></duration>")'), { duration: { value: '118.0', min: '100.0' } });
    assert.deepEqual(await value('print parse_xml("<e> text <a>t</a> <a>u</a><b name=\\"v\\">w</b><c/></e>")'), { e: { '#text': 'text', a: ['t', 'u'], b: { '@name': 'v', '#text': 'w' }, c: null } });
    assert.deepEqual(await value('print parse_xml("<Data Name=\\"User\\">bob &amp; co<!-- note --></Data>")'), { Data: { '@Name': 'User', '#text': 'bob & co' } });
    assert.equal(await value('print parse_xml("<e><a></e>")'), null);
    assert.equal(await value('print parse_xml("not xml")'), null);
  });

  test('format_bytes picks the largest unit reached, base 1024 (format_bytes docs)', async () => {
    assert.equal(await value('print format_bytes(564)'), '564 Bytes');
    assert.equal(await value('print format_bytes(10332, 1)'), '10.1 KB');
    assert.equal(await value('print format_bytes(20010332)'), '19 MB');
    assert.equal(await value('print format_bytes(20010332, 2)'), '19.08 MB');
    assert.equal(await value('print format_bytes(20010332, 0, "KB")'), '19541 KB');
  });
});
