import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { QueryEngine } from '../../src/engine/engine.js';
import { sqlString } from '../../src/engine/duckdb/sql-text.js';
import { objects } from '../engine/helpers.js';

/**
 * evaluate basket / diffpatterns / autocluster on real data nobody here wrote: the Sentinel
 * notebooks' process-creation events (processes_on_host.csv, MIT, demo/workspace/notebooks/data).
 * Counts are checked against plain KQL queries, and basket's and diffpatterns' patterns against
 * a brute-force enumeration written here independently of the plugins.
 */
const DATA = fileURLToPath(new URL('../../demo/workspace/notebooks/data/', import.meta.url));
const csv = (file: string) => `read_csv(${sqlString(DATA + file)}, header = true, all_varchar = true)`;
const DIMS = ['Account', 'EventID', 'Computer', 'SubjectLogonId', 'TokenElevationType', 'NewProcessName', 'ParentProcessName', 'TargetLogonId'];
const INPUT = `Processes | project ${DIMS.join(', ')}`;

type Row = Record<string, unknown>;
const near = (actual: number, expected: number): void => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);
type Pattern = Map<string, unknown>;

const kqlValue = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : typeof v === 'bigint' || typeof v === 'number' ? String(v) : JSON.stringify(v));
/** The pattern of a result row: its non-wildcard dimension values. */
const patternOf = (row: Row, dims: string[], wildcard: (d: string) => unknown): Pattern => new Map(dims.filter((d) => row[d] !== wildcard(d)).map((d) => [d, row[d]]));
const key = (p: Pattern): string => JSON.stringify([...p.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([d, v]) => [d, String(v)]));
const matches = (row: Row, p: Pattern): boolean => [...p].every(([d, v]) => String(row[d]) === String(v));
const whereOf = (p: Pattern): string => [...p].map(([d, v]) => `${d} == ${kqlValue(v)}`).join(' and ');
const sub = (a: Pattern, b: Pattern): boolean => [...a].every(([d, v]) => b.has(d) && String(b.get(d)) === String(v));

/** Every pattern of at most `max` columns over `rows` (as written values), with its rows. */
function allPatterns(rows: Row[], dims: string[], max: number): Array<{ p: Pattern; rows: Row[] }> {
  const out: Array<{ p: Pattern; rows: Row[] }> = [];
  const grow = (p: Pattern, within: Row[], from: number): void => {
    if (p.size) out.push({ p, rows: within });
    if (p.size === max) return;
    for (let j = from; j < dims.length; j++) {
      const groups = new Map<string, Row[]>();
      for (const r of within) {
        const v = String(r[dims[j]!]);
        groups.set(v, [...(groups.get(v) ?? []), r]);
      }
      for (const [, g] of groups) grow(new Map([...p, [dims[j]!, g[0]![dims[j]!]]]), g, j + 1);
    }
  };
  grow(new Map(), rows, 0);
  return out;
}

/** The closure of a set of rows: every column they all share. */
const closureOf = (rows: Row[], dims: string[]): Pattern => new Map(dims.filter((d) => rows.every((r) => String(r[d]) === String(rows[0]![d]))).map((d) => [d, rows[0]![d]]));

