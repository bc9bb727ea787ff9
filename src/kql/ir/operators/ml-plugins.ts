import type { SyntaxNodeData } from '../../frontend/syntax.js';
import type { Column, KqlType } from '../../types.js';
import type { IrBuilder } from '../builder.js';
import type { Expr, ModelSpec, Plan } from '../ir.js';
import type { Scope } from '../scope.js';
import { foldNegatedLiteral } from '../literals.js';
import { declaredName, kids } from '../syntax-helpers.js';
import { ML_PLUGINS, type MlParameter, type MlPluginName } from '../../../hunt/ml/specs.js';
import type { MlOptions } from '../../../hunt/ml/run.js';

/**
 * `evaluate isolation_forest(…)`, `evaluate kmeans(…)`, `evaluate dbscan(…)`: Quarry's ML plugins
 * (docs/query-reference-ml.md). Arguments are constants, by position or by name; the result is
 * a `model` plan over the input with its rows numbered, fitted in the engine in one call.
 */
export function mlPlugin(b: IrBuilder, op: SyntaxNodeData, call: SyntaxNodeData, args: SyntaxNodeData[], input: Plan, scope: Scope, name: MlPluginName): Plan {
  const spec = ML_PLUGINS[name];
  const given = argumentsOf(b, args, spec.parameters, name);
  const value = (p: string): { node: SyntaxNodeData; value: Expr & { k: 'literal' } } | undefined => {
    const node = given.get(p.toLowerCase());
    if (!node) return undefined;
    const e = foldNegatedLiteral(b.expr(node, scope));
    if (e.k !== 'literal') throw b.semantic(node, `${name}(): ${p} must be a constant`);
    return e.value === null ? undefined : { node, value: e };
  };
  // Defaults are the declared ones (specs.ts), which Kusto.Language also shows.
  const fallback = (p: string): number => Number(spec.parameters.find((q) => q.name === p)!.defaultText);
  const number = (p: string, check: (x: number) => boolean, rule: string, integer = true): number => {
    const v = value(p);
    if (!v) return fallback(p);
    const ok = integer ? ['int', 'long'].includes(v.value.type) : ['int', 'long', 'real', 'decimal'].includes(v.value.type);
    const x = Number(v.value.value);
    if (!ok || !Number.isFinite(x)) throw b.semantic(v.node, `${name}(): ${p} must be ${integer ? 'an integer (long)' : 'a number (real)'}, got ${v.value.type}`);
    if (!check(x)) throw b.semantic(v.node, `${name}(): ${p} must be ${rule}, got ${x}`);
    return x;
  };
  const scaleArg = value('Scale');
  if (scaleArg && (scaleArg.value.type !== 'string' || !['none', 'standard'].includes(String(scaleArg.value.value)))) {
    throw b.semantic(scaleArg.node, `${name}(): Scale must be 'none' or 'standard'`);
  }
  const scale = scaleArg?.value.value === 'standard';
  const features = featuresOf(b, call, value('Features'), input.columns, name);

  let options: MlOptions;
  switch (name) {
    case 'isolation_forest':
      options = {
        plugin: name, scale,
        trees: number('Trees', (x) => x >= 1 && x <= 100_000, 'between 1 and 100000'),
        sampleSize: number('SampleSize', (x) => x >= 2, 'at least 2'),
        contamination: number('Contamination', (x) => x >= 0 && x <= 0.5, 'between 0 and 0.5', false),
        seed: seedOf(number('Seed', () => true, '')),
      };
      break;
    case 'kmeans': {
      const k = number('K', (x) => x >= 1 && x <= 100_000, 'between 1 and 100000');
      options = {
        plugin: name, scale, k,
        seed: seedOf(number('Seed', () => true, '')),
        maxIterations: number('MaxIterations', (x) => x >= 1, 'at least 1'),
        centroids: centroidsOf(b, value('Centroids'), k, features.length),
      };
      break;
    }
    case 'dbscan':
      options = {
        plugin: name, scale,
        eps: number('Eps', (x) => x > 0, 'greater than 0', false),
        minPoints: number('MinPoints', (x) => x >= 1, 'at least 1'),
      };
      break;
  }

  const columns = b.cols(op);
  const inputNames = new Set(input.columns.map((c) => c.name));
  for (const o of spec.outputs) {
    if (inputNames.has(o.name)) throw b.semantic(call, `${name}() appends a column '${o.name}', which the input already has: rename or drop it first`);
  }
  const outputs: Column[] = spec.outputs.map((o) => ({ name: o.name, type: o.type }));
  const model: ModelSpec = { plugin: name, options: JSON.stringify(options), features, outputs };
  return { op: 'model', input: numbered(input), ...model, columns: columns.length ? columns : [...input.columns, ...outputs] };
}

