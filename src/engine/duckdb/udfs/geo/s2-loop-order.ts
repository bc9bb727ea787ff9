/**
 * Vertex and loop order of polygon set results as S2 (Kusto's geometry library) produces them.
 * The shapes are computed elsewhere (polygon-sets.ts); this module only decides where each
 * output ring starts and in which order rings come, which is visible in the GeoJSON text.
 *
 * S2's boolean operations (S2Builder) number the input edges (first operand's loops, then the
 * second's, edge i running from vertex i to i+1), build each output loop starting from its
 * vertex with the smallest S2CellId, then rotate it so that the edge(s) with the largest input
 * edge id come last (S2Builder::Graph::CanonicalizeLoopOrder, with its "gap" rule for several
 * runs of that id), and sort loops by the input id of their first edge
 * (CanonicalizeVectorOrder). Shells are counter-clockwise and holes clockwise.
 */
import { s2 } from 's2js';
import type { LngLat, PolygonRings } from './geojson.js';
import { toPoint } from './sphere.js';

type Vec = [number, number, number];

const toVec = ([lng, lat]: LngLat): Vec => {
  const [λ, φ] = [(lng * Math.PI) / 180, (lat * Math.PI) / 180];
  return [Math.cos(φ) * Math.cos(λ), Math.cos(φ) * Math.sin(λ), Math.sin(φ)];
};
const dot = (a: Vec, b: Vec): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec, b: Vec): Vec => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const minus = (a: Vec, b: Vec): Vec => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const unit = (a: Vec): Vec => {
  const n = Math.hypot(...a);
  return [a[0] / n, a[1] / n, a[2] / n];
};

/**
 * Distance (radians, about 6 µm on the Earth) within which an output vertex lies on an input
 * edge: output vertices are input vertices or crossings computed in floating point.
 */
const ON_EDGE = 1e-12;

interface InputEdge {
  a: Vec;
  b: Vec;
  /** Unit normal of the edge's great circle. */
  normal: Vec;
}

/**
 * Twice the signed area of a ring seen from its centroid direction: positive when it runs
 * counter-clockwise (interior on the left) for a ring smaller than a hemisphere.
 */
function turnSign(ring: LngLat[]): number {
  const vs = ring.map(toVec);
  const center = unit(vs.reduce<Vec>((s, v) => [s[0] + v[0], s[1] + v[1], s[2] + v[2]], [0, 0, 0]));
  let sum = 0;
  for (let i = 0; i < vs.length; i++) sum += dot(cross(vs[i]!, vs[(i + 1) % vs.length]!), center);
  return sum;
}

/** A ring turned to S2's orientation (shell counter-clockwise, hole clockwise) by reversing it, as S2Loop::Invert does. */
export function orientRing(ring: LngLat[], hole: boolean): LngLat[] {
  const ccw = turnSign(ring) > 0;
  return ccw === !hole ? ring : [...ring].reverse();
}

/** A polygon's rings in S2 orientation. */
export const orientPolygon = (rings: PolygonRings): PolygonRings => rings.map((ring, i) => orientRing(ring, i > 0));

/** The directed input edges of the operands, numbered as S2Builder numbers them. */
function inputEdges(operands: PolygonRings[][]): InputEdge[] {
  const edges: InputEdge[] = [];
  for (const polygons of operands) {
    for (const ring of polygons.flat()) {
      const vs = ring.map(toVec);
      vs.forEach((a, i) => {
        const b = vs[(i + 1) % vs.length]!;
        edges.push({ a, b, normal: unit(cross(a, b)) });
      });
    }
  }
  return edges;
}

/** Does the arc p→q lie on the input edge, in its direction? */
function liesOn(p: Vec, q: Vec, e: InputEdge): boolean {
  if (Math.abs(dot(p, e.normal)) > ON_EDGE || Math.abs(dot(q, e.normal)) > ON_EDGE) return false;
  const within = (x: Vec) => dot(cross(e.a, x), e.normal) >= -ON_EDGE && dot(cross(x, e.b), e.normal) >= -ON_EDGE;
  return within(p) && within(q) && dot(minus(q, p), minus(e.b, e.a)) > 0;
}

/** Grid cells an edge may be registered in before it goes to the always-checked list. */
const MAX_CELLS_PER_EDGE = 64;

