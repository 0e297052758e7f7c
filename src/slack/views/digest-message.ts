import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import type { DigestSummary, IncidentRef, NextStep } from '../../domain/digest';
import type { QuarterSummary } from '../../domain/digest-rules';
import { TREND_WEEKS } from '../../domain/digest';
import { formatDuration } from '../../domain/duration';
import { REFLECTION_COPY } from '../../domain/prompts';
import { DEFAULT_VOLUNTEER_MS } from '../../domain/volunteer-command';
import { ACTION, DM_BUTTONS_BLOCK } from '../ids';
import { actions, button, channelLink, context, header, section, type Block, type Message } from './blocks';
import { escapeText } from './volunteer-replies';
import { digestGrowthLines } from './growth-messages';

dayjs.extend(utc);

/**
 * The weekly digest DM (SPEC.md section 7), built from the summary: Block Kit with its fallback
 * text, and the same words as plain text for `npm run digest -- --dry-run`. All digest phrasing
 * lives in DIGEST_COPY; it is written once and rendered in either style.
 */
interface Style {
  bold(text: string): string;
  code(text: string): string;
  /** an incident channel: a `<#C…>` link in Slack, `#name` in plain text */
  channel(incident: IncidentRef): string;
  /** words people wrote themselves */
  quote(text: string): string;
}

const SLACK: Style = {
  bold: (t) => `*${t}*`,
  code: (t) => `\`${t}\``,
  channel: (i) => channelLink(i.channelId),
  quote: (t) => escapeText(t),
};

const PLAIN: Style = {
  bold: (t) => t,
  code: (t) => t,
  channel: (i) => `#${i.channelName}`,
  quote: (t) => t,
};

/** Block Kit allows 3000 characters in a section; a digest stays short well below that. */
export const MAX_LISTED_INCIDENTS = 10;
export const MAX_LISTED_LEARNINGS = 5;
export const MAX_LEARNING_CHARS = 280;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** 80 minutes -> "1h 20m" (as elsewhere in the app); under a minute reads as such. */
export function formatMinutes(minutes: number): string {
  return minutes < 1 ? 'under a minute' : formatDuration(minutes * 60_000);
}

