import { formatDuration } from '../../domain/duration';
import { ROLES, type Level, type Role } from '../../domain/experience';
import { DEFAULT_VOLUNTEER_MS, MAX_VOLUNTEER_MS } from '../../domain/volunteer-command';
import { WEEKDAYS, type WorkingTime } from '../../domain/working-time';
import { ACTION, COMMAND } from '../ids';
import type { Button, SectionBlock } from '@slack/types';
import { button, channelLink, context, mention, section, type Block, type Message } from './blocks';
import type { Progress } from '../../domain/progression';
import { stageStatsBlocks } from './growth-messages';

/**
 * Every reply of `/volunteer` and its buttons (SPEC.md section 6): the copy lives here, as pure
 * builders from data to Block Kit. All replies are ephemeral: only the person who asked sees them.
 */
const CMD = COMMAND.volunteer;

/** Slack renders this in the reader's own time zone; the fallback (UTC) is for old clients and notifications. */
export function slackTime(at: Date, format = '{date_short_pretty} at {time}'): string {
  const fallback = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(at.getTime() / 1000)}^${format}|${fallback}>`;
}

/** Text from people (unknown words, names) must not turn into mentions or links. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const pad = (n: number) => String(n).padStart(2, '0');
const clock = (minute: number) => `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;

/** "Mon-Fri 09:00-18:00"; "any time" when the rule is off. */
export function describeWorkingTime(working: WorkingTime): string {
  const week = [1, 2, 3, 4, 5, 6, 0];
  const allDay = working.hours.startMinute === 0 && working.hours.endMinute === 24 * 60;
  if (allDay && week.every((d) => working.days.has(d))) return 'any time';
  const runs: number[][] = [];
  for (const day of week) {
    if (!working.days.has(day)) continue;
    const last = runs[runs.length - 1];
    if (last && week.indexOf(last[last.length - 1]!) === week.indexOf(day) - 1) last.push(day);
    else runs.push([day]);
  }
  const days = runs.map((r) => (r.length === 1 ? WEEKDAYS[r[0]!] : `${WEEKDAYS[r[0]!]}-${WEEKDAYS[r[r.length - 1]!]}`)).join(', ');
  return allDay ? days : `${days} ${clock(working.hours.startMinute)}-${clock(working.hours.endMinute)}`;
}

function message(text: string, blocks: Block[]): Message {
  return { text, blocks };
}

// ----- volunteering -----

export interface IncidentOffer {
  id: number;
  channelId: string;
  openedAt: Date;
  /** the person is in the channel already */
  joined: boolean;
}

export interface VolunteeringInput {
  until: Date;
  /** e.g. "Mon-Fri 09:00-18:00" */
  workingTime: string;
  timeZone: string;
  inWorkingTimeNow: boolean;
  optedOut: boolean;
  incidents: IncidentOffer[];
  /** open incidents beyond those listed */
  moreIncidents: number;
}

/** One section per open incident, each with its own Join button (action ids must be unique within a block). */
export function incidentOffers(incidents: IncidentOffer[], moreIncidents: number): Block[] {
  const blocks: Block[] = incidents.map((incident) =>
    incident.joined
      ? section(`:white_check_mark: ${channelLink(incident.channelId)} · opened ${slackTime(incident.openedAt, '{time}')} · you are in it`)
      : { ...section(`:fire: ${channelLink(incident.channelId)} · opened ${slackTime(incident.openedAt, '{time}')}`), block_id: `join_${incident.id}`, accessory: button('Join', ACTION.joinIncident, String(incident.id), 'primary') },
  );
  if (moreIncidents > 0) blocks.push(context(`…and ${moreIncidents} more open ${moreIncidents === 1 ? 'incident' : 'incidents'}.`));
  return blocks;
}

