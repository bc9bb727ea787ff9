/**
 * Geospatial functions (geo_*) and geo_info_from_ip_address: SQL calls of the `kql_geo_*` UDFs
 * (udfs/geo/), with Kusto's default arguments filled in and results typed as Kusto types them.
 * Shapes travel as GeoJSON text; a UDF's null (invalid input) becomes '' for strings.
 */
import type { KqlType } from '../../../kql/types.js';
import type { ScalarFn, SqlValue } from '../../dialect.js';
import { SQL_TYPES, arity, unsupported } from './common.js';
import { convertTo } from './conversion.js';

const real = (v: SqlValue): string => `CAST(${convertTo(v, 'real')} AS DOUBLE)`;
const long = (v: SqlValue): string => `CAST(${convertTo(v, 'long')} AS BIGINT)`;
const text = (v: SqlValue): string => convertTo(v, 'string');
/** A dynamic (GeoJSON) argument as JSON text. */
const geojson = (v: SqlValue): string => (v.type === 'dynamic' ? `CAST(${v.sql} AS VARCHAR)` : text(v));

/** The UDF's result as the KQL result type: '' for a null string, JSON for dynamic. */
function typed(sql: string, resultType: KqlType): string {
  if (resultType === 'string') return `coalesce(${sql}, '')`;
  if (resultType === 'dynamic') return `CAST(${sql} AS JSON)`;
  return `CAST(${sql} AS ${SQL_TYPES[resultType]})`;
}

type Encode = (v: SqlValue) => string;

/**
 * A function whose arguments map one to one onto a UDF's parameters; `defaults` gives the SQL
 * of each optional trailing argument when the query leaves it out.
 */
function udf(name: string, encoders: Encode[], defaults: ((args: SqlValue[]) => string)[] = []): ScalarFn {
  const required = encoders.length - defaults.length;
  return (args, resultType) => {
    arity(name, args, required, encoders.length);
    const sql = encoders.map((encode, i) => (i < args.length ? encode(args[i]!) : defaults[i - required]!(args)));
    return typed(`kql_${name}(${sql.join(', ')})`, resultType);
  };
}

/** Optional arguments Quarry does not implement: named in the error instead of ignored. */
function withoutExtra(name: string, max: number, what: string, fn: ScalarFn): ScalarFn {
  return (args, resultType, ctx) => {
    if (args.length > max) unsupported(name, `the ${what} argument is not supported`);
    return fn(args, resultType, ctx);
  };
}

const constant = (sql: string) => (): string => sql;
const h3Level = (args: SqlValue[]): string => `kql_geo_h3cell_level(${text(args[0]!)})`;

export const geoFunctions: Record<string, ScalarFn> = {
  geo_distance_2points: udf('geo_distance_2points', [real, real, real, real]),
  geo_point_in_circle: udf('geo_point_in_circle', [real, real, real, real, real]),
  geo_angle: udf('geo_angle', [real, real, real, real, real, real]),
  geo_point_in_polygon: udf('geo_point_in_polygon', [real, real, geojson]),
  geo_polygon_area: udf('geo_polygon_area', [geojson]),
  geo_polygon_perimeter: udf('geo_polygon_perimeter', [geojson]),
  geo_intersection_2polygons: udf('geo_intersection_2polygons', [geojson, geojson]),
  geo_union_polygons_array: udf('geo_union_polygons_array', [geojson]),
  geo_simplify_polygons_array: udf('geo_simplify_polygons_array', [geojson, real], [constant('10')]),
  geo_distance_point_to_polygon: udf('geo_distance_point_to_polygon', [real, real, geojson]),
  geo_distance_point_to_line: udf('geo_distance_point_to_line', [real, real, geojson]),
  geo_polygon_centroid: udf('geo_polygon_centroid', [geojson]),
  geo_intersects_2polygons: udf('geo_intersects_2polygons', [geojson, geojson]),
  geo_intersects_line_with_polygon: udf('geo_intersects_line_with_polygon', [geojson, geojson]),
  geo_closest_point_on_line: udf('geo_closest_point_on_line', [real, real, geojson]),
  geo_closest_point_on_polygon: udf('geo_closest_point_on_polygon', [real, real, geojson]),
  geo_polygon_densify: withoutExtra('geo_polygon_densify', 2, 'preserve_crossing', udf('geo_polygon_densify', [geojson, real], [constant('10')])),
  geo_polygon_simplify: udf('geo_polygon_simplify', [geojson, real], [constant('10')]),
  geo_line_length: udf('geo_line_length', [geojson]),
  geo_line_centroid: udf('geo_line_centroid', [geojson]),
  geo_line_densify: withoutExtra('geo_line_densify', 2, 'preserve_crossing', udf('geo_line_densify', [geojson, real], [constant('10')])),
  geo_line_simplify: udf('geo_line_simplify', [geojson, real], [constant('10')]),
  geo_line_interpolate_point: udf('geo_line_interpolate_point', [geojson, real]),
  geo_line_locate_point: udf('geo_line_locate_point', [geojson, real, real]),
  geo_intersects_2lines: udf('geo_intersects_2lines', [geojson, geojson]),

  geo_point_to_h3cell: udf('geo_point_to_h3cell', [real, real, long], [constant('6')]),
  geo_h3cell_level: udf('geo_h3cell_level', [text]),
  geo_h3cell_parent: udf('geo_h3cell_parent', [text, long], [(args) => `${h3Level(args)} - 1`]),
  geo_h3cell_children: udf('geo_h3cell_children', [text, long], [(args) => `${h3Level(args)} + 1`]),
  geo_h3cell_neighbors: udf('geo_h3cell_neighbors', [text]),
  geo_h3cell_rings: udf('geo_h3cell_rings', [text, long]),
  geo_h3cell_to_central_point: udf('geo_h3cell_to_central_point', [text]),
  geo_h3cell_to_polygon: udf('geo_h3cell_to_polygon', [text]),
  geo_polygon_to_h3cells: withoutExtra('geo_polygon_to_h3cells', 2, 'radius', udf('geo_polygon_to_h3cells', [geojson, long], [constant('6')])),

  geo_point_to_s2cell: udf('geo_point_to_s2cell', [real, real, long], [constant('11')]),
  geo_s2cell_to_central_point: udf('geo_s2cell_to_central_point', [text]),
  geo_s2cell_to_polygon: udf('geo_s2cell_to_polygon', [text]),
  geo_s2cell_neighbors: udf('geo_s2cell_neighbors', [text]),

  geo_point_to_geohash: udf('geo_point_to_geohash', [real, real, long], [constant('5')]),
  geo_geohash_to_central_point: udf('geo_geohash_to_central_point', [text]),
  geo_geohash_to_polygon: udf('geo_geohash_to_polygon', [text]),
  geo_geohash_neighbors: udf('geo_geohash_neighbors', [text]),
  geo_polygon_to_s2cells: udf('geo_polygon_to_s2cells', [geojson, long], [constant('11')]),
  geo_line_to_s2cells: withoutExtra('geo_line_to_s2cells', 2, 'radius', udf('geo_line_to_s2cells', [geojson, long], [constant('11')])),
  geo_point_buffer: udf('geo_point_buffer', [real, real, real, real], [constant('10')]),
  geo_line_buffer: udf('geo_line_buffer', [geojson, real, real], [constant('10')]),
  geo_polygon_buffer: udf('geo_polygon_buffer', [geojson, real, real], [constant('10')]),

  geo_info_from_ip_address: udf('geo_info_from_ip_address', [text]),
};
