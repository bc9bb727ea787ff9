import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KqlError } from '../../src/kql/diagnostics.js';
import { useEngine } from './helpers.js';

async function error(p: Promise<unknown>): Promise<KqlError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof KqlError, `expected a KqlError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the query to fail');
}

describe('bad input', () => {
  const engine = useEngine();

  it('reports a syntax error with its line and column', async () => {
    const e = await error(engine().query('print x = 1\n| where x >'));
    assert.equal(e.kind, 'syntax');
    assert.equal(e.diagnostics[0]!.line, 2);
    assert.ok(e.diagnostics[0]!.column >= 10);
  });

  it('suggests the closest column for an unknown one', async () => {
    const e = await error(engine().query('datatable(Account:string)["a"] | where Acount == "a"'));
    assert.match(e.message, /Did you mean 'Account'/);
  });

  it('suggests the closest table for an unknown one', async () => {
    const e = await error(engine().query('SecurityEvnt | take 1'));
    assert.match(e.message, /'SecurityEvent'/);
  });

  it('names the function on a runtime error from a bad regex', async () => {
    const e = await error(engine().query('datatable(s:string)["a"] | where s matches regex "(unclosed"'));
    assert.ok(e.kind === 'runtime' || e.kind === 'semantic');
    assert.match(e.message, /regex|regular expression/i);
  });

  it('stops a long query at its timeout', async () => {
    const e = await error(engine().query('range x from 1 to 3000000000 step 1 | summarize dcount(x % 1000000007)', { timeoutMs: 300 }));
    assert.equal(e.kind, 'timeout');
    // The engine stays usable afterwards.
    const r = await engine().query('print 1');
    assert.equal(r.rows[0]![0], 1);
  });

  it('runs a query on a Sentinel table with no data yet as an empty table of its real columns', async () => {
    const r = await engine().query('SecurityEvent | where EventID == 4624 | project TimeGenerated, Account, Computer');
    assert.deepEqual(r.columns, [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'Account', type: 'string' },
      { name: 'Computer', type: 'string' },
    ]);
    assert.equal(r.rows.length, 0);
  });
});

describe('compiler robustness', () => {
  const engine = useEngine();

  it('keeps nested parse_json(tostring(…)) linear in SQL size (each argument evaluated once)', async () => {
    let x = 'parse_json(s)';
    for (let i = 0; i < 8; i++) x = `parse_json(tostring(${x}.a))`;
    const q = `datatable(s:string)['{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":9}}}}}}}}}'] | extend p = ${x} | project p`;
    assert.ok(engine().prepare(q).sql.length < 20_000);
    const r = await engine().query(q);
    assert.deepEqual(r.rows, [[{ a: 9 }]]);
  });

  it('refuses network-only externaldata even when bag_unpack must first learn its columns', async () => {
    const e = await error(engine().query("externaldata(a:string)['https://example.com/x.json'] | extend d = parse_json(a) | evaluate bag_unpack(d)"));
    assert.match(e.message, /needs network access/);
  });
});
