/**
 * geo_intersection_2polygons, geo_union_polygons_array and geo_simplify_polygons_array, and
 * the union-based area, perimeter and centroid of MultiPolygons (Kusto measures a MultiPolygon as the
 * union of its members). Results are GeoJSON text; invalid input gives null.
 */
import { type LngLat, type PolygonRings, parsePolygonal, pointJson } from './geojson.js';
import { type ResultPolygon, intersectPolygons, unionPolygons } from './polygon-sets.js';
import { s2 } from 's2js';
import { EARTH_RADIUS_M, ringLengthMeters, toLngLat, toPolygons } from './sphere.js';
import { simplifyRing, validTolerance } from './shapes.js';

const closedRings = (polygon: ResultPolygon): LngLat[][] => polygon.map((ring) => [...ring, ring[0]!]);

function polygonsGeometry(polygons: ResultPolygon[]): Record<string, unknown> {
  return polygons.length === 1
    ? { type: 'Polygon', coordinates: closedRings(polygons[0]!) }
    : { type: 'MultiPolygon', coordinates: polygons.map(closedRings) };
}

function pointsGeometry(points: LngLat[]): Record<string, unknown> {
  return points.length === 1 ? JSON.parse(pointJson(points[0]!)) : { type: 'MultiPoint', coordinates: points };
}

/** The members of a dynamic array of Polygons/MultiPolygons; null when any is invalid. */
function polygonArray(json: string): PolygonRings[][] | null {
  let items: unknown;
  try {
    items = JSON.parse(json);
  } catch {
    return null;
  }
  if (!Array.isArray(items) || items.length === 0) return null;
  const groups: PolygonRings[][] = [];
  for (const item of items) {
    const polygons = parsePolygonal(JSON.stringify(item));
    if (!polygons || !toPolygons(polygons)) return null;
    groups.push(polygons);
  }
  return groups;
}

/** Common area as Polygon/MultiPolygon, touching points as Point/MultiPoint, both as a GeometryCollection. */
export function intersection2Polygons(json1: string, json2: string): string | null {
  const a = parsePolygonal(json1);
  const b = parsePolygonal(json2);
  if (!a || !b || !toPolygons(a) || !toPolygons(b)) return null;
  const result = intersectPolygons(a, b);
  if (!result) return null;
  const parts: Record<string, unknown>[] = [];
  if (result.points.length > 0) parts.push(pointsGeometry(result.points));
  if (result.polygons.length > 0) parts.push(polygonsGeometry(result.polygons));
  return JSON.stringify(parts.length === 1 ? parts[0] : { type: 'GeometryCollection', geometries: parts });
}

export function unionPolygonsArray(json: string): string | null {
  const groups = polygonArray(json);
  const union = groups && unionPolygons(groups);
  return union && union.length > 0 ? JSON.stringify(polygonsGeometry(union)) : null;
}

/** The union, each ring simplified; null when a ring collapses at this tolerance. */
export function simplifyPolygonsArray(json: string, tolerance: number): string | null {
  if (!validTolerance(tolerance)) return null;
  const groups = polygonArray(json);
  const union = groups && unionPolygons(groups);
  if (!union || union.length === 0) return null;
  const simplified: ResultPolygon[] = [];
  for (const polygon of union) {
    const rings = polygon.map((ring) => simplifyRing(ring, tolerance));
    if (rings.some((ring) => ring === null)) return null;
    simplified.push(rings as LngLat[][]);
  }
  return JSON.stringify(polygonsGeometry(simplified));
}

/** The members of a Polygon/MultiPolygon merged where they overlap. */
function unionOf(json: string): ResultPolygon[] | null {
  const polygons = parsePolygonal(json);
  if (!polygons || !toPolygons(polygons)) return null;
  return polygons.length === 1 ? polygons : unionPolygons(polygons.map((p) => [p]));
}

export function polygonArea(json: string): number | null {
  const union = unionOf(json);
  const s2polygons = union && toPolygons(union);
  if (!s2polygons) return null;
  let steradians = 0;
  for (const polygon of s2polygons) {
    for (let k = 0; k < polygon.numLoops(); k++) {
      const loop = polygon.loop(k);
      steradians += loop.isHole() ? -loop.area() : loop.area();
    }
  }
  return steradians * EARTH_RADIUS_M * EARTH_RADIUS_M;
}

export function polygonPerimeter(json: string): number | null {
  const union = unionOf(json);
  return union && union.flat().reduce((sum, ring) => sum + ringLengthMeters(ring), 0);
}

/** The area-weighted centroid on the sphere (of the union, for a MultiPolygon). */
export function polygonCentroid(json: string): string | null {
  const union = unionOf(json);
  const s2polygons = union && toPolygons(union);
  if (!s2polygons) return null;
  let [x, y, z] = [0, 0, 0];
  for (const polygon of s2polygons) {
    for (let k = 0; k < polygon.numLoops(); k++) {
      const loop = polygon.loop(k);
      // Loop.centroid() is the true centroid scaled by the loop's area; holes count negatively.
      const c = loop.centroid();
      const sign = loop.isHole() ? -1 : 1;
      [x, y, z] = [x + sign * c.x, y + sign * c.y, z + sign * c.z];
    }
  }
  if (x === 0 && y === 0 && z === 0) return null;
  return pointJson(toLngLat(s2.Point.fromCoords(x, y, z)));
}
