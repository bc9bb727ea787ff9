// firstLine() decodes only up to the first non-blank line; it must read what decoding the whole
// head and splitting it would (UTF-8 has no 0x0A byte inside a character), BOM and \r included.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstLine } from '../../src/ingest/registry.js';
import { seededRandom } from '../../src/util/seeded-random.js';

function wholeHead(head: Buffer): string {
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  for (const line of text.split('\n')) if (line.trim() !== '') return line.replace(/\r$/, '');
  return '';
}

describe('firstLine', () => {
  it('reads the first non-blank line', () => {
    assert.equal(firstLine(Buffer.from('\uFEFF\n  \r\n{"a":1}\r\nnext')), '{"a":1}');
    assert.equal(firstLine(Buffer.from('\n\u00a0\t\nx')), 'x');
    assert.equal(firstLine(Buffer.from(' \n\n')), '');
  });

  it('matches decoding the whole head, on random bytes rich in newlines, spaces and UTF-8 pieces', () => {
    const rand = seededRandom(7);
    const alphabet = [0x0a, 0x0d, 0x20, 0x09, 0x41, 0xef, 0xbb, 0xbf, 0xc3, 0xa9, 0xe2, 0x80, 0xa8, 0xff, 0x00];
    for (let t = 0; t < 3000; t++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(rand() * 24) }, () => alphabet[Math.floor(rand() * alphabet.length)]!));
      assert.equal(firstLine(bytes), wholeHead(bytes), bytes.toString('hex'));
    }
  });
});
