/**
 * Kusto's geo_* functions on points, lines and polygons, one row at a time. Arguments arrive
 * as numbers and GeoJSON text; invalid input (bad coordinates, malformed or self-crossing
 * shapes, parameters out of range) gives null, as in Kusto.
 */
import { s2 } from 's2js';
import { memoByText } from './memo.js';
import {
  type LngLat, type PolygonRings, isValidPoint, lineJson, parseLineString, parseLines, parsePolygonal, pointJson, polygonJson,
} from './geojson.js';
import {
  bearing, closestOnEdge, distanceMeters, edgesIntersect, toLngLat, toPoint, toPolygon, toPolygons, toPolyline,
} from './sphere.js';

export function distance2Points(lng1: number, lat1: number, lng2: number, lat2: number): number | null {
  if (!isValidPoint(lng1, lat1) || !isValidPoint(lng2, lat2)) return null;
  return distanceMeters([lng1, lat1], [lng2, lat2]);
}

export function pointInCircle(lng: number, lat: number, centerLng: number, centerLat: number, radius: number): boolean | null {
  if (!isValidPoint(lng, lat) || !isValidPoint(centerLng, centerLat) || !(radius >= 0)) return null;
  return distanceMeters([lng, lat], [centerLng, centerLat]) <= radius;
}

/** The clockwise angle at p2 from the line p2→p1 to the line p2→p3, in radians [0, 2π). */
export function angle(lng1: number, lat1: number, lng2: number, lat2: number, lng3: number, lat3: number): number | null {
  const [p1, p2, p3]: LngLat[] = [[lng1, lat1], [lng2, lat2], [lng3, lat3]];
  if (![p1, p2, p3].every(([lng, lat]) => isValidPoint(lng, lat))) return null;
  if (distanceMeters(p1, p2) === 0 || distanceMeters(p2, p3) === 0) return null;
  const a = bearing(p2, p3) - bearing(p2, p1);
  return a < 0 ? a + 2 * Math.PI : a;
}

/** The polygons of a GeoJSON text, parsed and validated, with their S2 form (null when invalid). */
const polygonsOf = memoByText((json: string) => {
  const rings = parsePolygonal(json);
  const s2polygons = rings && toPolygons(rings);
  return rings && s2polygons ? { rings, s2polygons } : null;
});

const s2Polygons = (json: string) => polygonsOf(json)?.s2polygons ?? null;

const linesOf = memoByText(parseLines);

export function pointInPolygon(lng: number, lat: number, polygonJsonText: string): boolean | null {
  const polygons = s2Polygons(polygonJsonText);
  if (!polygons || !isValidPoint(lng, lat)) return null;
  const p = toPoint([lng, lat]);
  return polygons.some((polygon) => polygon.containsPoint(p));
}

/** The nearest point on any edge of the rings, with its distance in meters. */
function nearestOnEdges(p: LngLat, paths: LngLat[][], closed: boolean): { point: LngLat; meters: number } | null {
  let best: { point: LngLat; meters: number } | null = null;
  for (const path of paths) {
    const edges = closed ? path.length : path.length - 1;
    for (let i = 0; i < edges; i++) {
      const q = closestOnEdge(p, path[i]!, path[(i + 1) % path.length]!);
      const meters = distanceMeters(p, q);
      if (!best || meters < best.meters) best = { point: q, meters };
    }
  }
  return best;
}

/** Meters from the point to the polygon: 0 inside. */
export function distancePointToPolygon(lng: number, lat: number, json: string): number | null {
  const shape = polygonsOf(json);
  if (!shape || !isValidPoint(lng, lat)) return null;
  if (shape.s2polygons.some((polygon) => polygon.containsPoint(toPoint([lng, lat])))) return 0;
  return nearestOnEdges([lng, lat], shape.rings.flat(), true)?.meters ?? null;
}

/** Meters from the point to the nearest point of the line(s). */
export function distancePointToLine(lng: number, lat: number, json: string): number | null {
  const lines = linesOf(json);
  if (!lines || !isValidPoint(lng, lat)) return null;
  return nearestOnEdges([lng, lat], lines, false)?.meters ?? null;
}

