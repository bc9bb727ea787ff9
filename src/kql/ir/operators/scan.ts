import type { SyntaxNodeData } from '../../frontend/syntax.js';
import { KqlError } from '../../diagnostics.js';
import type { Column, KqlType } from '../../types.js';
import type { IrBuilder } from '../builder.js';
import type { Expr, NamedExpr, Plan } from '../ir.js';
import { mapExprChildren } from '../expr-children.js';
import type { Scope } from '../scope.js';
import { allTokens, child, declaredName, kids, namedParameters } from '../syntax-helpers.js';

/**
 * `scan [with_match_id=Id] [declare (c:type[=default], …)] with (step s [output=all|last|none]: Condition [=> c = e, …]; …)`.
 *
 * The IR keeps the steps as expressions over the current record (the input's columns and the
 * declared ones, holding their defaults) and over the scan's state: each `step.Column` reference
 * becomes a column `__scan_ref<i>` described by `refs[i]`, which the dialect binds to the state
 * it evaluates the step against (the previous step's state for Check 1, the step's own for
 * Check 2). Only referenced state values are kept, not whole records.
 */
export interface ScanSpec {
  /** Declared columns, in order; the numbered input already holds them at their defaults. */
  declared: Array<{ name: string; type: KqlType; default: Expr }>;
  steps: ScanStepSpec[];
  refs: ScanRef[];
  /** with_match_id's column name. */
  matchId?: string;
  /** Columns a step can write: the declared ones, then input columns that an assignment targets (output order). */
  written: Column[];
}

export interface ScanStepSpec {
  name: string;
  output: 'all' | 'last' | 'none';
  condition: Expr;
  /** Assignments by the index of their column in `written`. */
  assignments: Array<{ target: number; expr: Expr }>;
}

/** `<step>.<column>` read from a state: the step's index and the column of its record. */
export interface ScanRef {
  step: number;
  column: string;
  type: KqlType;
  /** The value in an empty state: the declared default, else null. */
  empty: Expr;
}

/** The row-number column of the scan's numbered input. */
export const SCAN_ROW = '__scan_rn';
export const scanRefColumn = (i: number): string => `__scan_ref${i}`;

const STEP_MARK = '\u0001scan-step\u0001';

