import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useDb, expr, lit, op } from './helpers.js';

const db = useDb();

const s = (v: string) => lit('string', v);
const long = (v: number | null) => lit('long', v);
const int = (v: number | null) => lit('int', v);
const real = (v: number | null) => lit('real', v);
const ts = (v: string) => lit('timespan', v);
const dt = (v: string) => lit('datetime', v);

describe('arithmetic', () => {
  test('int / int is integer division truncating toward zero: 7/2 == 3, -7/2 == -3', async () => {
    assert.equal(await db().value(op('/', [int(7), int(2)], 'int')), 3);
    assert.equal(await db().value(op('/', [int(-7), int(2)], 'int')), -3);
    assert.equal(await db().value(op('/', [long(-7), long(2)], 'long')), -3);
  });

  test('real division is real: 1.0/2 == 0.5, real(1)/2 == 0.5 (numerical operators docs)', async () => {
    assert.equal(await db().value(op('/', [real(1), int(2)], 'real')), 0.5);
    assert.equal(await db().value(op('/', [int(1), real(2)], 'real')), 0.5);
  });

  test('integer division by zero is null; real division by zero is ±inf or NaN', async () => {
    assert.equal(await db().value(op('/', [long(1), long(0)], 'long')), null);
    assert.equal(await db().value(op('/', [real(1), real(0)], 'real')), Infinity);
    assert.equal(await db().value(op('/', [real(-1), real(0)], 'real')), -Infinity);
    assert.ok(Number.isNaN(await db().value(op('/', [real(0), real(0)], 'real'))));
  });

  test('modulo is never negative: 0 <= N % D < abs(D) (numerical operators docs example)', async () => {
    const cases: [number, number, number][] = [[14, 12, 2], [-14, 12, 10], [14, -12, 2], [-14, -12, 10]];
    for (const [n, d, want] of cases) assert.equal(await db().value(op('%', [long(n), long(d)], 'long')), want, `${n} % ${d}`);
    assert.equal(await db().value(op('%', [real(-7.5), real(2)], 'real')), 0.5);
  });

  test('long + real is real', async () => {
    const v = op('+', [long(1), real(0.5)], 'real');
    assert.equal(await db().value(v), 1.5);
    assert.equal(await db().typeOf(v), 'DOUBLE');
  });

  test('int + int computes without overflow in the announced long type', async () => {
    const v = op('+', [int(2147483647), int(1)], 'long');
    assert.equal(await db().value(v), 2147483648);
    assert.equal(await db().typeOf(v), 'BIGINT');
  });

  test('arithmetic with a null is null (null values docs: val + 10, val * 10)', async () => {
    assert.equal(await db().value(op('+', [int(null), int(10)], 'int')), null);
    assert.equal(await db().value(op('*', [int(null), int(10)], 'int')), null);
    assert.equal(await db().value(op('+', [int(5), int(10)], 'int')), 15);
  });

  test('timespan / timespan is a real ratio: 1d / 1h == 24.0', async () => {
    const v = op('/', [ts('1d'), ts('1h')], 'real');
    assert.equal(await db().value(v), 24);
    assert.equal(await db().typeOf(v), 'DOUBLE');
  });

  test('datetime - datetime is a timespan in ticks; (dt - datetime(1970-01-01)) / 1s is unix seconds', async () => {
    const diff = op('-', [dt('2019-01-07T21:45:31Z'), dt('1970-01-01T00:00:00Z')], 'timespan');
    assert.equal(await db().value(diff), '15468975310000000');
    assert.equal(await db().value(op('/', [diff, ts('1s')], 'real')), 1546897531);
  });

  test('datetime + long * 1sec is a datetime (datetime arithmetic docs: fromUnixTime)', async () => {
    const seconds = op('*', [long(1546897531), ts('1s')], 'timespan');
    assert.equal(await db().value(op('+', [dt('1970-01-01T00:00:00Z'), seconds], 'datetime')), '2019-01-07 21:45:31');
  });

  test('datetime ± timespan and timespan + datetime', async () => {
    assert.equal(await db().value(op('-', [dt('2020-03-01T00:00:00Z'), ts('1d')], 'datetime')), '2020-02-29 00:00:00');
    assert.equal(await db().value(op('+', [ts('1.5h'), dt('2020-03-01T00:00:00Z')], 'datetime')), '2020-03-01 01:30:00');
  });

  test('timespan * number and number * timespan are timespans; a fractional product truncates to ticks', async () => {
    assert.equal(await db().value(op('*', [ts('1h'), int(3)], 'timespan')), 3 * 36_000_000_000);
    assert.equal(await db().value(op('*', [real(0.5), ts('1h')], 'timespan')), 18_000_000_000);
    assert.equal(await db().value(op('/', [ts('1h'), int(4)], 'timespan')), 9_000_000_000);
  });

  test('unary minus (neg) negates numbers and timespans', async () => {
    assert.equal(await db().value(op('neg', [long(5)], 'long')), -5);
    assert.equal(await db().value(op('neg', [ts('1d')], 'timespan')), -864_000_000_000);
  });
});

