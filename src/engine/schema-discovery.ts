import { KqlError } from '../kql/diagnostics.js';
import type { Plan } from '../kql/ir/ir.js';
import { SchemaDiscoveryNeeded, type DiscoveredKey, type DiscoveryRequest } from '../kql/ir/schema-discovery.js';

/** More distinct keys than this is almost surely a mistake (a pivot over an id column). */
const MAX_DISCOVERED_COLUMNS = 5000;
/** A query with more data-dependent operators than this is not worth re-analysing again. */
const MAX_ROUNDS = 16;

/**
 * Two-phase compile for operators whose columns come from the data (see
 * `kql/ir/schema-discovery.ts`): prepare the query; when the builder asks for a schema, run
 * `discover` for the distinct keys, write the output schema clause into the text and prepare
 * again, until the query has no open schema left. Each round settles the first such operator.
 */
export async function prepareDiscovering<P>(
  text: string,
  prepare: (text: string) => P,
  discover: (request: SchemaDiscoveryNeeded) => Promise<DiscoveredKey[]>,
): Promise<P> {
  let current = text;
  const learned: Array<{ operator: string; keys: DiscoveredKey[] }> = [];
  for (let round = 0; ; round++) {
    try {
      return prepare(current);
    } catch (err) {
      if (!(err instanceof SchemaDiscoveryNeeded)) throw explained(err, learned);
      if (round >= MAX_ROUNDS) throw err;
      const written = current.slice(err.anchor.start, err.insertAt).replace(/\s+/g, '');
      if (written !== err.anchor.text.replace(/\s+/g, '')) {
        throw new KqlError('unsupported', `${err.operator} inside a function body needs ${err.request.kind === 'databaseTables' ? "'in (tables)'" : "an output schema (': (Name:type, ...)')"}`);
      }
      const keys = await discover(err);
      if (err.request.kind !== 'databaseTables') learned.push({ operator: err.operator, keys });
      if (keys.length > MAX_DISCOVERED_COLUMNS) {
        throw new KqlError('runtime', `${err.operator} would make ${keys.length} columns (at most ${MAX_DISCOVERED_COLUMNS})`);
      }
      current = current.slice(0, err.insertAt) + err.schemaClause(keys) + current.slice(err.insertAt);
    }
  }
}

/**
 * A name the query uses that no column has, after data-dependent operators learned their
 * columns: says which columns the data gave them (the name is not a missing catalog column but
 * a property or value the data does not have).
 */
function explained(err: unknown, learned: Array<{ operator: string; keys: DiscoveredKey[] }>): unknown {
  if (!learned.length || !(err instanceof KqlError) || err.kind !== 'semantic') return err;
  const name = /The name '([^']*)' does not refer to any known column/.exec(err.message)?.[1];
  if (name === undefined) return err;
  const found = learned.map(({ operator, keys }) => {
    const names = keys.map((k) => k.name);
    const shown = names.length > 12 ? `${names.slice(0, 12).join(', ')}, … (${names.length})` : names.join(', ');
    return `${operator} found ${names.length ? `the columns ${shown}` : 'no columns (no rows to learn them from)'}`;
  });
  const why = `'${name}' is not a column here: the data has no such property or value (${found.join('; ')})`;
  return new KqlError('semantic', `${err.message} ${why}`, err.diagnostics.map((d) => ({ ...d, message: `${d.message} ${why}` })));
}

/** The IR whose first column holds the values to take the distinct keys of. */
export function discoveryPlan(request: Extract<DiscoveryRequest, { input: Plan }>): Plan {
  const type = request.expr.type;
  return { op: 'project', input: request.input, columns: [{ name: 'k', type }], exprs: [{ name: 'k', expr: request.expr }] };
}
