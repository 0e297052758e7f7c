import { ROLES } from './experience';
import type { WeekRow } from './report';

/**
 * The weekly exposure chart (SPEC.md section 11) as a Vega-Lite spec: one bar per ISO week,
 * stacked by role, in a fixed size and fixed role colours so that every chart reads the same.
 * Pure data in, spec out; rendering it is src/render/chart-png.ts.
 */
export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 280;
export const ROLE_COLOURS: Record<string, string> = { learner: '#e4572e', volunteer: '#f3a712', responder: '#29335c', mentor: '#669bbc' };

export interface ChartSpec {
  $schema: string;
  title: string;
  width: number;
  height: number;
  background: string;
  data: { values: Array<{ week: string; role: string; participations: number }> };
  mark: { type: 'bar'; tooltip: boolean };
  encoding: Record<string, unknown>;
  config: Record<string, unknown>;
}

export function exposureChartSpec(weekly: readonly WeekRow[], scope: string): ChartSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `Incident exposure per week, by role (${scope})`,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    background: 'white',
    // Zero rows are kept so that every week has its place on the axis, quiet ones included.
    data: { values: weekly.flatMap((w) => ROLES.map((role) => ({ week: w.week, role, participations: w.byRole[role] }))) },
    mark: { type: 'bar', tooltip: false },
    encoding: {
      x: { field: 'week', type: 'ordinal', title: 'week (Monday, UTC)', sort: weekly.map((w) => w.week), axis: { labelAngle: -45 } },
      y: { field: 'participations', type: 'quantitative', aggregate: 'sum', title: 'people in incident channels', axis: { tickMinStep: 1 } },
      color: { field: 'role', type: 'nominal', title: 'role', scale: { domain: [...ROLES], range: ROLES.map((r) => ROLE_COLOURS[r]) } },
      order: { field: 'role', sort: 'ascending' },
    },
    config: { font: 'DejaVu Sans, Liberation Sans, Arial, sans-serif' },
  };
}
