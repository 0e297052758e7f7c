import { ROLES } from './experience';
import { HAPPENING_KINDS, type ExposureReport, type GroupFigures, type HappeningKind, type PersonWeekRow } from './report';
import { toCsv } from './csv';

/**
 * The exposure report in words (SPEC.md section 11), once for Slack mrkdwn (people as mentions)
 * and once for Markdown files (people by name), from the same lines so the two never disagree.
 */
export type TextStyle = 'slack' | 'md';

/** People named in a line of the report, at most; the rest are counted. */
export const NAMES_MAX = 20;

const HAPPENING_LABEL: Record<HappeningKind, string> = {
  offers_declined: 'offers declined',
  no_learners_presses: '"No learners this time" presses',
  stages_reached: 'stages reached',
};

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function fmt(value: number | null, suffix = ''): string {
  return value === null ? 'n/a' : `${value}${suffix}`;
}

function names(people: ReadonlyArray<{ slackId: string; name: string }>, style: TextStyle): string {
  const shown = people.slice(0, NAMES_MAX).map((p) => (style === 'slack' ? `<@${p.slackId}>` : p.name.replace(/[\\`*_[\]<>|]/g, '\\$&')));
  return people.length > NAMES_MAX ? `${shown.join(', ')} and ${people.length - NAMES_MAX} more` : shown.join(', ');
}

/** The lines of one group's figures (everyone in scope, or one team). */
export function figureLines(f: GroupFigures, style: TextStyle): string[] {
  const b = (text: string) => (style === 'slack' ? `*${text}*` : `**${text}**`);
  const cov = f.coverage;
  const lines = [
    `${b('Coverage')}: ${cov.covered} of ${cov.measured} juniors had a fire in the last 4 weeks (${fmt(cov.share === null ? null : Math.round(cov.share * 100), '%')})` +
      (cov.optedOut > 0 ? `; ${cov.optedOut} opted out, not counted` : ''),
  ];
  if (cov.without.length > 0) lines.push(`Without one: ${names(cov.without, style)}`);
  const pc = f.practiceCoverage;
  if (pc.practices > 0) {
    lines.push(
      `${b('Coverage with practice fires')}: ${pc.covered} of ${cov.measured} juniors had a fire or a practice fire in the last 4 weeks (${fmt(pc.share === null ? null : Math.round(pc.share * 100), '%')}); ${pc.practices} practice ${pc.practices === 1 ? 'fire' : 'fires'} finished in the period`,
    );
  }
  lines.push(`${b('Gini of exposure')} among juniors: ${fmt(f.gini.value)} (${f.gini.juniors} juniors employed 4 weeks or more; 0 is perfectly even)`);
  const newcomers = f.firstFire.people;
  lines.push(
    `${b('Time to first fire')}: ${newcomers.length === 0 ? 'nobody started in the last 90 days' : `median ${fmt(f.firstFire.medianDays, ' days')} over ${newcomers.length} who started in the last 90 days, ${newcomers.filter((p) => p.days === null).length} still without one`}`,
  );
  const mentors = f.mentorLoad.mentors;
  lines.push(
    `${b('Mentor load')}: ${mentors.length === 0 ? 'nobody mentored in the period' : `median ${fmt(f.mentorLoad.median)} turns a week, at most ${f.mentorLoad.max} in one week; ` +
      mentors.slice(0, NAMES_MAX).map((m) => `${style === 'slack' ? `<@${m.slackId}>` : m.name} ${m.thisWeek} this week, ${m.period} in all`).join('; ')}`,
  );
  lines.push(`${b('Fires joined')}: ${f.fires} (${ROLES.map((r) => `${r} ${f.byRole[r]}`).join(', ')})`);
  lines.push(`${b('Left within 5 minutes')}: ${f.leftWithin5m} · ${b('Reflections written')}: ${f.reflections}`);
  lines.push(HAPPENING_KINDS.map((k) => `${b(capitalized(HAPPENING_LABEL[k]))}: ${f.happenings[k]}`).join(' · '));
  return lines;
}

export function reportTitle(report: ExposureReport): string {
  return `Exposure over the last ${report.weeks} ${report.weeks === 1 ? 'week' : 'weeks'}: ${report.scope}, ${report.all.people} ${report.all.people === 1 ? 'person' : 'people'}`;
}

export function teamHeading(team: string, people: number, style: TextStyle): string {
  return style === 'slack' ? `*Team ${team}* (${people})` : `### Team ${team} (${people})`;
}

/** The whole report as Markdown, for `npm run report -- --format md`. */
export function reportMarkdown(report: ExposureReport): string {
  const out = [`# ${reportTitle(report)}`, '', `Up to ${report.now.toISOString()}.`, '', ...figureLines(report.all, 'md').map((l) => `- ${l}`), ''];
  for (const { team, figures } of report.teams) out.push(teamHeading(team, figures.people, 'md'), '', ...figureLines(figures, 'md').map((l) => `- ${l}`), '');
  out.push('## Weekly exposure by role', '', `| week | ${ROLES.join(' | ')} |`, `|---|${ROLES.map(() => '---:').join('|')}|`);
  for (const w of report.weekly) out.push(`| ${w.week} | ${ROLES.map((r) => w.byRole[r]).join(' | ')} |`);
  return `${out.join('\n')}\n`;
}

export const CSV_HEADER = ['week', 'slack_id', 'name', 'level', 'team', 'manager', ...ROLES, 'fires', 'mentoring_turns', 'left_within_5m', 'reflections', ...HAPPENING_KINDS] as const;

/** One row per person and week (SPEC.md section 11); the same bytes from the CLI and from "Export CSV". */
export function reportCsv(rows: readonly PersonWeekRow[]): string {
  return toCsv(CSV_HEADER, rows.map((r) => [r.week, r.slackId, r.name, r.level, r.team, r.manager, ...ROLES.map((role) => r.byRole[role]), r.fires, r.mentoring, r.leftWithin5m, r.reflections, ...HAPPENING_KINDS.map((k) => r.happenings[k])]));
}