export function volunteeringReply(input: VolunteeringInput): Message {
  const until = slackTime(input.until);
  const lines = [`:raised_hand: You are volunteering until ${until}. You go first for the next fires, within your working hours (${input.workingTime}, ${input.timeZone}).`];
  if (!input.inWorkingTimeNow) lines.push(`It is outside your working hours now, so invites wait until they start. Can't wait? \`${CMD} now\` joins a fire at once.`);
  if (input.optedOut) lines.push('While you volunteer, this overrides your opt-out of automatic invites.');
  const blocks: Block[] = [section(lines.join('\n'))];
  const burning = input.incidents.filter((i) => !i.joined).length + input.moreIncidents;
  if (input.incidents.length > 0) {
    blocks.push(section(burning > 0 ? '*Burning right now*, if you would rather not wait:' : '*Burning right now:*'));
    blocks.push(...incidentOffers(input.incidents, input.moreIncidents));
  }
  blocks.push(context(`\`${CMD} off\` to stop · \`${CMD} on 2h\` for another length (up to ${formatDuration(MAX_VOLUNTEER_MS)}) · \`${CMD} stats\` for your fires`));
  return message(`You are volunteering until ${until}.${burning > 0 ? ` ${burning} ${burning === 1 ? 'fire is' : 'fires are'} burning now: join from this message.` : ''}`, blocks);
}

export function stoppedVolunteeringReply(wasVolunteering: boolean): Message {
  const text = wasVolunteering
    ? 'You stopped volunteering. Thanks for raising your hand!'
    : 'You were not volunteering, so nothing changed.';
  return message(text, [undoable(section(text), button(`Volunteer for ${formatDuration(DEFAULT_VOLUNTEER_MS)}`, ACTION.dmVolunteer, 'on')), context(`\`${CMD}\` to volunteer again · automatic invites carry on as before (\`${CMD} optout\` stops them)`)]);
}

// ----- joining -----

export function joinedReply(channelId: string): Message {
  const text = `You are in ${channelLink(channelId)}. Welcome!`;
  return message(text, [
    section(`:fire_engine: ${text} Watching is fine: read the channel from the top, then follow along. I will DM you a few prompts to guide you.`),
    context(`Had enough? Just leave the channel. \`${CMD} stats\` counts your fires.`),
  ]);
}

export function alreadyInReply(channelId: string): Message {
  const text = `You are already in ${channelLink(channelId)}.`;
  return message(text, [section(`:white_check_mark: ${text}`)]);
}

export function incidentResolvedReply(channelId: string): Message {
  const text = `That fire is out: ${channelLink(channelId)} was resolved, so there is nothing to join.`;
  return message(text, [section(`:checkered_flag: ${text}`), context(`\`${CMD}\` puts you first in line for the next one.`)]);
}

export function incidentGoneReply(): Message {
  const text = 'I cannot find that incident any more, so there is nothing to join.';
  return message(text, [section(text), context(`\`${CMD}\` puts you first in line for the next one.`)]);
}

export function joinFailedReply(channelId: string, error: string): Message {
  const text = `I could not add you to ${channelLink(channelId)} (Slack said \`${escapeText(error)}\`). Someone in the channel can add you.`;
  return message(text, [section(text)]);
}

export function noFireReply(): Message {
  const text = 'No fire is burning right now. Want to be first in line for the next one?';
  return message(text, [
    { ...section(`:sunny: ${text}`), block_id: 'volunteer_next', accessory: button(`Volunteer for ${formatDuration(DEFAULT_VOLUNTEER_MS)}`, ACTION.volunteerForNext, 'on', 'primary') },
  ]);
}

// ----- settings -----

/**
 * A switch's answer carries the button that undoes it: shown in a DM (a DM button's answer), the
 * person cannot type the command its context names, since the Messages tab is read-only.
 */
function undoable(block: SectionBlock, undo: Button): SectionBlock {
  return { ...block, accessory: undo };
}

export function optedOutReply(volunteerUntil: Date | null): Message {
  const text = 'Done: you will not be invited automatically any more.';
  const blocks: Block[] = [undoable(section(`${text} You can still join any fire yourself with \`${CMD} now\`.`), button('Invite me again', ACTION.dmInvites, 'optin'))];
  if (volunteerUntil) blocks.push(section(`You are still volunteering until ${slackTime(volunteerUntil)}, which overrides this. \`${CMD} off\` stops that too.`));
  blocks.push(context(`\`${CMD} optin\` brings automatic invites back.`));
  return message(text, blocks);
}

export function optedInReply(): Message {
  const text = 'Welcome back: you may be invited automatically again, within your working hours and at most a few times a week.';
  return message(text, [undoable(section(text), button('No automatic invites', ACTION.dmInvites, 'optout')), context(`\`${CMD} optout\` to stop again.`)]);
}

