import type { QueryResult, ResultColumn, Visualization } from '../../engine/result.js';

/** The render kinds Sentinel supports, drawn as charts (others show as a table). */
export const CHART_KINDS = ['timechart', 'linechart', 'areachart', 'barchart', 'columnchart', 'piechart', 'scatterchart', 'anomalychart'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export type XKind = 'temporal' | 'quantitative' | 'nominal';

/** One plotted value, in long form: a chart is a list of these. */
export interface ChartPoint {
  /** ISO datetime, number or category. */
  x: string | number;
  y: number;
  series: string;
  /** anomalychart: the anomaly flag (1 spike, -1 dip) where one is set. */
  anomaly?: number;
}

/** What to draw, from a result and its `render` properties (Kusto's defaults filled in). */
export interface ChartModel {
  kind: ChartKind;
  title?: string;
  xTitle: string;
  yTitle: string;
  xKind: XKind;
  points: ChartPoint[];
  series: string[];
  stacking: 'none' | 'stacked' | 'stacked100';
  ysplit: 'none' | 'axes' | 'panels';
  legend: boolean;
  xLog: boolean;
  yLog: boolean;
  yMin?: number;
  yMax?: number;
  /** Rows left out because the chart would be too large to draw. */
  omittedPoints: number;
}

/** Charts draw at most this many points; the table still has every row. */
export const MAX_CHART_POINTS = 20_000;

const NUMERIC = new Set(['int', 'long', 'real', 'decimal']);

function list(v: unknown): string[] {
  if (typeof v !== 'string' || v.trim() === '') return [];
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

function num(v: unknown): number | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Returns the chart to draw for a result, or null when the render kind is not a chart. */
export function chartModel(result: QueryResult): ChartModel | null {
  const vis = result.visualization;
  if (!vis || !(CHART_KINDS as readonly string[]).includes(vis.kind)) return null;
  const kind = vis.kind as ChartKind;
  const cols = result.columns;
  const byName = (name: string): number => {
    const i = cols.findIndex((c) => c.name === name);
    if (i < 0) throw new Error(`render ${kind}: the result has no column '${name}' (columns: ${cols.map((c) => c.name).join(', ')})`);
    return i;
  };
  // make-series results hold arrays: a column's element type is judged by its first element.
  const elementType = (i: number): string => {
    const c = cols[i]!;
    if (c.type !== 'dynamic') return c.type;
    const first = result.rows.find((r) => Array.isArray(r[i]))?.[i] as unknown[] | undefined;
    const v = first?.find((e) => e !== null);
    if (typeof v === 'number') return 'real';
    if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)) return 'datetime';
    return 'dynamic';
  };
  const types = cols.map((_, i) => elementType(i));
  const isNum = (i: number) => NUMERIC.has(types[i]!);

  const xIndex = typeof vis['xcolumn'] === 'string'
    ? byName(vis['xcolumn'])
    : defaultX(kind, types, cols[0]?.type === 'dynamic');
  const anomalyCols = new Set(list(vis['anomalycolumns']).map(byName));
  const seriesCols = vis['series'] !== undefined
    ? list(vis['series']).map(byName)
    : cols.map((_, i) => i).filter((i) => i !== xIndex && !isNum(i) && types[i] !== 'datetime' && types[i] !== 'dynamic');
  const yCols = vis['ycolumns'] !== undefined
    ? list(vis['ycolumns']).map(byName)
    : cols.map((_, i) => i).filter((i) => i !== xIndex && isNum(i) && !seriesCols.includes(i) && !anomalyCols.has(i));
  if (yCols.length === 0) throw new Error(`render ${kind}: the result has no numeric column to plot`);

  const xType = types[xIndex]!;
  const xKind: XKind = kind === 'piechart' || kind === 'barchart' || kind === 'columnchart'
    ? (xType === 'datetime' ? 'temporal' : 'nominal')
    : xType === 'datetime' ? 'temporal' : NUMERIC.has(xType) ? 'quantitative' : 'nominal';
  const anomalyIndex = [...anomalyCols][0];

  const points: ChartPoint[] = [];
  let omitted = 0;
  const push = (p: ChartPoint) => {
    if (points.length >= MAX_CHART_POINTS) omitted++;
    else points.push(p);
  };
  for (const row of result.rows) {
    const seriesKey = seriesCols.map((i) => String(row[i] ?? '')).join(', ');
    for (const yi of yCols) {
      const name = seriesCols.length === 0 ? cols[yi]!.name : yCols.length > 1 ? `${seriesKey}:${cols[yi]!.name}` : seriesKey;
      const xv = row[xIndex];
      const yv = row[yi];
      const flags = anomalyIndex === undefined ? undefined : row[anomalyIndex];
      if (Array.isArray(xv) && Array.isArray(yv)) {
        // A make-series row: one point per array element.
        xv.forEach((x, k) => {
          const y = num(yv[k]);
          if (y === undefined || x === null) return;
          const flag = Array.isArray(flags) ? num(flags[k]) : undefined;
          push({ x: xValue(x, xKind), y, series: name, ...(flag ? { anomaly: flag } : {}) });
        });
        continue;
      }
      const y = num(yv);
      if (y === undefined || xv === null || xv === undefined) continue;
      const flag = num(flags);
      push({ x: xValue(xv, xKind), y, series: name, ...(flag ? { anomaly: flag } : {}) });
    }
  }
  if (vis['accumulate'] === 'true') accumulate(points, xKind);
  const series = [...new Set(points.map((p) => p.series))];
  const variant = String(vis['variant'] ?? 'default');
  const stackDefault = kind === 'areachart' ? 'stacked' : 'none';
  const stacking = variant === 'stacked' || variant === 'stacked100' ? variant : variant === 'unstacked' ? 'none' : stackDefault;
  const ysplit = vis['ysplit'] === 'axes' || vis['ysplit'] === 'panels' ? vis['ysplit'] : 'none';
  return {
    kind,
    title: typeof vis['title'] === 'string' ? vis['title'] : undefined,
    xTitle: typeof vis['xtitle'] === 'string' ? vis['xtitle'] : cols[xIndex]!.name,
    yTitle: typeof vis['ytitle'] === 'string' ? vis['ytitle'] : yCols.map((i) => cols[i]!.name).join(', '),
    xKind,
    points,
    series,
    stacking: kind === 'piechart' || kind === 'scatterchart' || kind === 'anomalychart' ? 'none' : stacking,
    ysplit,
    legend: vis['legend'] !== 'hidden',
    xLog: vis['xaxis'] === 'log',
    yLog: vis['yaxis'] === 'log',
    yMin: num(vis['ymin']),
    yMax: num(vis['ymax']),
    omittedPoints: omitted,
  };
}

