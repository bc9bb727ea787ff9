/**
 * Union and intersection of polygons with geodesic edges (geo_union_polygons_array,
 * geo_intersection_2polygons, and the union that geo_polygon_area/perimeter measure for a
 * MultiPolygon): planar boolean operations (polygon-clipping) in a gnomonic projection, where
 * geodesics are straight, then projected back. Shapes spanning more than a hemisphere give null.
 */
import polygonClipping from 'polygon-clipping';
import type { LngLat, PolygonRings } from './geojson.js';
import { type Gnomonic, type Pair, gnomonicFor } from './gnomonic.js';

/** A result polygon: rings without the closing vertex, shell first. */
export type ResultPolygon = LngLat[][];

export interface SetResult {
  polygons: ResultPolygon[];
  /** Where the shapes only touch (no common area there). */
  points: LngLat[];
}

type PlanarPolygon = Pair[][];

const closed = (ring: Pair[]): Pair[] => [...ring, ring[0]!];

function project(g: Gnomonic, polygons: PolygonRings[]): PlanarPolygon[] {
  return polygons.map((rings) => rings.map((ring) => closed(ring.map((p) => g.project(p)))));
}

/** Degrees within which a projected-back vertex is an input vertex (rounding of the round trip). */
const SNAP_DEGREES = 1e-9;

/** Back to longitude/latitude, input vertices restored exactly rather than with round-trip noise. */
function unprojector(g: Gnomonic, inputs: LngLat[]): (q: Pair) => LngLat {
  return (q) => {
    const p = g.unproject(q);
    return inputs.find((v) => Math.abs(v[0] - p[0]) < SNAP_DEGREES && Math.abs(v[1] - p[1]) < SNAP_DEGREES) ?? p;
  };
}

function unproject(back: (q: Pair) => LngLat, result: PlanarPolygon[]): ResultPolygon[] {
  return result.map((rings) => rings.map((ring) => ring.slice(0, -1).map(back)));
}

export function unionPolygons(groups: PolygonRings[][]): ResultPolygon[] | null {
  const inputs = groups.flatMap((polygons) => polygons.flat(2));
  const g = gnomonicFor(inputs);
  if (!g) return null;
  const [first, ...rest] = groups.map((polygons) => project(g, polygons));
  if (!first) return null;
  return unproject(unprojector(g, inputs), polygonClipping.union(first, ...rest));
}

/** Segment intersection in the plane (touching included), or null. */
function segmentContact(a: Pair, b: Pair, c: Pair, d: Pair): Pair | null {
  const r: Pair = [b[0] - a[0], b[1] - a[1]];
  const s: Pair = [d[0] - c[0], d[1] - c[1]];
  const denominator = r[0] * s[1] - r[1] * s[0];
  if (denominator === 0) return null;
  const t = ((c[0] - a[0]) * s[1] - (c[1] - a[1]) * s[0]) / denominator;
  const u = ((c[0] - a[0]) * r[1] - (c[1] - a[1]) * r[0]) / denominator;
  const eps = 1e-12;
  return t >= -eps && t <= 1 + eps && u >= -eps && u <= 1 + eps ? [a[0] + t * r[0], a[1] + t * r[1]] : null;
}

const edgesOf = (polygons: PlanarPolygon[]): [Pair, Pair][] =>
  polygons.flatMap((rings) => rings.flatMap((ring) => ring.slice(1).map((q, i): [Pair, Pair] => [ring[i]!, q])));

function distanceToSegment(p: Pair, a: Pair, b: Pair): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** Planar distance below which two contact points are one (about 6 mm on the Earth). */
const SAME_POINT = 1e-9;

export function intersectPolygons(a: PolygonRings[], b: PolygonRings[]): SetResult | null {
  const inputs = [...a.flat(2), ...b.flat(2)];
  const g = gnomonicFor(inputs);
  if (!g) return null;
  const pa = project(g, a);
  const pb = project(g, b);
  const result = polygonClipping.intersection(pa, pb);
  // Boundary contacts outside the common area's boundary are where the shapes only touch.
  const resultEdges = edgesOf(result);
  const contacts: Pair[] = [];
  for (const [p, q] of edgesOf(pa)) {
    for (const [r, s] of edgesOf(pb)) {
      const x = segmentContact(p, q, r, s);
      if (!x || resultEdges.some(([m, n]) => distanceToSegment(x, m, n) < SAME_POINT)) continue;
      if (!contacts.some((c) => Math.hypot(c[0] - x[0], c[1] - x[1]) < SAME_POINT)) contacts.push(x);
    }
  }
  const back = unprojector(g, inputs);
  return { polygons: unproject(back, result), points: contacts.map(back) };
}