/** The point of the line(s) nearest to (lng, lat). */
export function closestPointOnLine(lng: number, lat: number, json: string): string | null {
  const lines = linesOf(json);
  if (!lines || !isValidPoint(lng, lat)) return null;
  const nearest = nearestOnEdges([lng, lat], lines, false);
  return nearest && pointJson(nearest.point);
}

/** The point itself when inside, else the nearest point on any polygon edge. */
export function closestPointOnPolygon(lng: number, lat: number, json: string): string | null {
  const polygons = parsePolygonal(json);
  const s2polygons = polygons && toPolygons(polygons);
  if (!polygons || !s2polygons || !isValidPoint(lng, lat)) return null;
  const p: LngLat = [lng, lat];
  if (s2polygons.some((polygon) => polygon.containsPoint(toPoint(p)))) return pointJson(p);
  const nearest = nearestOnEdges(p, polygons.flat(), true);
  return nearest && pointJson(nearest.point);
}

export function lineLength(json: string): number | null {
  const lines = parseLines(json);
  if (!lines) return null;
  let total = 0;
  for (const line of lines) for (let i = 1; i < line.length; i++) total += distanceMeters(line[i - 1]!, line[i]!);
  return total;
}

/** The length-weighted centroid of the geodesic edges. */
export function lineCentroid(json: string): string | null {
  const lines = parseLines(json);
  if (!lines) return null;
  let [x, y, z] = [0, 0, 0];
  for (const line of lines) {
    const c = toPolyline(line).centroid();
    [x, y, z] = [x + c.x, y + c.y, z + c.z];
  }
  if (x === 0 && y === 0 && z === 0) return null;
  return pointJson(toLngLat(s2.Point.fromCoords(x, y, z)));
}

export function lineInterpolatePoint(json: string, fraction: number): string | null {
  const line = parseLineString(json);
  if (!line || !(fraction >= 0 && fraction <= 1)) return null;
  return pointJson(toLngLat(toPolyline(line).interpolate(fraction)[0]));
}

/** The fraction of the line's length at which the point nearest to (lng, lat) lies. */
export function lineLocatePoint(json: string, lng: number, lat: number): number | null {
  const line = parseLineString(json);
  if (!line || !isValidPoint(lng, lat)) return null;
  const polyline = toPolyline(line);
  const [projected, next] = polyline.project(toPoint([lng, lat]));
  return polyline.uninterpolate(projected, next);
}

export function linesIntersect(json1: string, json2: string): boolean | null {
  const a = parseLines(json1);
  const b = parseLines(json2);
  if (!a || !b) return null;
  const edges = (lines: LngLat[][]): [LngLat, LngLat][] => lines.flatMap((line) => line.slice(1).map((p, i): [LngLat, LngLat] => [line[i]!, p]));
  const eb = edges(b);
  return edges(a).some(([p, q]) => eb.some(([r, s]) => edgesIntersect(p, q, r, s)));
}

/** Kusto's densify and simplify tolerances: meters in [0.1, 10000], default 10. */
export const validTolerance = (t: number): boolean => t >= 0.1 && t <= 10000;

/** Deepest bisection of one edge (2^16 pieces) so a tiny tolerance cannot run away. */
const MAX_BISECTIONS = 16;

/**
 * The planar edge a–b (straight in longitude/latitude) as vertices whose geodesic edges stay
 * within `tolerance` meters of it: halve while the planar midpoint is too far from the geodesic.
 */
function densifyEdge(a: LngLat, b: LngLat, tolerance: number, out: LngLat[], depth = 0): void {
  const mid: LngLat = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  if (depth < MAX_BISECTIONS && distanceMeters(mid, closestOnEdge(mid, a, b)) > tolerance) {
    densifyEdge(a, mid, tolerance, out, depth + 1);
    out.push(mid);
    densifyEdge(mid, b, tolerance, out, depth + 1);
  }
}

function densifyPath(path: LngLat[], tolerance: number, closed: boolean): LngLat[] {
  const out: LngLat[] = [];
  const edges = closed ? path.length : path.length - 1;
  for (let i = 0; i < edges; i++) {
    out.push(path[i]!);
    densifyEdge(path[i]!, path[(i + 1) % path.length]!, tolerance, out);
  }
  if (!closed) out.push(path[path.length - 1]!);
  return out;
}

