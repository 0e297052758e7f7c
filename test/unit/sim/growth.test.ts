import { loadConfig } from '../../../src/config';
import { DEFAULT_SIMULATION } from '../../../src/sim/options';
import { simulateGrowth } from '../../../src/sim/growth';
import { reportSimulation } from '../../../src/sim/report';
import { formatReport } from '../../../src/sim/report-text';
import { runSimulation } from '../../../src/sim/runner';

describe('npm run simulate: time to each stage of the growth path', () => {
  const run = runSimulation({ ...DEFAULT_SIMULATION, weeks: 26 }, loadConfig({}, 'cli'));
  const timings = simulateGrowth(run);

  it('reports each stage after observer, fewer people reaching each later one, later and after more fires', () => {
    expect(timings.map((t) => t.stage)).toEqual(['scribe', 'investigator', 'lead_shadow']);
    const [scribe, investigator, lead] = timings as [typeof timings[0], typeof timings[0], typeof timings[0]];
    expect(scribe.reached).toBeGreaterThan(0);
    expect(scribe.reached).toBeLessThanOrEqual(scribe.of);
    expect(investigator.reached).toBeLessThanOrEqual(scribe.reached);
    expect(lead.reached).toBeLessThanOrEqual(investigator.reached);
    // Two observed fires at the least before scribe, two more before investigator (FIRES_TO_ADVANCE).
    expect(scribe.median_fires!).toBeGreaterThanOrEqual(2);
    expect(investigator.median_fires!).toBeGreaterThanOrEqual(4);
    expect(investigator.median_days!).toBeGreaterThan(scribe.median_days!);
  });

  it('is the same for the same seed, is part of the report, and the default run still meets the targets', () => {
    expect(simulateGrowth(run)).toEqual(timings);
    const report = reportSimulation(run);
    expect(report.stage_days).toEqual(timings);
    // The section 10 targets are for the default run (13 weeks); over 26 weeks the caps of issue 15
    // (severity, responders present, one fire at a time) leave coverage_4w below 0.95 (SPEC.md section 10).
    expect(reportSimulation(runSimulation(DEFAULT_SIMULATION, loadConfig({}, 'cli'))).targets.all).toBe(true);
    expect(formatReport(report)).toContain('stage_days');
  });
});
