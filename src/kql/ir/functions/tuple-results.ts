/**
 * Functions that return several values (a tuple): `extend (rsq, slope) = series_fit_line(y)`,
 * `extend series_stats(y)` (one column per output), `print array_sort_asc(a1, a2)`.
 *
 * The registry maps a function name to its outputs (element names and KQL types, in order).
 * A registered call compiles to ONE dynamic array whose k-th element is output k; each result
 * column is a `path` into that call. DuckDB evaluates the repeated call once per row (common
 * subexpression elimination within a projection). Column names and types come from
 * Kusto.Language's result columns; the registry's names and types say how many outputs there
 * are and type an element where no column says otherwise.
 */
import { KqlError } from '../../diagnostics.js';
import type { KqlType } from '../../types.js';
import type { Expr } from '../ir.js';
import { SERIES_TUPLE_FUNCTIONS } from './series-tuples.js';

export interface TupleOutput {
  name: string;
  type: KqlType;
}

/** The outputs of one call, from its arguments; undefined when this call yields a single value. */
export type TupleOutputs = readonly TupleOutput[] | ((args: Expr[]) => readonly TupleOutput[] | undefined);

/** array_sort_asc/desc with several arrays sort them all by the first: one output per array. */
const sortedArrays = (args: Expr[]): TupleOutput[] | undefined => {
  const arrays = args.length > 1 && args[args.length - 1]!.type === 'bool' ? args.length - 1 : args.length;
  if (arrays < 2) return undefined;
  return Array.from({ length: arrays }, (_, i) => ({ name: `array${i + 1}_sorted`, type: 'dynamic' as const }));
};

const REGISTRY = new Map<string, TupleOutputs>([
  ['array_sort_asc', sortedArrays],
  ['array_sort_desc', sortedArrays],
  ...Object.entries(SERIES_TUPLE_FUNCTIONS),
]);

/** Adds a tuple-valued function (lower-case KQL name). */
export function registerTupleFunction(fn: string, outputs: TupleOutputs): void {
  if (REGISTRY.has(fn)) throw new Error(`tuple function ${fn} is registered twice`);
  REGISTRY.set(fn, outputs);
}

/** The outputs of a tuple-valued call, or undefined when the expression is a single value. */
export function tupleOutputs(e: Expr): readonly TupleOutput[] | undefined {
  if (e.k !== 'call') return undefined;
  const outputs = REGISTRY.get(e.fn);
  return typeof outputs === 'function' ? outputs(e.args) : outputs;
}

/** The column values of a tuple-valued call (one path per output), or undefined for a single value. */
export function tupleElements(e: Expr): Expr[] | undefined {
  const outputs = tupleOutputs(e);
  if (!outputs || e.k !== 'call') return undefined;
  const call: Expr = { ...e, type: 'dynamic' };
  return outputs.map((o, i): Expr => ({ k: 'path', type: o.type, base: call, steps: [i] }));
}

/** A tuple element typed as its result column (Kusto.Language's type wins over the registry's). */
export function asColumnType(e: Expr, type: KqlType): Expr {
  return e.k === 'path' && e.type !== type && tupleOutputs(e.base) ? { ...e, type } : e;
}

/**
 * `print name = f(…)` of a tuple-valued call: its first output (Kusto.Language types the column
 * as that output), except array_sort_* of several arrays, which print the array of sorted arrays.
 */
export function printedTuple(e: Expr): Expr {
  if (e.k !== 'call' || typeof REGISTRY.get(e.fn) === 'function') return e;
  return tupleElements(e)?.[0] ?? e;
}

/**
 * The values an item of extend/project/print yields, in column order, each with the name the
 * query gives it (undefined: Kusto.Language names it). `name = tuple` and `(a, b) = tuple` name
 * the first outputs; the other outputs keep their default names, as Kusto.Language does.
 */
export function itemValues(names: readonly string[], value: Expr): Array<{ name?: string; expr: Expr }> {
  const elements = tupleElements(value);
  if (!elements) {
    if (names.length > 1) throw new KqlError('semantic', 'tuple assignment `(a, b) = …` needs a function that returns several values');
    return [{ ...(names[0] !== undefined ? { name: names[0] } : {}), expr: value }];
  }
  if (names.length > elements.length) {
    throw new KqlError('semantic', `tuple assignment names ${names.length} columns, but the function returns ${elements.length} values`);
  }
  return elements.map((expr, i) => (names[i] !== undefined ? { name: names[i]!, expr } : { expr }));
}
