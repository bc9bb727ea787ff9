/**
 * buildschema(): the minimal schema admitting every value (buildschema docs). A schema is a
 * primitive type name ("long", "double", "string", "bool"), a container `{name: schema}`, an
 * array `{"indexer": schema}`, or a union `[schema, …]` in first-seen order. Nulls add nothing.
 */

type Schema = string | { [key: string]: Schema } | Schema[];

/** A union under construction: its parts in first-seen order. */
interface Union {
  parts: Array<{ kind: 'primitive'; name: string } | { kind: 'object'; fields: Map<string, Union> } | { kind: 'array'; items: Union }>;
}

const empty = (): Union => ({ parts: [] });

function primitiveName(v: unknown): string {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'long' : 'double';
  return 'string';
}

function add(u: Union, v: unknown): void {
  if (v === null || v === undefined) return;
  if (Array.isArray(v)) {
    let part = u.parts.find((p) => p.kind === 'array');
    if (!part) u.parts.push((part = { kind: 'array', items: empty() }));
    for (const item of v) add((part as { items: Union }).items, item);
  } else if (typeof v === 'object') {
    let part = u.parts.find((p) => p.kind === 'object');
    if (!part) u.parts.push((part = { kind: 'object', fields: new Map() }));
    const fields = (part as { fields: Map<string, Union> }).fields;
    for (const [k, value] of Object.entries(v as Record<string, unknown>)) {
      if (!fields.has(k)) fields.set(k, empty());
      add(fields.get(k)!, value);
    }
  } else {
    const name = primitiveName(v);
    if (!u.parts.some((p) => p.kind === 'primitive' && p.name === name)) u.parts.push({ kind: 'primitive', name });
  }
}

function render(u: Union): Schema | undefined {
  const parts = u.parts.flatMap((p): Schema[] => {
    if (p.kind === 'primitive') return [p.name];
    if (p.kind === 'array') {
      const items = render(p.items);
      return [items === undefined ? {} : { indexer: items }];
    }
    const out: Record<string, Schema> = {};
    for (const [k, f] of p.fields) {
      const s = render(f);
      if (s !== undefined) out[k] = s;
    }
    return [out];
  });
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : parts;
}

/** The schema of a JSON array of values, as JSON text; null when no value is non-null. */
export function buildSchema(valuesJson: string): string | null {
  const values = JSON.parse(valuesJson) as unknown[];
  const u = empty();
  for (const v of values) add(u, v);
  const schema = render(u);
  return schema === undefined ? null : JSON.stringify(schema);
}
