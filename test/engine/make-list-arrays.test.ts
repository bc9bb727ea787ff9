import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useEngine } from './helpers.js';

/** make_list and make_set over dynamic arrays (geo-point-in-polygon-function.md builds a MultiPolygon this way). */
describe('make_list and make_set of arrays', () => {
  const engine = useEngine();
  const list = async (q: string) => JSON.parse(JSON.stringify((await engine().query(q)).rows[0]![0]));

  it('Kusto rule: an array value adds its elements (one level), other values are added whole', async () => {
    assert.deepEqual(await list('datatable(d:dynamic)[dynamic([1,[2,3]]), dynamic(4), dynamic({"a":[5]}), dynamic([])] | summarize make_list(d)'),
      [1, [2, 3], 4, { a: [5] }]);
    assert.deepEqual(await list('datatable(x:long, y:long)[1,3, 2,3] | order by x asc | summarize make_list(pack_array(x, y))'), [1, 3, 2, 3]);
  });

  it('Kusto rule: make_list of pack_array(polygon.coordinates) is a MultiPolygon a point can be tested against', async () => {
    const r = await engine().query(`let Polygons = datatable(polygon:dynamic)[
        dynamic({"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,2],[0,0]]]}),
        dynamic({"type":"Polygon","coordinates":[[[10,10],[12,10],[12,12],[10,12],[10,10]]]})];
      let mp = toscalar(Polygons | project p = pack_array(polygon.coordinates) | summarize c = make_list(p) | project bag_pack("type", "MultiPolygon", "coordinates", c));
      datatable(lon:real, lat:real)[1,1, 11,11, 5,5] | where geo_point_in_polygon(lon, lat, mp) | order by lon asc`);
    assert.deepEqual(r.rows, [[1, 1], [11, 11]]);
  });

  it('Kusto rule: make_set of an array column is the set of the arrays\' elements (make-set-aggregation-function.md)', async () => {
    const r = await engine().query(`datatable (Val: int, Arr1: dynamic)[1, dynamic(['A1', 'A2', 'A3']), 5, dynamic(['A2', 'C1']), 7, dynamic(['C2', 'A3']), 5, dynamic(['C2', 'A1'])]
      | summarize Val_set = make_set(Val), Arr1_set = make_set(Arr1), If_set = make_set_if(Arr1, Val > 5)`);
    const [vals, arr, onlyIf] = r.rows[0]!.map((v) => (JSON.parse(JSON.stringify(v)) as unknown[]).map(String).sort());
    assert.deepEqual(vals, ['1', '5', '7']);
    assert.deepEqual(arr, ['A1', 'A2', 'A3', 'C1', 'C2']);
    assert.deepEqual(onlyIf, ['A3', 'C2']);
  });

  it('scalars, make_list_if and the size limit are unchanged', async () => {
    assert.deepEqual(await list('range x from 1 to 5 step 1 | summarize make_list_if(pack_array(x), x > 3)'), [4, 5]);
    assert.deepEqual(await list('range x from 1 to 5 step 1 | order by x asc | summarize make_list(x, 2)'), [1, 2]);
  });
});
