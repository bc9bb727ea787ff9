// bin/quarry.js itself, for what does not need the engine: init, help, usage errors.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runRealCli, tempDir } from './helpers.js';

describe('quarry init and the bin entry', () => {
  it('init creates a workspace in the folder given, and says so', () => {
    const cwd = tempDir();
    const r = runRealCli(['init', 'hunt'], { cwd });
    const dir = path.join(cwd, 'hunt');
    assert.equal(r.stdout, `Created workspace "hunt" in ${dir}\n`);
    assert.equal(r.status, 0);
    assert.equal(readFileSync(path.join(dir, 'quarry.yaml'), 'utf8'), 'name: hunt\nversion: 1\nlocalOnly: true\n');
    for (const folder of ['rules', 'notebooks', 'watchlists', 'functions', 'playbooks']) {
      assert.ok(existsSync(path.join(dir, folder, '.gitkeep')), folder);
    }
    const again = runRealCli(['init', 'hunt'], { cwd });
    assert.equal(again.stdout, `${dir} is already a workspace ("hunt"); its layout is complete\n`);
    assert.equal(again.status, 0);
  });

  it('init defaults to ./workspace', () => {
    const cwd = tempDir();
    assert.equal(runRealCli(['init'], { cwd }).status, 0);
    assert.ok(existsSync(path.join(cwd, 'workspace', 'quarry.yaml')));
  });

  it('init reports an invalid existing config with exit 1', () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'quarry.yaml'), 'name: x\nversion: 1\n');
    const r = runRealCli(['init', '.'], { cwd });
    assert.equal(r.stderr, `error: ${path.join(cwd, 'quarry.yaml')}: field "localOnly" is missing\n`);
    assert.equal(r.status, 1);
  });

  it('--help and --version exit 0; no command or a bad one exits 2', () => {
    const cwd = tempDir();
    const help = runRealCli(['--help'], { cwd });
    assert.match(help.stdout, /^Usage: quarry \[options\] \[command\]/);
    assert.equal(help.status, 0);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(runRealCli(['--version'], { cwd }).stdout, `${pkg.version}\n`);
    const none = runRealCli([], { cwd });
    assert.match(none.stderr, /^Usage: quarry/);
    assert.equal(none.status, 2);
    const bad = runRealCli(['query', '--format'], { cwd });
    assert.match(bad.stderr, /^error: option '-f, --format <format>' argument missing/);
    assert.equal(bad.status, 2);
  });

  it('refuses to scatter a workspace into a non-empty folder', () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'notes.txt'), 'mine');
    const r = runRealCli(['query', '--workspace', '.', 'print x=1'], { cwd });
    assert.equal(r.stderr, `error: ${cwd} is not empty and has no quarry.yaml; to make it a workspace anyway run: quarry init .\n`);
    assert.equal(r.status, 1);
    assert.equal(existsSync(path.join(cwd, 'quarry.yaml')), false);
  });
});
