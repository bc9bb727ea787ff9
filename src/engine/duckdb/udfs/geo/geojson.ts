/**
 * GeoJSON as Kusto's geo_* functions read and write it: [longitude, latitude] in WGS-84
 * degrees, longitude in [-180, 180] and latitude in [-90, 90]. Anything malformed reads as
 * null, which the functions turn into a null result (Kusto's rule for invalid geo input).
 */

export type LngLat = [number, number];
/** A closed ring with its repeated last vertex dropped and consecutive duplicates merged. */
export type Ring = LngLat[];
/** A polygon's rings: the shell first, then its holes. */
export type PolygonRings = Ring[];

export function isValidPoint(lng: number, lat: number): boolean {
  return Number.isFinite(lng) && Number.isFinite(lat) && Math.abs(lng) <= 180 && Math.abs(lat) <= 90;
}

function readPosition(v: unknown): LngLat | null {
  if (!Array.isArray(v) || v.length < 2) return null;
  const [lng, lat] = v as unknown[];
  if (typeof lng !== 'number' || typeof lat !== 'number' || !isValidPoint(lng, lat)) return null;
  return [lng, lat];
}

function readPositions(v: unknown): LngLat[] | null {
  if (!Array.isArray(v)) return null;
  const out: LngLat[] = [];
  for (const item of v) {
    const p = readPosition(item);
    if (!p) return null;
    out.push(p);
  }
  return out;
}

const samePosition = (a: LngLat, b: LngLat): boolean => a[0] === b[0] && a[1] === b[1];

/** A LinearRing: closed, at least four positions, at least three distinct vertices. */
function readRing(v: unknown): Ring | null {
  const positions = readPositions(v);
  if (!positions || positions.length < 4 || !samePosition(positions[0]!, positions[positions.length - 1]!)) return null;
  const ring: Ring = [];
  for (const p of positions.slice(0, -1)) {
    if (ring.length === 0 || !samePosition(ring[ring.length - 1]!, p)) ring.push(p);
  }
  while (ring.length > 1 && samePosition(ring[0]!, ring[ring.length - 1]!)) ring.pop();
  return ring.length >= 3 ? ring : null;
}

function readPolygonCoordinates(v: unknown): PolygonRings | null {
  if (!Array.isArray(v) || v.length === 0) return null;
  const rings: PolygonRings = [];
  for (const item of v) {
    const ring = readRing(item);
    if (!ring) return null;
    rings.push(ring);
  }
  return rings;
}

function parseObject(json: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** A Polygon or MultiPolygon as a list of polygons. */
export function parsePolygonal(json: string): PolygonRings[] | null {
  const geo = parseObject(json);
  if (!geo) return null;
  if (geo.type === 'Polygon') {
    const polygon = readPolygonCoordinates(geo.coordinates);
    return polygon ? [polygon] : null;
  }
  if (geo.type === 'MultiPolygon' && Array.isArray(geo.coordinates) && geo.coordinates.length > 0) {
    const polygons: PolygonRings[] = [];
    for (const item of geo.coordinates) {
      const polygon = readPolygonCoordinates(item);
      if (!polygon) return null;
      polygons.push(polygon);
    }
    return polygons;
  }
  return null;
}

/** A line's vertices, at least two of them. */
function readLine(v: unknown): LngLat[] | null {
  const positions = readPositions(v);
  return positions && positions.length >= 2 ? positions : null;
}

/** A LineString or MultiLineString as a list of lines. */
export function parseLines(json: string): LngLat[][] | null {
  const geo = parseObject(json);
  if (!geo) return null;
  if (geo.type === 'LineString') {
    const line = readLine(geo.coordinates);
    return line ? [line] : null;
  }
  if (geo.type === 'MultiLineString' && Array.isArray(geo.coordinates) && geo.coordinates.length > 0) {
    const lines: LngLat[][] = [];
    for (const item of geo.coordinates) {
      const line = readLine(item);
      if (!line) return null;
      lines.push(line);
    }
    return lines;
  }
  return null;
}

/** Only a LineString (functions that walk one line from its start). */
export function parseLineString(json: string): LngLat[] | null {
  const lines = parseLines(json);
  return lines && lines.length === 1 && parseObject(json)?.type === 'LineString' ? lines[0]! : null;
}

export const pointJson = ([lng, lat]: LngLat): string => JSON.stringify({ type: 'Point', coordinates: [lng, lat] });

/** A Polygon from rings given without the closing vertex. */
export const polygonJson = (rings: LngLat[][]): string =>
  JSON.stringify({ type: 'Polygon', coordinates: rings.map((ring) => [...ring, ring[0]!]) });

export const lineJson = (line: LngLat[]): string => JSON.stringify({ type: 'LineString', coordinates: line });
