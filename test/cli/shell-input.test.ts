import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryBuffer } from '../../src/cli/shell-input.js';

describe('shell input', () => {
  it('collects lines until an empty line', () => {
    const b = new QueryBuffer();
    assert.deepEqual(b.push('StormEvents'), { kind: 'more' });
    assert.equal(b.isEmpty, false);
    assert.deepEqual(b.push('| take 3'), { kind: 'more' });
    assert.deepEqual(b.push(''), { kind: 'query', text: 'StormEvents\n| take 3' });
    assert.equal(b.isEmpty, true);
  });

  it('ends a query at a line ending in ;; and drops the ;;', () => {
    const b = new QueryBuffer();
    b.push('range x from 1 to 3 step 1');
    assert.deepEqual(b.push('| count ;;  '), { kind: 'query', text: 'range x from 1 to 3 step 1\n| count ' });
    assert.deepEqual(b.push('print 1;;'), { kind: 'query', text: 'print 1' });
  });

  it('keeps the lines of a query as typed, so diagnostics point at the right column', () => {
    const b = new QueryBuffer();
    b.push('  print x = 1');
    assert.deepEqual(b.push(' '), { kind: 'query', text: '  print x = 1' });
  });

  it('ignores empty lines and bare ;; between queries', () => {
    const b = new QueryBuffer();
    assert.deepEqual(b.push(''), { kind: 'nothing' });
    assert.deepEqual(b.push('   '), { kind: 'nothing' });
    assert.deepEqual(b.push(';;'), { kind: 'nothing' });
  });

  it('reads dot commands only at the start of a query', () => {
    const b = new QueryBuffer();
    assert.deepEqual(b.push('.tables  Signin '), { kind: 'command', name: 'tables', argument: 'Signin' });
    assert.deepEqual(b.push('.QUIT'), { kind: 'command', name: 'quit', argument: '' });
    b.push('print s = "a"');
    assert.deepEqual(b.push('.quit'), { kind: 'more' });
  });

  it('finish returns the pending query at end of input, clear drops it', () => {
    const b = new QueryBuffer();
    b.push('print 1');
    assert.deepEqual(b.finish(), { kind: 'query', text: 'print 1' });
    assert.deepEqual(b.finish(), { kind: 'nothing' });
    b.push('print 2');
    b.clear();
    assert.deepEqual(b.finish(), { kind: 'nothing' });
  });
});
