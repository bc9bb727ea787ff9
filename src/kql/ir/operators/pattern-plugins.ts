import type { SyntaxNodeData } from '../../frontend/syntax.js';
import type { Column } from '../../types.js';
import type { IrBuilder } from '../builder.js';
import type { Expr, Plan } from '../ir.js';
import type { Scope } from '../scope.js';
import { foldNegatedLiteral } from '../literals.js';
import type { PatternOptions } from '../../../hunt/patterns/run.js';

export type PatternPluginName = 'autocluster' | 'basket' | 'diffpatterns';
export const isPatternPlugin = (name: string): name is PatternPluginName => ['autocluster', 'basket', 'diffpatterns'].includes(name);

type Literal = Expr & { k: 'literal' };

/**
 * `evaluate autocluster(…)`, `basket(…)`, `diffpatterns(…)`: Kusto's pattern-mining plugins
 * (docs/query-reference-ml.md). Their arguments are positional and constant, `'~'` for a default;
 * the arguments after the documented ones are custom wildcards, typed literals (the first of each
 * type counts). Every column but the weight (and diffpatterns' split) column is a dimension.
 */
export function patternPlugin(b: IrBuilder, op: SyntaxNodeData, call: SyntaxNodeData, args: SyntaxNodeData[], input: Plan, scope: Scope, name: PatternPluginName): Plan {
  // Documented arguments before the custom wildcards: autocluster(SizeWeight, WeightColumn, NumSeeds),
  // basket(Threshold, WeightColumn, MaxDimensions), diffpatterns(SplitColumn, SplitValueA, SplitValueB,
  // WeightColumn, Threshold, MaxDimensions).
  const leading = name === 'diffpatterns' ? 6 : 3;
  for (const a of args) {
    if (a.kind === 'SimpleNamedExpression') throw b.semantic(a, `${name}() takes its arguments by position (use '~' for a default)`);
  }
  const byName = new Map(input.columns.map((c) => [c.name, c]));
  const exprOf = (n: SyntaxNodeData): Expr => foldNegatedLiteral(b.expr(n, scope));
  const isDefault = (e: Expr): boolean => e.k === 'literal' && (e.value === null || (e.type === 'string' && e.value === '~'));

  /** A numeric argument: '~' or absent for the default, else a constant in range. */
  const number = (i: number, what: string, fallback: number, check: (x: number) => boolean, rule: string, integer: boolean): number => {
    const n = args[i];
    if (!n) return fallback;
    const e = exprOf(n);
    if (isDefault(e)) return fallback;
    const types = integer ? ['int', 'long'] : ['int', 'long', 'real', 'decimal'];
    if (e.k !== 'literal' || !types.includes(e.type)) throw b.semantic(n, `${name}(): ${what} must be a constant ${integer ? 'integer' : 'number'} or '~', got ${e.k === 'literal' ? e.type : 'an expression'}`);
    const x = Number(e.value);
    if (!Number.isFinite(x) || !check(x)) throw b.semantic(n, `${name}(): ${what} must be ${rule}, got ${String(e.value)}`);
    return x;
  };
  /** A column argument: a column of the input (or its name as a constant string). */
  const columnArg = (i: number, what: string, optional: boolean): Column | undefined => {
    const n = args[i];
    if (!n) {
      if (optional) return undefined;
      throw b.semantic(call, `${name}() needs its ${what} argument`);
    }
    const e = exprOf(n);
    if (optional && isDefault(e)) return undefined;
    const colName = e.k === 'column' ? e.name : e.k === 'literal' && e.type === 'string' ? String(e.value) : undefined;
    const c = colName === undefined ? undefined : byName.get(colName);
    if (!c) throw b.semantic(n, `${name}(): ${what} must name a column of the input${colName !== undefined ? `; there is no column '${colName}'` : ''}`);
    return c;
  };

  let options: PatternOptions;
  let weight: Column | undefined;
  let split: { column: Column; a: string; b: string } | undefined;
  switch (name) {
    case 'autocluster':
      options = {
        plugin: name,
        sizeWeight: number(0, 'SizeWeight', 0.5, (x) => x > 0 && x < 1, 'between 0 and 1 (exclusive)', false),
        numSeeds: number(2, 'NumSeeds', 25, (x) => x >= 1 && x <= 10_000, 'between 1 and 10000', true),
      };
      weight = columnArg(1, 'WeightColumn', true);
      break;
    case 'basket':
      options = {
        plugin: name,
        threshold: number(0, 'Threshold', 0.05, (x) => x >= 0.015 && x <= 1, 'between 0.015 and 1', false),
        maxDimensions: number(2, 'MaxDimensions', 5, (x) => x >= 1, 'at least 1', true),
      };
      weight = columnArg(1, 'WeightColumn', true);
      break;
    case 'diffpatterns': {
      const column = columnArg(0, 'SplitColumn', false)!;
      const value = (i: number, what: string): string => {
        const n = args[i];
        if (!n) throw b.semantic(call, `${name}() needs SplitColumn, SplitValueA and SplitValueB`);
        const e = exprOf(n);
        if (e.k !== 'literal' || e.type !== 'string' || e.value === null) throw b.semantic(n, `${name}(): ${what} must be a constant string (the split column's value as text, e.g. "1")`);
        return String(e.value);
      };
      split = { column, a: value(1, 'SplitValueA'), b: value(2, 'SplitValueB') };
      if (split.a === split.b) throw b.semantic(args[2]!, `${name}(): SplitValueA and SplitValueB are both '${split.a}'; the two sets must differ`);
      weight = columnArg(3, 'WeightColumn', true);
      options = {
        plugin: name,
        threshold: number(4, 'Threshold', 0.05, (x) => x >= 0.015 && x <= 1, 'between 0.015 and 1', false),
        maxDimensions: number(5, 'MaxDimensions', Number.MAX_SAFE_INTEGER, (x) => x >= 1, 'at least 1', true),
        splitColumn: column.name, splitValueA: split.a, splitValueB: split.b,
      };
      break;
    }
  }
  if (weight && !['int', 'long', 'real', 'decimal'].includes(weight.type)) {
    throw b.semantic(args[name === 'diffpatterns' ? 3 : 1]!, `${name}(): WeightColumn '${weight.name}' is ${weight.type}; it must be numeric`);
  }

  // Custom wildcards: typed literals after the documented arguments ('~' keeps the default).
  const wildcardOf = new Map<string, Literal>();
  for (const n of args.slice(leading)) {
    const e = exprOf(n);
    if (e.k !== 'literal') throw b.semantic(n, `${name}(): a CustomWildcard must be a constant (a typed literal such as '*' or int(-1))`);
    if (isDefault(e)) continue;
    const type = e.type === 'decimal' ? 'real' : e.type;
    if (!wildcardOf.has(type)) wildcardOf.set(type, e);
  }
  const wildcards: Record<string, Expr> = {};
  for (const c of input.columns) {
    const w = wildcardOf.get(c.type);
    wildcards[c.name] = w ? { ...w, type: c.type } : { k: 'literal', type: c.type, value: c.type === 'string' ? '' : null };
  }

  const stats = name === 'diffpatterns' ? ['SegmentId', 'CountA', 'CountB', 'PercentA', 'PercentB', 'PercentDiffAB'] : ['SegmentId', 'Count', 'Percent'];
  const clash = input.columns.find((c) => stats.includes(c.name));
  if (clash) throw b.semantic(call, `${name}() returns a column '${clash.name}', which the input already has: rename or drop it first`);

  const skip = new Set([weight?.name, split?.column.name]);
  const dimensions = input.columns.filter((c) => !skip.has(c.name)).map((c) => c.name);
  if (!dimensions.length) throw b.semantic(call, `${name}(): the input has no column to find patterns in besides the weight and split columns`);
  const col = (c: Column): Expr => ({ k: 'column', type: c.type, name: c.name });
  const splitText: Expr | undefined = split && (split.column.type === 'string' ? col(split.column) : { k: 'call', type: 'string', fn: 'tostring', args: [col(split.column)] });
  return {
    op: 'patterns', input, plugin: name, options: JSON.stringify(options), dimensions,
    ...(weight ? { weight: col(weight) } : {}),
    ...(split ? { split: { expr: splitText!, a: split.a, b: split.b } } : {}),
    wildcards, columns: b.cols(op),
  };
}
