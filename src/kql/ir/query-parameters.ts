import type { SyntaxNodeData } from '../frontend/syntax.js';
import { KqlError } from '../diagnostics.js';
import type { KqlType } from '../types.js';
import type { IrBuilder } from './builder.js';
import type { Expr } from './ir.js';
import { parseDatetimeLiteral, parseTimespanLiteral } from './literals.js';
import type { Scope } from './scope.js';
import { child, declaredName, kids } from './syntax-helpers.js';

/**
 * `declare query_parameters(name:type [= default], …)`: each name is bound to the value the
 * caller passed (QueryOptions.parameters), or else to its default. A value must fit the declared
 * type; a parameter with neither is an error, as in Kusto.
 */
export function bindQueryParameters(b: IrBuilder, st: SyntaxNodeData, scope: Scope, values: Readonly<Record<string, unknown>>): void {
  for (const p of kids(st).filter((c) => c.kind === 'FunctionParameter')) {
    const typed = child(p, 'NameAndTypeDeclaration');
    const decl = typed ? child(typed, 'NameDeclaration')! : kids(p)[0]!;
    const name = declaredName(decl);
    const type: KqlType = decl.type ?? 'dynamic';
    const defaultNode = child(p, 'DefaultValueDeclaration');
    if (Object.prototype.hasOwnProperty.call(values, name)) {
      scope.bind(name, { kind: 'scalar', expr: parameterLiteral(name, type, values[name]) });
    } else if (defaultNode) {
      scope.bind(name, { kind: 'scalar', expr: b.expr(kids(defaultNode)[0]!, scope) });
    } else {
      throw new KqlError('semantic', `declare query_parameters: no value was given for '${name}' and it has no default`);
    }
  }
}

/** The IR literal of a caller-supplied parameter value, checked against the declared type. */
export function parameterLiteral(name: string, type: KqlType, value: unknown): Expr {
  const bad = () => new KqlError('semantic', `query parameter '${name}' is declared ${type}, but the value given is ${JSON.stringify(value)}`);
  if (value === null || value === undefined) return { k: 'literal', type, value: null };
  switch (type) {
    case 'string':
    case 'guid':
      if (typeof value !== 'string') throw bad();
      if (type === 'guid' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) throw bad();
      return { k: 'literal', type, value };
    case 'bool':
      if (typeof value !== 'boolean') throw bad();
      return { k: 'literal', type, value };
    case 'int':
    case 'long':
      if (!(typeof value === 'number' && Number.isInteger(value)) && typeof value !== 'bigint' && !(typeof value === 'string' && /^-?\d+$/.test(value))) throw bad();
      return { k: 'literal', type, value: String(value) };
    case 'real':
    case 'decimal':
      if (typeof value !== 'number' && !(typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))) throw bad();
      return { k: 'literal', type, value: String(value) };
    case 'datetime': {
      const iso = value instanceof Date ? parseDatetimeLiteral(`datetime(${value.toISOString()})`) : typeof value === 'string' ? parseDatetimeLiteral(`datetime(${value})`) : null;
      if (!iso) throw bad();
      return { k: 'literal', type, value: iso };
    }
    case 'timespan': {
      // A KQL timespan text ('1h', '00:05:00') or a number of 100-ns ticks.
      const ticks = typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : typeof value === 'string' ? parseTimespanLiteral(value) : null;
      if (ticks === null) throw bad();
      return { k: 'literal', type, value: ticks.toString() };
    }
    case 'dynamic':
      return { k: 'literal', type, value: JSON.stringify(value) };
  }
}