export function buildScan(b: IrBuilder, op: SyntaxNodeData, input: Plan, scope: Scope): Plan {
  const columns = b.cols(op);
  const params = namedParameters(op);
  const matchNode = params.get('with_match_id');
  const matchId = matchNode ? declaredName(matchNode) : undefined;

  const declared: ScanSpec['declared'] = [];
  const declareClause = child(op, 'ScanDeclareClause');
  for (const p of declareClause ? kids(declareClause).filter((k) => k.kind === 'FunctionParameter') : []) {
    const decl = child(p, 'NameAndTypeDeclaration')!;
    const nameNode = kids(decl)[0]!;
    const name = declaredName(nameNode);
    const type = columns.find((c) => c.name === name)?.type ?? nameNode.type ?? 'dynamic';
    const dflt = child(p, 'DefaultValueDeclaration');
    const value = dflt ? b.expr(kids(dflt)[0]!, scope) : { k: 'literal' as const, type, value: type === 'string' ? '' : null };
    if (value.k !== 'literal') throw b.unsupported(dflt!, 'a scan declare default that is not a constant');
    declared.push({ name, type, default: { ...value, type } });
  }
  if (input.columns.some((c) => declared.some((d) => d.name === c.name))) {
    throw new KqlError('semantic', `scan: a declared column has the name of an input column (${declared.filter((d) => input.columns.some((c) => c.name === d.name)).map((d) => d.name).join(', ')})`);
  }

  const stepNodes = kids(op).filter((k) => k.kind === 'ScanStep');
  const stepNames = stepNodes.map((s) => declaredName(child(s, 'NameDeclaration')!));
  if (!stepNames.length) throw b.unsupported(op, 'scan without steps');
  const inner = scope.child();
  stepNames.forEach((name) => inner.bind(name, { kind: 'scalar', expr: { k: 'column', type: 'dynamic', name: STEP_MARK + name } }));

  const record: Column[] = [...input.columns, ...declared.map((d) => ({ name: d.name, type: d.type }))];
  const written: Column[] = declared.map((d) => ({ name: d.name, type: d.type }));
  const refs: ScanRef[] = [];
  const refIndex = new Map<string, number>();
  const reference = (step: number, column: string, type: KqlType): Expr => {
    const key = `${step}\u0000${column}`;
    let i = refIndex.get(key);
    if (i === undefined) {
      const col = record.find((c) => c.name === column);
      if (!col) throw new KqlError('semantic', `scan: ${stepNames[step]}.${column} is not a column of the scanned records`);
      const d = declared.find((x) => x.name === column);
      i = refs.length;
      refs.push({ step, column, type: col.type, empty: d ? d.default : { k: 'literal', type: col.type, value: col.type === 'string' ? '' : null } });
      refIndex.set(key, i);
    }
    return { k: 'column', type: refs[i]!.type ?? type, name: scanRefColumn(i) };
  };
  // `s.col` came out of the builder as a path into the step's marker column.
  const resolve = (e: Expr): Expr => {
    switch (e.k) {
      case 'column':
        if (e.name.startsWith(STEP_MARK)) throw new KqlError('semantic', `scan: the step name ${e.name.slice(STEP_MARK.length)} is used without a column (write ${e.name.slice(STEP_MARK.length)}.Column)`);
        return e;
      case 'path':
        if (e.base.k === 'column' && e.base.name.startsWith(STEP_MARK) && typeof e.steps[0] === 'string') {
          const step = stepNames.indexOf(e.base.name.slice(STEP_MARK.length));
          const rest = e.steps.slice(1).map((s) => (typeof s === 'object' ? resolve(s) : s));
          const ref = reference(step, e.steps[0], rest.length ? 'dynamic' : e.type);
          return rest.length ? { k: 'path', type: e.type, base: ref, steps: rest } : ref;
        }
        break;
    }
    return mapExprChildren(e, resolve);
  };

  const steps: ScanStepSpec[] = stepNodes.map((s, k) => {
    const outputNode = child(s, 'ScanStepOutput');
    const output = (outputNode ? allTokens(outputNode).at(-1)!.toLowerCase() : 'all') as ScanStepSpec['output'];
    if (!['all', 'last', 'none'].includes(output)) throw b.unsupported(outputNode!, `scan step output=${output}`);
    const clause = child(s, 'ScanComputationClause');
    const condNode = kids(s).find((c) => c !== outputNode && c !== clause && c.kind !== 'NameDeclaration');
    if (!condNode) throw b.unsupported(s, `scan step ${stepNames[k]} without a condition`);
    const condition = resolve(b.expr(condNode, inner));
    const assignments = (clause ? kids(clause).filter((c) => c.kind === 'ScanAssignment') : []).map((a) => {
      const [target, value] = kids(a);
      const name = declaredName(target!);
      let t = written.findIndex((c) => c.name === name);
      if (t < 0) {
        const col = input.columns.find((c) => c.name === name);
        if (!col) throw new KqlError('semantic', `scan: the assignment to ${name} names neither a declared column nor an input column`);
        t = written.push(col) - 1;
      }
      const expr = resolve(b.expr(value!, inner));
      return { target: t, expr: expr.type === written[t]!.type ? expr : { k: 'call' as const, type: written[t]!.type, fn: `to${written[t]!.type}`, args: [expr] } };
    });
    return { name: stepNames[k]!, output, condition, assignments };
  });

  // The numbered input: the scanned records (input + declared columns at their defaults) in their order.
  const numberedColumns: Column[] = [...record, { name: SCAN_ROW, type: 'long' }];
  const numbered: Plan = {
    op: 'project',
    input: { op: 'serialize', input, columns: input.columns },
    columns: numberedColumns,
    exprs: [
      ...input.columns.map((c): NamedExpr => ({ name: c.name, expr: { k: 'column', type: c.type, name: c.name } })),
      ...declared.map((d): NamedExpr => ({ name: d.name, expr: d.default })),
      { name: SCAN_ROW, expr: { k: 'window', type: 'long', fn: 'row_number', args: [] } },
    ],
  };
  // Kusto.Language lists the match id column even without with_match_id (as match_id): it is filled either way.
  const matchColumn = matchId ?? columns.find((c) => !record.some((r) => r.name === c.name))?.name;
  return { op: 'scan', input: numbered, declared, steps, refs, matchId: matchColumn, written, columns };
}

/** `e` with each state reference `__scan_ref<i>` replaced by `bind(i)` (the dialect binds them per state). */
export function bindScanRefs(e: Expr, bind: (ref: number) => Expr): Expr {
  if (e.k !== 'column') return mapExprChildren(e, (x) => bindScanRefs(x, bind));
  const m = /^__scan_ref(\d+)$/.exec(e.name);
  return m ? bind(Number(m[1])) : e;
}
