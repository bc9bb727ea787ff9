import type { QueryResult } from '../../engine/result.js';
import { chartModel } from './chart-model.js';
import { chartSvg } from './svg.js';
import { DEFAULT_DISPLAY_ROWS, htmlTable, jsonTable, plainTable } from './table.js';
import { VEGA_LITE_MIME, vegaLiteSpec } from './vega-lite.js';

/** A Jupyter MIME bundle: what one output holds, by MIME type. */
export type MimeBundle = Record<string, unknown>;

export interface CellOutputs {
  /** The table, as the cell's execute_result. */
  result: MimeBundle;
  /** The chart (Vega-Lite + SVG), shown as display_data before the table, when the query renders one. */
  chart?: MimeBundle;
  /** Why a `render` could not be drawn (shown as a warning; the table is still there). */
  chartError?: string;
}

/**
 * The outputs of a query result, the same for the kernel and `quarry notebook run`: a table in
 * HTML, text and JSON, and for `render` a Vega-Lite chart with an SVG drawing as fallback.
 */
export async function cellOutputs(result: QueryResult, limit = DEFAULT_DISPLAY_ROWS): Promise<CellOutputs> {
  const outputs: CellOutputs = {
    result: {
      'text/html': htmlTable(result, limit),
      'text/plain': plainTable(result, limit),
      'application/json': jsonTable(result, limit),
    },
  };
  try {
    const model = chartModel(result);
    if (model) {
      const spec = vegaLiteSpec(model);
      outputs.chart = {
        [VEGA_LITE_MIME]: spec,
        'image/svg+xml': await chartSvg(spec),
        'text/plain': `<${model.kind}: ${model.series.length} series, ${model.points.length} points${model.omittedPoints ? `, ${model.omittedPoints} more not drawn` : ''}>`,
      };
    }
  } catch (err) {
    outputs.chartError = err instanceof Error ? err.message : String(err);
  }
  return outputs;
}
