import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KustoFrontend } from '../../src/kql/frontend/kusto-language.js';
import { languageInventory } from '../../src/kql/frontend/inventory.js';

const frontend = new KustoFrontend({ tableColumns: () => undefined, reachableTables: () => [] });
const inventoryOf = (kql: string) => languageInventory(frontend.analyze(kql));
const sorted = (s: Set<string>) => [...s].sort();

describe('languageInventory', () => {
  test('tabular operators by kind and keyword', () => {
    const inv = inventoryOf('range x from 1 to 5 step 1 | where x > 1 | filter x < 5 | take 3 | limit 2 | order by x | mv-expand y = pack_array(x) | make-series count() on x step 1');
    assert.deepEqual(sorted(inv.operators), [
      'FilterOperator', 'MakeSeriesOperator', 'MvExpandOperator', 'RangeOperator', 'SortOperator', 'TakeOperator',
      'filter', 'limit', 'make-series', 'mv-expand', 'order', 'range', 'take', 'where',
    ].sort());
  });

  test('datatable, materialize and toscalar count as operators', () => {
    const inv = inventoryOf('let t = materialize(datatable(a:long)[1]); let n = toscalar(t | count); t | extend n');
    for (const op of ['DataTableExpression', 'datatable', 'MaterializeExpression', 'materialize', 'ToScalarExpression', 'toscalar', 'CountOperator', 'count', 'ExtendOperator']) {
      assert.ok(inv.operators.has(op), op);
    }
  });

  test('built-in functions and aggregates, lower-case; not user functions or literals', () => {
    const inv = inventoryOf(
      'let f = (s:string) { toupper(s) }; print d = datetime(2020-01-01), j = dynamic([1]), n = int(null), t = 1d, u = f("a"), l = strlen("x") | summarize count(), make_list_if(l, l > 0) by bin(d, 1d)',
    );
    assert.deepEqual(sorted(inv.functions), ['bin', 'count', 'make_list_if', 'strlen', 'toupper']);
  });

  test('statements', () => {
    const inv = inventoryOf('set notruncation; let x = 1; print x');
    assert.deepEqual(sorted(inv.statements), ['ExpressionStatement', 'LetStatement', 'SetOptionStatement']);
  });

  test('scalar operators as written', () => {
    const inv = inventoryOf('print d = dynamic({"a": [1]}) | where d.a[0] == 1 and "A" in~ ("a") and "x" !contains "y" and "s" matches regex "s" and 2 between (1 .. 3) or -1 + 2 * 3 > 0');
    assert.deepEqual(sorted(inv.scalarOperators), ['!contains', '*', '+', '-', '.', '==', '>', '[]', 'and', 'between', 'in~', 'matches regex', 'or'].sort());
  });
});
