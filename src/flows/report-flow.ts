import type { Deps } from '../deps';
import { isManager, loadReportData, type ReportScope } from '../db/reports';
import { exposureReport as exposureRows } from '../db/stats';
import { CHART_LINK_TTL_MS, CHART_PATH_PREFIX, signChartLink, verifyChartLink } from '../domain/chart-link';
import { exposureChartSpec } from '../domain/exposure-chart';
import { DAY_MS } from '../domain/fairness';
import { DEFAULT_REPORT_WEEKS, exposureReport, NEW_HIRE_DAYS, periodOf, personWeekRows, type ExposureReport, type PersonWeekRow } from '../domain/report';
import { figureLines, reportCsv, teamHeading } from '../domain/report-text';
import { RetryableError } from '../errors';
import { isAdmin } from './admins';
import { blocksAsText, reportSection } from '../slack/views/admin-home';
import { section, type Block, type Message } from '../slack/views/blocks';
import { escapeText, reportReply } from '../slack/views/volunteer-replies';
import { shorten } from '../domain/volunteer-command';

/**
 * What managers and admins see (SPEC.md section 11): the report section of the Home tab, the
 * "Chart" and "Export CSV" buttons, `/volunteer admin report` and `npm run report`, all from one
 * computation so that they show the same numbers.
 */
export interface ReportRequest {
  weeks: number;
  team?: string;
  manager?: { slackId: string; email: string | null };
}

export interface BuiltReport {
  report: ExposureReport;
  rows: PersonWeekRow[];
}

type ReportDeps = Pick<Deps, 'db' | 'clock'>;

/**
 * vega, vega-lite and resvg are loaded on the first chart, not at start: every process (the app,
 * `npm run digest`, the other CLIs) imports this module, and only a chart needs them.
 */
async function renderChartPng(...args: Parameters<typeof import('../render/chart-png').renderChartPng>): Promise<Buffer> {
  return (await import('../render/chart-png')).renderChartPng(...args);
}

const plain = (text: string): Message => ({ text, blocks: [section(text)] });

function scopeLabel(request: ReportRequest): string {
  if (request.manager) return request.team ? `your reports in team ${request.team}` : 'your reports';
  return request.team ? `team ${request.team}` : 'everyone';
}

export async function buildReport(deps: ReportDeps, request: ReportRequest): Promise<BuiltReport> {
  const now = deps.clock();
  const { periodStart, weekStarts } = periodOf(now, request.weeks);
  // Far enough back for every figure: the period, its first ISO week, and first fires of the last 90 days.
  const since = new Date(Math.min(periodStart.getTime(), new Date(`${weekStarts[0]}T00:00:00Z`).getTime(), now.getTime() - NEW_HIRE_DAYS * DAY_MS));
  const scope: ReportScope = { ...(request.team !== undefined ? { team: request.team } : {}), ...(request.manager ? { manager: request.manager } : {}) };
  const input = { now, weeks: request.weeks, ...(await loadReportData(deps.db, since, now, scope)) };
  return { report: exposureReport(input, scopeLabel(request)), rows: personWeekRows(input) };
}

export type ReportViewer = { kind: 'admin' } | { kind: 'manager'; slackId: string; email: string | null };

type ViewerDeps = Pick<Deps, 'db' | 'config' | 'slack' | 'log'>;

/** Admins (ADMIN_USER_IDS, ADMIN_USERGROUPS) see everyone; someone the roster names as a manager sees their reports. */
export async function reportViewerOf(deps: ViewerDeps, person: { slackId: string; email: string | null }): Promise<ReportViewer | null> {
  if (await isAdmin(deps, person.slackId)) return { kind: 'admin' };
  return (await isManager(deps.db, person.slackId, person.email)) ? { kind: 'manager', slackId: person.slackId, email: person.email } : null;
}

function requestFor(viewer: ReportViewer, weeks: number): ReportRequest {
  return viewer.kind === 'admin' ? { weeks } : { weeks, manager: { slackId: viewer.slackId, email: viewer.email } };
}

/** The Home tab's report section for this person: nothing for someone who is neither admin nor manager. */
export async function homeReportBlocks(deps: ViewerDeps & ReportDeps, person: { slackId: string; email: string | null }): Promise<Block[]> {
  const viewer = await reportViewerOf(deps, person);
  if (!viewer) return [];
  const { report } = await buildReport(deps, requestFor(viewer, DEFAULT_REPORT_WEEKS));
  return reportSection(report, viewer.kind, chartUrlFor(deps, person.slackId, DEFAULT_REPORT_WEEKS));
}

/** The key chart links are signed with: the signing secret, or in Socket Mode the bot token; neither ever leaves the app. */
const chartKey = (deps: Pick<Deps, 'config'>) => deps.config.slack.signingSecret ?? deps.config.slack.botToken;

/** With PUBLIC_URL set, where Slack can fetch this person's chart for the next 24 hours; else null (no image). */
export function chartUrlFor(deps: Pick<Deps, 'config' | 'clock'>, viewer: string, weeks: number): string | null {
  if (!deps.config.publicUrl) return null;
  const token = signChartLink(chartKey(deps), { viewer, weeks, expires: deps.clock().getTime() + CHART_LINK_TTL_MS });
  return `${deps.config.publicUrl}${CHART_PATH_PREFIX}${token}.png`;
}

