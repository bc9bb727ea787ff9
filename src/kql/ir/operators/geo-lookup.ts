import type { SyntaxNodeData } from '../../frontend/syntax.js';
import type { IrBuilder } from '../builder.js';
import type { Expr, Plan } from '../ir.js';
import type { Scope } from '../scope.js';
import { declaredName, kids, nameText } from '../syntax-helpers.js';

/**
 * `evaluate geo_polygon_lookup(...)` and `evaluate geo_line_lookup(...)`: each input row joined
 * to the lookup rows whose polygon contains its point (or lies within `radius` meters of it),
 * or whose line lies within `radius` meters. Unmatched rows are dropped unless
 * return_unmatched = true; the lookup's shape column is returned only with return_lookup_key = true.
 */
export type GeoLookupPlan = Extract<Plan, { op: 'geoLookup' }>;

const PARAMETERS = ['lookup', 'key', 'longitude', 'latitude', 'radius', 'return_unmatched', 'lookup_area_radius', 'return_lookup_key'];

export function geoLookup(b: IrBuilder, op: SyntaxNodeData, args: SyntaxNodeData[], input: Plan, scope: Scope, shape: 'polygon' | 'line'): Plan {
  const name = shape === 'polygon' ? 'geo_polygon_lookup' : 'geo_line_lookup';
  const named = new Map<string, SyntaxNodeData>();
  let position = 0;
  for (const a of args) {
    if (a.kind === 'SimpleNamedExpression') named.set(declaredName(kids(a)[0]!).toLowerCase(), kids(a)[1]!);
    else named.set(PARAMETERS[position++] ?? `extra${position}`, a);
  }
  const required = (p: string): SyntaxNodeData => {
    const n = named.get(p);
    if (!n) throw b.unsupported(op, `evaluate ${name}() without its ${p} argument`);
    return n;
  };
  if (named.has('lookup_area_radius')) throw b.unsupported(named.get('lookup_area_radius')!, `the lookup_area_radius argument of ${name}()`);
  const flag = (p: string): boolean => {
    const n = named.get(p);
    if (!n) return false;
    const e = b.expr(n, scope);
    if (e.k !== 'literal' || typeof e.value !== 'boolean') throw b.unsupported(n, `a ${p} that is not a constant bool`);
    return e.value;
  };
  const lookup = b.plan(required('lookup'), scope);
  const key = nameText(required('key'));
  if (!lookup.columns.some((c) => c.name === key)) throw b.unsupported(required('key'), `a ${name}() key that is not a column of the lookup table`);
  const radiusNode = shape === 'line' ? required('radius') : named.get('radius');
  const radius: Expr | undefined = radiusNode && b.expr(radiusNode, scope);
  return {
    op: 'geoLookup',
    columns: b.cols(op),
    input,
    lookup,
    shape,
    key,
    longitude: b.expr(required('longitude'), scope),
    latitude: b.expr(required('latitude'), scope),
    radius,
    returnUnmatched: flag('return_unmatched'),
    returnLookupKey: flag('return_lookup_key'),
  };
}
