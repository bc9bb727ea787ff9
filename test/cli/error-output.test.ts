import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatQueryError } from '../../src/cli/error-output.js';
import { KqlError, locate, type Diagnostic } from '../../src/kql/diagnostics.js';

function diagnosticAt(text: string, token: string, code = 'KS001', message = `unexpected '${token}'`): Diagnostic {
  const start = text.indexOf(token);
  return { code, severity: 'error', message, start, length: token.length, ...locate(text, start) };
}

describe('query error output', () => {
  it('prints line:col, the source line and a caret under the span', () => {
    const text = 'StormEvents\n| where State == bad\n| take 10';
    const err = new KqlError('syntax', 'syntax error', [diagnosticAt(text, 'bad')]);
    assert.equal(formatQueryError(text, err), [
      "2:18: error KS001: unexpected 'bad'",
      '  | where State == bad',
      '  ' + ' '.repeat(17) + '^^^',
      '',
    ].join('\n'));
    const [, source, caret] = formatQueryError(text, err).split('\n');
    assert.equal(caret!.indexOf('^'), source!.indexOf('bad'));
  });

  it('prints every diagnostic, in order', () => {
    const text = 'print a=foo, b=bar';
    const err = new KqlError('semantic', 'two problems', [
      diagnosticAt(text, 'foo', 'KS142', "the name 'foo' does not refer to any column"),
      diagnosticAt(text, 'bar', 'KS142', "the name 'bar' does not refer to any column"),
    ]);
    assert.equal(formatQueryError(text, err), [
      "1:9: error KS142: the name 'foo' does not refer to any column",
      '  print a=foo, b=bar',
      '          ^^^',
      "1:16: error KS142: the name 'bar' does not refer to any column",
      '  print a=foo, b=bar',
      '                 ^^^',
      '',
    ].join('\n'));
  });

  it('keeps the caret under the span when the line holds tabs', () => {
    const text = '\tprint\tx = bad';
    const err = new KqlError('syntax', 'syntax error', [diagnosticAt(text, 'bad')]);
    const [, source, caret] = formatQueryError(text, err).split('\n');
    assert.equal(source, '   print x = bad');
    assert.equal(caret, '             ^^^');
    assert.equal(caret!.indexOf('^'), source!.indexOf('bad'));
  });

  it('prints `error: message` when there is nothing to point at', () => {
    assert.equal(formatQueryError('x', new KqlError('timeout', 'the query timed out after 5 s')), 'error: the query timed out after 5 s\n');
  });

  it('never prints a stack trace for other errors', () => {
    const out = formatQueryError('x', new Error('disk on fire'));
    assert.equal(out, 'error: disk on fire\n');
  });
});
