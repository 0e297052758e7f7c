import { figureLines, reportTitle, teamHeading } from '../../domain/report-text';
import type { ExposureReport } from '../../domain/report';
import { ACTION } from '../ids';
import { actions, button, context, divider, header, section, type Block } from './blocks';

/**
 * The Home tab's report section (SPEC.md section 11): for admins everyone, for a manager their
 * reports only. Buttons carry nothing the app trusts: who may see what is worked out again from
 * the person who presses them.
 */
export const REPORT_BLOCK = { actions: 'report_actions', chart: 'report_chart_image' } as const;
/** A Home tab holds at most 100 blocks, the person's own part included: more teams are counted, not shown. */
export const HOME_TEAMS_MAX = 30;

export function reportSection(report: ExposureReport, audience: 'admin' | 'manager', chartUrl: string | null): Block[] {
  const blocks: Block[] = [
    divider(),
    header(audience === 'admin' ? ':bar_chart: Exposure across the organisation' : ':bar_chart: Exposure of your reports'),
    context(`${reportTitle(report)} · only you see this`),
    section(figureLines(report.all, 'slack').join('\n')),
  ];
  for (const { team, figures } of report.teams.slice(0, HOME_TEAMS_MAX)) blocks.push(section([teamHeading(team, figures.people, 'slack'), ...figureLines(figures, 'slack')].join('\n')));
  if (report.teams.length > HOME_TEAMS_MAX) blocks.push(context(`…and ${report.teams.length - HOME_TEAMS_MAX} more teams: *Export CSV* has everyone.`));
  if (chartUrl) blocks.push({ type: 'image', block_id: REPORT_BLOCK.chart, image_url: chartUrl, alt_text: `Incident exposure per week for ${report.weeks} weeks, stacked by role` });
  blocks.push(
    actions(REPORT_BLOCK.actions, button('Chart', ACTION.reportChart, String(report.weeks)), button('Export CSV', ACTION.reportCsv, String(report.weeks))),
  );
  return blocks;
}

/** Blocks as plain lines, for a terminal (the demo prints the admin's view with it). */
export function blocksAsText(blocks: readonly Block[]): string {
  const textOf = (b: Block): string[] => {
    if ((b.type === 'section' || b.type === 'header') && b.text?.text) return [b.text.text];
    if (b.type === 'context') return b.elements.map((e) => ('text' in e ? e.text : ''));
    if (b.type === 'actions') return [b.elements.map((e) => `[${'text' in e ? e.text.text : ''}]`).join(' ')];
    if (b.type === 'image') return [`(chart: ${b.alt_text})`];
    return b.type === 'divider' ? ['---'] : [];
  };
  return blocks.flatMap(textOf).join('\n');
}
