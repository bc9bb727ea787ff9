/**
 * Geospatial functions, mirroring the examples of Microsoft's geo_* documentation (expected
 * values are the documented outputs). Kusto measures on a sphere of S2's radius with geodesic
 * edges; invalid input gives null (or '' for strings).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalStart, orientRing, s2LoopOrder } from '../../src/engine/duckdb/udfs/geo/s2-loop-order.js';
import { objects, scalar, useEngine } from '../engine/helpers.js';

const engine = useEngine();
const value = (kql: string) => scalar(engine(), `print r = ${kql}`);

function assertClose(actual: unknown, expected: number, relative = 1e-9): void {
  assert.equal(typeof actual, 'number', `expected a number, got ${JSON.stringify(actual)}`);
  assert.ok(Math.abs((actual as number) - expected) <= Math.abs(expected) * relative, `${actual} is not ${expected}`);
}

function assertCoordinates(actual: unknown, expected: number[][], relative = 1e-9): void {
  const got = actual as number[][];
  assert.equal(got.length, expected.length, `expected ${expected.length} vertices, got ${JSON.stringify(got)}`);
  got.forEach((p, i) => {
    assertClose(p[0], expected[i]![0]!, relative);
    assertClose(p[1], expected[i]![1]!, relative);
  });
}

const CENTRAL_PARK = '{"type":"Polygon","coordinates":[[[-73.9495,40.7969],[-73.95807266235352,40.80068603561921],[-73.98201942443848,40.76825672305777],[-73.97317886352539,40.76455136505513],[-73.9495,40.7969]]]}';
const TWO_PARKS = '{"type":"MultiPolygon","coordinates":[[[[-73.9495,40.7969],[-73.95807266235352,40.80068603561921],[-73.98201942443848,40.76825672305777],[-73.97317886352539,40.76455136505513],[-73.9495,40.7969]]],[[[-73.94262313842773,40.775991804565585],[-73.98107528686523,40.791849155467695],[-73.99600982666016,40.77092185281977],[-73.96150588989258,40.75609977566361],[-73.94262313842773,40.775991804565585]]]]}';
const DEGENERATE = '{"type": "Polygon","coordinates": [[[0,0],[10,10],[10,10],[0,0]]]}';
const LINE = '{"type":"LineString","coordinates":[[-73.95796, 40.80042], [-73.97317, 40.764486]]}';

describe('geo: points, distances and circles', () => {
  test('geo_distance_2points is the great-circle distance on a sphere of 6,371,010 m', async () => {
    assertClose(await value('geo_distance_2points(-122.407628, 47.578557, -118.275287, 34.019056)'), 1546754.35197381);
    assert.equal(await value('geo_distance_2points(300,1,1,1)'), null);
  });

  test('geo_point_in_circle includes points within the radius; invalid point or negative radius gives null', async () => {
    assert.equal(await value('geo_point_in_circle(-122.143564, 47.535677, -122.100896, 47.527351, 3500)'), true);
    assert.equal(await value('geo_point_in_circle(-122.137575, 47.630683, -122.100896, 47.527351, 3500)'), false);
    assert.equal(await value('geo_point_in_circle(200, 1, 1, 1, 1)'), null);
    assert.equal(await value('geo_point_in_circle(1, 1, 1, 1, -1)'), null);
    const r = await engine().query(`datatable(longitude:real, latitude:real, place:string)
      [real(-122.317404), 47.609119, 'Seattle', real(-123.497688), 47.458098, 'Olympic National Forest',
       real(-122.201741), 47.677084, 'Kirkland', real(-122.443663), 47.247092, 'Tacoma', real(-122.121975), 47.671345, 'Redmond']
      | where geo_point_in_circle(longitude, latitude, -122.317404, 47.609119, 18000) | project place`);
    assert.deepEqual(objects(r).map((o) => o.place).sort(), ['Kirkland', 'Redmond', 'Seattle']);
  });

  test('geo_angle is the clockwise angle at the middle point; null when two points coincide', async () => {
    assertClose(await value('geo_angle(0, 10, 0, 5, 3, -10)'), 2.94493843406882);
    assertClose(await value('degrees(geo_angle(0, 10, 0, 5, 3, -10))'), 168.732543198009);
    assert.equal(await value('geo_angle(0, 10, 0, 10, 3, -10)'), null);
  });
});

describe('geo: polygons', () => {
  test('geo_point_in_polygon uses geodesic edges; invalid coordinates or polygon give null', async () => {
    assert.equal(await value(`geo_point_in_polygon(-73.9654, 40.7829, dynamic(${CENTRAL_PARK}))`), true);
    assert.equal(await value(`geo_point_in_polygon(-73.8743, 40.7773, dynamic(${CENTRAL_PARK}))`), false);
    assert.equal(await value(`geo_point_in_polygon(-73.99, 40.7715, dynamic(${TWO_PARKS}))`), true);
    assert.equal(await value('geo_point_in_polygon(200,1,dynamic({"type": "Polygon","coordinates": [[[0,0],[10,10],[10,1],[0,0]]]}))'), null);
    assert.equal(await value(`geo_point_in_polygon(1,1,dynamic(${DEGENERATE}))`), null);
  });

  test('a polygon ring is read in either orientation as the smaller region it bounds', async () => {
    const clockwise = '{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1],[1,0],[0,0]]]}';
    assert.equal(await value(`geo_point_in_polygon(0.5, 0.5, dynamic(${clockwise}))`), true);
    assert.equal(await value(`geo_point_in_polygon(100, 0.5, dynamic(${clockwise}))`), false);
  });

  test('geo_polygon_area and geo_polygon_perimeter; a MultiPolygon measures the union of its members', async () => {
    assertClose(await value(`geo_polygon_area(dynamic(${CENTRAL_PARK}))`), 3475207.28346606);
    assertClose(await value(`geo_polygon_area(dynamic(${TWO_PARKS}))`), 10889971.5343487, 1e-8);
    assertClose(await value(`geo_polygon_perimeter(dynamic(${CENTRAL_PARK}))`), 9930.30149604938);
    assertClose(await value(`geo_polygon_perimeter(dynamic(${TWO_PARKS}))`), 15943.5384578745, 1e-8);
    assert.equal(await value(`geo_polygon_area(dynamic(${DEGENERATE}))`), null);
    assert.equal(await value(`geo_polygon_perimeter(dynamic(${DEGENERATE}))`), null);
  });

  test('geo_polygon_centroid is the centroid on the sphere: the center of a shape symmetric about the origin', async () => {
    assert.deepEqual(await value('geo_polygon_centroid(dynamic({"type":"Polygon","coordinates":[[[-1,-1],[1,-1],[1,1],[-1,1],[-1,-1]]]}))'), { type: 'Point', coordinates: [0, 0] });
    const c = (await value(`geo_polygon_centroid(dynamic(${CENTRAL_PARK}))`)) as { coordinates: number[] };
    assert.equal(await value(`geo_point_in_polygon(${c.coordinates[0]}, ${c.coordinates[1]}, dynamic(${CENTRAL_PARK}))`), true);
    assert.equal(await value(`geo_polygon_centroid(dynamic(${DEGENERATE}))`), null);
  });

  test('geo_intersects_2polygons and geo_intersects_line_with_polygon: overlap, touching and crossing count', async () => {
    const square = 'dynamic({"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,2],[0,0]]]})';
    assert.equal(await value(`geo_intersects_2polygons(${square}, dynamic({"type":"Polygon","coordinates":[[[1,1],[3,1],[3,3],[1,3],[1,1]]]}))`), true);
    assert.equal(await value(`geo_intersects_2polygons(${square}, dynamic({"type":"Polygon","coordinates":[[[5,5],[6,5],[6,6],[5,5]]]}))`), false);
    assert.equal(await value('geo_intersects_2polygons(dynamic({"type":"Polygon","coordinates":[[[2,45],[0,45],[1,44],[2,45]]]}), dynamic({"type":"Polygon","coordinates":[[[3,44],[2,45],[2,43],[3,44]]]}))'), true);
    assert.equal(await value(`geo_intersects_line_with_polygon(dynamic({"type":"LineString","coordinates":[[-1,1],[3,1]]}), ${square})`), true);
    assert.equal(await value(`geo_intersects_line_with_polygon(dynamic({"type":"LineString","coordinates":[[-1,5],[3,5]]}), ${square})`), false);
    assert.equal(await value(`geo_intersects_2polygons(dynamic(${DEGENERATE}), ${square})`), null);
  });

  test('geo_closest_point_on_polygon: the nearest boundary point from outside', async () => {
    const p = (await value(`geo_closest_point_on_polygon(-73.9839, 40.7705, dynamic(${CENTRAL_PARK}))`)) as { type: string; coordinates: number[] };
    assert.equal(p.type, 'Point');
    assertCoordinates([p.coordinates], [[-73.981205580153926, 40.769359452843211]]);
    assert.equal(await value('geo_closest_point_on_polygon(500,1,dynamic({"type": "Polygon","coordinates": [[[0,0],[10,10],[10,1],[0,0]]]}))'), null);
  });

  test('geo_polygon_densify adds points so geodesic edges follow the planar ones within the tolerance', async () => {
    assert.equal(
      await value('tostring(geo_polygon_densify(dynamic({"type":"Polygon","coordinates":[[[10,10],[11,10],[11,11],[10,11],[10,10]]]})))'),
      '{"type":"Polygon","coordinates":[[[10,10],[10.25,10],[10.5,10],[10.75,10],[11,10],[11,11],[10.75,11],[10.5,11],[10.25,11],[10,11],[10,10]]]}',
    );
    assert.equal(await value('geo_polygon_densify(dynamic({"type":"Polygon","coordinates":[[[10,900],[11,10],[11,11],[10,11],[10,10]]]}))'), null);
    assert.equal(await value('geo_polygon_densify(dynamic({"type":"Polygon","coordinates":[[[10,10],[11,10],[11,11],[10,11],[10,10]]]}), 0)'), null);
  });

  test('geo_polygon_simplify drops vertices within the tolerance (Douglas–Peucker, 10 m default)', async () => {
    const polygon = '{"type":"Polygon","coordinates":[[[-73.94885122776031,40.79673476355657],[-73.94885927438736,40.79692258628347],[-73.94887939095497,40.79692055577034],[-73.9488673210144,40.79693476936093],[-73.94888743758202,40.79693476936093],[-73.9488834142685,40.796959135509105],[-73.94890084862709,40.79695304397289],[-73.94906312227248,40.79710736271788],[-73.94923612475395,40.7968708081794],[-73.94885122776031,40.79673476355657]]]}';
    const r = (await value(`geo_polygon_simplify(dynamic(${polygon}))`)) as { coordinates: number[][][] };
    assertCoordinates(r.coordinates[0], [[-73.948851227760315, 40.796734763556572], [-73.949063122272477, 40.797107362717881], [-73.949236124753952, 40.7968708081794], [-73.948851227760315, 40.796734763556572]]);
    const square = '{"type":"Polygon","coordinates":[[[5,48],[0,50],[0,47],[4,47],[5,48]]]}';
    assert.equal(await value('geo_polygon_simplify(dynamic({"type":"Polygon","coordinates":[[[5,48],[5,48]]]}))'), null);
    assert.equal(await value(`geo_polygon_simplify(dynamic(${square}), -0.1)`), null);
    assert.equal(await value(`geo_polygon_simplify(dynamic(${square}), 1000000)`), null);
  });

  test('geo_intersection_2polygons: the common area; shapes that only touch give a Point; none gives an empty collection', async () => {
    const p1 = '{"type":"Polygon","coordinates":[[[-73.9630937576294,40.77498840732385],[-73.963565826416,40.774383111780914],[-73.96205306053162,40.773745311181585],[-73.96160781383514,40.7743912365898],[-73.9630937576294,40.77498840732385]]]}';
    const p2 = '{"type":"Polygon","coordinates":[[[-73.96213352680206,40.775045280447145],[-73.9631313085556,40.774578106920345],[-73.96207988262177,40.77416780398293],[-73.96213352680206,40.775045280447145]]]}';
    const r = (await value(`geo_intersection_2polygons(dynamic(${p1}), dynamic(${p2}))`)) as { type: string; coordinates: number[][][] };
    assert.equal(r.type, 'Polygon');
    assertCoordinates(r.coordinates[0]!, [[-73.962105776437156, 40.774591360999679], [-73.962642403166868, 40.774807020251778], [-73.9631313085556, 40.774578106920352], [-73.962079882621765, 40.774167803982927], [-73.962105776437156, 40.774591360999679]]);
    const triangle = '{"type":"Polygon","coordinates":[[[2,45],[0,45],[1,44],[2,45]]]}';
    assert.deepEqual(await value(`geo_intersection_2polygons(dynamic(${triangle}), dynamic({"type":"Polygon","coordinates":[[[3,44],[2,45],[2,43],[3,44]]]}))`), { type: 'Point', coordinates: [2, 45] });
    const both = (await value(`geo_intersection_2polygons(dynamic(${triangle}), dynamic({"type":"MultiPolygon","coordinates":[[[[3,44],[2,45],[2,43],[3,44]]],[[[1.192,45.265],[1.005,44.943],[1.356,44.937],[1.192,45.265]]]]}))`)) as { type: string; geometries: { type: string; coordinates: unknown }[] };
    assert.equal(both.type, 'GeometryCollection');
    assert.deepEqual(both.geometries[0], { type: 'Point', coordinates: [2, 45] });
    // Geodesic, not planar: the edge from [2,45] to [0,45] bulges north to cross at 45.0039.
    assertCoordinates((both.geometries[1]!.coordinates as number[][][])[0]!, [[1.3227075526410679, 45.003909145068739], [1.0404565374899824, 45.004356403066552], [1.005, 44.943], [1.356, 44.937], [1.3227075526410679, 45.003909145068739]]);
    assert.deepEqual(await value(`geo_intersection_2polygons(dynamic(${triangle}), dynamic({"type":"Polygon","coordinates":[[[3,44],[3,45],[2,43],[3,44]]]}))`), { type: 'GeometryCollection', geometries: [] });
    assert.equal(await value(`geo_intersection_2polygons(dynamic({"type":"Polygon"}), dynamic(${CENTRAL_PARK}))`), null);
  });

  test('geo_union_polygons_array merges overlapping polygons; an invalid member gives null', async () => {
    const r = await engine().query(`datatable(polygon1:dynamic, polygon2:dynamic)
      [dynamic({"type":"Polygon","coordinates":[[[-73.9495,40.7969],[-73.95807,40.80068],[-73.98201,40.76825],[-73.97317,40.76455],[-73.9495,40.7969]]]}), dynamic({"type":"Polygon","coordinates":[[[-73.94622,40.79249],[-73.96888,40.79282],[-73.9577,40.7789],[-73.94622,40.79249]]]})]
      | project u = geo_union_polygons_array(pack_array(polygon1, polygon2))`);
    const union = r.rows[0]![0] as { type: string; coordinates: number[][][] };
    assert.equal(union.type, 'Polygon');
    assertCoordinates(union.coordinates[0]!, [[-73.9495, 40.7969], [-73.95807, 40.80068], [-73.9639277517478, 40.792748258673875], [-73.96888, 40.792819999999992], [-73.9662719791645, 40.7895734224338], [-73.98201, 40.76825], [-73.97317, 40.76455], [-73.960302383706178, 40.782140794645024], [-73.9577, 40.7789], [-73.94622, 40.79249], [-73.9526593223173, 40.792584227716468], [-73.9495, 40.7969]]);
    assert.equal(await value('geo_union_polygons_array(pack_array(dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}), dynamic({"type":"Polygon","coordinates":[[[-73.94622,40.79249]]]})))'), null);
  });

  test('geo_simplify_polygons_array: null for an invalid member, a bad tolerance, or rings that collapse', async () => {
    const arr = 'pack_array(dynamic({"type":"Polygon","coordinates":[[[-73.9495,40.7969],[-73.95807,40.80068],[-73.98201,40.76825],[-73.97317,40.76455],[-73.9495,40.7969]]]}), dynamic({"type":"Polygon","coordinates":[[[-73.97335,40.77274],[-73.9936,40.76630],[-73.97171,40.75655],[-73.97335,40.77274]]]}))';
    const r = (await value(`geo_simplify_polygons_array(${arr})`)) as { type: string };
    assert.equal(r.type, 'Polygon');
    assert.equal(await value(`geo_simplify_polygons_array(${arr}, -1)`), null);
    assert.equal(await value(`geo_simplify_polygons_array(${arr}, 10000)`), null);
  });
});

describe('geo: polygon set results start and order their rings as S2 does', () => {
  test('S2Builder rotates a loop so the largest input edge ids come last (the first run of them, after a gap)', () => {
    assert.equal(canonicalStart([7, 7, 4, 5, 6, 7]), 2);
    assert.equal(canonicalStart([0, 1, 2, 3]), 0);
    assert.equal(canonicalStart([2, 3, 0, 1]), 2);
    // two runs of the largest id: the first one, counted from the loop's lowest-S2CellId vertex
    assert.equal(canonicalStart([3, 4, 0, 1, 4, 5, 6, 1, 2, 0, 6]), 7);
  });

  test('a result equal to an input ring keeps its start; a clockwise input is reversed as S2Loop::Invert does', () => {
    const ring: [number, number][] = [[0, 0], [1, 0], [1, 1], [0, 1]];
    const rotated = [ring[2]!, ring[3]!, ring[0]!, ring[1]!];
    assert.deepEqual(s2LoopOrder([[rotated]], [[[ring]]]), [[ring]]);
    const clockwise = [...ring].reverse();
    assert.deepEqual(orientRing(clockwise, false), ring);
    assert.deepEqual(orientRing(ring, true), clockwise);
    // shells of a MultiPolygon result come in the order of their first edge's input id
    const other: [number, number][] = [[5, 5], [6, 5], [6, 6]];
    assert.deepEqual(s2LoopOrder([[other], [ring]], [[[ring]], [[other]]]), [[ring], [other]]);
  });

  test('geo_union_polygons_array unions the members two at a time, fewest vertices first (documented ring)', async () => {
    const r = await engine().query(`datatable(polygons:dynamic)
      [dynamic({"type":"Polygon","coordinates":[[[-73.9495,40.7969],[-73.95807,40.80068],[-73.98201,40.76825],[-73.97317,40.76455],[-73.9495,40.7969]]]}),
       dynamic({"type":"Polygon","coordinates":[[[-73.94622,40.79249],[-73.96888,40.79282],[-73.9577,40.7789],[-73.94622,40.79249]]]}),
       dynamic({"type":"Polygon","coordinates":[[[-73.97335,40.77274],[-73.9936,40.76630],[-73.97171,40.75655],[-73.97335,40.77274]]]})]
      | summarize arr = make_list(polygons) | project u = geo_union_polygons_array(arr)`);
    const union = r.rows[0]![0] as { type: string; coordinates: number[][][] };
    assertCoordinates(union.coordinates[0]!, [[-73.972599326729608, 40.765330371902991], [-73.960302383706178, 40.782140794645024], [-73.9577, 40.7789], [-73.94622, 40.79249], [-73.9526593223173, 40.792584227716468], [-73.9495, 40.7969], [-73.95807, 40.80068], [-73.9639277517478, 40.792748258673875], [-73.96888, 40.792819999999992], [-73.9662719791645, 40.7895734224338], [-73.9803360309571, 40.770518810606404], [-73.9936, 40.7663], [-73.97171, 40.756550000000004], [-73.972599326729608, 40.765330371902991]]);
  });

  test('the union of an H3 cell and its neighbors starts where Kusto\'s does', async () => {
    const r = await engine().query(`let h3cell = '862a1072fffffff';
      print cells = array_concat(pack_array(h3cell), geo_h3cell_neighbors(h3cell))
      | mv-expand cells to typeof(string) | project polygons = geo_h3cell_to_polygon(cells)
      | summarize arr = make_list(polygons) | project polygon = geo_union_polygons_array(arr)`);
    const union = r.rows[0]![0] as { type: string; coordinates: number[][][] };
    assert.equal(union.type, 'Polygon');
    assertCoordinates(union.coordinates[0]!.slice(0, 3), [[-73.926766604813565, 40.718903205013063], [-73.912969923470314, 40.750105305345329], [-73.943844904976629, 40.773964402038523]]);
    assert.equal(union.coordinates[0]!.length, 19);
  });
});

describe('geo: lines', () => {
  test('geo_line_centroid, geo_line_interpolate_point and geo_line_locate_point walk the geodesic', async () => {
    const c = (await value(`geo_line_centroid(dynamic(${LINE}))`)) as { coordinates: number[] };
    assertCoordinates([c.coordinates], [[-73.965567057230942, 40.782453249627416]]);
    const p = (await value(`geo_line_interpolate_point(dynamic(${LINE}), 0.25)`)) as { coordinates: number[] };
    assertCoordinates([p.coordinates], [[-73.961764043218281, 40.791436687257232]]);
    assertClose(await value(`geo_line_locate_point(dynamic(${LINE}), -73.965, 40.792)`), 0.25560135100307552);
    const single = 'dynamic({"type":"LineString","coordinates":[[1, 1]]})';
    assert.equal(await value(`geo_line_centroid(${single})`), null);
    assert.equal(await value(`geo_line_interpolate_point(${single}, 0.5)`), null);
    assert.equal(await value(`geo_line_locate_point(${single}, 1, 1)`), null);
  });

  test('geo_line_densify halves planar edges until their geodesics are within the tolerance', async () => {
    assert.equal(
      await value('tostring(geo_line_densify(dynamic({"type":"LineString","coordinates":[[50, 50], [51, 51]]})))'),
      '{"type":"LineString","coordinates":[[50,50],[50.125,50.125],[50.25,50.25],[50.375,50.375],[50.5,50.5],[50.625,50.625],[50.75,50.75],[50.875,50.875],[51,51]]}',
    );
    assert.equal(await value('geo_line_densify(dynamic({"type":"LineString","coordinates":[[300,1],[1,1]]}))'), null);
    assert.equal(await value('geo_line_densify(dynamic({"type":"LineString","coordinates":[[1,1],[2,2]]}), 0)'), null);
  });

  test('geo_intersects_2lines; a line of one point gives null', async () => {
    const l1 = 'dynamic({"type":"LineString","coordinates":[[-73.978929,40.785155],[-73.980903,40.782621]]})';
    assert.equal(await value(`geo_intersects_2lines(${l1}, dynamic({"type":"LineString","coordinates":[[-73.985195,40.788275],[-73.974552,40.779761]]}))`), true);
    assert.equal(await value(`geo_intersects_2lines(${l1}, dynamic({"type":"LineString","coordinates":[[-73.97, 40.79],[-73.96, 40.80]]}))`), false);
    assert.equal(await value(`geo_intersects_2lines(${l1}, dynamic({"type":"LineString","coordinates":[[-73.985195,40.788275]]}))`), null);
  });

  test('geo_closest_point_on_line is the foot of the point on the nearest edge, at geo_distance_point_to_line', async () => {
    const line = 'dynamic({"type":"LineString","coordinates":[[-73.97291864770574,40.76428551254824],[-73.99708638113894,40.73145135821781]]})';
    const p = (await value(`geo_closest_point_on_line(-73.9856733789857, 40.7484262997738, ${line})`)) as { type: string; coordinates: number[] };
    assert.equal(p.type, 'Point');
    const d = (await value(`geo_distance_point_to_line(-73.9856733789857, 40.7484262997738, ${line})`)) as number;
    assertClose(await value(`geo_distance_2points(-73.9856733789857, 40.7484262997738, ${p.coordinates[0]}, ${p.coordinates[1]})`), d, 1e-6);
    assert.equal(await value(`geo_closest_point_on_line(500, 1, ${line})`), null);
  });

  test('geo_line_length sums the geodesic edges', async () => {
    assertClose(await value(`geo_line_length(dynamic(${LINE}))`), await value('geo_distance_2points(-73.95796, 40.80042, -73.97317, 40.764486)') as number);
  });
});

describe('geo: H3 cells', () => {
  test('geo_point_to_h3cell (resolution 6 by default); invalid point, resolution or null resolution give ""', async () => {
    assert.equal(await value('geo_point_to_h3cell(-74.04450446039874, 40.689250859314974, 6)'), '862a1072fffffff');
    assert.equal(await value('geo_point_to_h3cell(-74.04450446039874, 40.689250859314974)'), '862a1072fffffff');
    assert.equal(await value('geo_point_to_h3cell(300,1,8)'), '');
    assert.equal(await value('geo_point_to_h3cell(1,1,16)'), '');
    assert.equal(await value('geo_point_to_h3cell(1,1,int(null))'), '');
  });

  test('geo_h3cell_level and geo_h3cell_parent (immediate parent by default, never finer than the cell)', async () => {
    assert.equal(await value("geo_h3cell_level('862a1072fffffff')"), 6);
    assert.equal(await value('geo_h3cell_level(geo_point_to_h3cell(1,1,10))'), 10);
    assert.equal(await value("geo_h3cell_level('abc')"), null);
    assert.equal(await value("geo_h3cell_parent('862a1072fffffff')"), '852a1073fffffff');
    assert.equal(await value("geo_h3cell_parent('862a1072fffffff', 1)"), '812a3ffffffffff');
    assert.equal(await value('geo_h3cell_level(geo_h3cell_parent(geo_point_to_h3cell(1,1,10), 3))'), 3);
    assert.equal(await value("geo_h3cell_parent('123')"), '');
    assert.equal(await value("geo_h3cell_parent('862a1072fffffff', 100)"), '');
    assert.equal(await value("geo_h3cell_parent('862a1072fffffff', 15)"), '');
  });

  test('geo_h3cell_neighbors, children and rings', async () => {
    assert.deepEqual(await value("geo_h3cell_neighbors('862a1072fffffff')"), ['862a10727ffffff', '862a10707ffffff', '862a1070fffffff', '862a10777ffffff', '862a100dfffffff', '862a100d7ffffff']);
    assert.equal(await value("geo_h3cell_neighbors('abc')"), null);
    const children = (await value("geo_h3cell_children('852a1073fffffff')")) as string[];
    assert.equal(children.length, 7);
    assert.ok(children.includes('862a1072fffffff'));
    const rings = (await value("geo_h3cell_rings('862a1072fffffff', 1)")) as string[][];
    assert.deepEqual(rings[0], ['862a1072fffffff']);
    assert.equal(rings[1]!.length, 6);
  });

  test('geo_h3cell_to_polygon and geo_h3cell_to_central_point', async () => {
    const polygon = (await value("geo_h3cell_to_polygon('862a1072fffffff')")) as { type: string; coordinates: number[][][] };
    assert.equal(polygon.type, 'Polygon');
    assertCoordinates(polygon.coordinates[0]!.slice(0, 3), [[-74.0022744646159, 40.735376026215022], [-74.046908029686236, 40.727986222489115], [-74.060610712223664, 40.696775140349033]]);
    assert.equal(polygon.coordinates[0]!.length, 7);
    const center = (await value("geo_h3cell_to_central_point('862a1072fffffff')")) as { type: string; coordinates: number[] };
    assert.equal(center.type, 'Point');
    assert.equal(await value("geo_point_to_h3cell(todouble(geo_h3cell_to_central_point('862a1072fffffff').coordinates[0]), todouble(geo_h3cell_to_central_point('862a1072fffffff').coordinates[1]), 6)"), '862a1072fffffff');
  });

  test('geo_polygon_to_h3cells: cells whose centers are inside (set as documented; order is H3\'s)', async () => {
    const cells = (await value('geo_polygon_to_h3cells(dynamic({"type":"Polygon","coordinates":[[[-3.659,40.553],[-3.913,40.409],[-3.729,40.273],[-3.524,40.440],[-3.659,40.553]]]}))')) as string[];
    assert.deepEqual([...cells].sort(), ['86390cb57ffffff', '86390cb0fffffff', '86390ca27ffffff', '86390cb87ffffff', '86390cb07ffffff', '86390ca2fffffff', '86390ca37ffffff', '86390cb17ffffff', '86390cb1fffffff', '86390cb8fffffff', '86390cba7ffffff', '86390ca07ffffff', '86390cbafffffff'].sort());
    assert.equal(await value('geo_polygon_to_h3cells(dynamic({"type":"Polygon","coordinates":[[[0,0],[1,1]]]}))'), null);
  });
});

describe('geo: S2 cells and geohash', () => {
  test('geo_point_to_s2cell (level 11 by default) and back to polygon and central point', async () => {
    assert.equal(await value('geo_point_to_s2cell(-73.956683, 40.807907, 10)'), '89c2f7');
    assert.equal(await value('strlen(geo_point_to_s2cell(-73.956683, 40.807907))'), 7);
    assert.equal(await value('geo_point_to_s2cell(300, 1)'), '');
    const polygon = (await value('geo_s2cell_to_polygon("89c259")')) as { coordinates: number[][][] };
    assertCoordinates(polygon.coordinates[0], [[-74.030012249838478, 40.8012684339439], [-74.030012249838478, 40.7222262918358], [-73.935982114337421, 40.708880489804564], [-73.935982114337421, 40.787917134506841], [-74.030012249838478, 40.8012684339439]]);
    const center = (await value('geo_s2cell_to_central_point("1234567")')) as { coordinates: number[] };
    assertCoordinates([center.coordinates], [[9.86830731850408, 27.468392925827604]]);
    assert.equal(await value('geo_s2cell_to_polygon("a")'), null);
    assert.equal(await value('geo_s2cell_to_central_point("a")'), null);
    assert.equal(((await value('geo_s2cell_neighbors("89c259")')) as string[]).length, 8);
  });

  test('geo_point_to_geohash (accuracy 5 by default) and geo_geohash_to_central_point', async () => {
    assert.equal(await value('geo_point_to_geohash(-80.195829, 25.802215, 8)'), 'dhwfz15h');
    assert.equal(await value('geo_point_to_geohash(-122.303404, 47.570482)'), 'c23n8');
    assert.equal(await value('geo_point_to_geohash(200,1,8)'), '');
    assert.equal(await value('geo_point_to_geohash(1,1,int(null))'), '');
    assert.deepEqual(await value('geo_geohash_to_central_point("sunny")'), { type: 'Point', coordinates: [42.47314453125, 23.70849609375] });
    assert.equal(await value('geo_geohash_to_central_point("a")'), null);
    assert.equal(((await value('geo_geohash_neighbors("sunny")')) as string[]).length, 8);
    const box = (await value('geo_geohash_to_polygon("sunny")')) as { coordinates: number[][][] };
    assert.equal(box.coordinates[0]!.length, 5);
  });
});

describe('geo: IP addresses', () => {
  test('geo_info_from_ip_address gives Kusto\'s bag from the bundled DB-IP Lite database; invalid text gives null', async () => {
    const info = (await value("geo_info_from_ip_address('20.53.203.50')")) as Record<string, unknown>;
    assert.deepEqual(Object.keys(info), ['country', 'state', 'city', 'latitude', 'longitude']);
    assert.equal(info.country, 'Australia');
    assert.equal(info.state, 'New South Wales');
    assert.equal(info.city, 'Sydney');
    const v6 = (await value("geo_info_from_ip_address('2a03:2880:f12c:83:face:b00c::25de')")) as Record<string, unknown>;
    assert.equal(v6.country, 'United States');
    assert.equal(await value("geo_info_from_ip_address('not an address')"), null);
  });
});

describe('geo: errors', () => {
  test('optional arguments Quarry does not implement are named in the error', async () => {
    await assert.rejects(engine().query('print geo_polygon_to_h3cells(dynamic({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}), 6, 100.0)'), /geo_polygon_to_h3cells\(\): the radius argument is not supported/);
  });
});

describe('geo: buffers and S2 coverings', () => {
  test('geo_point_buffer contains the whole circle and stays within the tolerance of it; invalid point or radius give null', async () => {
    const polygon = 'geo_point_buffer(-115.1745008278, 36.1497251277, 20000)';
    assert.equal(await value(`tostring(${polygon}.type)`), 'Polygon');
    // Every point of the circle is inside: sample points just inside the radius.
    for (const bearing of [0, 1, 2, 3, 4, 5]) {
      const inside = await value(`geo_point_in_polygon(${-115.1745008278 + 0.2223 * Math.sin(bearing)}, ${36.1497251277 + 0.1797 * Math.cos(bearing)}, ${polygon})`);
      assert.equal(inside, true, `bearing ${bearing}`);
    }
    const area = (await value(`geo_polygon_area(${polygon})`)) as number;
    assert.ok(area > Math.PI * 20000 ** 2 && area < Math.PI * 20010 ** 2, `area ${area}`);
    assert.equal(await value('geo_point_buffer(200, 1, 0.1)'), null);
    assert.equal(await value('geo_point_buffer(10, 10, -1)'), null);
  });

  test('geo_line_buffer and geo_polygon_buffer contain every point within the radius; invalid shapes or radius give null', async () => {
    const line = 'dynamic({"type":"LineString","coordinates":[[-73.97291864770574,40.76428551254824],[-73.99708638113894,40.73145135821781]]})';
    const buffer = `geo_line_buffer(${line}, 100)`;
    assert.equal(await value(`tostring(${buffer}.type)`), 'Polygon');
    // 79 m from the line: inside; Grand Central, about 300 m away: outside.
    assert.equal(await value(`geo_point_in_polygon(-73.9856733789857, 40.7484262997738, ${buffer})`), true);
    assert.equal(await value(`geo_point_in_polygon(-73.97713140725149, 40.752730320824895, ${buffer})`), false);
    const length = (await value(`geo_line_length(${line})`)) as number;
    const area = (await value(`geo_polygon_area(${buffer})`)) as number;
    // Between the exact band (2·r·length + π·r²) and one 10 m (the tolerance) wider.
    assert.ok(area > 200 * length + Math.PI * 100 ** 2 && area < 220 * length + Math.PI * 110 ** 2, `area ${area}`);
    assert.equal(await value('geo_line_buffer(dynamic({"type":"LineString"}), 5)'), null);
    assert.equal(await value('geo_line_buffer(dynamic({"type":"LineString","coordinates":[[0,0],[1,1]]}), 0)'), null);
    const square = 'dynamic({"type":"Polygon","coordinates":[[[0,0],[0.01,0],[0.01,0.01],[0,0.01],[0,0]]]})';
    assert.equal(await value(`geo_point_in_polygon(0.0108, 0.005, geo_polygon_buffer(${square}, 100))`), true);
    assert.equal(await value(`geo_point_in_polygon(0.0112, 0.005, geo_polygon_buffer(${square}, 100))`), false);
  });

  test('geo_polygon_to_s2cells and geo_line_to_s2cells cover the shape with cells of one level', async () => {
    const cells = (await value('geo_polygon_to_s2cells(dynamic({"type":"Polygon","coordinates":[[[-73.9495,40.7969],[-73.95807266235352,40.80068603561921],[-73.98201942443848,40.76825672305777],[-73.97317886352539,40.76455136505513],[-73.9495,40.7969]]]}), 13)')) as string[];
    assert.ok(cells.length > 0 && cells.every((c) => c.length === 8), JSON.stringify(cells));
    assert.ok(cells.includes((await value('geo_point_to_s2cell(-73.9654, 40.7829, 13)')) as string));
    const line = (await value('geo_line_to_s2cells(dynamic({"type":"LineString","coordinates":[[-73.95807266235352,40.800426144169315],[-73.94966125488281,40.79691751000055]]}), 13)')) as string[];
    assert.ok(line.includes((await value('geo_point_to_s2cell(-73.95807266235352, 40.800426144169315, 13)')) as string));
    assert.equal(await value('geo_line_to_s2cells(dynamic({"type":"LineString","coordinates":[[[0,0],[0,0]]]}))'), null);
  });
});

describe('geo: evaluate geo_polygon_lookup and geo_line_lookup', () => {
  const polygons = `let polygons = datatable(polygon_name:string, polygon:dynamic)
    ["New York", dynamic({"type":"Polygon", "coordinates":[[[-73.97375470114766,40.74300078124614],[-73.98653921014294,40.75486501361894],[-73.99910622331991,40.74112695466084],[-73.97375470114766,40.74300078124614]]]}),
     "Paris", dynamic({"type":"Polygon","coordinates":[[[2.57564669886321,48.769567764921334],[2.420098611499384,49.05163394896812],[2.1016783119165723,48.80113794475062],[2.57564669886321,48.769567764921334]]]})];
  let locations = datatable(location_name:string, longitude:real, latitude:real)
    ["Empire State Building", -73.98567337898565, 40.74842629977377, "NY National Museum of Mathematics", -73.98778501496217, 40.743565232771545,
     "Eiffel Tower", 2.294489426068907, 48.858263476169185, "London", -0.13245599272019604, 51.49879464208368,
     "Statue of Liberty",  -74.04462223203123, 40.689195627512674];
  locations`;

  test('each location joins the polygons containing it; the polygon column only with return_lookup_key', async () => {
    const r = await engine().query(`${polygons} | evaluate geo_polygon_lookup(polygons, polygon, longitude, latitude) | project location_name, polygon_name`);
    assert.deepEqual(r.columns.map((c) => c.name), ['location_name', 'polygon_name']);
    assert.deepEqual(objects(r).map((o) => `${o.location_name}|${o.polygon_name}`).sort(), ['Eiffel Tower|Paris', 'Empire State Building|New York', 'NY National Museum of Mathematics|New York']);
    const all = await engine().query(`${polygons} | evaluate geo_polygon_lookup(polygons, polygon, longitude, latitude)`);
    assert.deepEqual(all.columns.map((c) => c.name), ['location_name', 'longitude', 'latitude', 'polygon_name']);
  });

  test('return_unmatched keeps the other locations with empty lookup columns; radius widens the match', async () => {
    const r = await engine().query(`${polygons} | evaluate geo_polygon_lookup(polygons, polygon, longitude, latitude, return_unmatched = true, return_lookup_key = true)`);
    const london = objects(r).find((o) => o.location_name === 'London')!;
    assert.equal(london.polygon_name, '');
    assert.equal(london.polygon, null);
    const near = await engine().query(`${polygons} | evaluate geo_polygon_lookup(polygons, polygon, longitude, latitude, radius = 7000) | where location_name == 'Statue of Liberty'`);
    assert.equal(near.rows.length, 1);
  });

  test('geo_line_lookup matches lines within the radius of each location', async () => {
    const r = await engine().query(`let roads = datatable(road_name:string, road:dynamic)
      ["5th Avenue NY", dynamic({"type":"LineString","coordinates":[[-73.97291864770574,40.76428551254824],[-73.99708638113894,40.73145135821781]]})];
      datatable(location_name:string, longitude:real, latitude:real)
      ["Empire State Building", -73.98567337898565, 40.74842629977377, "Grand Central Terminal", -73.97713140725149, 40.752730320824895]
      | evaluate geo_line_lookup(roads, road, longitude, latitude, 100) | project location_name, road_name`);
    assert.deepEqual(objects(r), [{ location_name: 'Empire State Building', road_name: '5th Avenue NY' }]);
  });
});
