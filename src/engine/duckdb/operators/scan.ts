import type { Expr, PlanOf } from '../../../kql/ir/ir.js';
import { bindScanRefs, SCAN_ROW, type ScanRef } from '../../../kql/ir/operators/scan.js';
import type { DuckDbCompiler } from '../compiler.js';
import { sqlIdent } from '../sql-text.js';

/**
 * scan as a recursive CTE: one iteration per input record (in row order), carrying the state of
 * every step in one row. Kusto's matching logic (docs: "scan operator", Matching logic) evaluates
 * a record against the steps from the last to the first, so each step is one layer of
 * subqueries over the previous step's layer:
 *
 *   Check 1 (k > 1): step k-1 has an active sequence and the condition holds against its state:
 *     the sequence moves to step k (step k-1 is cleared) with the record's values for step k.
 *   Check 2: otherwise, step k is active (or is the first step) and the condition holds against
 *     its own state: the record's values replace step k's; on an empty first step a new
 *     sequence (match id) starts.
 *
 * The state holds only the `step.Column` values the steps read (`refs`), an active flag and a
 * match id per step. Output records are emitted as structs (row number, order, match id, the
 * written columns) and joined back to the numbered input; `output=last` keeps the step's latest
 * record pending until its series ends (its sequence moves on or is replaced, or the input ends).
 *
 * DuckDB runs the iterations one after another, so the cost grows with the number of records
 * times the per-iteration join: fine for hunting-sized inputs, not for millions of rows.
 */
