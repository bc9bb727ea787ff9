import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useEngine } from './helpers.js';

/** make_list over dynamic arrays (geo-point-in-polygon-function.md builds a MultiPolygon this way). */
describe('make_list of arrays', () => {
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

  it('scalars, make_list_if and the size limit are unchanged', async () => {
    assert.deepEqual(await list('range x from 1 to 5 step 1 | summarize make_list_if(pack_array(x), x > 3)'), [4, 5]);
    assert.deepEqual(await list('range x from 1 to 5 step 1 | order by x asc | summarize make_list(x, 2)'), [1, 2]);
  });
});
