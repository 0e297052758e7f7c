import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from '../domain/exposure-chart';

/**
 * Vega-Lite spec -> PNG, server-side and offline: vega lays the chart out as SVG in Node (no
 * canvas, no browser), resvg (a Rust renderer shipped as a prebuilt binary inside its npm
 * platform package) rasterises it. Text uses the machine's fonts; on a machine with none the
 * bars are still drawn.
 */
export async function renderChartPng(spec: ChartSpec, scale = 2): Promise<Buffer> {
  const compiled = compile(spec as unknown as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG(scale);
    return new Resvg(svg, { background: 'white', font: { loadSystemFonts: true } }).render().asPng();
  } finally {
    view.finalize();
  }
}
