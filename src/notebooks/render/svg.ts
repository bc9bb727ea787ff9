/**
 * The SVG fallback of a chart, drawn by Vega itself from the same Vega-Lite spec the notebook
 * carries (for viewers that cannot run Vega: GitHub's notebook view, nbconvert, exported reports).
 * Vega renders headless with renderer 'none': no DOM, no canvas, no network (the data is inline).
 */
export async function chartSvg(spec: Record<string, unknown>): Promise<string> {
  const [vl, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  // A static drawing needs a fixed width ('container' means the notebook's width).
  const sized = spec['width'] === 'container' ? { ...spec, width: 640 } : spec;
  const warnings: string[] = [];
  const logger = { level: () => logger, error: (...m: unknown[]) => { throw new Error(m.join(' ')); }, warn: (...m: unknown[]) => { warnings.push(m.join(' ')); return logger; }, info: () => logger, debug: () => logger } as never;
  const compiled = vl.compile(sized as never, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.None });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
