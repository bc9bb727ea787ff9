import type { Column } from '../../types.js';
import type { Expr, Plan } from '../ir.js';

/**
 * The columns of an outer union as Kusto names them (union-operator.md, the `View_1, View_2,
 * View_3` example): one column per distinct (name, type) of the inputs, in order of first
 * appearance. A name that comes with several types is split into `name_type` columns; such a
 * derived name yields to an input column that really has it, taking the first free numeric
 * suffix (`x_long1`). Kusto.Language numbers the real column instead (`x_long`, `x_int`,
 * `x_long1` there); the builder takes these columns where the two differ, or where
 * Kusto.Language has none (views reached by a wildcard).
 */
export interface UnionSchema {
  columns: Column[];
  /** Per input: its column name -> the output column it fills. */
  targets: Array<Map<string, string>>;
  /** A derived `name_type` met a real column of that name (where Kusto.Language's names differ). */
  derivedClash: boolean;
}

export function unionSchema(inputs: ReadonlyArray<readonly Column[]>): UnionSchema {
  const typesOf = new Map<string, Set<string>>();
  for (const cols of inputs) for (const c of cols) (typesOf.get(c.name) ?? typesOf.set(c.name, new Set()).get(c.name)!).add(c.type);
  const split = (name: string) => typesOf.get(name)!.size > 1;

  const order: Column[] = [];
  const seen = new Set<string>();
  for (const cols of inputs) {
    for (const c of cols) {
      const key = `${c.name}\u0000${c.type}`;
      if (!seen.has(key)) {
        seen.add(key);
        order.push(c);
      }
    }
  }
  // Real names are taken first; derived ones get the next free suffix.
  const taken = new Set(order.filter((c) => !split(c.name)).map((c) => c.name));
  const outName = new Map<string, string>();
  let derivedClash = false;
  for (const c of order) {
    const key = `${c.name}\u0000${c.type}`;
    if (!split(c.name)) {
      outName.set(key, c.name);
      continue;
    }
    const base = `${c.name}_${c.type}`;
    let name = base;
    if (taken.has(name)) derivedClash = true;
    for (let n = 1; taken.has(name); n++) name = `${base}${n}`;
    taken.add(name);
    outName.set(key, name);
  }
  return {
    columns: order.map((c) => ({ name: outName.get(`${c.name}\u0000${c.type}`)!, type: c.type })),
    targets: inputs.map((cols) => new Map(cols.map((c) => [c.name, outName.get(`${c.name}\u0000${c.type}`)!]))),
    derivedClash,
  };
}

/** An input renamed onto the union's output column names (a projection; unchanged when nothing moves). */
export function alignedInput(plan: Plan, targets: Map<string, string>): Plan {
  if (plan.columns.every((c) => targets.get(c.name) === c.name)) return plan;
  const col = (c: Column): Expr => ({ k: 'column', type: c.type, name: c.name });
  return {
    op: 'project', input: plan,
    exprs: plan.columns.map((c) => ({ name: targets.get(c.name)!, expr: col(c) })),
    columns: plan.columns.map((c) => ({ name: targets.get(c.name)!, type: c.type })),
  };
}
