import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { QueryEngine } from '../../src/engine/engine.js';
import { SavedFunctions } from '../../src/workspace/saved-functions.js';

/** Saved functions: a workspace's functions/*.kql, usable by name like Kusto's stored functions. */
describe('saved functions', () => {
  let dir: string;
  let engine: QueryEngine;
  let functions: SavedFunctions;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'quarry-functions-'));
    writeFileSync(path.join(dir, 'Logons.kql'), [
      '// Logons of one account.',
      '// parameters: (account:string, id:int = 4625)',
      'datatable(Account:string, EventID:int)["bob", 4625, "amy", 4625, "bob", 4624]',
      '| where Account == account and EventID == id',
    ].join('\n'));
    writeFileSync(path.join(dir, 'Twice.kql'), '// parameters: (x:long)\nx * 2\n');
    writeFileSync(path.join(dir, 'BobFailures.kql'), 'Logons("bob") | count\n');
    writeFileSync(path.join(dir, 'bad name.kql'), 'print 1');
    writeFileSync(path.join(dir, 'Broken.kql'), '// parameters: (n:long)\nprint x = n\n| where x >\n');
    functions = new SavedFunctions([dir]);
    engine = await QueryEngine.open({ savedFunctions: functions });
  });
  after(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a tabular function takes positional and named arguments, with defaults', async () => {
    assert.deepEqual((await engine.query('Logons("bob")')).rows, [['bob', 4625]]);
    assert.deepEqual((await engine.query('Logons(id=4624, account="bob")')).rows, [['bob', 4624]]);
  });

  it('a scalar function is used in expressions; a function may call another', async () => {
    assert.deepEqual((await engine.query('print Twice(21)')).rows, [[42]]);
    assert.deepEqual((await engine.query('BobFailures')).rows, [[1]]);
  });

  it('an unusable file is reported, not fatal; an unknown name stays an error', async () => {
    assert.match(functions.errors.join('\n'), /bad name\.kql: 'bad name' is not a valid function name/);
    await assert.rejects(engine.query('Nope()'), /Nope/);
  });

  it('a body that does not parse is reported at the call, naming the file, line and column', async () => {
    await assert.rejects(engine.query('print 1 | extend y = 2 | union (Broken(3))'), (err: Error) => {
      assert.match(err.message, /saved function 'Broken' \(.*Broken\.kql, line 3, column 12\) does not parse/);
      return true;
    });
  });

  it('editing a file changes the next query (no stale analysed query)', async () => {
    const file = path.join(dir, 'Twice.kql');
    writeFileSync(file, '// parameters: (x:long)\nx * 3\n');
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
    await new Promise((r) => setTimeout(r, 2100));
    assert.deepEqual((await engine.query('print Twice(21)')).rows, [[63]]);
  });

  it('Quarry ships the Sysmon parser as a built-in saved function', () => {
    assert.ok(SavedFunctions.forWorkspace(dir).get('Sysmon'));
  });
});
