import type { SyntaxNodeData } from '../../frontend/syntax.js';
import type { KqlType } from '../../types.js';
import type { IrBuilder } from '../builder.js';
import type { Expr, Plan } from '../ir.js';
import type { Scope } from '../scope.js';
import { declaredName, kids } from '../syntax-helpers.js';

const SCHEMA_COLUMNS: Array<{ name: string; type: KqlType }> = [
  { name: 'ColumnName', type: 'string' }, { name: 'ColumnOrdinal', type: 'int' }, { name: 'DataType', type: 'string' }, { name: 'ColumnType', type: 'string' },
];
const col = (name: string, type: KqlType): Expr => ({ k: 'column', type, name });
const SCHEMA_INDEX = 'SchemaIndex';

/**
 * Rows of a union carry their input's position, since the database may interleave the inputs:
 * the merge then sees each schema whole and in union order.
 */
function withSchemaIndex(input: Plan): Plan {
  if (input.op !== 'union') return input;
  const columns = [...input.columns, { name: SCHEMA_INDEX, type: 'long' as KqlType }];
  const inputs = input.inputs.map(({ plan, source }, i) => ({
    source,
    plan: {
      op: 'project',
      input: plan,
      exprs: [...plan.columns.map((c) => ({ name: c.name, expr: col(c.name, c.type) })), { name: SCHEMA_INDEX, expr: { k: 'literal', type: 'long', value: String(i) } as Expr }],
      columns: [...plan.columns, { name: SCHEMA_INDEX, type: 'long' as KqlType }],
    } as Plan,
  }));
  return { ...input, inputs, columns };
}

/**
 * `evaluate schema_merge([PreserveOrder])` over the union of `getschema` results: the rows are
 * gathered in order into one list, merged by the kql_schema_merge UDF, and expanded again.
 */
export function schemaMerge(b: IrBuilder, op: SyntaxNodeData, args: SyntaxNodeData[], input: Plan, scope: Scope): Plan {
  for (const c of SCHEMA_COLUMNS) {
    if (!input.columns.some((x) => x.name === c.name)) throw b.unsupported(op, `schema_merge() over input without the getschema column ${c.name}`);
  }
  let preserve: Expr = { k: 'literal', type: 'bool', value: true };
  if (args.length > 1) throw b.unsupported(op, 'schema_merge() with more than one argument (expected schema_merge([PreserveOrder]))');
  if (args[0]) {
    const a = args[0];
    const value = a.kind === 'SimpleNamedExpression' ? kids(a)[1]! : a;
    if (a.kind === 'SimpleNamedExpression' && declaredName(kids(a)[0]!).toLowerCase() !== 'preserveorder') throw b.unsupported(a, 'a schema_merge() argument other than PreserveOrder');
    preserve = b.expr(value, scope);
    if (preserve.type !== 'bool') throw b.unsupported(value, `a PreserveOrder of type ${preserve.type} (expected bool)`);
  }
  const indexed = withSchemaIndex(input);
  const fields = [...SCHEMA_COLUMNS, ...(indexed === input ? [] : [{ name: SCHEMA_INDEX, type: 'long' as KqlType }])];
  const bag: Expr = { k: 'call', type: 'dynamic', fn: 'bag_pack', args: fields.flatMap((c) => [{ k: 'literal', type: 'string', value: c.name } as Expr, col(c.name, indexed.columns.find((x) => x.name === c.name)!.type)]) };
  const gathered: Plan = {
    op: 'summarize', input: indexed, keys: [], argExtremes: [],
    outputs: [{ name: 'kql_schemas', type: 'dynamic', expr: { k: 'aggregate', type: 'dynamic', fn: 'make_list', args: [bag] } }],
    columns: [{ name: 'kql_schemas', type: 'dynamic' }],
  };
  const merged: Plan = {
    op: 'project', input: gathered,
    exprs: [{ name: 'kql_merged', expr: { k: 'call', type: 'dynamic', fn: 'kql_schema_merge', args: [col('kql_schemas', 'dynamic'), preserve] } }],
    columns: [{ name: 'kql_merged', type: 'dynamic' }],
  };
  const expanded: Plan = {
    op: 'mvExpand', input: merged, items: [{ name: 'kql_merged', expr: col('kql_merged', 'dynamic'), type: 'dynamic' }], bagExpansion: 'array',
    columns: [{ name: 'kql_merged', type: 'dynamic' }],
  };
  const field = (name: string, type: KqlType): Expr => ({
    k: 'call', type, fn: type === 'int' ? 'toint' : 'tostring', args: [{ k: 'path', type: 'dynamic', base: col('kql_merged', 'dynamic'), steps: [name] }],
  });
  const out = b.cols(op);
  return { op: 'project', input: expanded, exprs: out.map((c) => ({ name: c.name, expr: field(c.name, c.type) })), columns: out };
}