export function lineDensify(json: string, tolerance: number): string | null {
  const line = parseLineString(json);
  if (!line || !validTolerance(tolerance)) return null;
  return lineJson(densifyPath(line, tolerance, false));
}

export function polygonDensify(json: string, tolerance: number): string | null {
  const polygons = parsePolygonal(json);
  if (!polygons || polygons.length !== 1 || !validTolerance(tolerance)) return null;
  return polygonJson(polygons[0]!.map((ring) => densifyPath(ring, tolerance, true)));
}

/** Douglas–Peucker over geodesic edges: keep the farthest vertex while it is beyond tolerance. */
function simplifyPath(path: LngLat[], tolerance: number): LngLat[] {
  if (path.length < 3) return path;
  const a = path[0]!;
  const b = path[path.length - 1]!;
  let farthest = 0;
  let farthestDistance = -1;
  for (let i = 1; i < path.length - 1; i++) {
    const d = distanceMeters(path[i]!, closestOnEdge(path[i]!, a, b));
    if (d > farthestDistance) [farthest, farthestDistance] = [i, d];
  }
  if (farthestDistance <= tolerance) return [a, b];
  return [...simplifyPath(path.slice(0, farthest + 1), tolerance).slice(0, -1), ...simplifyPath(path.slice(farthest), tolerance)];
}

/** A ring simplified from its first vertex round to itself; null when it collapses below a triangle. */
export function simplifyRing(ring: LngLat[], tolerance: number): LngLat[] | null {
  const simplified = simplifyPath([...ring, ring[0]!], tolerance).slice(0, -1);
  return simplified.length >= 3 ? simplified : null;
}

export function polygonSimplify(json: string, tolerance: number): string | null {
  const polygons = parsePolygonal(json);
  if (!polygons || polygons.length !== 1 || !validTolerance(tolerance) || !toPolygon(polygons[0]!)) return null;
  const rings: PolygonRings = [];
  for (const ring of polygons[0]!) {
    const simplified = simplifyRing(ring, tolerance);
    if (!simplified) return null;
    rings.push(simplified);
  }
  return polygonJson(rings);
}

export function lineSimplify(json: string, tolerance: number): string | null {
  const line = parseLineString(json);
  if (!line || !validTolerance(tolerance)) return null;
  return lineJson(simplifyPath(line, tolerance));
}

/** Whether two polygons share any point (touching counts). */
export function polygonsIntersect(json1: string, json2: string): boolean | null {
  const a = polygonsOf(json1);
  const b = polygonsOf(json2);
  if (!a || !b) return null;
  if (a.s2polygons.some((p) => b.s2polygons.some((q) => p.intersects(q)))) return true;
  // S2 leaves boundary-only contact to the edges: test those too.
  return boundariesTouch(a.rings.flat(), b.rings.flat(), true);
}

/** Whether a line crosses, touches or lies inside a polygon. */
export function lineIntersectsPolygon(lineJson: string, polygonJsonText: string): boolean | null {
  const lines = linesOf(lineJson);
  const shape = polygonsOf(polygonJsonText);
  if (!lines || !shape) return null;
  if (lines.some((line) => line.some((p) => shape.s2polygons.some((polygon) => polygon.containsPoint(toPoint(p)))))) return true;
  return lines.some((line) => boundariesTouch([line], shape.rings.flat(), false));
}

function boundariesTouch(first: LngLat[][], rings: LngLat[][], firstClosed: boolean): boolean {
  const edges = (paths: LngLat[][], closed: boolean): [LngLat, LngLat][] =>
    paths.flatMap((path) => (closed ? path.map((p, i): [LngLat, LngLat] => [p, path[(i + 1) % path.length]!]) : path.slice(1).map((p, i): [LngLat, LngLat] => [path[i]!, p])));
  const others = edges(rings, true);
  return edges(first, firstClosed).some(([p, q]) => others.some(([r, s]) => edgesIntersect(p, q, r, s)));
}
