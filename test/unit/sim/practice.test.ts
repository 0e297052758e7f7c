import { loadConfig } from '../../../src/config';
import { weekStartOf } from '../../../src/domain/iso-week';
import { isWorkingTime } from '../../../src/domain/working-time';
import { DEFAULT_SIMULATION } from '../../../src/sim/options';
import { simulatePractices } from '../../../src/sim/practice';
import { reportSimulation } from '../../../src/sim/report';
import { runSimulation } from '../../../src/sim/runner';

describe('practice fires in the simulation', () => {
  // Few incidents for many juniors: most go weeks without a fire, so practices matter.
  const config = loadConfig({}, 'cli');
  const run = runSimulation({ ...DEFAULT_SIMULATION, incidentsPerWeek: 4, weeks: 12 }, config);
  const practice = simulatePractices(run, { afterMs: config.practiceAfterMs, minAgeMs: config.practiceMinAgeMs, workingTime: config.workingTime });

  it('reports coverage_4w_with_practice beside coverage_4w, never below it', () => {
    const report = reportSimulation(run);
    expect(report.coverage_4w_with_practice).not.toBeNull();
    expect(report.coverage_4w_with_practice!).toBeGreaterThan(report.coverage_4w!);
    expect(report.measured.practices).toBeGreaterThan(0);
    expect(report.measured.practices).toBeLessThanOrEqual(report.measured.practice_offers);
  });

  it('practises only juniors, in their working time, at most once per ISO week, after 28 days without a fire', () => {
    const byId = new Map(run.engineers.map((e) => [e.slackId, e]));
    for (const [slackId, dates] of practice.practices) {
      const e = byId.get(slackId)!;
      expect(e.level).toBe('junior');
      const weeks = dates.map((d) => weekStartOf(d, e.timeZone));
      expect(new Set(weeks).size).toBe(weeks.length);
      for (const at of dates) {
        expect(isWorkingTime(at, e.timeZone, config.workingTime)).toBe(true);
        const recentFire = run.ledger.of(slackId).some((p) => p.joinedAt <= at && at.getTime() - p.joinedAt.getTime() < config.practiceAfterMs);
        expect(recentFire).toBe(false);
        expect(at.getTime() - Math.max(run.start.getTime(), e.startedOn.getTime())).toBeGreaterThanOrEqual(config.practiceAfterMs);
      }
    }
  });

  it('is the same for the same seed', () => {
    const again = simulatePractices(run, { afterMs: config.practiceAfterMs, minAgeMs: config.practiceMinAgeMs, workingTime: config.workingTime });
    expect(again.offers).toBe(practice.offers);
    expect([...again.practices]).toEqual([...practice.practices]);
  });
});
