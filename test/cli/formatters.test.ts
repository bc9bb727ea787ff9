import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCsv } from '../../src/cli/format-csv.js';
import { formatJson, formatNdjson } from '../../src/cli/format-json.js';
import { formatTable } from '../../src/cli/format-table.js';
import { renderResult } from '../../src/cli/output-format.js';
import { displayWidth, truncateToWidth } from '../../src/cli/text-width.js';
import type { QueryResult, ResultColumn } from '../../src/engine/result.js';

function result(columns: ResultColumn[], rows: unknown[][], extra: Partial<QueryResult> = {}): QueryResult {
  return { columns, rows, truncated: false, warnings: [], visualization: null, stats: { elapsedMs: 12, rowCount: rows.length }, ...extra };
}

const mixed = result(
  [{ name: 'Name', type: 'string' }, { name: 'Count', type: 'long' }, { name: 'Bag', type: 'dynamic' }],
  [['alice', 3, { a: [1, 2] }], ['bob', 12345, null], ['', null, 'text']],
);

describe('table format', () => {
  it('aligns strings left and numbers right, under a header and separator, with a footer', () => {
    assert.equal(formatTable(mixed), [
      'Name   Count  Bag',
      '-----  -----  -----------',
      'alice      3  {"a":[1,2]}',
      'bob    12345',
      '              "text"',
      '(3 rows, 12 ms)',
      '',
    ].join('\n'));
  });

  it('says "1 row" and rounds the time', () => {
    const r = result([{ name: 'x', type: 'long' }], [[1]], { stats: { elapsedMs: 7.6, rowCount: 1 } });
    assert.equal(formatTable(r), 'x\n-\n1\n(1 row, 8 ms)\n');
  });

  it('prints warnings, the truncation notice and the visualization after the row count', () => {
    const r = result([{ name: 'x', type: 'int' }], [[1]], {
      warnings: ['w1', 'w2'], truncated: true, visualization: { kind: 'barchart' },
    });
    assert.equal(formatTable(r, { truncationHint: 'use --no-truncate' }), [
      'x', '-', '1', '(1 row, 12 ms)',
      'warning: w1', 'warning: w2',
      'warning: the result was truncated at the row/size limit; use --no-truncate',
      'note: render barchart is not drawn in a terminal', '',
    ].join('\n'));
  });

  it('cuts long cells with an ellipsis at the maximum cell width', () => {
    const r = result([{ name: 's', type: 'string' }], [['abcdefghij']]);
    assert.equal(formatTable(r, { maxCellWidth: 6 }), 's\n------\nabcde…\n(1 row, 12 ms)\n');
  });

  it('shows control characters escaped so a row stays on one line', () => {
    const r = result([{ name: 's', type: 'string' }], [['a\nb\tc']]);
    assert.equal(formatTable(r).split('\n')[2], 'a\\nb\\tc');
  });

  it('narrows the widest columns to fit the terminal width', () => {
    const r = result(
      [{ name: 'id', type: 'long' }, { name: 'message', type: 'string' }],
      [[1, 'x'.repeat(50)]],
    );
    const lines = formatTable(r, { maxWidth: 30 }).split('\n');
    assert.equal(lines[2], ` 1  ${'x'.repeat(25)}…`);
    for (const line of lines.slice(0, 3)) assert.ok(line.length <= 30, `too wide: ${line}`);
  });

  it('aligns wide (CJK) characters by display width', () => {
    const r = result([{ name: 'city', type: 'string' }, { name: 'n', type: 'long' }], [['東京', 1], ['Oslo', 22]]);
    assert.equal(formatTable(r), 'city   n\n----  --\n東京   1\nOslo  22\n(2 rows, 12 ms)\n');
  });

  it('prints only the footer when there are no columns', () => {
    assert.equal(formatTable(result([], [])), '(0 rows, 12 ms)\n');
  });
});

describe('text width', () => {
  it('counts wide characters as two columns and combining marks as none', () => {
    assert.equal(displayWidth('東京'), 4);
    assert.equal(displayWidth('e\u0301'), 1);
  });
  it('truncates to the exact width including the ellipsis', () => {
    assert.equal(truncateToWidth('東京都庁', 5), '東京…');
    assert.equal(truncateToWidth('abc', 3), 'abc');
    assert.equal(truncateToWidth('abcd', 3), 'ab…');
  });
});

describe('csv format', () => {
  it('quotes commas, quotes and newlines (RFC 4180), writes dynamic as JSON and null as empty', () => {
    const r = result(
      [{ name: 'Text', type: 'string' }, { name: 'Bag', type: 'dynamic' }, { name: 'N', type: 'int' }],
      [['a,b', { k: 'v' }, 1], ['say "hi"', [1, 'two'], null], ['line1\nline2', null, 3], ['cr\rhere', 'plain', 4]],
    );
    assert.equal(formatCsv(r),
      'Text,Bag,N\r\n' +
      '"a,b","{""k"":""v""}",1\r\n' +
      '"say ""hi""","[1,""two""]",\r\n' +
      '"line1\nline2",,3\r\n' +
      '"cr\rhere","""plain""",4\r\n');
  });

  it('quotes header names that need it and writes only the header for no rows', () => {
    const r = result([{ name: 'a,b', type: 'string' }, { name: 'c', type: 'bool' }], []);
    assert.equal(formatCsv(r), '"a,b",c\r\n');
  });

  it('writes booleans and numbers as they come', () => {
    const r = result([{ name: 'b', type: 'bool' }, { name: 'r', type: 'real' }, { name: 'l', type: 'long' }],
      [[true, 0.25, '9007199254740993']]);
    assert.equal(formatCsv(r), 'b,r,l\r\ntrue,0.25,9007199254740993\r\n');
  });
});

describe('json and ndjson formats', () => {
  it('json is exactly the QueryResult, values untouched, extra fields dropped', () => {
    const r = { ...mixed, internal: 'x' } as QueryResult;
    assert.equal(formatJson(r),
      '{"columns":[{"name":"Name","type":"string"},{"name":"Count","type":"long"},{"name":"Bag","type":"dynamic"}],' +
      '"rows":[["alice",3,{"a":[1,2]}],["bob",12345,null],["",null,"text"]],' +
      '"truncated":false,"warnings":[],"visualization":null,"stats":{"elapsedMs":12,"rowCount":3}}\n');
  });

  it('ndjson writes one object per row, keys in column order', () => {
    const r = result([{ name: 'b', type: 'string' }, { name: '1', type: 'long' }], [['x', 1], ['y', null]]);
    assert.equal(formatNdjson(r), '{"b":"x","1":1}\n{"b":"y","1":null}\n');
  });

  it('csv and ndjson send warnings and truncation to stderr, json keeps them inside', () => {
    const r = result([{ name: 'x', type: 'long' }], [[1]], { warnings: ['careful'], truncated: true });
    const ndjson = renderResult(r, 'ndjson');
    assert.equal(ndjson.stdout, '{"x":1}\n');
    assert.equal(ndjson.stderr, 'warning: careful\nwarning: the result was truncated at the row/size limit\n');
    assert.equal(renderResult(r, 'csv').stderr, ndjson.stderr);
    assert.equal(renderResult(r, 'json').stderr, '');
  });
});

describe('large results', () => {
  it('formats half a million rows without overflowing the stack', () => {
    const rows = Array.from({ length: 500_000 }, (_, i) => [i]);
    const text = formatTable(result([{ name: 'n', type: 'long' }], rows));
    assert.ok(text.endsWith('\n499999\n(500000 rows, 12 ms)\n'));
  });
});
