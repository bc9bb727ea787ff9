/**
 * Union and intersection of polygons with geodesic edges (geo_union_polygons_array,
 * geo_intersection_2polygons, and the union that geo_polygon_area/perimeter measure for a
 * MultiPolygon): planar boolean operations (polygon-clipping) in a gnomonic projection, where
 * geodesics are straight, then projected back. Shapes spanning more than a hemisphere give null.
 */
import polygonClipping from 'polygon-clipping';
import type { LngLat, PolygonRings } from './geojson.js';
import { type Gnomonic, type Pair, gnomonicFor } from './gnomonic.js';
import { orientPolygon, s2LoopOrder } from './s2-loop-order.js';

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
  // input vertices bucketed by SNAP_DEGREES squares: a match is in the point's square or a neighbour
  const cell = (d: number) => Math.floor(d / SNAP_DEGREES);
  const buckets = new Map<string, LngLat[]>();
  for (const v of inputs) {
    const key = `${cell(v[0])},${cell(v[1])}`;
    const list = buckets.get(key);
    if (list) list.push(v);
    else buckets.set(key, [v]);
  }
  return (q) => {
    const p = g.unproject(q);
    const [x, y] = [cell(p[0]), cell(p[1])];
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const hit = buckets.get(`${x + dx},${y + dy}`)?.find((v) => Math.abs(v[0] - p[0]) < SNAP_DEGREES && Math.abs(v[1] - p[1]) < SNAP_DEGREES);
        if (hit) return hit;
      }
    }
    return p;
  };
}

function unproject(back: (q: Pair) => LngLat, result: PlanarPolygon[]): ResultPolygon[] {
  return result.map((rings) => rings.map((ring) => ring.slice(0, -1).map(back)));
}

/** Vertices of an operand, S2Polygon::num_vertices(). */
const vertexCount = (polygons: PolygonRings[]): number => polygons.reduce((n, rings) => n + rings.reduce((m, r) => m + r.length, 0), 0);

/**
 * The union in the order S2Polygon::DestructiveUnion (Kusto's) computes it: repeatedly the two
 * operands with the fewest vertices (counted as the sum of the operands'; ties in input order),
 * so that each result ring starts where Kusto's does.
 */
export function unionPolygons(groups: PolygonRings[][]): ResultPolygon[] | null {
  const inputs = groups.flatMap((polygons) => polygons.flat(2));
  const g = gnomonicFor(inputs);
  if (!g || groups.length === 0) return null;
  const back = unprojector(g, inputs);
  const union = (operands: PolygonRings[][]): ResultPolygon[] => {
    const [first, ...rest] = operands.map((polygons) => project(g, polygons));
    return s2LoopOrder(unproject(back, polygonClipping.union(first!, ...rest)), operands);
  };
  const queue = groups.map((polygons) => ({ size: vertexCount(polygons), polygons: polygons.map(orientPolygon) }));
  queue.sort((x, y) => x.size - y.size); // stable: a multimap keeps equal keys in insertion order
  // A single operand: its members merged where they overlap.
  if (queue.length === 1) return union([queue[0]!.polygons]);
  while (queue.length > 1) {
    const [a, b] = queue.splice(0, 2) as [(typeof queue)[0], (typeof queue)[0]];
    const merged = { size: a.size + b.size, polygons: union([a.polygons, b.polygons]) };
    const at = queue.findIndex((q) => q.size > merged.size);
    queue.splice(at < 0 ? queue.length : at, 0, merged);
  }
  return queue[0]!.polygons;
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
  return { polygons: s2LoopOrder(unproject(back, result), [a.map(orientPolygon), b.map(orientPolygon)]), points: contacts.map(back) };
}
