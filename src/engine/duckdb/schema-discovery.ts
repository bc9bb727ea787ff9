import type { DiscoveryRequest } from '../../kql/ir/schema-discovery.js';

/**
 * DuckDB SQL listing the distinct keys a data-dependent operator turns into columns, in order.
 * `keysSql` is the compiled discovery plan, whose column "k" holds a bag or a string.
 */
export function distinctKeysSql(request: DiscoveryRequest, keysSql: string): string {
  if (request.kind === 'bagKeys') {
    return `SELECT DISTINCT unnest(json_keys("k")) AS "key" FROM (${keysSql}) AS d WHERE json_type("k") = 'OBJECT' ORDER BY 1`;
  }
  return `SELECT DISTINCT coalesce("k", '') AS "key" FROM (${keysSql}) AS d ORDER BY 1`;
}