/**
 * GET /reports/chart/TOKEN.png: the chart for the person the token names, drawn for what they may
 * see now (someone who is no longer admin or manager gets nothing). 404 for anything unsigned.
 */
export async function chartForLink(deps: ViewerDeps & ReportDeps, file: string): Promise<{ status: 200; png: Buffer } | { status: 404 | 410 }> {
  const link = file.endsWith('.png') ? verifyChartLink(chartKey(deps), file.slice(0, -'.png'.length), deps.clock()) : null;
  if (link === 'expired') return { status: 410 };
  if (!link || !Number.isSafeInteger(link.weeks) || link.weeks < 1 || link.weeks > 52) return { status: 404 };
  const person = await deps.db.engineer.findUnique({ where: { slackId: link.viewer }, select: { slackId: true, email: true, active: true } });
  const viewer = person?.active ? await reportViewerOf(deps, person) : null;
  if (!viewer) {
    deps.log.warn({ user: link.viewer }, 'chart link of someone who is no longer admin or manager; refused');
    return { status: 404 };
  }
  const { report } = await buildReport(deps, requestFor(viewer, link.weeks));
  return { status: 200, png: await renderChartPng(exposureChartSpec(report.weekly, report.scope)) };
}

/** The admin's Home tab report section as plain text, for the demo's last scene. */
export async function adminSectionText(deps: ViewerDeps & ReportDeps, slackId: string): Promise<string> {
  const person = await deps.db.engineer.findUnique({ where: { slackId }, select: { slackId: true, email: true } });
  return blocksAsText(await homeReportBlocks(deps, person ?? { slackId, email: null }));
}

/** `/volunteer admin report [WEEKS] [team]`: the list of people, least exposed first, then the figures. */
export async function adminReportReply(deps: ReportDeps, weeks: number, team?: string): Promise<Message> {
  const built = await buildReport(deps, { weeks, ...(team !== undefined ? { team } : {}) });
  const inScope = new Set(built.rows.map((r) => r.slackId));
  const since = new Date(deps.clock().getTime() - weeks * 7 * DAY_MS);
  const rows = (await exposureRows(deps.db, since)).filter((r) => team === undefined || inScope.has(r.slackId));
  if (team !== undefined && rows.length === 0) return plain(`Nobody active is in team "${escapeText(shorten(team))}" (teams come from the roster CSV's \`team\` column, or from TEAM_USERGROUPS). Nothing to report.`);
  const list = reportReply(weeks, rows);
  const figures: Block[] = [section(figureLines(built.report.all, 'slack').join('\n'))];
  for (const t of built.report.teams) figures.push(section([teamHeading(t.team, t.figures.people, 'slack'), ...figureLines(t.figures, 'slack')].join('\n')));
  return { ...list, text: team === undefined ? list.text : `Team ${escapeText(shorten(team))}: ${list.text}`, blocks: [...(list.blocks ?? []), ...figures] };
}

export type ReportFileKind = 'chart' | 'csv';

/** "Chart" and "Export CSV": the file goes to the presser's DM; the scope is theirs, whatever the button said. */
export async function shareReportFile(deps: Deps, slackId: string, kind: ReportFileKind, weeks = DEFAULT_REPORT_WEEKS): Promise<void> {
  const person = await deps.db.engineer.findUnique({ where: { slackId }, select: { slackId: true, email: true, active: true } });
  const viewer = person?.active ? await reportViewerOf(deps, person) : null;
  if (!viewer) {
    deps.log.warn({ user: slackId, kind }, 'report file asked for by someone who is neither admin nor manager; refused');
    await deps.slack.dm(slackId, plain('Reports are for Smokejumper admins and managers. Nothing was sent.'));
    return;
  }
  const { report, rows } = await buildReport(deps, requestFor(viewer, weeks));
  const day = deps.clock().toISOString().slice(0, 10);
  const file = kind === 'chart'
    ? { bytes: await renderChartPng(exposureChartSpec(report.weekly, report.scope)), filename: `smokejumper-exposure-${day}.png`, title: `Exposure per week, ${report.scope}`, comment: `Incident exposure per week over the last ${weeks} weeks, by role (${report.scope}).` }
    : { bytes: Buffer.from(reportCsv(rows), 'utf8'), filename: `smokejumper-exposure-${day}.csv`, title: `Exposure per person and week, ${report.scope}`, comment: `One row per person and week over the last ${weeks} weeks (${report.scope}).` };
  const sent = await deps.slack.uploadToDm(slackId, file);
  if (!sent.ok) {
    if (sent.retryable) throw new RetryableError(sent.error, 'files.uploadV2 failed');
    throw new Error(`files.uploadV2 failed: ${sent.error}`);
  }
  deps.log.info({ user: slackId, kind, scope: report.scope, bytes: file.bytes.length }, 'report file shared');
}
