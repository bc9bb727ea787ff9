import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, initWorkspace, openWorkspace, statePath, WorkspaceError } from '../../src/workspace/workspace.js';
import { tempDir } from './helpers.js';

const FOLDERS = ['rules', 'notebooks', 'watchlists', 'functions', 'playbooks'];

function workspaceWithConfig(yamlText: string): string {
  const dir = path.join(tempDir(), 'ws');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'quarry.yaml'), yamlText);
  return dir;
}

function configErrorOf(dir: string): string {
  try {
    openWorkspace(dir);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.message;
  }
  assert.fail('the workspace opened');
}

describe('workspace', () => {
  it('creates a missing workspace with its config, folders and .gitkeep files', () => {
    const dir = path.join(tempDir(), 'nested', 'hunting');
    const ws = openWorkspace(dir, { create: true });
    assert.equal(ws.dir, dir);
    assert.equal(ws.databasePath, path.join(dir, 'quarry.duckdb'));
    assert.deepEqual(ws.config, { name: 'hunting', version: 1, localOnly: true });
    assert.equal(readFileSync(path.join(dir, 'quarry.yaml'), 'utf8'), 'name: hunting\nversion: 1\nlocalOnly: true\n');
    for (const folder of FOLDERS) assert.ok(existsSync(path.join(dir, folder, '.gitkeep')), folder);
    assert.match(readFileSync(path.join(dir, '.gitignore'), 'utf8'), /^\.quarry\/$/m);
  });

  it('opens an existing workspace without rewriting its config', () => {
    const dir = workspaceWithConfig('# mine\nname: soc\nversion: 1\nlocalOnly: false\n');
    const ws = openWorkspace(dir, { create: true });
    assert.deepEqual(ws.config, { name: 'soc', version: 1, localOnly: false });
    assert.equal(readFileSync(path.join(dir, 'quarry.yaml'), 'utf8'), '# mine\nname: soc\nversion: 1\nlocalOnly: false\n');
  });

  it('does not create anything without `create`', () => {
    const dir = path.join(tempDir(), 'absent');
    assert.throws(() => openWorkspace(dir), WorkspaceError);
    assert.equal(existsSync(dir), false);
  });

  it('refuses to turn a non-empty folder into a workspace implicitly, but init does it', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    assert.throws(() => openWorkspace(dir, { create: true }), /is not empty and has no quarry\.yaml/);
    const { created, workspace } = initWorkspace(dir);
    assert.equal(created, true);
    assert.equal(workspace.dir, dir);
    assert.equal(readFileSync(path.join(dir, 'notes.txt'), 'utf8'), 'mine');
    assert.equal(initWorkspace(dir).created, false);
  });

  it('names the file and the field of a wrong value', () => {
    const dir = workspaceWithConfig('name: soc\nversion: 1\nlocalOnly: "yes"\n');
    assert.equal(configErrorOf(dir),
      `${path.join(dir, 'quarry.yaml')}: field "localOnly": Invalid input: expected boolean, received string`);
  });

  it('reports a missing field, an unknown field and an unsupported version', () => {
    assert.match(configErrorOf(workspaceWithConfig('version: 1\nlocalOnly: true\n')), /quarry\.yaml: field "name" is missing$/);
    assert.match(configErrorOf(workspaceWithConfig('name: a\nversion: 1\nlocalOnly: true\nlocalonly: true\n')),
      /quarry\.yaml: unknown field "localonly"/);
    assert.match(configErrorOf(workspaceWithConfig('name: a\nversion: 7\nlocalOnly: true\n')),
      /quarry\.yaml: field "version": unsupported version 7 \(this Quarry reads version 1\)$/);
  });

  it('reports YAML syntax errors with their position, and non-mapping documents', () => {
    assert.match(configErrorOf(workspaceWithConfig('name: [unclosed\nversion: 1\n')), /quarry\.yaml: \d+:\d+: invalid YAML: /);
    assert.match(configErrorOf(workspaceWithConfig('')), /quarry\.yaml: expected a mapping/);
    assert.match(configErrorOf(workspaceWithConfig('- a\n- b\n')), /quarry\.yaml: expected a mapping/);
  });

  it('puts local state under .quarry', () => {
    const ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
    const history = statePath(ws, 'history');
    assert.equal(history, path.join(ws.dir, '.quarry', 'history'));
    assert.ok(existsSync(path.dirname(history)));
  });
});