export function digestReply(on: boolean): Message {
  const text = on ? 'The weekly digest DM is on again.' : 'The weekly digest DM is off. Your fires are still counted.';
  const undo = on ? button('Stop this digest', ACTION.dmDigest, 'off') : button('Turn the digest on', ACTION.dmDigest, 'on');
  return message(text, [undoable(section(text), undo), context(on ? `\`${CMD} digest off\` to stop it.` : `\`${CMD} digest on\` to get it again.`)]);
}

// ----- stats -----

export interface StatsView {
  thisWeek: number;
  fourWeeks: number;
  allTime: number;
  roles: Record<Role, number>;
  /** explainExperience's lines; the last one is the score */
  experience: string[];
  /** where the level came from, in words: "set by the roster", "nobody has set it yet", … */
  levelOrigin?: string;
  /** the person's stage on the growth path and what the next one needs (SPEC.md "Growth") */
  growth?: Progress;
}

const fires = (n: number) => `${n} ${n === 1 ? 'fire' : 'fires'}`;

export function rolesLine(roles: Record<Role, number>): string {
  const parts = ROLES.filter((r) => roles[r] > 0).map((r) => `${r} ${roles[r]}`);
  return parts.length ? parts.join(' · ') : 'none yet';
}

export function statsBlocks(stats: StatsView): Block[] {
  return [
    section(`*Fires joined*\nThis week: *${stats.thisWeek}* · last 4 weeks: *${stats.fourWeeks}* · all time: *${stats.allTime}*\nAs: ${rolesLine(stats.roles)}`),
    section(`*Experience score*, lower means less experience:\n${stats.experience.map((line) => `• ${line}`).join('\n')}${stats.levelOrigin ? `\nYour level: ${stats.levelOrigin}.` : ''}`),
    ...(stats.growth ? stageStatsBlocks(stats.growth) : []),
  ];
}

export function statsReply(stats: StatsView): Message {
  return message(`You joined ${fires(stats.thisWeek)} this week, ${fires(stats.fourWeeks)} in the last 4 weeks and ${fires(stats.allTime)} in all.`, [
    ...statsBlocks(stats),
    context('Volunteer, learner, responder and mentor are the roles you had in each fire; recent fires and active roles count for more.'),
  ]);
}

// ----- help, usage and refusals -----

function usageLines(isAdmin: boolean): string {
  const lines = [
    `• \`${CMD}\` or \`${CMD} on 2h\`: be first in line for the next fires (default ${formatDuration(DEFAULT_VOLUNTEER_MS)}, at most ${formatDuration(MAX_VOLUNTEER_MS)}; 90m, 2h and 1d all work)`,
    `• \`${CMD} now\`: join the most recent fire right away`,
    `• \`${CMD} off\`: stop volunteering`,
    `• \`${CMD} stats\`: your fires and your experience score, and how it is computed`,
    `• \`${CMD} optout\` / \`${CMD} optin\`: never / again invite me automatically`,
    `• \`${CMD} digest off\` / \`${CMD} digest on\`: stop / resume the weekly DM`,
    `• \`${CMD} practice\`: replay a past incident round by round, a practice fire of about 15 minutes`,
    `• \`${CMD} help\`: this list`,
  ];
  if (isAdmin) {
    lines.push(
      `• \`${CMD} admin report [WEEKS] [team]\`: who joined how many fires, least exposed first, with coverage, Gini, first fires and mentor load (default 4 weeks)`,
      `• \`${CMD} admin level @person junior|mid|senior|staff\`: set someone's level`,
      `• \`${CMD} admin mentor @person yes|no\`: mark or unmark a mentor`,
      `• \`${CMD} admin stage @person observer|scribe|investigator|lead_shadow\`: set someone's stage on the growth path`,
      `• \`${CMD} admin practice exclude #channel\`: never use that incident for a practice fire`,
    );
  }
  return lines.join('\n');
}

export function helpReply(isAdmin: boolean): Message {
  return message(`${CMD}: raise your hand for a fire.`, [
    section(':fire_engine: *Raise your hand for a fire.* Juniors learn most where things break; volunteering puts you first in line, within your working hours.'),
    section(usageLines(isAdmin)),
    context('The Smokejumper Home tab has the same switches and your stats.'),
  ]);
}

export function usageReply(word: string, isAdmin: boolean): Message {
  const text = `I don't know "${escapeText(word)}". Here is what ${CMD} understands:`;
  return message(text, [section(text), section(usageLines(isAdmin))]);
}

