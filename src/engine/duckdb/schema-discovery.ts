import type { DiscoveredKey, DiscoveryRequest } from '../../kql/ir/schema-discovery.js';
import type { KqlType } from '../../kql/types.js';
import { sqlString } from './sql-text.js';

/**
 * DuckDB SQL listing the distinct keys a data-dependent operator turns into columns, in order,
 * with (for bag properties) the distinct JSON types of their non-null values.
 * `keysSql` is the compiled discovery plan, whose column "k" holds a bag or a string.
 */
export function distinctKeysSql(request: DiscoveryRequest, keysSql: string): string {
  if (request.kind === 'bagKeys') {
    const value = `json_extract("k", '$."' || replace(replace("key", '\\', '\\\\'), '"', '\\"') || '"')`;
    return `SELECT "key", list(DISTINCT json_type(${value})) FILTER (WHERE json_type(${value}) <> ${sqlString('NULL')}) AS "types"
      FROM (SELECT "k", unnest(json_keys("k")) AS "key" FROM (${keysSql}) AS d WHERE json_type("k") = 'OBJECT') AS p
      GROUP BY "key" ORDER BY "key"`;
  }
  return `SELECT DISTINCT coalesce("k", '') AS "key", NULL AS "types" FROM (${keysSql}) AS d ORDER BY 1`;
}

const JSON_TO_KQL: Record<string, KqlType> = { VARCHAR: 'string', BIGINT: 'long', UBIGINT: 'long', DOUBLE: 'real', BOOLEAN: 'bool' };

/** Rows of distinctKeysSql → keys; a property's type is its values' one type, else dynamic. */
export function discoveredKeys(rows: unknown[][]): DiscoveredKey[] {
  return rows.map(([key, types]) => {
    const name = String(key);
    if (!types || typeof types !== 'object' || !('items' in types)) return { name };
    const kql = new Set((types as { items: unknown[] }).items.map((t) => JSON_TO_KQL[String(t)] ?? 'dynamic'));
    return { name, type: kql.size === 1 ? [...kql][0]! : 'dynamic' };
  });
}
