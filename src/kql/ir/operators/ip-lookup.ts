import type { SyntaxNodeData } from '../../frontend/syntax.js';
import type { IrBuilder } from '../builder.js';
import type { Plan } from '../ir.js';
import type { Scope } from '../scope.js';
import { declaredName, kids, nameText } from '../syntax-helpers.js';

/**
 * `evaluate ipv4_lookup(LookupTable, SourceIPv4Key, IPv4LookupKey [, ExtraKey…] [, return_unmatched])`:
 * each input row joined to every lookup row whose network (CIDR text) contains the row's address,
 * with the extra keys compared for equality as in a join. Unmatched rows are dropped unless
 * return_unmatched = true. Output: the input's columns, then the lookup's (extra keys once).
 */
export function ipv4Lookup(b: IrBuilder, op: SyntaxNodeData, args: SyntaxNodeData[], input: Plan, scope: Scope): Plan {
  let returnUnmatched = false;
  const positional: SyntaxNodeData[] = [];
  for (const a of args) {
    const name = a.kind === 'SimpleNamedExpression' ? declaredName(kids(a)[0]!).toLowerCase() : undefined;
    if (name === undefined) positional.push(a);
    else if (name === 'return_unmatched') returnUnmatched = constantBool(b, kids(a)[1]!, scope);
    else throw b.unsupported(a, `the argument '${name}' of ipv4_lookup() (expected LookupTable, SourceIPv4Key, IPv4LookupKey, extra keys, return_unmatched)`);
  }
  // A trailing bool positional argument is return_unmatched.
  const last = positional[positional.length - 1];
  if (positional.length > 3 && last && b.expr(last, scope).type === 'bool') {
    returnUnmatched = constantBool(b, last, scope);
    positional.pop();
  }
  if (positional.length < 3) throw b.unsupported(op, 'ipv4_lookup() without LookupTable, SourceIPv4Key and IPv4LookupKey');
  const [tableArg, sourceArg, lookupArg, ...extraArgs] = positional as [SyntaxNodeData, SyntaxNodeData, SyntaxNodeData, ...SyntaxNodeData[]];
  const lookup = b.plan(tableArg, scope);
  const sourceKey = nameText(sourceArg);
  const lookupKey = nameText(lookupArg);
  const column = (plan: Plan, name: string, where: SyntaxNodeData, what: string) => {
    const c = plan.columns.find((x) => x.name === name);
    if (!c) throw b.unsupported(where, `an ipv4_lookup() ${what} '${name}' that is not a column`);
    if (c.type !== 'string') throw b.unsupported(where, `an ipv4_lookup() ${what} '${name}' of type ${c.type} (expected string)`);
  };
  column(input, sourceKey, sourceArg, 'SourceIPv4Key');
  column(lookup, lookupKey, lookupArg, 'IPv4LookupKey');
  const extraKeys = extraArgs.map((a) => {
    const name = nameText(a);
    if (!input.columns.some((c) => c.name === name) || !lookup.columns.some((c) => c.name === name)) {
      throw b.unsupported(a, `an ipv4_lookup() extra key '${name}' that is not a column of both tables`);
    }
    return name;
  });
  return { op: 'ipLookup', columns: b.cols(op), input, lookup, sourceKey, lookupKey, extraKeys, returnUnmatched };
}

function constantBool(b: IrBuilder, n: SyntaxNodeData, scope: Scope): boolean {
  const e = b.expr(n, scope);
  if (e.k !== 'literal' || typeof e.value !== 'boolean') throw b.unsupported(n, 'a return_unmatched that is not a constant bool');
  return e.value;
}
