/**
 * Shapes turned into other shapes or cell sets: geo_point_buffer, geo_line_buffer and
 * geo_polygon_buffer (polygons containing every point within a radius, at most `tolerance`
 * meters beyond it) and geo_polygon_to_s2cells / geo_line_to_s2cells (S2 coverings at one level).
 */
import { s2 } from 's2js';
import { type LngLat, type PolygonRings, isValidPoint, parseLines, parsePolygonal, polygonJson } from './geojson.js';
import { type ResultPolygon, unionPolygons } from './polygon-sets.js';
import { EARTH_RADIUS_M, bearing, destination, distanceMeters, toLngLat, toPolygons, toPolyline } from './sphere.js';

/** Vertices at most; beyond this the tolerance is too fine for the radius. */
const MAX_BUFFER_VERTICES = 1 << 16;

/**
 * A polygon that contains every point within `radius` meters: n vertices on a larger circle,
 * so each geodesic edge stays outside the circle by at most `tolerance` meters.
 */
export function pointBuffer(lng: number, lat: number, radius: number, tolerance: number): string | null {
  if (!isValidPoint(lng, lat) || !validBuffer(radius, tolerance)) return null;
  const ring = circleRing([lng, lat], radius, tolerance);
  return ring && polygonJson([ring]);
}

/** Kusto: a positive radius, and a tolerance no lower than 0.0001% of it. */
const validBuffer = (radius: number, tolerance: number): boolean =>
  radius > 0 && tolerance > 0 && tolerance >= radius * 1e-6 && radius / EARTH_RADIUS_M < Math.PI / 2;

function circleRing(center: LngLat, radius: number, tolerance: number): LngLat[] | null {
  const ρ = radius / EARTH_RADIUS_M;
  const allowed = Math.min(tolerance, radius * (1 - 1e-9));
  // An edge between vertices at angular radius ρv on a regular n-gon passes the center at atan(tan ρv · cos(π/n)).
  let n = 3;
  const vertexRadius = (k: number): number => Math.atan(Math.tan(ρ) / Math.cos(Math.PI / k));
  while ((vertexRadius(n) - ρ) * EARTH_RADIUS_M > allowed) {
    n *= 2;
    if (n > MAX_BUFFER_VERTICES) return null;
  }
  const ρv = vertexRadius(n);
  // Counterclockwise: bearings decrease.
  return Array.from({ length: n }, (_, k) => destination(center, (-2 * Math.PI * k) / n, ρv));
}

/**
 * The band around the geodesic edge a–b: points offset `radius` to each side, spaced so the
 * geodesics between them bow inward by at most half the tolerance, and pushed out by that much.
 */
function edgeBand(a: LngLat, b: LngLat, radius: number, tolerance: number): LngLat[] | null {
  const length = distanceMeters(a, b);
  if (length === 0) return null;
  const ρ = radius / EARTH_RADIUS_M;
  const sag = tolerance / 2;
  const spacing = Math.sqrt((8 * EARTH_RADIUS_M * sag) / Math.max(Math.tan(ρ), 1e-12));
  const pieces = Math.min(MAX_BUFFER_VERTICES, Math.max(1, Math.ceil(length / spacing)));
  const offset = (radius + sag) / EARTH_RADIUS_M;
  const left: LngLat[] = [];
  const right: LngLat[] = [];
  const line = toPolyline([a, b]);
  for (let i = 0; i <= pieces; i++) {
    const p = toLngLat(line.interpolate(i / pieces)[0]);
    // The edge's direction at p: toward b, or (at b) the reverse of the way back to a.
    const heading = i < pieces ? bearing(p, b) : bearing(p, a) + Math.PI;
    left.push(destination(p, heading - Math.PI / 2, offset));
    right.push(destination(p, heading + Math.PI / 2, offset));
  }
  return [...right, ...left.reverse()];
}

/** The union of circles around every vertex and bands along every edge of the paths. */
function pathsBuffer(paths: LngLat[][], closed: boolean, radius: number, tolerance: number): ResultPolygon[] | null {
  const parts: PolygonRings[][] = [];
  for (const path of paths) {
    for (const vertex of path) {
      const ring = circleRing(vertex, radius, tolerance);
      if (!ring) return null;
      parts.push([[ring]]);
    }
    const edges = closed ? path.length : path.length - 1;
    for (let i = 0; i < edges; i++) {
      const band = edgeBand(path[i]!, path[(i + 1) % path.length]!, radius, tolerance);
      if (band) parts.push([[band]]);
    }
  }
  return unionPolygons(parts);
}

function polygonsGeoJson(polygons: ResultPolygon[]): string {
  const closed = (p: ResultPolygon) => p.map((ring) => [...ring, ring[0]!]);
  return JSON.stringify(
    polygons.length === 1 ? { type: 'Polygon', coordinates: closed(polygons[0]!) } : { type: 'MultiPolygon', coordinates: polygons.map(closed) },
  );
}

export function lineBuffer(json: string, radius: number, tolerance: number): string | null {
  const lines = parseLines(json);
  if (!lines || !validBuffer(radius, tolerance)) return null;
  const buffer = pathsBuffer(lines, false, radius, tolerance);
  return buffer && buffer.length > 0 ? polygonsGeoJson(buffer) : null;
}

export function polygonBuffer(json: string, radius: number, tolerance: number): string | null {
  const polygons = parsePolygonal(json);
  if (!polygons || !toPolygons(polygons) || !validBuffer(radius, tolerance)) return null;
  const rim = pathsBuffer(polygons.flat(), true, radius, tolerance);
  const buffer = rim && unionPolygons([polygons, rim]);
  return buffer && buffer.length > 0 ? polygonsGeoJson(buffer) : null;
}

/** Kusto's limit on the tokens a covering returns. */
const MAX_COVERING_CELLS = 65536;

function covering(region: InstanceType<typeof s2.Polygon> | InstanceType<typeof s2.Polyline>, level: number): string | null {
  const coverer = new s2.RegionCoverer({ minLevel: level, maxLevel: level, maxCells: MAX_COVERING_CELLS });
  const cells = coverer.covering(region);
  if (cells.length > MAX_COVERING_CELLS) return null;
  return JSON.stringify(cells.map((id) => s2.cellid.toToken(id)));
}

const validLevel = (level: number): boolean => Number.isInteger(level) && level >= 0 && level <= 30;

export function polygonToS2Cells(json: string, level: number): string | null {
  const polygons = parsePolygonal(json);
  const s2polygons = polygons && toPolygons(polygons);
  if (!s2polygons || !validLevel(level)) return null;
  const tokens = new Set<string>();
  for (const polygon of s2polygons) {
    const cells = covering(polygon, level);
    if (!cells) return null;
    for (const t of JSON.parse(cells) as string[]) tokens.add(t);
  }
  return tokens.size > MAX_COVERING_CELLS ? null : JSON.stringify([...tokens]);
}

export function lineToS2Cells(json: string, level: number): string | null {
  const lines = parseLines(json);
  if (!lines || !validLevel(level)) return null;
  const tokens = new Set<string>();
  for (const line of lines) {
    const cells = covering(toPolyline(line), level);
    if (!cells) return null;
    for (const t of JSON.parse(cells) as string[]) tokens.add(t);
  }
  return tokens.size > MAX_COVERING_CELLS ? null : JSON.stringify([...tokens]);
}
