/**
 * The geo_* UDFs: `kql_geo_*` scalar functions over numbers and GeoJSON text. Shapes come back
 * as GeoJSON text (the SQL generators in functions/geo.ts cast them to JSON); a null result
 * marks invalid input. Integer parameters arrive as BIGINT.
 */
import { BIGINT, BOOLEAN, DOUBLE, VARCHAR } from '@duckdb/node-api';
import type { RowUdf } from '../register.js';
import * as cells from './cells.js';
import * as coverings from './coverings.js';
import { geoInfoFromIpAddress } from './ip-location.js';
import * as polygonSets from './polygon-set-functions.js';
import * as shapes from './shapes.js';

const n = Number;

export const GEO_UDFS: RowUdf[] = [
  { name: 'kql_geo_distance_2points', parameters: [DOUBLE, DOUBLE, DOUBLE, DOUBLE], returns: DOUBLE, row: shapes.distance2Points },
  { name: 'kql_geo_point_in_circle', parameters: [DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE], returns: BOOLEAN, row: shapes.pointInCircle },
  { name: 'kql_geo_angle', parameters: [DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE], returns: DOUBLE, row: shapes.angle },
  { name: 'kql_geo_point_in_polygon', parameters: [DOUBLE, DOUBLE, VARCHAR], returns: BOOLEAN, row: shapes.pointInPolygon },
  { name: 'kql_geo_polygon_area', parameters: [VARCHAR], returns: DOUBLE, row: polygonSets.polygonArea },
  { name: 'kql_geo_polygon_perimeter', parameters: [VARCHAR], returns: DOUBLE, row: polygonSets.polygonPerimeter },
  { name: 'kql_geo_intersection_2polygons', parameters: [VARCHAR, VARCHAR], returns: VARCHAR, row: polygonSets.intersection2Polygons },
  { name: 'kql_geo_union_polygons_array', parameters: [VARCHAR], returns: VARCHAR, row: polygonSets.unionPolygonsArray },
  { name: 'kql_geo_simplify_polygons_array', parameters: [VARCHAR, DOUBLE], returns: VARCHAR, row: polygonSets.simplifyPolygonsArray },
  { name: 'kql_geo_distance_point_to_polygon', parameters: [DOUBLE, DOUBLE, VARCHAR], returns: DOUBLE, row: shapes.distancePointToPolygon },
  { name: 'kql_geo_distance_point_to_line', parameters: [DOUBLE, DOUBLE, VARCHAR], returns: DOUBLE, row: shapes.distancePointToLine },
  { name: 'kql_geo_polygon_centroid', parameters: [VARCHAR], returns: VARCHAR, row: polygonSets.polygonCentroid },
  { name: 'kql_geo_intersects_2polygons', parameters: [VARCHAR, VARCHAR], returns: BOOLEAN, row: shapes.polygonsIntersect },
  { name: 'kql_geo_intersects_line_with_polygon', parameters: [VARCHAR, VARCHAR], returns: BOOLEAN, row: shapes.lineIntersectsPolygon },
  { name: 'kql_geo_closest_point_on_line', parameters: [DOUBLE, DOUBLE, VARCHAR], returns: VARCHAR, row: shapes.closestPointOnLine },
  { name: 'kql_geo_closest_point_on_polygon', parameters: [DOUBLE, DOUBLE, VARCHAR], returns: VARCHAR, row: shapes.closestPointOnPolygon },
  { name: 'kql_geo_polygon_densify', parameters: [VARCHAR, DOUBLE], returns: VARCHAR, row: shapes.polygonDensify },
  { name: 'kql_geo_polygon_simplify', parameters: [VARCHAR, DOUBLE], returns: VARCHAR, row: shapes.polygonSimplify },
  { name: 'kql_geo_line_length', parameters: [VARCHAR], returns: DOUBLE, row: shapes.lineLength },
  { name: 'kql_geo_line_centroid', parameters: [VARCHAR], returns: VARCHAR, row: shapes.lineCentroid },
  { name: 'kql_geo_line_densify', parameters: [VARCHAR, DOUBLE], returns: VARCHAR, row: shapes.lineDensify },
  { name: 'kql_geo_line_simplify', parameters: [VARCHAR, DOUBLE], returns: VARCHAR, row: shapes.lineSimplify },
  { name: 'kql_geo_line_interpolate_point', parameters: [VARCHAR, DOUBLE], returns: VARCHAR, row: shapes.lineInterpolatePoint },
  { name: 'kql_geo_line_locate_point', parameters: [VARCHAR, DOUBLE, DOUBLE], returns: DOUBLE, row: shapes.lineLocatePoint },
  { name: 'kql_geo_intersects_2lines', parameters: [VARCHAR, VARCHAR], returns: BOOLEAN, row: shapes.linesIntersect },

  {
    name: 'kql_geo_point_to_h3cell', parameters: [DOUBLE, DOUBLE, BIGINT], returns: VARCHAR,
    row: (lng: number, lat: number, res: bigint) => cells.pointToH3Cell(lng, lat, n(res)),
  },
  { name: 'kql_geo_h3cell_level', parameters: [VARCHAR], returns: BIGINT, row: (cell: string) => toBigint(cells.h3CellLevel(cell)) },
  { name: 'kql_geo_h3cell_parent', parameters: [VARCHAR, BIGINT], returns: VARCHAR, row: (cell: string, res: bigint) => cells.h3CellParent(cell, n(res)) },
  { name: 'kql_geo_h3cell_children', parameters: [VARCHAR, BIGINT], returns: VARCHAR, row: (cell: string, res: bigint) => cells.h3CellChildren(cell, n(res)) },
  { name: 'kql_geo_h3cell_neighbors', parameters: [VARCHAR], returns: VARCHAR, row: cells.h3CellNeighbors },
  { name: 'kql_geo_h3cell_rings', parameters: [VARCHAR, BIGINT], returns: VARCHAR, row: (cell: string, d: bigint) => cells.h3CellRings(cell, n(d)) },
  { name: 'kql_geo_h3cell_to_central_point', parameters: [VARCHAR], returns: VARCHAR, row: cells.h3CellToCentralPoint },
  { name: 'kql_geo_h3cell_to_polygon', parameters: [VARCHAR], returns: VARCHAR, row: cells.h3CellToPolygon },
  {
    name: 'kql_geo_polygon_to_h3cells', parameters: [VARCHAR, BIGINT], returns: VARCHAR,
    row: (polygon: string, res: bigint) => cells.polygonToH3Cells(polygon, n(res)),
  },
  {
    name: 'kql_geo_point_to_s2cell', parameters: [DOUBLE, DOUBLE, BIGINT], returns: VARCHAR,
    row: (lng: number, lat: number, level: bigint) => cells.pointToS2Cell(lng, lat, n(level)),
  },
  { name: 'kql_geo_s2cell_to_central_point', parameters: [VARCHAR], returns: VARCHAR, row: cells.s2CellToCentralPoint },
  { name: 'kql_geo_s2cell_to_polygon', parameters: [VARCHAR], returns: VARCHAR, row: cells.s2CellToPolygon },
  { name: 'kql_geo_s2cell_neighbors', parameters: [VARCHAR], returns: VARCHAR, row: cells.s2CellNeighbors },
  {
    name: 'kql_geo_point_to_geohash', parameters: [DOUBLE, DOUBLE, BIGINT], returns: VARCHAR,
    row: (lng: number, lat: number, accuracy: bigint) => cells.pointToGeohash(lng, lat, n(accuracy)),
  },
  { name: 'kql_geo_geohash_to_central_point', parameters: [VARCHAR], returns: VARCHAR, row: cells.geohashToCentralPoint },
  { name: 'kql_geo_geohash_to_polygon', parameters: [VARCHAR], returns: VARCHAR, row: cells.geohashToPolygon },
  { name: 'kql_geo_geohash_neighbors', parameters: [VARCHAR], returns: VARCHAR, row: cells.geohashNeighbors },
  {
    name: 'kql_geo_polygon_to_s2cells', parameters: [VARCHAR, BIGINT], returns: VARCHAR,
    row: (polygon: string, level: bigint) => coverings.polygonToS2Cells(polygon, n(level)),
  },
  {
    name: 'kql_geo_line_to_s2cells', parameters: [VARCHAR, BIGINT], returns: VARCHAR,
    row: (line: string, level: bigint) => coverings.lineToS2Cells(line, n(level)),
  },
  { name: 'kql_geo_point_buffer', parameters: [DOUBLE, DOUBLE, DOUBLE, DOUBLE], returns: VARCHAR, row: coverings.pointBuffer },
  { name: 'kql_geo_line_buffer', parameters: [VARCHAR, DOUBLE, DOUBLE], returns: VARCHAR, row: coverings.lineBuffer },
  { name: 'kql_geo_polygon_buffer', parameters: [VARCHAR, DOUBLE, DOUBLE], returns: VARCHAR, row: coverings.polygonBuffer },

  { name: 'kql_geo_info_from_ip_address', parameters: [VARCHAR], returns: VARCHAR, row: geoInfoFromIpAddress },
];

function toBigint(v: number | null): bigint | null {
  return v === null ? null : BigInt(v);
}
