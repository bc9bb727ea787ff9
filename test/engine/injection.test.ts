import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { objects, scalar, useEngine } from './helpers.js';

/** User text never becomes SQL: quotes in literals, names and dynamic keys stay data. */
describe('SQL injection through query text', () => {
  const engine = useEngine();

  it('keeps quotes and SQL in string literals as data', async () => {
    const evil = `x'); DROP TABLE t; --`;
    assert.equal(await scalar(engine(), `print s = ${JSON.stringify(evil)}`), evil);
    assert.equal(await scalar(engine(), `print s = 'a''b'`.replace("''", "\\'")), "a'b");
    assert.equal(await scalar(engine(), `print strlen("it's \\"quoted\\"")`), 13);
  });

  it('keeps quoted column names with double quotes as names', async () => {
    const r = await engine().query(`print ['a"b'] = 1, ['c\\'d'] = 2 | extend ['e"); select 1; --'] = 3`);
    assert.deepEqual(r.columns.map((c) => c.name), ['a"b', "c'd", 'e"); select 1; --']);
    assert.deepEqual(objects(r), [{ 'a"b': 1, "c'd": 2, 'e"); select 1; --': 3 }]);
  });

  it('keeps dynamic keys with quotes and path characters as keys', async () => {
    const key = `k'"]$.x`;
    const r = await engine().query(`print d = dynamic({"k'\\"]$.x": 42, "plain": 1}) | extend v = d[${JSON.stringify(key)}], p = d.plain`);
    assert.deepEqual(r.rows[0]!.slice(1), [42, 1]);
  });

  it('keeps has-terms with regex metacharacters literal', async () => {
    assert.equal(await scalar(engine(), `print "run a.*b now" has "a.*b"`), true);
    assert.equal(await scalar(engine(), `print "run axxb now" has "a.*b"`), false);
  });
});