describe('comparisons with null (null values docs)', () => {
  // datatable(val:int)[5, int(null)] | extend IsBiggerThan3 = val > 3, IsEqualToNull = val == int(null), IsNotEqualToNull = val != int(null)
  test('val > 3 is null for a null val', async () => {
    assert.equal(await db().value(op('>', [expr('int', 5), int(3)])), true);
    assert.equal(await db().value(op('>', [expr('int', null), int(3)])), null);
  });

  test('== of a value and a null is false; of two nulls is null', async () => {
    assert.equal(await db().value(op('==', [expr('int', 5), int(null)])), false);
    assert.equal(await db().value(op('==', [expr('int', null), int(null)])), null);
    assert.equal(await db().value(op('==', [expr('int', null), expr('int', 5)])), false);
    assert.equal(await db().value(op('==', [expr('int', null), expr('int', null)])), null);
    assert.equal(await db().value(op('==', [expr('int', null), int(5)])), false);
  });

  test('!= of a value and a null is true; of two nulls is null', async () => {
    assert.equal(await db().value(op('!=', [expr('int', 5), int(null)])), true);
    assert.equal(await db().value(op('!=', [expr('int', null), int(null)])), null);
    assert.equal(await db().value(op('!=', [expr('int', null), expr('int', 5)])), true);
    assert.equal(await db().value(op('!=', [expr('long', null), long(5)])), true);
  });

  test('string equality is case-sensitive; =~ and !~ are not', async () => {
    assert.equal(await db().value(op('==', [s('aBc'), s('aBc')])), true);
    assert.equal(await db().value(op('!=', [s('abc'), s('ABC')])), true);
    assert.equal(await db().value(op('=~', [s('abc'), s('ABC')])), true);
    assert.equal(await db().value(op('=~', [expr('string', 'abc'), expr('string', 'ABC')])), true);
    assert.equal(await db().value(op('!~', [s('aBc'), s('xyz')])), true);
    assert.equal(await db().value(op('=~', [s('a%c'), s('A%C')])), true);
    assert.equal(await db().value(op('=~', [s('abc'), s('a%')])), false, 'LIKE wildcards in the literal are escaped');
  });

  test('a dynamic side is compared as the other side’s type', async () => {
    assert.equal(await db().value(op('==', [lit('dynamic', 'abc'), s('abc')])), true);
    assert.equal(await db().value(op('>', [lit('dynamic', 5), long(3)])), true);
  });
});

