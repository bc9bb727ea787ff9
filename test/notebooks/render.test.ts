import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLValidator } from 'fast-xml-parser';
import { QueryEngine } from '../../src/engine/engine.js';
import { chartModel } from '../../src/notebooks/render/chart-model.js';
import { cellOutputs } from '../../src/notebooks/render/bundle.js';
import { htmlTable, plainTable } from '../../src/notebooks/render/table.js';
import { VEGA_LITE_MIME, vegaLiteSpec } from '../../src/notebooks/render/vega-lite.js';

describe('notebook outputs', () => {
  let engine: QueryEngine;
  before(async () => {
    engine = await QueryEngine.open();
  });
  after(async () => engine.close());
  const q = (text: string) => engine.query(text);

  it('timechart: x is the datetime column, one series per string value', async () => {
    const r = await q(`datatable(t:datetime, host:string, n:long)[datetime(2024-01-01), 'a', 1, datetime(2024-01-01), 'b', 2, datetime(2024-01-02), 'a', 3]
      | render timechart with (title='Logons')`);
    const m = chartModel(r)!;
    assert.equal(m.kind, 'timechart');
    assert.equal(m.xKind, 'temporal');
    assert.deepEqual(m.series, ['a', 'b']);
    assert.deepEqual(m.points[0], { x: '2024-01-01T00:00:00.000Z', y: 1, series: 'a' });
    assert.equal(m.title, 'Logons');
  });

  it('make-series rows are expanded element by element', async () => {
    const r = await q(`range i from 0 to 5 step 1 | extend t = datetime(2024-01-01) + i * 1h, v = i * 10
      | make-series total = sum(v) on t from datetime(2024-01-01) to datetime(2024-01-01 06:00) step 1h | render linechart`);
    const m = chartModel(r)!;
    assert.equal(m.points.length, 6);
    assert.deepEqual(m.points.map((p) => p.y), [0, 10, 20, 30, 40, 50]);
    assert.equal(m.xKind, 'temporal');
  });

  it('anomalychart marks the flagged points', async () => {
    const r = await q(`datatable(t:datetime, v:real, flag:int)[datetime(2024-01-01), 1, 0, datetime(2024-01-02), 9, 1, datetime(2024-01-03), 1, 0]
      | render anomalychart with (anomalycolumns=flag, ycolumns=v)`);
    const m = chartModel(r)!;
    assert.deepEqual(m.points.filter((p) => p.anomaly).map((p) => p.y), [9]);
    const spec = vegaLiteSpec(m) as { layer: unknown[] };
    assert.equal(spec.layer.length, 2);
  });

  it('columnchart kind=stacked stacks; properties reach the spec', async () => {
    const r = await q(`datatable(k:string, a:long, b:long)['x', 1, 2, 'y', 3, 4]
      | render columnchart with (kind=stacked, ytitle='Count', legend=hidden, ymax=10)`);
    const m = chartModel(r)!;
    assert.equal(m.stacking, 'stacked');
    assert.deepEqual(m.series, ['a', 'b']);
    const spec = vegaLiteSpec(m) as { encoding: Record<string, Record<string, unknown>> };
    assert.equal(spec.encoding['y']!['stack'], 'zero');
    assert.equal(spec.encoding['y']!['title'], 'Count');
    assert.deepEqual((spec.encoding['y']!['scale'] as { domain: number[] }).domain, [0, 10]);
    assert.equal(spec.encoding['color']!['legend'], null);
  });

  it('piechart, barchart, scatterchart, areachart build and draw as SVG', async () => {
    for (const kind of ['piechart', 'barchart', 'scatterchart', 'areachart']) {
      const r = await q(`datatable(k:string, n:long)['x', 1, 'y', 3] ${kind === 'scatterchart' ? '| extend k = n * 2 ' : ''}| render ${kind}`);
      const out = await cellOutputs(r);
      assert.ok(out.chart, kind);
      assert.ok(!out.chartError, out.chartError);
      const svg = out.chart[`image/svg+xml`] as string;
      assert.equal(XMLValidator.validate(svg), true, kind);
      assert.match(svg, /^<svg/);
      assert.equal((out.chart[VEGA_LITE_MIME] as { $schema: string }).$schema, 'https://vega.github.io/schema/vega-lite/v5.json');
    }
  });

  it('ysplit=panels and ysplit=axes give valid specs that Vega draws', async () => {
    for (const ysplit of ['panels', 'axes']) {
      const r = await q(`datatable(t:datetime, a:long, b:real)[datetime(2024-01-01), 1, 100.5, datetime(2024-01-02), 3, 7]
        | render linechart with (ysplit=${ysplit}, accumulate=true, yaxis=log)`);
      const out = await cellOutputs(r);
      assert.equal(out.chartError, undefined, ysplit);
      const spec = out.chart![VEGA_LITE_MIME] as Record<string, unknown>;
      assert.ok(ysplit === 'panels' ? spec['facet'] : spec['layer'], ysplit);
      assert.deepEqual(spec['resolve'], { scale: { y: 'independent' } });
    }
    const m = chartModel(await q(`datatable(t:long, a:long)[1, 1, 2, 3, 3, 5] | render linechart with (accumulate=true)`))!;
    assert.deepEqual(m.points.map((p) => p.y), [1, 4, 9]);
  });

  it('a render naming a missing column reports it and keeps the table', async () => {
    // Kusto.Language checks render's column names; a result from elsewhere (a server) may not be checked.
    const r = await q('print a = 1');
    const out = await cellOutputs({ ...r, visualization: { kind: 'timechart', ycolumns: 'nope' } });
    assert.match(out.chartError ?? '', /no column 'nope'/);
    assert.ok(out.result['text/html']);
  });

  it('tables escape every value and cap rows with the total shown', async () => {
    const r = await q(`range i from 1 to 300 step 1 | extend s = strcat('<img src=x onerror=alert(', i, ')>')`);
    const html = htmlTable(r, 50);
    assert.ok(!html.includes('<img'));
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.equal(html.match(/<tr>/g)!.length, 51);
    assert.match(html, /300 rows; showing the first 50/);
    assert.match(plainTable(r, 2), /^i\s+s\n-+\s+-+\n1\s+<img[^\n]+\n2\s+.+\n\(300 rows; showing the first 2\)$/);
  });
});
