import type { PlanOf } from '../../../kql/ir/ir.js';
import type { DuckDbCompiler } from '../compiler.js';
import { sqlIdent } from '../sql-text.js';
import { lookupJoin } from './lookup-join.js';

/**
 * geo_polygon_lookup / geo_line_lookup as a join whose condition is geometric: the point in the
 * polygon (kql_geo_point_in_polygon), or within the radius of the polygon or line
 * (kql_geo_distance_point_to_*). A LEFT join keeps unmatched rows for return_unmatched = true.
 */
export function compileGeoLookup(c: DuckDbCompiler, p: PlanOf<'geoLookup'>): string {
  const L = c.alias();
  const R = c.alias();
  const lng = `CAST(${c.expr(p.longitude, { qualifier: L }).sql} AS DOUBLE)`;
  const lat = `CAST(${c.expr(p.latitude, { qualifier: L }).sql} AS DOUBLE)`;
  const shape = `CAST(${R}.${sqlIdent(p.key)} AS VARCHAR)`;
  const radius = p.radius ? `CAST(${c.expr(p.radius, { qualifier: L }).sql} AS DOUBLE)` : undefined;
  const condition =
    p.shape === 'line'
      ? `kql_geo_distance_point_to_line(${lng}, ${lat}, ${shape}) <= ${radius}`
      : radius
        ? `kql_geo_distance_point_to_polygon(${lng}, ${lat}, ${shape}) <= ${radius}`
        : `kql_geo_point_in_polygon(${lng}, ${lat}, ${shape})`;
  return lookupJoin({
    L, R, inputSql: c.plan(p.input), lookupSql: c.plan(p.lookup), input: p.input, columns: p.columns, returnUnmatched: p.returnUnmatched,
    lookupColumns: p.lookup.columns.filter((col) => p.returnLookupKey || col.name !== p.key),
    condition: `coalesce(${condition}, false)`,
  });
}