describe('string operators (string operators docs table: each example yields true)', () => {
  const examples: [string, string, string][] = [
    ['has', 'North America', 'america'],
    ['!has', 'North America', 'amer'],
    ['has_cs', 'North America', 'America'],
    ['!has_cs', 'North America', 'amer'],
    ['hasprefix', 'North America', 'ame'],
    ['!hasprefix', 'North America', 'mer'],
    ['hasprefix_cs', 'North America', 'Ame'],
    ['!hasprefix_cs', 'North America', 'CA'],
    ['hassuffix', 'North America', 'ica'],
    ['!hassuffix', 'North America', 'americ'],
    ['hassuffix_cs', 'North America', 'ica'],
    ['!hassuffix_cs', 'North America', 'icA'],
    ['contains', 'FabriKam', 'BRik'],
    ['!contains', 'Fabrikam', 'xyz'],
    ['contains_cs', 'FabriKam', 'Kam'],
    ['!contains_cs', 'Fabrikam', 'Kam'],
    ['startswith', 'Fabrikam', 'fab'],
    ['!startswith', 'Fabrikam', 'kam'],
    ['startswith_cs', 'Fabrikam', 'Fab'],
    ['!startswith_cs', 'Fabrikam', 'fab'],
    ['endswith', 'Fabrikam', 'Kam'],
    ['!endswith', 'Fabrikam', 'brik'],
    ['endswith_cs', 'Fabrikam', 'kam'],
    ['!endswith_cs', 'Fabrikam', 'brik'],
  ];
  for (const [name, x, t] of examples) {
    test(`"${x}" ${name} "${t}"`, async () => {
      assert.equal(await db().value(op(name, [s(x), s(t)])), true, 'literal term');
      assert.equal(await db().value(op(name, [expr('string', x), expr('string', t)])), true, 'per-row term');
    });
  }

  test('has matches whole terms: "KustoExplorerQueryRun" has "Explorer" is false, contains is true', async () => {
    for (const build of [lit, expr]) {
      const x = build('string', 'KustoExplorerQueryRun');
      const t = build('string', 'Explorer');
      assert.equal(await db().value(op('has', [x, t])), false);
      assert.equal(await db().value(op('contains', [x, t])), true);
    }
  });

  test('has is case-insensitive over maximal alphanumeric runs: "Kusto.Explorer" has "explorer"', async () => {
    assert.equal(await db().value(op('has', [s('Kusto.Explorer'), s('explorer')])), true);
    assert.equal(await db().value(op('has', [s('Kusto: ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;KustoExplorerQueryRun'), s('c1db')])), true);
    assert.equal(await db().value(op('has', [s('Kusto: ad67d136-c1db'), s('c1d')])), false);
  });

  test('a has-term with punctuation matches as a phrase bounded by non-alphanumerics', async () => {
    const x = s('cmd=C:\\Windows\\System32\\cmd.exe /c whoami');
    assert.equal(await db().value(op('has', [x, s('cmd.exe')])), true);
    assert.equal(await db().value(op('has', [x, s('system32\\cmd.exe')])), true);
    assert.equal(await db().value(op('has', [x, s('md.exe')])), false);
    assert.equal(await db().value(op('has', [x, s('cmd.ex')])), false);
    assert.equal(await db().value(op('hasprefix', [x, s('cmd.ex')])), true);
    assert.equal(await db().value(op('hassuffix', [x, s('md.exe')])), true);
    assert.equal(await db().value(op('has', [expr('string', 'a (x) b'), expr('string', '(x)')])), true, 'regex characters in a per-row term are escaped');
  });

  test('regex metacharacters in a literal term are matched literally', async () => {
    assert.equal(await db().value(op('has', [s('price is $5.00 (net)'), s('$5.00')])), true);
    assert.equal(await db().value(op('has', [s('price is $5x00'), s('$5.00')])), false);
    assert.equal(await db().value(op('contains', [s("it's"), s("t's")])), true);
  });

  test('a SQL NULL string (as an outer join could leave) is treated as empty: !has, !contains are true', async () => {
    const none = { sql: 'CAST(NULL AS VARCHAR)', type: 'string' as const };
    for (const name of ['has', 'has_cs', 'hasprefix', 'contains', 'startswith', 'endswith', '=~', 'matches regex']) {
      assert.equal(await db().value(op(name, [none, s('x')])), false, name);
    }
    assert.equal(await db().value(op('!has', [none, s('x')])), true);
    assert.equal(await db().value(op('!contains', [none, s('x')])), true);
    assert.equal(await db().value(op('has_any', [none, s('x'), s('y')])), false);
  });

  test('LIKE wildcards in a startswith literal are matched literally', async () => {
    assert.equal(await db().value(op('startswith', [s('abc'), s('a_')])), false);
    assert.equal(await db().value(op('startswith', [s('a_c'), s('A_')])), true);
    assert.equal(await db().value(op('startswith', [s('a%c'), s('A%')])), true);
  });

  test('matches regex uses RE2 search semantics', async () => {
    assert.equal(await db().value(op('matches regex', [s('abc123'), s('[0-9]+')])), true);
    assert.equal(await db().value(op('matches regex', [s('abc'), s('^b')])), false);
  });
});

