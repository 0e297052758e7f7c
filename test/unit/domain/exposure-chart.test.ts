import { PNG } from 'pngjs';
import { exposureChartSpec } from '../../../src/domain/exposure-chart';
import { renderChartPng } from '../../../src/render/chart-png';

const weekly = [
  { week: '2026-11-16', byRole: { learner: 3, volunteer: 1, responder: 2, mentor: 1 } },
  { week: '2026-11-23', byRole: { learner: 0, volunteer: 0, responder: 0, mentor: 0 } },
];

describe('the weekly exposure chart', () => {
  it('is a Vega-Lite bar chart of weeks stacked by role, every role of every week present', () => {
    const spec = exposureChartSpec(weekly, 'everyone');
    expect(spec).toEqual({
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: 'Incident exposure per week, by role (everyone)',
      width: 640,
      height: 280,
      background: 'white',
      data: {
        values: [
          { week: '2026-11-16', role: 'learner', participations: 3 },
          { week: '2026-11-16', role: 'volunteer', participations: 1 },
          { week: '2026-11-16', role: 'responder', participations: 2 },
          { week: '2026-11-16', role: 'mentor', participations: 1 },
          { week: '2026-11-23', role: 'learner', participations: 0 },
          { week: '2026-11-23', role: 'volunteer', participations: 0 },
          { week: '2026-11-23', role: 'responder', participations: 0 },
          { week: '2026-11-23', role: 'mentor', participations: 0 },
        ],
      },
      mark: { type: 'bar', tooltip: false },
      encoding: {
        x: { field: 'week', type: 'ordinal', title: 'week (Monday, UTC)', sort: ['2026-11-16', '2026-11-23'], axis: { labelAngle: -45 } },
        y: { field: 'participations', type: 'quantitative', aggregate: 'sum', title: 'people in incident channels', axis: { tickMinStep: 1 } },
        color: { field: 'role', type: 'nominal', title: 'role', scale: { domain: ['learner', 'volunteer', 'responder', 'mentor'], range: ['#e4572e', '#f3a712', '#29335c', '#669bbc'] } },
        order: { field: 'role', sort: 'ascending' },
      },
      config: { font: 'DejaVu Sans, Liberation Sans, Arial, sans-serif' },
    });
  });

  it('renders to a PNG with the learner colour in it', async () => {
    const png = PNG.sync.read(await renderChartPng(exposureChartSpec(weekly, 'everyone')));
    // Plot area plus axes, title and legend, at scale 2.
    expect(png.width).toBeGreaterThan(1280);
    expect(png.height).toBeGreaterThan(560);
    let learner = 0;
    for (let i = 0; i < png.data.length; i += 4) if (png.data[i] === 0xe4 && png.data[i + 1] === 0x57 && png.data[i + 2] === 0x2e) learner++;
    expect(learner).toBeGreaterThan(1000);
  });
});
