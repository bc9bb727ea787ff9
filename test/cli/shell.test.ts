// `quarry shell` as a process on the fake engine: with piped input, and in a pseudo-terminal.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { fakeCliCommand, runFakeCli, tempDir } from './helpers.js';

const cwd = tempDir();
const shell = (input: string, workspace = 'ws') => runFakeCli(['shell', '--workspace', workspace], { cwd, input });
const banner = (dir: string) => `Quarry shell on ${dir}. Type .help for help, .quit or Ctrl-D to quit.\n`;

describe('quarry shell with piped input', () => {
  it('runs each query, ended by an empty line, ;; or the end of input', () => {
    const r = shell('print x=1\n\n.tables log\nfake:empty;;\nprint\nx=1');
    assert.equal(r.stdout, [
      'x', '-', '1', '(1 row, 12 ms)',
      'AuditLogs', 'SigninLogs', 'Syslog', '(3 tables matching "log")',
      'a  b', '-  -', '(0 rows, 12 ms)',
      // "print\nx=1" is not a query the fake engine knows
      '',
    ].join('\n'));
    assert.equal(r.stderr, banner(path.join(cwd, 'ws')) + 'error: the fake engine does not know: print\nx=1\n');
    assert.equal(r.status, 1);
  });

  it('prints diagnostics and carries on after a failing query; exits 1 because one failed', () => {
    const r = shell('where\n  x == bad\n\nprint x=1\n');
    assert.equal(r.stdout, 'x\n-\n1\n(1 row, 12 ms)\n');
    assert.equal(r.stderr, banner(path.join(cwd, 'ws')) + "2:8: error KS001: unexpected 'bad'\n    x == bad\n         ^^^\n");
    assert.equal(r.status, 1);
  });

  it('stops at .quit and reports unknown commands', () => {
    const r = shell('.nope\n.help\n.quit\nprint x=1\n');
    assert.match(r.stdout, /^Type a KQL query\./);
    assert.doesNotMatch(r.stdout, /1 row/);
    assert.match(r.stderr, /error: unknown command \.nope \(type \.help for the list\)\n$/);
  });

  it('exits 0 when every query succeeds, and keeps no history without a terminal', () => {
    const r = shell('print x=1\n', 'quiet-ws');
    assert.equal(r.stdout, 'x\n-\n1\n(1 row, 12 ms)\n');
    assert.equal(r.status, 0);
    assert.equal(existsSync(path.join(cwd, 'quiet-ws', '.quarry', 'history')), false);
  });
});

const PTY_SESSION = fileURLToPath(new URL('./fixtures/pty-session.py', import.meta.url));
const hasPython = spawnSync('python3', ['--version']).status === 0;

interface Step { send?: string; waitFor?: string }

/** Plays `steps` against the shell in a pseudo-terminal; returns the transcript without escape codes. */
function ptySession(steps: Step[], workspace: string): { transcript: string; exitCode: number } {
  const [node, args] = fakeCliCommand(['shell', '--workspace', workspace]);
  const r = spawnSync('python3', [PTY_SESSION, JSON.stringify(steps), node, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const { transcript, exitCode } = JSON.parse(r.stdout) as { transcript: string; exitCode: number };
  // eslint-disable-next-line no-control-regex
  return { transcript: transcript.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, ''), exitCode };
}

describe('quarry shell in a terminal', { skip: !hasPython && 'needs python3 for a pseudo-terminal' }, () => {
  it('prompts, continues multi-line input, cancels with Ctrl-C, and keeps history across sessions', () => {
    const ws = path.join(cwd, 'tty-ws');
    const first = ptySession([
      { waitFor: 'quarry> ' },
      { send: 'print\r', waitFor: '    ..> ' },
      { send: '\x03', waitFor: 'quarry> ' }, // Ctrl-C drops the pending "print"
      { send: 'print x=1\r', waitFor: '..> ' },
      { send: '\r', waitFor: '(1 row, 12 ms)' },
      { send: 'fake:wait;;\r', waitFor: 'fake:wait;;' },
      { send: '\x03', waitFor: 'error: the query was cancelled' },
      { send: '\x04' }, // Ctrl-D
    ], ws);
    assert.equal(first.exitCode, 0);
    const t = first.transcript;
    assert.ok(t.startsWith(banner(ws)), t);
    assert.match(t, /quarry> print\n {4}\.\.> \nquarry> print x=1\n {4}\.\.> \nx\n-\n1\n\(1 row, 12 ms\)\n/);
    assert.match(t, /cancelling the query \(press Ctrl-C again to quit Quarry\)\nerror: the query was cancelled\n/);
    assert.equal(readFileSync(path.join(ws, '.quarry', 'history'), 'utf8'), 'print\nprint x=1\nfake:wait;;\n');

    // Up arrow in a new session brings back the last line of the previous one.
    const second = ptySession([
      { waitFor: 'quarry> ' },
      { send: '\x1b[A', waitFor: 'fake:wait;;' },
      { send: '\x03', waitFor: 'quarry> ' },
      { send: '.quit\r' },
    ], ws);
    assert.equal(second.exitCode, 0);
    assert.match(second.transcript, /quarry> fake:wait;;/);
  });

  it('shows how to quit on Ctrl-C at an empty prompt', () => {
    const r = ptySession([
      { waitFor: 'quarry> ' },
      { send: '\x03', waitFor: '(to quit, press Ctrl-D or type .quit)' },
      { send: '.exit\r' },
    ], path.join(cwd, 'tty-ws2'));
    assert.equal(r.exitCode, 0);
    assert.match(r.transcript, /\(to quit, press Ctrl-D or type \.quit\)\nquarry> \.exit/);
  });
});