export function invalidReply(problem: string): Message {
  const text = escapeText(problem);
  return message(text, [section(`:warning: ${text}`)]);
}

export function adminRefusedReply(): Message {
  const text = 'Sorry, admin commands are only for the Smokejumper admins. Nothing changed.';
  return message(text, [section(text), context(`\`${CMD} help\` shows what you can do.`)]);
}

export function notEligibleReply(): Message {
  const text = 'Smokejumper brings members of this workspace to incidents; guests, external people and bots are not invited, so there is nothing to switch for you.';
  return message(text, [section(text)]);
}

/** Someone outside ELIGIBLE_USERGROUPS: a member of the workspace, but not one Smokejumper brings to fires. */
export function notInEligibleGroupsReply(): Message {
  const text = 'Smokejumper brings the members of certain user groups (engineering, usually) to incidents, and you are not in one, so there is nothing to switch for you. Whoever runs Smokejumper can tell you which groups.';
  return message(text, [section(text)]);
}

export function somethingWentWrongReply(reference: string, retryable: boolean): Message {
  const text = retryable
    ? `Slack or the database is slow right now, so I could not finish. Please try again in a minute (reference ${reference}).`
    : `Something went wrong on my side and nothing may have changed. Please try again, or quote reference ${reference} to whoever runs Smokejumper.`;
  return message(text, [section(`:warning: ${text}`)]);
}

// ----- admin -----

export function unknownPersonReply(userId: string): Message {
  const text = `I don't know ${mention(userId)}: only members of this workspace have a level. Nothing changed.`;
  return message(text, [section(text)]);
}

export function levelSetReply(userId: string, level: Level, previous: Level): Message {
  const text = previous === level ? `${mention(userId)} was already ${level}; nothing changed.` : `${mention(userId)} is now ${level} (was ${previous}).`;
  return message(text, [section(text)]);
}

export function mentorSetReply(userId: string, mentor: boolean, previous: boolean): Message {
  const now = mentor ? 'a mentor' : 'not a mentor';
  const text = previous === mentor ? `${mention(userId)} was already ${now}; nothing changed.` : `${mention(userId)} is now ${now}.`;
  return message(text, [section(text)]);
}

export interface ReportRow {
  slackId: string;
  level: Level;
  optedOut: boolean;
  fires: number;
  lastJoinedAt: Date | null;
}

/** Block Kit allows 50 blocks and 3,000 characters per section; a workspace may have thousands of people. */
export const REPORT_MAX_ROWS = 100;
const SECTION_MAX_CHARS = 2_900;

export function reportReply(weeks: number, rows: ReportRow[]): Message {
  const none = rows.filter((r) => r.fires === 0).length;
  const intro = `*Fires joined in the last ${weeks} ${weeks === 1 ? 'week' : 'weeks'}*, least exposed first: ${rows.length} ${rows.length === 1 ? 'person' : 'people'}, ${none} with none.`;
  const blocks: Block[] = [section(intro)];
  if (rows.length === 0) blocks.push(section('Nobody is on the roster yet: people are synced from Slack at start and hourly.'));
  let chunk: string[] = [];
  let length = 0;
  for (const row of rows.slice(0, REPORT_MAX_ROWS)) {
    const last = row.lastJoinedAt ? `last ${slackTime(row.lastJoinedAt, '{date_short}')}` : 'never joined one';
    const line = `\`${String(row.fires).padStart(3)}\` ${mention(row.slackId)} · ${row.level} · ${last}${row.optedOut ? ' · opted out' : ''}`;
    if (length + line.length + 1 > SECTION_MAX_CHARS) {
      blocks.push(section(chunk.join('\n')));
      chunk = [];
      length = 0;
    }
    chunk.push(line);
    length += line.length + 1;
  }
  if (chunk.length) blocks.push(section(chunk.join('\n')));
  if (rows.length > REPORT_MAX_ROWS) blocks.push(context(`…and ${rows.length - REPORT_MAX_ROWS} more with ${rows[REPORT_MAX_ROWS]!.fires} or more fires.`));
  return message(`Fires joined in the last ${weeks} ${weeks === 1 ? 'week' : 'weeks'}: ${rows.length} people, ${none} with none.`, blocks);
}