/** Arguments by position or as `Name = value` (names case-insensitive); unknown names are errors. */
function argumentsOf(b: IrBuilder, args: SyntaxNodeData[], parameters: MlParameter[], name: string): Map<string, SyntaxNodeData> {
  const known = new Set(parameters.map((p) => p.name.toLowerCase()));
  const out = new Map<string, SyntaxNodeData>();
  let position = 0;
  for (const a of args) {
    let key: string;
    let node: SyntaxNodeData;
    if (a.kind === 'SimpleNamedExpression') {
      key = declaredName(kids(a)[0]!).toLowerCase();
      node = kids(a)[1]!;
      if (!known.has(key)) throw b.semantic(a, `${name}() has no argument '${declaredName(kids(a)[0]!)}' (it takes ${parameters.map((p) => p.name).join(', ')})`);
    } else {
      const p = parameters[position++];
      if (!p) throw b.semantic(a, `${name}() takes at most ${parameters.length} arguments (${parameters.map((q) => q.name).join(', ')})`);
      key = p.name.toLowerCase();
      node = a;
    }
    if (out.has(key)) throw b.semantic(a, `${name}(): the argument ${key} is given twice`);
    out.set(key, node);
  }
  return out;
}

const NUMERIC: KqlType[] = ['int', 'long', 'real', 'decimal'];

/**
 * The features: the named columns (numbers and bools as numbers, strings frequency-encoded), or
 * by default every numeric column.
 */
function featuresOf(b: IrBuilder, call: SyntaxNodeData, given: { node: SyntaxNodeData; value: Expr & { k: 'literal' } } | undefined, columns: Column[], name: string): ModelSpec['features'] {
  const byName = new Map(columns.map((c) => [c.name, c]));
  let chosen: Column[];
  if (!given) {
    chosen = columns.filter((c) => NUMERIC.includes(c.type));
    if (!chosen.length) throw b.semantic(call, `${name}(): the input has no numeric column to use as a feature (name the features: Features=dynamic(['col', …]))`);
  } else {
    const names = dynamicValue(given);
    if (!Array.isArray(names) || !names.length || !names.every((n) => typeof n === 'string')) {
      throw b.semantic(given.node, `${name}(): Features must be a non-empty dynamic array of column names, e.g. dynamic(['bytes', 'logons'])`);
    }
    chosen = names.map((n: string) => {
      const c = byName.get(n);
      if (!c) throw b.semantic(given.node, `${name}(): Features names '${n}', which is not a column of the input`);
      return c;
    });
  }
  return chosen.map((c) => {
    const expr: Expr = { k: 'column', type: c.type, name: c.name };
    if (NUMERIC.includes(c.type) || c.type === 'bool') return { expr, encoding: 'number' as const };
    if (c.type === 'string') return { expr, encoding: 'frequency' as const };
    throw b.semantic(given?.node ?? call, `${name}(): the feature '${c.name}' is ${c.type}, not numeric (convert it first, e.g. with tolong() or datetime_part())`);
  });
}

function centroidsOf(b: IrBuilder, given: { node: SyntaxNodeData; value: Expr & { k: 'literal' } } | undefined, k: number, dims: number): number[][] | undefined {
  if (!given) return undefined;
  const value = dynamicValue(given);
  const ok = Array.isArray(value) && value.length === k
    && value.every((row) => Array.isArray(row) && row.length === dims && row.every((x) => typeof x === 'number' && Number.isFinite(x)));
  if (!ok) throw b.semantic(given.node, `kmeans(): Centroids must be a dynamic array of K = ${k} arrays of ${dims} numbers (one per feature)`);
  return value as number[][];
}

/**
 * A constant dynamic argument's value (arrays of names or numbers), or undefined. Kusto also
 * writes strings in single quotes there, which JSON does not.
 */
function dynamicValue(given: { value: Expr & { k: 'literal' } }): unknown {
  if (given.value.type !== 'dynamic') return undefined;
  const text = String(given.value.value).replace(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g, (_, single?: string, double?: string) =>
    JSON.stringify(single !== undefined ? single.replace(/\\(.)/g, '$1') : JSON.parse(`"${double}"`)));
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Seeds are taken modulo 2^32. */
const seedOf = (x: number): number => ((x % 4294967296) + 4294967296) % 4294967296;

/** The input with its rows numbered (`__rn`, from 1), materialized so it is read once. */
function numbered(input: Plan): Plan {
  const columns = [...input.columns, { name: '__rn', type: 'long' as const }];
  const project: Plan = {
    op: 'project', input: { op: 'serialize', input, columns: input.columns }, columns,
    exprs: [
      ...input.columns.map((c) => ({ name: c.name, expr: { k: 'column', type: c.type, name: c.name } as Expr })),
      { name: '__rn', expr: { k: 'window', type: 'long', fn: 'row_number', args: [{ k: 'literal', type: 'long', value: '1' }] } },
    ],
  };
  return { op: 'materialize', id: 0, input: project, columns };
}