describe('in, !in, in~, has_any, has_all', () => {
  test('in over literals; a null left side is not in the list and is !in it', async () => {
    assert.equal(await db().value(op('in', [long(2), long(1), long(2)])), true);
    assert.equal(await db().value(op('in', [expr('long', null), long(1), long(2)])), false);
    assert.equal(await db().value(op('!in', [expr('long', null), long(1), long(2)])), true);
    assert.equal(await db().value(op('!in', [long(3), long(1), lit('long', null)])), true);
  });

  test('in is case-sensitive; in~ is not', async () => {
    assert.equal(await db().value(op('in', [s('abc'), s('ABC'), s('x')])), false);
    assert.equal(await db().value(op('in~', [s('abc'), s('ABC'), s('x')])), true);
    assert.equal(await db().value(op('!in~', [s('abc'), s('ABC'), s('x')])), false);
  });

  test('a dynamic array in the list is expanded (literal) or searched (per row)', async () => {
    assert.equal(await db().value(op('in', [s('b'), lit('dynamic', ['a', 'b'])])), true);
    assert.equal(await db().value(op('in', [long(3), lit('dynamic', [1, 2, 3])])), true);
    assert.equal(await db().value(op('in', [s('b'), expr('dynamic', ['a', 'b'])])), true);
    assert.equal(await db().value(op('!in', [s('c'), expr('dynamic', ['a', 'b'])])), true);
    assert.equal(await db().value(op('in~', [s('B'), expr('dynamic', ['a', 'b'])])), true);
  });

  test('has_any is true when any term is a whole term; has_all when all are', async () => {
    const x = s('powershell.exe -enc SQBFAFgA');
    assert.equal(await db().value(op('has_any', [x, s('cmd'), s('PowerShell')])), true);
    assert.equal(await db().value(op('has_any', [x, s('cmd'), s('power')])), false);
    assert.equal(await db().value(op('has_any', [x, lit('dynamic', ['wscript', '-enc'])])), true);
    assert.equal(await db().value(op('has_any', [x, expr('dynamic', ['wscript', 'sqbfafga'])])), true);
    assert.equal(await db().value(op('has_any', [x, expr('string', 'exe')])), true);
    assert.equal(await db().value(op('has_all', [x, s('powershell'), s('enc')])), true);
    assert.equal(await db().value(op('has_all', [x, s('powershell'), s('cmd')])), false);
    assert.equal(await db().value(op('has_all', [x, expr('dynamic', ['exe', 'enc'])])), true);
  });
});

describe('between', () => {
  test('x !between (5 .. 9) keeps 1..4 and 10 (not-between docs example)', async () => {
    const kept: number[] = [];
    for (let x = 1; x <= 10; x++) if (await db().value(op('!between', [long(x), long(5), long(9)]))) kept.push(x);
    assert.deepEqual(kept, [1, 2, 3, 4, 10]);
  });

  test('between is inclusive; a null value is not between', async () => {
    assert.equal(await db().value(op('between', [real(9), long(5), long(9)])), true);
    assert.equal(await db().value(op('between', [expr('long', null), long(5), long(9)])), false);
  });

  test('datetime between (start .. timespan): the timespan is relative to the start', async () => {
    const start = dt('2020-01-01T00:00:00Z');
    assert.equal(await db().value(op('between', [dt('2020-01-01T23:00:00Z'), start, ts('1d')])), true);
    assert.equal(await db().value(op('between', [dt('2020-01-02T01:00:00Z'), start, ts('1d')])), false);
  });
});

test('legacy spellings notcontains, containscs and notcontainscs work as !contains, contains_cs and !contains_cs', async () => {
  const { QueryEngine } = await import('../../src/engine/engine.js');
  const engine = await QueryEngine.open();
  try {
    const r = await engine.query('print a = "abc" notcontains "x", b = "abc" containscs "B", c = "abc" notcontainscs "B"');
    assert.deepEqual(r.rows, [[true, false, true]]);
  } finally {
    await engine.close();
  }
});