/**
 * Input edges bucketed by a 3-D grid over their arcs' bounding boxes, so finding the edges
 * through an output vertex looks at a few edges instead of all of them.
 */
class EdgeIndex {
  private readonly size: number;
  private readonly cells = new Map<string, number[]>();
  private readonly everywhere: number[] = [];

  constructor(private readonly edges: InputEdge[]) {
    const lengths = edges.map((e) => Math.hypot(...minus(e.b, e.a))).sort((x, y) => x - y);
    this.size = Math.max(lengths[lengths.length >> 1] ?? 1, 1e-9) * 2;
    edges.forEach((e, id) => {
      // the arc bulges out of its chord by at most the sagitta 1 - cos(θ/2)
      const chord = Math.hypot(...minus(e.b, e.a));
      const pad = 1 - Math.sqrt(Math.max(0, 1 - (chord * chord) / 4)) + ON_EDGE;
      const lo = [0, 1, 2].map((k) => Math.floor((Math.min(e.a[k]!, e.b[k]!) - pad) / this.size));
      const hi = [0, 1, 2].map((k) => Math.floor((Math.max(e.a[k]!, e.b[k]!) + pad) / this.size));
      if ((hi[0]! - lo[0]! + 1) * (hi[1]! - lo[1]! + 1) * (hi[2]! - lo[2]! + 1) > MAX_CELLS_PER_EDGE) {
        this.everywhere.push(id);
        return;
      }
      for (let x = lo[0]!; x <= hi[0]!; x++) {
        for (let y = lo[1]!; y <= hi[1]!; y++) {
          for (let z = lo[2]!; z <= hi[2]!; z++) {
            const key = `${x},${y},${z}`;
            const list = this.cells.get(key);
            if (list) list.push(id);
            else this.cells.set(key, [id]);
          }
        }
      }
    });
  }

  /** The smallest id of the input edges an output edge comes from (S2Builder's min input edge id). */
  minInputId(p: Vec, q: Vec): number {
    const key = p.map((c) => Math.floor(c / this.size)).join(',');
    let best = Number.MAX_SAFE_INTEGER;
    for (const id of [...(this.cells.get(key) ?? []), ...this.everywhere]) {
      if (id < best && liesOn(p, q, this.edges[id]!)) best = id;
    }
    return best;
  }
}

const rotate = <T>(xs: T[], start: number): T[] => [...xs.slice(start), ...xs.slice(0, start)];

/** Index where S2 starts the loop: after the last edge of the first run of the largest input id. */
export function canonicalStart(ids: number[]): number {
  let pos = 0;
  let sawGap = false;
  for (let i = 1; i < ids.length; i++) {
    const cmp = ids[i]! - ids[pos]!;
    if (cmp < 0) sawGap = true;
    else if (cmp > 0 || !sawGap) {
      pos = i;
      sawGap = false;
    }
  }
  return (pos + 1) % ids.length;
}

interface OrderedRing {
  ring: LngLat[];
  firstId: number;
}

function orderRing(ring: LngLat[], edges: EdgeIndex): OrderedRing {
  // S2Builder numbers vertices in S2CellId order and builds a loop from its lowest edge.
  const cells = ring.map((p) => s2.cellid.fromPoint(toPoint(p)));
  let lowest = 0;
  cells.forEach((c, i) => {
    if (c < cells[lowest]!) lowest = i;
  });
  const built = rotate(ring, lowest);
  const vs = built.map(toVec);
  const ids = vs.map((p, i) => edges.minInputId(p, vs[(i + 1) % vs.length]!));
  const start = canonicalStart(ids);
  return { ring: rotate(built, start), firstId: ids[start]! };
}

/**
 * The polygons of a boolean operation's result (shell first, then holes; rings without the
 * closing vertex) with rings oriented, started and ordered as S2 outputs them for these operands.
 */
export function s2LoopOrder(result: PolygonRings[], operands: PolygonRings[][]): PolygonRings[] {
  const edges = new EdgeIndex(inputEdges(operands));
  const polygons = result.map((rings) => {
    const [shell, ...holes] = orientPolygon(rings).map((ring) => orderRing(ring, edges));
    holes.sort((x, y) => x.firstId - y.firstId);
    return { shell: shell!, holes };
  });
  polygons.sort((x, y) => x.shell.firstId - y.shell.firstId);
  return polygons.map(({ shell, holes }) => [shell.ring, ...holes.map((h) => h.ring)]);
}