/** "16–22 Nov 2026", "30 Nov – 6 Dec 2026", "28 Dec 2026 – 3 Jan 2027". */
export function weekRange(weekStart: string, weekEnd: string): string {
  const from = dayjs.utc(weekStart);
  const to = dayjs.utc(weekEnd);
  if (from.year() !== to.year()) return `${from.format('D MMM YYYY')} – ${to.format('D MMM YYYY')}`;
  if (from.month() !== to.month()) return `${from.format('D MMM')} – ${to.format('D MMM YYYY')}`;
  return `${from.format('D')}–${to.format('D MMM YYYY')}`;
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

export const DIGEST_COPY = {
  practices: (n: number) => `Practice fires this week: ${n} (past incidents replayed; they are not counted as fires).`,
  title: (range: string, soFar: boolean) => (soFar ? `Your week in fires so far, ${range}` : `Your week in fires, ${range}`),
  intro: (s: Style, incidents: number, minutes: number, soFar: boolean, wrote = true) => {
    if (incidents === 0 && !wrote) return `No fires for you${soFar ? ' so far this week' : ' this week'}; here is your quarter.`;
    if (incidents === 0) return `You joined no incident${soFar ? ' so far this week' : ''}, and you still wrote something down. That counts.`;
    const spent = `spent ${s.bold(formatMinutes(minutes))} in ${incidents === 1 ? 'it' : 'them'}`;
    return `${soFar ? 'So far this week you' : 'You'} joined ${s.bold(plural(incidents, 'incident'))} and ${spent}. Thank you for jumping in.`;
  },
  incident: (s: Style, i: DigestSummary['incidents'][number]) =>
    `• ${s.channel(i)} · ${i.role} · joined ${i.joinedLocal} · ${formatMinutes(i.minutes)}${i.open ? ' (still open)' : ''}`,
  more: (n: number) => `…and ${n} more.`,
  learningsHeading: 'What you wrote down',
  learning: (s: Style, l: DigestSummary['learnings'][number]) => `• ${s.channel(l)}: “${s.quote(clip(l.learned, MAX_LEARNING_CHARS))}”`,
  trend: (s: Style, line: string, total: number) => `${s.bold(`Your last ${TREND_WEEKS} weeks`)} (oldest first): ${s.code(line)}  ${plural(total, 'fire')}`,
  nextStepLabel: 'Next step:',
  nextStep: (s: Style, step: NextStep): string => {
    switch (step.kind) {
      case 'volunteer':
        return `${s.bold(DIGEST_COPY.volunteerButton)} below puts you first in line for the next incident. Watching is all anyone expects.`;
      case 'reflect':
        return `Write down what you learned in ${s.channel(step.incident)} while it is fresh: the ${s.bold(REFLECTION_COPY.button)} button in my message about it takes two minutes.`;
      case 'mentor':
        return 'Ask someone you mentored what confused them most. Their answer is usually the next thing worth writing down for everyone.';
      case 'narrate':
        return 'Next time, say in the channel what you are checking and why. Learners follow the reasoning more than the fix.';
      case 'take-a-step':
        return 'You have seen a few fires now. Next time, offer to check one hypothesis yourself, with your mentor alongside.';
      case 'ask':
        return 'Next time, ask one question in the channel (a thread is fine), such as "what are we checking first, and why?"';
    }
  },
  invitation: (s: Style, range: string, soFar: boolean) =>
    `No fires for you ${soFar ? 'so far this week' : 'in the week of'} ${range}. Incidents are where a lot of the learning happens, and watching is all anyone expects. ${s.bold(DIGEST_COPY.volunteerButton)} puts you first in line for the next one.`,
  quarterHeading: (quarter: string) => `Your quarter, ${quarter.replace('-', ' ')}`,
  quarter: (s: Style, q: QuarterSummary) => {
    const roles = q.byRole.map((r) => `${r.fires} as ${r.role}`).join(', ');
    const lines = [`• ${s.bold(plural(q.fires, 'fire'))}${roles ? ` (${roles})` : ''}`];
    if (q.byStage.length > 0) lines.push(`• by stage: ${q.byStage.map((st) => `${st.fires} as ${st.stage}`).join(', ')}`);
    if (q.systems.length > 0) lines.push(`• systems touched: ${q.systems.join(', ')}`);
    lines.push(`• ${plural(q.reflections, 'reflection')} written`);
    return lines;
  },
  volunteerButton: `Volunteer for ${formatDuration(DEFAULT_VOLUNTEER_MS)}`,
  statsButton: 'My stats',
  digestOffButton: 'Stop this digest',
  // The Messages tab is read-only: the DM offers buttons, never a command to type.
  footer: (s: Style) => `You get this once a week. ${s.bold(DIGEST_COPY.digestOffButton)} stops it; the Home tab has every switch.`,
};

/** The digest's own buttons: the person's stats, and stopping the digest. */
function digestButtons(): Block {
  return actions(DM_BUTTONS_BLOCK, button(DIGEST_COPY.statsButton, ACTION.dmStats, 'stats'), button(DIGEST_COPY.digestOffButton, ACTION.dmDigest, 'off'));
}

function parts(summary: DigestSummary, s: Style) {
  const range = weekRange(summary.weekStart, summary.weekEnd);
  const listed = summary.incidents.slice(0, MAX_LISTED_INCIDENTS);
  const incidentLines = listed.map((i) => DIGEST_COPY.incident(s, i));
  if (summary.incidents.length > listed.length) incidentLines.push(DIGEST_COPY.more(summary.incidents.length - listed.length));
  const learningLines = summary.learnings.slice(0, MAX_LISTED_LEARNINGS).map((l) => DIGEST_COPY.learning(s, l));
  if (summary.learnings.length > MAX_LISTED_LEARNINGS) learningLines.push(DIGEST_COPY.more(summary.learnings.length - MAX_LISTED_LEARNINGS));
  return {
    title: DIGEST_COPY.title(range, summary.soFar),
    intro: DIGEST_COPY.intro(s, summary.incidents.length, summary.totalMinutes, summary.soFar, summary.learnings.length > 0),
    quarter: summary.quarter ? { heading: DIGEST_COPY.quarterHeading(summary.quarter.quarter), lines: DIGEST_COPY.quarter(s, summary.quarter) } : null,
    incidentLines,
    learningLines,
    trend: DIGEST_COPY.trend(s, summary.trend.line, summary.trend.counts.reduce((a, b) => a + b, 0)),
    nextStep: DIGEST_COPY.nextStep(s, summary.nextStep),
    invitation: DIGEST_COPY.invitation(s, range, summary.soFar),
    footer: DIGEST_COPY.footer(s),
  };
}

/**
 * The DM itself. An invitation is two blocks; a summary at most seven (Block Kit allows 50). The
 * fallback text is mrkdwn too, so a channel stays a `<#C…>` link that Slack shows only to members.
 */
export function digestMessage(summary: DigestSummary): Message {
  const p = parts(summary, SLACK);
  if (summary.kind === 'invitation') {
    return {
      text: p.invitation,
      blocks: [
        { ...section(`:wave: ${p.invitation}`), accessory: button(DIGEST_COPY.volunteerButton, ACTION.volunteerForNext, 'on', 'primary') },
        ...practiceBlocks(summary),
        context(p.footer),
        digestButtons(),
      ],
    };
  }
  const blocks: Block[] = [header(p.title), section(p.intro)];
  if (p.incidentLines.length) blocks.push(section(p.incidentLines.join('\n')));
  if (p.learningLines.length) blocks.push(section(`${SLACK.bold(DIGEST_COPY.learningsHeading)}\n${p.learningLines.join('\n')}`));
  if (p.quarter) blocks.push(section(`${SLACK.bold(p.quarter.heading)}\n${p.quarter.lines.join('\n')}`));
  if (summary.growth) blocks.push(section(`:dart: ${digestGrowthLines(summary.growth, SLACK).join('\n')}`));
  const nextStep = section(`${SLACK.bold(DIGEST_COPY.nextStepLabel)} ${p.nextStep}`);
  blocks.push(
    section(p.trend),
    summary.nextStep.kind === 'volunteer' ? { ...nextStep, accessory: button(DIGEST_COPY.volunteerButton, ACTION.volunteerForNext, 'on', 'primary') } : nextStep,
    ...practiceBlocks(summary),
    context(p.footer),
    digestButtons(),
  );
  return { text: `${p.title}: ${p.intro} ${DIGEST_COPY.nextStepLabel} ${p.nextStep}`, blocks };
}

/** Practice fires, apart from the fires (SPEC.md "Practice fires"): one line when there were any. */
const practiceBlocks = (summary: DigestSummary): Block[] => (summary.practices ? [context(`:fire_engine: ${DIGEST_COPY.practices(summary.practices)}`)] : []);

/** The same digest as plain text, for `--dry-run`. */
export function digestText(summary: DigestSummary): string {
  const p = parts(summary, PLAIN);
  const practice = summary.practices ? [DIGEST_COPY.practices(summary.practices)] : [];
  if (summary.kind === 'invitation') return [p.invitation, ...practice, p.footer].join('\n');
  const lines = [p.title, p.intro, ...p.incidentLines.map((l) => `  ${l}`)];
  if (p.learningLines.length) lines.push(DIGEST_COPY.learningsHeading, ...p.learningLines.map((l) => `  ${l}`));
  if (p.quarter) lines.push(p.quarter.heading, ...p.quarter.lines.map((l) => `  ${l}`));
  if (summary.growth) lines.push(...digestGrowthLines(summary.growth, PLAIN));
  lines.push(p.trend, `${DIGEST_COPY.nextStepLabel} ${p.nextStep}`, ...practice, p.footer);
  return lines.join('\n');
}