export function compileScan(c: DuckDbCompiler, p: PlanOf<'scan'>): string {
  const n = p.steps.length;
  const type = (t: Parameters<typeof c.dialect.sqlType>[0]) => c.dialect.sqlType(t);
  const lit = (e: Expr) => c.expr(e, {}).sql;
  const q = sqlIdent;
  const a = (k: number) => `__a${k}`;
  const m = (k: number) => `__m${k}`;
  const v = (k: number, i: number) => `__v${k}_${i}`;
  const pend = (k: number) => `__p${k}`;
  const c1 = (k: number) => `__c1_${k}`;
  const c2 = (k: number) => `__c2_${k}`;
  const w = (k: number, t: number) => `__w${k}_${t}`;
  const emitted = (k: number) => `__e${k}`;
  const refsIn = (k: number) => p.refs.map((r, i) => ({ r, i })).filter(({ r }) => r.step <= k);
  const emptyOf = (r: ScanRef) => `CAST(${lit(r.empty)} AS ${type(r.type)})`;

  const outStruct = `STRUCT("rn" BIGINT, "ord" INTEGER, "mid" BIGINT${p.written.map((col, t) => `, "w${t}" ${type(col.type)}`).join('')})`;
  const lastSteps = p.steps.map((s, k) => (s.output === 'last' ? k : -1)).filter((k) => k >= 0);

  // The state row, in a fixed column order (the CTE's base and recursive parts must agree).
  const stateCols: Array<{ name: string; sqlType: string; init: string }> = [
    { name: '__rn', sqlType: 'BIGINT', init: '0' },
    { name: '__cnt', sqlType: 'BIGINT', init: '0' },
  ];
  for (let k = 0; k < n; k++) {
    stateCols.push({ name: a(k), sqlType: 'BOOLEAN', init: 'false' }, { name: m(k), sqlType: 'BIGINT', init: 'NULL' });
    for (const { r, i } of refsIn(k)) stateCols.push({ name: v(k, i), sqlType: type(r.type), init: emptyOf(r) });
    if (p.steps[k]!.output === 'last') stateCols.push({ name: pend(k), sqlType: outStruct, init: 'NULL' });
  }
  stateCols.push({ name: '__out', sqlType: `${outStruct}[]`, init: 'NULL' });
  const base = `SELECT ${stateCols.map((s) => `CAST(${s.init} AS ${s.sqlType}) AS ${s.name}`).join(', ')}`;

  // A step's expression against the state of step `k` (refs to later steps read as empty), or
  // against no state (k = -1).
  const against = (e: Expr, k: number) => c.expr(bindScanRefs(e, (i) => {
    const r = p.refs[i]!;
    return r.step <= k ? { k: 'column', type: r.type, name: v(k, i) } : r.empty;
  }), {}).sql;
  const recordValue = (column: string, k: number) => {
    const t = p.written.findIndex((col) => col.name === column);
    return t >= 0 ? w(k, t) : q(column);
  };

  let layer = `SELECT S.* EXCLUDE (__out), R.* FROM S JOIN R ON R.${q(SCAN_ROW)} = S.__rn + 1`;
  for (let k = n - 1; k >= 0; k--) {
    const step = p.steps[k]!;
    const first = k === 0;
    // Checks 1 and 2.
    const check1 = first ? 'false' : `(${a(k - 1)} AND coalesce(${against(step.condition, k - 1)}, false))`;
    const check2 = `(NOT ${c1(k)} AND ${first ? 'true' : a(k)} AND coalesce(${against(step.condition, k)}, false))`;
    layer = `SELECT *, ${check1} AS ${c1(k)} FROM (${layer})`;
    layer = `SELECT *, ${check2} AS ${c2(k)} FROM (${layer})`;
    // The extended record: each written column's assigned value (Check 1 sees the previous step's state).
    const values = p.written.map((col, t) => {
      const asg = step.assignments.find((x) => x.target === t);
      const sql = asg ? `CASE WHEN ${c1(k)} THEN ${first ? 'NULL' : against(asg.expr, k - 1)} ELSE ${against(asg.expr, k)} END` : q(col.name);
      return `CAST(${sql} AS ${type(col.type)}) AS ${w(k, t)}`;
    });
    if (values.length) layer = `SELECT *, ${values.join(', ')} FROM (${layer})`;

    const matched = `(${c1(k)} OR ${c2(k)})`;
    const newSequence = first ? `(${c2(k)} AND NOT ${a(k)})` : 'false';
    const mid = `CASE WHEN ${c1(k)} THEN ${first ? 'NULL' : m(k - 1)} WHEN ${newSequence} THEN __cnt ELSE ${m(k)} END`;
    const record = `{'rn': ${q(SCAN_ROW)}, 'ord': ${n - k}, 'mid': ${mid}${p.written.map((_, t) => `, 'w${t}': ${w(k, t)}`).join('')}}`;
    const replace: string[] = [
      `${a(k)} OR ${matched} AS ${a(k)}`,
      `CASE WHEN ${matched} THEN ${mid} ELSE ${m(k)} END AS ${m(k)}`,
    ];
    for (const { r, i } of refsIn(k)) {
      const fromRecord = r.step === k ? recordValue(r.column, k) : undefined;
      const onCheck1 = fromRecord ?? v(k - 1, i);
      const onCheck2 = fromRecord ?? v(k, i);
      replace.push(`CASE WHEN ${c1(k)} THEN ${onCheck1} WHEN ${c2(k)} THEN ${onCheck2} ELSE ${v(k, i)} END AS ${v(k, i)}`);
    }
    if (first) replace.push(`__cnt + CASE WHEN ${newSequence} THEN 1 ELSE 0 END AS __cnt`);
    const emits: string[] = [];
    if (!first) {
      // Check 1 moves step k-1's sequence here: step k-1 is cleared (its pending last record ends its series).
      replace.push(`${a(k - 1)} AND NOT ${c1(k)} AS ${a(k - 1)}`, `CASE WHEN ${c1(k)} THEN NULL ELSE ${m(k - 1)} END AS ${m(k - 1)}`);
      for (const { r, i } of refsIn(k - 1)) replace.push(`CASE WHEN ${c1(k)} THEN ${emptyOf(r)} ELSE ${v(k - 1, i)} END AS ${v(k - 1, i)}`);
      if (p.steps[k - 1]!.output === 'last') {
        emits.push(`CASE WHEN ${c1(k)} THEN ${pend(k - 1)} END`);
        replace.push(`CASE WHEN ${c1(k)} THEN NULL ELSE ${pend(k - 1)} END AS ${pend(k - 1)}`);
      }
    }
    if (step.output === 'last') {
      // A sequence arriving by Check 1 ends the series of the one it replaces.
      emits.push(`CASE WHEN ${c1(k)} THEN ${pend(k)} END`);
      replace.push(`CASE WHEN ${matched} THEN ${record} ELSE ${pend(k)} END AS ${pend(k)}`);
    }
    if (step.output === 'all') emits.push(`CASE WHEN ${matched} THEN ${record} END`);
    const emitSql = emits.length ? `[${emits.join(', ')}]` : `CAST([] AS ${outStruct}[])`;
    layer = `SELECT * REPLACE (${replace.join(', ')}), CAST(${emitSql} AS ${outStruct}[]) AS ${emitted(k)} FROM (${layer})`;
  }
  const allEmitted = Array.from({ length: n }, (_, j) => emitted(n - 1 - j)).join(', ');
  const finalCols = stateCols.map((s) => {
    if (s.name === '__rn') return `${q(SCAN_ROW)} AS __rn`;
    if (s.name === '__out') return `list_filter(flatten([${allEmitted}]), x -> x IS NOT NULL) AS __out`;
    return s.name;
  });
  const recursive = `SELECT ${finalCols.join(', ')} FROM (${layer})`;

  const pendingAtEnd = lastSteps.length
    ? ` UNION ALL SELECT unnest(list_filter([${lastSteps.map(pend).join(', ')}], x -> x IS NOT NULL)) AS o FROM S WHERE __rn = (SELECT max(__rn) FROM S)`
    : '';
  const outputs = `SELECT unnest(__out) AS o FROM S${pendingAtEnd}`;
  const written = new Map(p.written.map((col, t) => [col.name, t]));
  const select = p.columns.map((col) => {
    if (col.name === p.matchId) return `O.o.mid AS ${q(col.name)}`;
    const t = written.get(col.name);
    return `${t === undefined ? `R.${q(col.name)}` : `O.o.w${t}`} AS ${q(col.name)}`;
  });
  return `WITH RECURSIVE R AS MATERIALIZED (${c.plan(p.input)}), S AS (${base} UNION ALL ${recursive}), O AS (${outputs}) `
    + `SELECT ${select.join(', ')} FROM O JOIN R ON R.${q(SCAN_ROW)} = O.o.rn ORDER BY O.o.rn, O.o.ord`;
}
