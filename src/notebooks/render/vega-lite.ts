import type { ChartModel } from './chart-model.js';

export const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

type Spec = Record<string, unknown>;

/** A Vega-Lite v5 spec drawing the chart, with the data inline (JupyterLab renders it as is). */
export function vegaLiteSpec(model: ChartModel): Spec {
  const values = model.points.map((p) => ({ x: p.x, y: p.y, series: p.series, ...(p.anomaly ? { anomaly: p.anomaly > 0 ? 'spike' : 'dip' } : {}) }));
  const base: Spec = {
    $schema: SCHEMA,
    ...(model.title ? { title: model.title } : {}),
    width: 'container',
    height: 300,
    data: { values },
  };
  const color = { field: 'series', type: 'nominal', title: null, ...(model.legend ? {} : { legend: null }) };
  if (model.kind === 'piechart') {
    return {
      ...base,
      mark: { type: 'arc', tooltip: true },
      encoding: {
        theta: { field: 'y', type: 'quantitative', aggregate: 'sum', stack: true },
        color: { field: 'x', type: 'nominal', title: model.xTitle, ...(model.legend ? {} : { legend: null }) },
      },
    };
  }
  const yScale: Spec = {};
  if (model.yLog) yScale['type'] = 'log';
  if (model.yMin !== undefined || model.yMax !== undefined) {
    // Vega-Lite wants both ends of a domain: the data's for the one not given.
    const ys = model.points.map((p) => p.y);
    yScale['domain'] = [model.yMin ?? Math.min(0, ...ys), model.yMax ?? Math.max(...ys)];
    yScale['clamp'] = true;
  }
  const stack = model.stacking === 'stacked100' ? 'normalize' : model.stacking === 'stacked' ? 'zero' : null;
  const x: Spec = { field: 'x', type: model.xKind, title: model.xTitle, ...(model.xLog && model.xKind === 'quantitative' ? { scale: { type: 'log' } } : {}) };
  const y: Spec = { field: 'y', type: 'quantitative', title: model.yTitle, stack, ...(Object.keys(yScale).length ? { scale: yScale } : {}) };
  const mark = (): Spec => {
    switch (model.kind) {
      case 'areachart':
        return { type: 'area', tooltip: true, ...(stack ? {} : { opacity: 0.5 }) };
      case 'barchart':
      case 'columnchart':
        return { type: 'bar', tooltip: true };
      case 'scatterchart':
        return { type: 'point', tooltip: true, filled: true };
      default:
        return { type: 'line', tooltip: true, point: model.points.length <= 60 };
    }
  };
  let encoding: Spec = { x, y, color };
  if (model.kind === 'barchart') {
    // Kusto's barchart is horizontal: categories down the y axis, values along x.
    encoding = { y: { ...x, title: model.xTitle }, x: { ...y }, color, ...(stack ? {} : { yOffset: { field: 'series' } }) };
  } else if (model.kind === 'columnchart' && !stack) {
    encoding = { ...encoding, xOffset: { field: 'series' } };
  }
  let spec: Spec = { ...base, mark: mark(), encoding };
  if (model.kind === 'anomalychart') {
    // The series as lines, and the points flagged as anomalies marked on top of them.
    spec = {
      ...base,
      layer: [
        { mark: mark(), encoding },
        {
          transform: [{ filter: 'datum.anomaly != null' }],
          mark: { type: 'point', filled: true, size: 80, tooltip: true },
          encoding: { x, y, shape: { field: 'anomaly', type: 'nominal', title: 'anomaly' }, color: { value: '#d62728' } },
        },
      ],
    };
  }
  if (model.ysplit === 'panels' && model.series.length > 1) {
    const { data, title, $schema, width: _w, height: _h, ...inner } = spec;
    return { $schema, ...(title ? { title } : {}), data, facet: { row: { field: 'series', type: 'nominal', title: null } }, spec: { width: 600, height: 120, ...inner }, resolve: { scale: { y: 'independent' } } };
  }
  if (model.ysplit === 'axes' && model.series.length > 1 && model.kind !== 'barchart') {
    const { data, title, $schema, width, height, ...inner } = spec;
    return {
      $schema, ...(title ? { title } : {}), data, width, height,
      layer: model.series.map((s) => ({ ...inner, transform: [{ filter: { field: 'series', equal: s } }] })),
      resolve: { scale: { y: 'independent' } },
    };
  }
  return spec;
}