function defaultX(kind: ChartKind, types: string[], seriesArrays: boolean): number {
  // A make-series result charts over its time axis whatever the chart kind.
  if (kind === 'timechart' || kind === 'anomalychart' || seriesArrays) {
    const t = types.indexOf('datetime');
    if (t >= 0) return t;
  }
  if (kind === 'piechart' || kind === 'barchart' || kind === 'columnchart') {
    const s = types.findIndex((t) => !NUMERIC.has(t));
    if (s >= 0) return s;
  }
  return 0;
}

function xValue(v: unknown, kind: XKind): string | number {
  if (kind === 'quantitative') return num(v) ?? 0;
  // Kusto's 7 fractional digits are more than some browsers' Date parsers accept.
  if (kind === 'temporal' && typeof v === 'string' && !Number.isNaN(Date.parse(v))) return new Date(Date.parse(v)).toISOString();
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** `accumulate=true`: each series' values become running totals along x. */
function accumulate(points: ChartPoint[], xKind: XKind): void {
  const bySeries = new Map<string, ChartPoint[]>();
  for (const p of points) {
    let l = bySeries.get(p.series);
    if (!l) bySeries.set(p.series, (l = []));
    l.push(p);
  }
  for (const l of bySeries.values()) {
    if (xKind !== 'nominal') l.sort((a, b) => (a.x < b.x ? -1 : a.x > b.x ? 1 : 0));
    let total = 0;
    for (const p of l) p.y = total += p.y;
  }
}

export type { ResultColumn, Visualization };
