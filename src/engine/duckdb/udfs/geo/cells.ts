/**
 * Kusto's grid cells: H3 (h3-js), S2 (s2js) and geohash (ngeohash) tokens, from points and back
 * to central points, polygons, parents and neighbors. Invalid tokens or levels give null.
 */
import * as h3 from 'h3-js';
import ngeohash from 'ngeohash';
import { s2 } from 's2js';
import { type LngLat, isValidPoint, parsePolygonal, pointJson, polygonJson } from './geojson.js';
import { toLngLat } from './sphere.js';

const inRange = (n: number, min: number, max: number): boolean => Number.isInteger(n) && n >= min && n <= max;

// ---- H3 ----

export function pointToH3Cell(lng: number, lat: number, resolution: number): string | null {
  if (!isValidPoint(lng, lat) || !inRange(resolution, 0, 15)) return null;
  return h3.latLngToCell(lat, lng, resolution);
}

const validH3 = (cell: string): boolean => /^[0-9a-f]{15,16}$/.test(cell) && h3.isValidCell(cell);

export const h3CellLevel = (cell: string): number | null => (validH3(cell) ? h3.getResolution(cell) : null);

/** The parent at `resolution` (the immediate parent when null); null when finer than the cell. */
export function h3CellParent(cell: string, resolution: number | null): string | null {
  if (!validH3(cell)) return null;
  const level = h3.getResolution(cell);
  const target = resolution ?? level - 1;
  if (!inRange(target, 0, 14) || target > level) return null;
  return h3.cellToParent(cell, target);
}

/** The children at `resolution` (the next level when null). */
export function h3CellChildren(cell: string, resolution: number | null): string | null {
  if (!validH3(cell)) return null;
  const level = h3.getResolution(cell);
  const target = resolution ?? level + 1;
  if (!inRange(target, 1, 15) || target < level) return null;
  return JSON.stringify(h3.cellToChildren(cell, target));
}

/** The six (five around a pentagon) cells around a cell, in H3's grid-disk order. */
export function h3CellNeighbors(cell: string): string | null {
  if (!validH3(cell)) return null;
  return JSON.stringify(h3.gridDisk(cell, 1).filter((c) => c !== cell));
}

/** Rings 0..distance around a cell: ring 0 is the cell itself. */
export function h3CellRings(cell: string, distance: number): string | null {
  if (!validH3(cell) || !inRange(distance, 0, 142)) return null;
  return JSON.stringify(h3.gridDiskDistances(cell, distance));
}

export function h3CellToCentralPoint(cell: string): string | null {
  if (!validH3(cell)) return null;
  const [lat, lng] = h3.cellToLatLng(cell);
  return pointJson([lng, lat]);
}

export function h3CellToPolygon(cell: string): string | null {
  if (!validH3(cell)) return null;
  return polygonJson([h3.cellToBoundary(cell, true).slice(0, -1) as LngLat[]]);
}

/** Kusto's limit on the cells one polygon converts to. */
const MAX_POLYGON_H3_CELLS = 61680;

/** Cells whose centers lie inside the polygon (edges as straight lines in longitude/latitude, as in Kusto). */
export function polygonToH3Cells(json: string, resolution: number): string | null {
  const polygons = parsePolygonal(json);
  if (!polygons || !inRange(resolution, 0, 15)) return null;
  const cells = new Set<string>();
  for (const rings of polygons) {
    const closed = rings.map((ring) => [...ring, ring[0]!]);
    for (const c of h3.polygonToCells(closed, resolution, true)) cells.add(c);
    if (cells.size > MAX_POLYGON_H3_CELLS) return null;
  }
  return JSON.stringify([...cells]);
}

// ---- S2 ----

export function pointToS2Cell(lng: number, lat: number, level: number): string | null {
  if (!isValidPoint(lng, lat) || !inRange(level, 0, 30)) return null;
  return s2.cellid.toToken(s2.cellid.parent(s2.cellid.fromLatLng(s2.LatLng.fromDegrees(lat, lng)), level));
}

function s2CellOf(token: string) {
  if (!/^[0-9a-f]{1,16}$/.test(token)) return null;
  const id = s2.cellid.fromToken(token);
  return s2.cellid.valid(id) ? id : null;
}

export function s2CellToCentralPoint(token: string): string | null {
  const id = s2CellOf(token);
  return id === null ? null : pointJson(toLngLat(s2.cellid.point(id)));
}

/** The cell's four vertices, starting at its north-west corner as Kusto lists them. */
export function s2CellToPolygon(token: string): string | null {
  const id = s2CellOf(token);
  if (id === null) return null;
  const cell = s2.Cell.fromCellID(id);
  const vertices = [0, 1, 2, 3].map((k) => toLngLat(cell.vertex(k)));
  return polygonJson([vertices]);
}

/** The eight cells around a cell at its level (edge and corner neighbors). */
export function s2CellNeighbors(token: string): string | null {
  const id = s2CellOf(token);
  if (id === null) return null;
  const level = s2.cellid.level(id);
  return JSON.stringify(s2.cellid.allNeighbors(id, level).map((n) => s2.cellid.toToken(n)));
}

// ---- geohash ----

const GEOHASH = /^[0-9b-hjkmnp-z]{1,18}$/;

export function pointToGeohash(lng: number, lat: number, accuracy: number): string | null {
  if (!isValidPoint(lng, lat) || !inRange(accuracy, 1, 18)) return null;
  return ngeohash.encode(lat, lng, accuracy);
}

export function geohashToCentralPoint(hash: string): string | null {
  if (!GEOHASH.test(hash)) return null;
  const { latitude, longitude } = ngeohash.decode(hash);
  return pointJson([longitude, latitude]);
}

export function geohashToPolygon(hash: string): string | null {
  if (!GEOHASH.test(hash)) return null;
  const [minLat, minLng, maxLat, maxLng] = ngeohash.decode_bbox(hash);
  return polygonJson([[[minLng, minLat], [maxLng, minLat], [maxLng, maxLat], [minLng, maxLat]]]);
}

export function geohashNeighbors(hash: string): string | null {
  if (!GEOHASH.test(hash)) return null;
  return JSON.stringify(ngeohash.neighbors(hash));
}
