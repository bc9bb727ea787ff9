/**
 * Shapes turned into other shapes or cell sets: geo_point_buffer (a polygon around a circle)
 * and geo_polygon_to_s2cells / geo_line_to_s2cells (S2 coverings at one level).
 */
import { s2 } from 's2js';
import { type LngLat, isValidPoint, parseLines, parsePolygonal, polygonJson } from './geojson.js';
import { EARTH_RADIUS_M, destination, toPolygons, toPolyline } from './sphere.js';

/** Vertices at most; beyond this the tolerance is too fine for the radius. */
const MAX_BUFFER_VERTICES = 1 << 16;

/**
 * A polygon that contains every point within `radius` meters: n vertices on a larger circle,
 * so each geodesic edge stays outside the circle by at most `tolerance` meters.
 */
export function pointBuffer(lng: number, lat: number, radius: number, tolerance: number): string | null {
  if (!isValidPoint(lng, lat) || !(radius > 0) || !(tolerance > 0) || tolerance < radius * 1e-6) return null;
  const ρ = radius / EARTH_RADIUS_M;
  if (ρ >= Math.PI / 2) return null;
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
  const ring: LngLat[] = Array.from({ length: n }, (_, k) => destination([lng, lat], (-2 * Math.PI * k) / n, ρv));
  return polygonJson([ring]);
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
