/**
 * The gnomonic projection: great circles become straight lines, so planar polygon algorithms
 * run on projected shapes give the geodesic-edged (spherical) answer once projected back.
 * Valid for shapes within a hemisphere around the projection center.
 */
import type { LngLat } from './geojson.js';

type Vec = [number, number, number];
export type Pair = [number, number];

const toVec = ([lng, lat]: LngLat): Vec => {
  const [λ, φ] = [(lng * Math.PI) / 180, (lat * Math.PI) / 180];
  return [Math.cos(φ) * Math.cos(λ), Math.cos(φ) * Math.sin(λ), Math.sin(φ)];
};
const dot = (a: Vec, b: Vec): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const scale = (a: Vec, k: number): Vec => [a[0] * k, a[1] * k, a[2] * k];
const norm = (a: Vec): Vec => scale(a, 1 / Math.hypot(...a));

/** Points must be this close to the center (cosine of ~84°) to project without blowing up. */
const MIN_COSINE = 0.1;

export interface Gnomonic {
  project(p: LngLat): Pair;
  unproject(q: Pair): LngLat;
}

/** A projection centered on the mean of the points; null when they do not fit one hemisphere. */
export function gnomonicFor(points: LngLat[]): Gnomonic | null {
  const sum = points.map(toVec).reduce<Vec>((s, v) => [s[0] + v[0], s[1] + v[1], s[2] + v[2]], [0, 0, 0]);
  if (Math.hypot(...sum) === 0) return null;
  const center = norm(sum);
  if (points.some((p) => dot(toVec(p), center) < MIN_COSINE)) return null;
  // East and north at the center (any perpendicular pair at the poles).
  const east = Math.hypot(center[0], center[1]) > 1e-12 ? norm([-center[1], center[0], 0]) : ([0, 1, 0] as Vec);
  const north: Vec = [
    center[1] * east[2] - center[2] * east[1], center[2] * east[0] - center[0] * east[2], center[0] * east[1] - center[1] * east[0],
  ];
  return {
    project(p) {
      const v = toVec(p);
      const q = scale(v, 1 / dot(v, center));
      return [dot(q, east), dot(q, north)];
    },
    unproject([x, y]) {
      const v = norm([center[0] + x * east[0] + y * north[0], center[1] + x * east[1] + y * north[1], center[2] + x * east[2] + y * north[2]]);
      return [(Math.atan2(v[1], v[0]) * 180) / Math.PI, (Math.asin(Math.max(-1, Math.min(1, v[2]))) * 180) / Math.PI];
    },
  };
}
