/**
 * Functions whose unnamed use yields several columns: array_sort_asc/desc with several arrays
 * give one column per array (`print array_sort_asc(a1, a2)` has array1_sorted, array2_sorted).
 * The call itself returns the array of the sorted arrays; each column takes its element.
 */
import type { Expr } from '../ir.js';

const TUPLE_FUNCTIONS = new Set(['array_sort_asc', 'array_sort_desc']);

/** The column values of a tuple-valued call, or undefined when the expression is a single value. */
export function tupleElements(e: Expr): Expr[] | undefined {
  if (e.k !== 'call' || !TUPLE_FUNCTIONS.has(e.fn)) return undefined;
  const arrays = e.args.length > 1 && e.args[e.args.length - 1]!.type === 'bool' ? e.args.length - 1 : e.args.length;
  if (arrays < 2) return undefined;
  return Array.from({ length: arrays }, (_, i): Expr => ({ k: 'path', type: 'dynamic', base: e, steps: [i] }));
}
