/**
 * Spherical geometry on S2 (Kusto's geo_* functions use S2 and geodesic edges, with the Earth
 * a sphere of S2's radius). Points are [longitude, latitude] degrees.
 */
import { s2 } from 's2js';
import type { LngLat, PolygonRings } from './geojson.js';

/** S2Earth::RadiusMeters(), the radius Kusto's distances and areas use. */
export const EARTH_RADIUS_M = 6371010;

type Point = InstanceType<typeof s2.Point>;

export const toPoint = ([lng, lat]: LngLat): Point => s2.Point.fromLatLng(s2.LatLng.fromDegrees(lat, lng));

export function toLngLat(p: Point): LngLat {
  const ll = s2.LatLng.fromPoint(p);
  return [(ll.lng * 180) / Math.PI, (ll.lat * 180) / Math.PI];
}

export const distanceMeters = (a: LngLat, b: LngLat): number => toPoint(a).distance(toPoint(b)) * EARTH_RADIUS_M;

/** A loop of the smaller of the two regions its ring bounds (so ring orientation does not matter). */
function toLoop(ring: LngLat[]): InstanceType<typeof s2.Loop> | null {
  const loop = new s2.Loop(ring.map(toPoint));
  if (loop.validate() !== null) return null;
  loop.normalize();
  return loop;
}

/** An S2 polygon with holes found by nesting; null when a ring is invalid (e.g. self-crossing). */
export function toPolygon(rings: PolygonRings): InstanceType<typeof s2.Polygon> | null {
  const loops = [];
  for (const ring of rings) {
    const loop = toLoop(ring);
    if (!loop) return null;
    loops.push(loop);
  }
  return new s2.Polygon(loops);
}

export function toPolygons(polygons: PolygonRings[]): InstanceType<typeof s2.Polygon>[] | null {
  const out = [];
  for (const rings of polygons) {
    const polygon = toPolygon(rings);
    if (!polygon) return null;
    out.push(polygon);
  }
  return out;
}

export const toPolyline = (line: LngLat[]): InstanceType<typeof s2.Polyline> => new s2.Polyline(line.map(toPoint));

/** The length in meters of a closed ring's geodesic edges. */
export function ringLengthMeters(ring: LngLat[]): number {
  let total = 0;
  for (let i = 0; i < ring.length; i++) total += distanceMeters(ring[i]!, ring[(i + 1) % ring.length]!);
  return total;
}

/** The point on the geodesic edge a–b nearest to p. */
export function closestOnEdge(p: LngLat, a: LngLat, b: LngLat): LngLat {
  const line = new s2.Polyline([toPoint(a), toPoint(b)]);
  return toLngLat(line.project(toPoint(p))[0]);
}

/** The initial bearing from a to b, clockwise from north, in radians in [0, 2π). */
export function bearing(a: LngLat, b: LngLat): number {
  const [λ1, φ1] = [(a[0] * Math.PI) / 180, (a[1] * Math.PI) / 180];
  const [λ2, φ2] = [(b[0] * Math.PI) / 180, (b[1] * Math.PI) / 180];
  const y = Math.sin(λ2 - λ1) * Math.cos(φ2);
  const x = Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(λ2 - λ1);
  const θ = Math.atan2(y, x);
  return θ < 0 ? θ + 2 * Math.PI : θ;
}

type Vec = [number, number, number];
const vec = (p: LngLat): Vec => {
  const q = toPoint(p);
  return [q.x, q.y, q.z];
};
const cross = (a: Vec, b: Vec): Vec => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const dot = (a: Vec, b: Vec): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** Within a millimetre: a vertex touching the other edge counts as an intersection. */
const TOUCH_M = 1e-3;

/** Whether the geodesic edges a–b and c–d cross or touch. */
export function edgesIntersect(a: LngLat, b: LngLat, c: LngLat, d: LngLat): boolean {
  const [va, vb, vc, vd] = [vec(a), vec(b), vec(c), vec(d)];
  // S2's simple crossing test: the endpoints of each edge lie on opposite sides of the other.
  const ab = cross(va, vb);
  const acb = -dot(ab, vc);
  const bda = dot(ab, vd);
  if (acb * bda > 0) {
    const cd = cross(vc, vd);
    const cbd = -dot(cd, vb);
    const dac = dot(cd, va);
    if (acb * cbd > 0 && acb * dac > 0) return true;
  }
  const touches = (p: LngLat, x: LngLat, y: LngLat): boolean => distanceMeters(p, closestOnEdge(p, x, y)) < TOUCH_M;
  return touches(a, c, d) || touches(b, c, d) || touches(c, a, b) || touches(d, a, b);
}

/** The point at `angularDistance` radians from `from` along the initial bearing (radians clockwise from north). */
export function destination(from: LngLat, bearingRadians: number, angularDistance: number): LngLat {
  const [λ1, φ1] = [(from[0] * Math.PI) / 180, (from[1] * Math.PI) / 180];
  const φ2 = Math.asin(Math.sin(φ1) * Math.cos(angularDistance) + Math.cos(φ1) * Math.sin(angularDistance) * Math.cos(bearingRadians));
  const λ2 = λ1 + Math.atan2(Math.sin(bearingRadians) * Math.sin(angularDistance) * Math.cos(φ1), Math.cos(angularDistance) - Math.sin(φ1) * Math.sin(φ2));
  const lng = (((λ2 * 180) / Math.PI + 540) % 360) - 180;
  return [lng, (φ2 * 180) / Math.PI];
}
