import { TARGETS, type SimulationReport } from './report';

const BAR_WIDTH = 40;

/** The report as plain text for a terminal: figures against targets, the per-level table, a histogram. */
export function formatReport(report: SimulationReport): string {
  const s = report.settings;
  const m = report.measured;
  const verdict = (met: boolean): string => (met ? 'ok' : 'MISSED');
  const figures: Array<[string, string, string]> = [
    ['coverage_4w', show(report.coverage_4w), `>= ${TARGETS.coverage4w}  ${verdict(report.targets.coverage_4w)}  (${m.coverage_covered} of ${m.coverage_juniors} juniors)`],
    ['coverage_4w_sliding', show(report.coverage_4w_sliding), 'reported  (stricter: a fire in every 28 days, windows starting daily)'],
    ['coverage_4w_with_practice', show(report.coverage_4w_with_practice), `reported  (a fire or a practice fire in every window; ${m.practices} of ${m.practice_offers} offers taken)`],
    ['gini_juniors', show(report.gini_juniors), `<= ${TARGETS.giniJuniors}  ${verdict(report.targets.gini_juniors)}  (fires per week employed, ${m.gini_juniors} juniors)`],
    ['first_fire_days', show(report.first_fire_days), `reported  (median over ${m.new_hires} junior new hires, ${m.new_hires_without_fire} without a fire yet)`],
    ['outside_hours', show(report.outside_hours), `0  ${verdict(report.targets.outside_hours)}`],
    ['over_cap', show(report.over_cap), `0  ${verdict(report.targets.over_cap)}`],
    ['mentor_load', `median ${show(report.mentor_load.median)}, max ${report.mentor_load.max}`, 'reported  (incidents per mentor per week)'],
  ];
  const reasons = report.incidents.mentor_reasons;
  const lines = [
    `Smokejumper simulation: ${s.weeks} weeks, ${s.engineers} engineers, ${s.incidentsPerWeek} incidents a week, seed ${s.seed}${s.declineRate > 0 ? `, ${Math.round(s.declineRate * 100)}% of offers declined` : ''}`,
    `rules: INVITES_PER_INCIDENT=${s.invitesPerIncident} MAX_VOLUNTEERS_PER_INCIDENT=${s.maxVolunteersPerIncident} ` +
      `MAX_AUTO_INVITES_PER_WEEK=${s.maxAutoInvitesPerWeek} WORKING_HOURS=${s.workingHours} WORKING_DAYS=${s.workingDays}`,
    `      INVITE_DELAY=${s.inviteDelay} LEARNERS_BY_SEVERITY=${s.learnersBySeverity} MAX_LEARNERS_PER_RESPONDER=${s.maxLearnersPerResponder}`,
    '',
    ...table(['figure', 'value', 'target'], figures),
    '',
    `incidents ${report.incidents.total}, without a learner ${report.incidents.without_learner}, ` +
      `auto-invites ${report.incidents.auto_invites}, volunteer joins ${report.incidents.volunteer_joins}`,
    `mentors named: mentor-flagged ${reasons.mentor}, senior ${reasons.senior}, none ${reasons.none}`,
    `channels created by an incident tool ${report.incidents.bot_created}; severities ` +
      Object.entries(report.incidents.by_severity).map(([s, n]) => `${s} ${n}`).join(', '),
    `learners capped by severity in ${report.incidents.capped_by.severity} incidents, by responders present in ${report.incidents.capped_by.responders}`,
    '',
    ...table(
      ['level', 'engineers', 'fires', 'mean', 'min', 'max'],
      report.levels.map((l) => [l.level, String(l.engineers), String(l.fires), l.mean.toFixed(2), String(l.min), String(l.max)]),
    ),
    '',
    `fires per junior (${m.juniors} juniors, new hires and opted-out people included)`,
    ...histogramLines(report.histogram),
    '',
    'stage_days: time from a first fire to each stage of the growth path (reported)',
    ...table(
      ['stage', 'reached', 'of', 'median days', 'median fires'],
      report.stage_days.map((t) => [t.stage, String(t.reached), String(t.of), show(t.median_days), show(t.median_fires)]),
    ),
    '',
    report.targets.all ? 'all targets met' : 'TARGETS MISSED',
  ];
  return lines.join('\n');
}

function show(value: number | null): string {
  return value === null ? 'n/a' : String(value);
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

function histogramLines(rows: SimulationReport['histogram']): string[] {
  const most = Math.max(1, ...rows.map((r) => r.juniors));
  const labelWidth = String(rows.length - 1).length;
  return rows.map((r) => {
    const bar = '#'.repeat(Math.round((r.juniors / most) * BAR_WIDTH));
    return `${String(r.fires).padStart(labelWidth)} | ${bar}${bar ? ' ' : ''}${r.juniors}`;
  });
}