describe('pattern-mining plugins on processes_on_host.csv', () => {
  let engine: QueryEngine;
  let rows: Row[];
  const query = async (q: string) => objects(await engine.query(q));
  const count = async (where: string) => Number((await query(`${INPUT} | where ${where || 'true'} | count`))[0]!.Count);
  before(async () => {
    engine = await QueryEngine.open();
    await engine.connection.run(`CREATE TABLE Processes AS SELECT Account, CAST(EventID AS BIGINT) AS EventID, Computer, SubjectUserName, SubjectLogonId,
      TokenElevationType, NewProcessName, ParentProcessName, TargetLogonId FROM ${csv('processes_on_host.csv')}`);
    await engine.refreshCatalog();
    rows = await query(INPUT);
    assert.equal(rows.length, 363);
  });
  after(async () => engine.close());

  describe('basket', () => {
    it('returns exactly the closed patterns of at most MaxDimensions columns above the threshold, with their counts', async () => {
      const result = await query(`${INPUT} | evaluate basket(0.02, '~', 3, '*', long(-1))`);
      const wildcard = (d: string) => (d === 'EventID' ? -1 : '*');
      const found = result.map((r) => ({ p: patternOf(r, DIMS, wildcard), count: Number(r.Count), percent: r.Percent as number }));
      // Brute force: every pattern of ≤ 3 columns with ≥ 2% of the rows, closed over its rows.
      const expected = new Map<string, number>();
      for (const { rows: within } of allPatterns(rows, DIMS, 3)) {
        if (within.length / rows.length >= 0.02) expected.set(key(closureOf(within, DIMS)), within.length);
      }
      assert.ok(expected.size > 20, `a test with many patterns (${expected.size})`);
      assert.deepEqual(new Set(found.map((f) => key(f.p))), new Set(expected.keys()));
      assert.equal(found.length, expected.size, 'each pattern once');
      for (const f of found) {
        assert.equal(f.count, expected.get(key(f.p)));
        near(f.percent, (100 * f.count) / rows.length);
      }
      // Constant columns are part of every pattern (closed), so the whole table is a pattern.
      assert.ok(found.some((f) => f.count === 363 && f.p.get('Computer') === 'MSTICAlertsWin1' && f.p.get('EventID') === 4688 && f.p.size === 3));
      assert.deepEqual(result.map((r) => Number(r.SegmentId)), result.map((_, i) => i));
      assert.deepEqual(found.map((f) => f.count), found.map((f) => f.count).sort((a, b) => b - a), 'most frequent first');
    });

    it("each pattern's Count is what a plain where clause counts", async () => {
      const result = await query(`${INPUT} | evaluate basket(0.1, '~', '~', '*', long(-1))`);
      assert.ok(result.length >= 5);
      for (const r of result) {
        const p = patternOf(r, DIMS, (d) => (d === 'EventID' ? -1 : '*'));
        assert.equal(Number(r.Count), await count(whereOf(p)), whereOf(p));
      }
    });

    it('gives the same patterns on an input of more than 16 columns (coded another way), correlated copies included', async () => {
      const copies = ['Account', 'SubjectLogonId', 'NewProcessName', 'ParentProcessName', 'TargetLogonId'];
      const extra = [...copies.map((c) => `${c}_1 = ${c}`), ...copies.map((c) => `${c}_2 = strcat(${c}, '!')`)];
      const narrow = await query(`${INPUT} | evaluate basket(0.05, '~', 3, '*', long(-1))`);
      const wide = await query(`${INPUT} | extend ${extra.join(', ')} | evaluate basket(0.05, '~', 3, '*', long(-1))`);
      assert.ok(DIMS.length + extra.length > 16);
      const wildcard = (d: string) => (d === 'EventID' ? -1 : '*');
      const norm = (rs: Row[]) => rs.map((r) => `${key(patternOf(r, DIMS, wildcard))}=${r.Count}`).sort();
      assert.deepEqual(norm(wide), norm(narrow));
      for (const r of wide) {
        for (const c of copies) {
          assert.equal(r[`${c}_1`], r[c]);
          assert.equal(r[`${c}_2`], r[c] === '*' ? '*' : `${r[c]}!`);
        }
      }
    });

    it('a weight column counts each row that many times', async () => {
      const weighted = await query(`${INPUT} | summarize n = count() by Account, SubjectLogonId, ParentProcessName | evaluate basket(0.05, n, '~', '*')`);
      const plain = await query(`${INPUT} | project Account, SubjectLogonId, ParentProcessName | evaluate basket(0.05, '~', '~', '*')`);
      const dims = ['Account', 'SubjectLogonId', 'ParentProcessName'];
      const norm = (rs: Row[]) => rs.map((r) => `${key(patternOf(r, dims, () => '*'))}=${r.Count}`).sort();
      assert.deepEqual(norm(weighted), norm(plain));
      assert.ok(weighted.every((r) => r.n === null), 'the weight column is not a dimension');
    });

    it('by default shows a wildcard string column as an empty string and other types as null', async () => {
      const result = await query(`${INPUT} | evaluate basket(0.3)`);
      const some = result.find((r) => r.NewProcessName === '' && r.Account !== '');
      assert.ok(some);
      assert.ok(result.some((r) => r.TargetLogonId === ''));
    });
  });

  describe('diffpatterns', () => {
    const SPLIT = `${INPUT} | extend User = tostring(split(Account, '\\\\')[1])`;
    const A = 'MSTICAdmin';
    const B = 'MSTICAlertsWin1$';

    it('counts and percentages per set match direct counts, and the differences pass the threshold', async () => {
      const result = await query(`${SPLIT} | evaluate diffpatterns(User, '${A}', '${B}', '~', 0.05, '~', '*', long(-1))`);
      const dims = DIMS;
      const totalA = await count(`tostring(split(Account, '\\\\')[1]) == '${A}'`);
      const totalB = await count(`tostring(split(Account, '\\\\')[1]) == '${B}'`);
      assert.deepEqual([totalA, totalB], [160, 203]);
      assert.ok(result.length >= 3);
      let previous = Infinity;
      const taken: Pattern[] = [];
      for (const r of result) {
        const p = patternOf(r, dims, (d) => (d === 'EventID' ? -1 : '*'));
        assert.equal(r.User, '*', 'the split column is not a dimension');
        const where = whereOf(p);
        const a = await count(`${where} and tostring(split(Account, '\\\\')[1]) == '${A}'`);
        const b = await count(`${where} and tostring(split(Account, '\\\\')[1]) == '${B}'`);
        assert.deepEqual([Number(r.CountA), Number(r.CountB)], [a, b], where);
        near(r.PercentA as number, (100 * a) / totalA);
        near(r.PercentB as number, (100 * b) / totalB);
        assert.ok(Math.abs((r.PercentDiffAB as number) - Math.abs((100 * a) / totalA - (100 * b) / totalB)) < 1e-9);
        assert.ok((r.PercentDiffAB as number) >= 5 - 1e-9);
        assert.ok((r.PercentDiffAB as number) <= previous, 'largest difference first');
        previous = r.PercentDiffAB as number;
        assert.ok(!taken.some((q) => sub(q, p) || sub(p, q)), 'no pattern generalises another');
        taken.push(p);
      }
      // The first pattern has the largest difference of any pattern (brute force, ≤ 3 columns).
      const splitRows = rows.map((r) => ({ ...r, set: String(r.Account).split('\\')[1] }));
      let best = 0;
      for (const { rows: within } of allPatterns(splitRows, dims, 3)) {
        const a = within.filter((r) => r.set === A).length / totalA;
        const b = within.filter((r) => r.set === B).length / totalB;
        best = Math.max(best, Math.abs(a - b) * 100);
      }
      assert.ok(Math.abs((result[0]!.PercentDiffAB as number) - best) < 1e-9, `best ${best}`);
    });

    it('splits a non-string column by its text, and is deterministic', async () => {
      const q = `${INPUT} | extend Elevated = toint(TargetLogonId == '0x0') | evaluate diffpatterns(Elevated, '1', '0')`;
      const first = await query(q);
      assert.deepEqual(await query(q), first);
      assert.ok(first.length > 0);
      assert.ok(first.every((r) => r.Elevated === null));
    });

    it('reports bad arguments clearly', async () => {
      await assert.rejects(query(`${SPLIT} | evaluate diffpatterns(User, '${A}', 'nobody')`), /no row has User == 'nobody' \(SplitValueB\)/);
      await assert.rejects(query(`${SPLIT} | evaluate diffpatterns(User, '${A}', '${B}', '~', 'high')`), /A value of type real expected/);
      await assert.rejects(query(`${SPLIT} | evaluate diffpatterns(User, '${A}', '${B}', '~', 2.0)`), /Threshold must be between 0.015 and 1/);
      await assert.rejects(query(`${SPLIT} | evaluate diffpatterns(User, '${A}', '${A}')`), /the two sets must differ/);
      await assert.rejects(query(`${SPLIT} | evaluate diffpatterns(User, '${A}', '${B}', Account)`), /WeightColumn 'Account' is string/);
      await assert.rejects(query(`${INPUT} | evaluate basket(0.001)`), /Threshold must be between 0.015 and 1/);
      await assert.rejects(query(`${INPUT} | evaluate basket(0.1, '~', 0)`), /MaxDimensions must be at least 1/);
      await assert.rejects(query(`${INPUT} | evaluate autocluster(1.5)`), /SizeWeight must be between 0 and 1/);
      await assert.rejects(query(`${INPUT} | evaluate basket(Threshold=0.2)`), /basket\(\) takes its arguments by position/);
      await assert.rejects(query(`${INPUT} | extend Count = 1 | evaluate autocluster()`), /returns a column 'Count', which the input already has/);
      await assert.rejects(query(`${INPUT} | extend w = -1 | evaluate basket(0.1, w)`), /negative value/);
    });
  });

  describe('autocluster', () => {
    it('returns a few closed, unrelated patterns whose counts match, the same every time', async () => {
      const q = `${INPUT} | evaluate autocluster(0.5, '~', '~', '*', long(-1))`;
      const result = await query(q);
      assert.deepEqual(await query(q), result, 'deterministic');
      assert.ok(result.length >= 2 && result.length <= 25, `${result.length} patterns`);
      assert.ok(result.every((r) => (r.Percent as number) >= 5), 'no pattern below 5% of the rows');
      const found = result.map((r) => patternOf(r, DIMS, (d) => (d === 'EventID' ? -1 : '*')));
      for (const [i, r] of result.entries()) {
        const p = found[i]!;
        const within = rows.filter((x) => matches(x, p));
        assert.equal(Number(r.Count), within.length);
        assert.equal(Number(r.Count), await count(whereOf(p)));
        near(r.Percent as number, (100 * within.length) / rows.length);
        // Closed: a column its rows all share is part of the pattern (else the pattern could say more).
        assert.equal(key(closureOf(within, DIMS)), key(p));
        for (const [j, q2] of found.entries()) if (j !== i) assert.ok(!sub(p, q2), 'no pattern generalises another');
      }
    });

    it('a larger SizeWeight gives broader patterns', async () => {
      const broad = await query(`${INPUT} | evaluate autocluster(0.9)`);
      const narrow = await query(`${INPUT} | evaluate autocluster(0.1)`);
      const mean = (rs: Row[]) => rs.reduce((s, r) => s + (r.Percent as number), 0) / rs.length;
      assert.ok(mean(broad) > mean(narrow), `${mean(broad)} vs ${mean(narrow)}`);
    });
  });
});
