import type { Deps } from '../deps';
import { setSeniority } from '../db/engineers';
import { findIncident } from '../db/incidents';
import { recordInvitation, recordJoin } from '../db/participations';
import { countOpenPublicIncidents, firesOf, openIncidentsFor, setPreferences } from '../db/stats';
import { explainExperience, historyOf, ROLES, type Role } from '../domain/experience';
import { isActiveVolunteer } from '../domain/selection';
import { DEFAULT_VOLUNTEER_MS, needsAdmin, type AdminCommand, type VolunteerCommand } from '../domain/volunteer-command';
import { weekBounds, weekStartOf } from '../domain/iso-week';
import { isWorkingTime, safeZone } from '../domain/working-time';
import { RetryableError } from '../errors';
import { ACTION } from '../slack/ids';
import type { Message } from '../slack/views/blocks';
import { homeTab, homeTabNotEligible } from '../slack/views/home-tab';
import * as reply from '../slack/views/volunteer-replies';
import { checkChannel, onChannelArchived } from './incident-flow';
import { afterLearnerJoined } from './lifecycle-hooks';
import { adminReportReply, homeReportBlocks } from './report-flow';
import { ensureEngineer } from './roster-flow';

/**
 * `/volunteer`, its Join buttons and the Home tab (SPEC.md section 6): each entry point takes a
 * Slack user id and what they asked for, does it, and returns the reply to show them.
 */
type Engineer = NonNullable<Awaited<ReturnType<typeof ensureEngineer>>>;

/** Open incidents offered with Join buttons in one reply; more are counted, not listed. */
export const OFFER_LIMIT = 10;
const DAY_MS = 86_400_000;

// ----- the command -----

/**
 * Replies that need neither the database nor Slack, sent in the acknowledgement itself: help,
 * usage, bad arguments, and the refusal of admin commands to non-admins.
 */
export function quickReply(command: VolunteerCommand, isAdmin: boolean): Message | null {
  if (needsAdmin(command) && !isAdmin) return reply.adminRefusedReply();
  switch (command.kind) {
    case 'help':
      return reply.helpReply(isAdmin);
    case 'unknown':
      return reply.usageReply(command.word, isAdmin);
    case 'invalid':
      return reply.invalidReply(command.message);
    default:
      return null;
  }
}

/** Does what the command asks for the person `slackId` and returns the reply. */
export async function runVolunteerCommand(deps: Deps, slackId: string, command: VolunteerCommand): Promise<Message> {
  const quick = quickReply(command, deps.config.adminUserIds.has(slackId));
  if (quick) return quick;
  if (command.kind === 'admin_level' || command.kind === 'admin_mentor' || command.kind === 'admin_report') {
    return runAdminCommand(deps, slackId, command);
  }
  const engineer = await ensureEngineer(deps, slackId);
  if (!engineer || !engineer.active) return reply.notEligibleReply();
  const now = deps.clock();
  const log = deps.log.child({ user: slackId, command: command.kind });
  switch (command.kind) {
    case 'on': {
      const until = new Date(now.getTime() + command.durationMs);
      await setPreferences(deps.db, engineer.id, { volunteerUntil: until });
      log.info({ until }, 'volunteering');
      return volunteering(deps, engineer, until);
    }
    case 'off': {
      const was = isActiveVolunteer(engineer, now);
      if (engineer.volunteerUntil) await setPreferences(deps.db, engineer.id, { volunteerUntil: null });
      log.info({ was }, 'stopped volunteering');
      return reply.stoppedVolunteeringReply(was);
    }
    case 'now': {
      const [latest] = await stillPublic(deps, await openIncidentsFor(deps.db, engineer.id, OFFER_LIMIT), 1);
      if (!latest) return reply.noFireReply();
      if (latest.joined) return reply.alreadyInReply(latest.channelId);
      return joinIncident(deps, engineer, latest.id);
    }
    case 'stats':
      return reply.statsReply(await statsOf(deps, engineer));
    case 'optout':
      await setPreferences(deps.db, engineer.id, { optedOut: true });
      log.info('opted out of automatic invites');
      return reply.optedOutReply(isActiveVolunteer(engineer, now) ? engineer.volunteerUntil : null);
    case 'optin':
      await setPreferences(deps.db, engineer.id, { optedOut: false });
      log.info('opted in to automatic invites');
      return reply.optedInReply();
    case 'digest':
      await setPreferences(deps.db, engineer.id, { digestOff: !command.on });
      log.info({ digest: command.on }, 'digest switched');
      return reply.digestReply(command.on);
    default:
      // help, unknown and invalid were answered by quickReply above.
      return reply.helpReply(false);
  }
}

async function volunteering(deps: Deps, engineer: Engineer, until: Date): Promise<Message> {
  const now = deps.clock();
  const incidents = await stillPublic(deps, await openIncidentsFor(deps.db, engineer.id, OFFER_LIMIT), OFFER_LIMIT);
  const more = incidents.length === OFFER_LIMIT ? (await countOpenPublicIncidents(deps.db)) - OFFER_LIMIT : 0;
  return reply.volunteeringReply({
    until,
    workingTime: reply.describeWorkingTime(deps.config.workingTime),
    timeZone: safeZone(engineer.timeZone),
    inWorkingTimeNow: isWorkingTime(now, engineer.timeZone, deps.config.workingTime),
    optedOut: engineer.optedOut,
    incidents: incidents.map((i) => ({ id: i.id, channelId: i.channelId, openedAt: i.openedAt, joined: i.joined })),
    moreIncidents: Math.max(0, more),
  });
}

/**
 * The first `limit` of these open incidents whose channels Slack still reports public: one made
 * private since it opened is never offered (and is stored as private); one deleted or archived resolves.
 */
async function stillPublic<T extends { id: number; channelId: string }>(deps: Deps, incidents: T[], limit: number): Promise<T[]> {
  const kept: T[] = [];
  for (const incident of incidents) {
    if (kept.length === limit) break;
    if ((await checkChannel(deps, { ...incident, isPrivate: false })) === 'public') kept.push(incident);
  }
  return kept;
}

/** The "Volunteer for 8h" button under "no fire right now". */
export function volunteerForNext(deps: Deps, slackId: string): Promise<Message> {
  return runVolunteerCommand(deps, slackId, { kind: 'on', durationMs: DEFAULT_VOLUNTEER_MS });
}

/**
 * A button in a DM (welcome, digest): action id and value -> the `/volunteer` command it stands
 * for; anything else is null. The Messages tab is read-only, so these replace typed commands.
 */
export function parseDmButton(actionId: string, value: string | undefined): VolunteerCommand | null {
  if (actionId === ACTION.dmVolunteer && value === 'on') return { kind: 'on', durationMs: DEFAULT_VOLUNTEER_MS };
  if (actionId === ACTION.dmVolunteer && value === 'off') return { kind: 'off' };
  if (actionId === ACTION.dmInvites && (value === 'optout' || value === 'optin')) return { kind: value };
  if (actionId === ACTION.dmDigest && (value === 'on' || value === 'off')) return { kind: 'digest', on: value === 'on' };
  if (actionId === ACTION.dmStats && value === 'stats') return { kind: 'stats' };
  return null;
}

// ----- joining an incident on request -----

/** A Join button: the person asked explicitly, so working hours and opt-out do not apply. */
export async function joinAsVolunteer(deps: Deps, slackId: string, incidentId: number): Promise<Message> {
  const engineer = await ensureEngineer(deps, slackId);
  if (!engineer || !engineer.active) return reply.notEligibleReply();
  return joinIncident(deps, engineer, incidentId);
}

async function joinIncident(deps: Deps, engineer: Engineer, incidentId: number): Promise<Message> {
  const incident = await findIncident(deps.db, incidentId);
  // Private incident channels are never offered; a button naming one was not made by this app.
  if (!incident || incident.isPrivate) return reply.incidentGoneReply();
  if (incident.resolvedAt) return reply.incidentResolvedReply(incident.channelId);
  const log = deps.log.child({ incident: incident.id, channel: incident.channelId, user: engineer.slackId });
  const state = await checkChannel(deps, incident);
  if (state === 'resolved') return reply.incidentResolvedReply(incident.channelId);
  if (state === 'private') {
    // Made private since it was offered: only its members may know it is there.
    const members = await deps.slack.channelMembers(incident.channelId);
    if (members.ok && members.value.includes(engineer.slackId)) return reply.alreadyInReply(incident.channelId);
    log.info('incident channel was made private; the person is not let in');
    return reply.incidentGoneReply();
  }
  const now = deps.clock();

  // Recorded before the invite, so that the member_joined_channel it causes finds a volunteer, not a stranger.
  const existed = await deps.db.participation.findUnique({ where: { engineerId_incidentId: { engineerId: engineer.id, incidentId: incident.id } } });
  if (!existed) {
    await recordInvitation(deps.db, { engineerId: engineer.id, incidentId: incident.id, role: 'volunteer', source: 'volunteer', reason: 'volunteered for this fire', invitedAt: now });
  }
  let invited = await deps.slack.invite(incident.channelId, engineer.slackId);
  if (!invited.ok && invited.error === 'not_in_channel') {
    // The app left the channel, or never got in: join it (public channels only) and try once more.
    const joined = await deps.slack.joinChannel(incident.channelId);
    if (joined.ok) invited = await deps.slack.invite(incident.channelId, engineer.slackId);
  }
  deps.metrics.invites.inc({ outcome: invited.ok ? `volunteer_${invited.value}` : invited.error });
  if (!invited.ok) {
    // A failed join is not a fire joined: leave no trace in the history that experience counts.
    if (!existed) await deps.db.participation.deleteMany({ where: { engineerId: engineer.id, incidentId: incident.id, joinedAt: null } });
    log.warn({ error: invited.error }, 'volunteer could not be added to the incident channel');
    if (invited.error === 'is_archived') return reply.incidentResolvedReply(incident.channelId);
    if (invited.error === 'channel_not_found') {
      await onChannelArchived(deps, incident.channelId);
      return reply.incidentResolvedReply(incident.channelId);
    }
    if (invited.retryable) throw new RetryableError(invited.error, 'conversations.invite failed for a volunteer');
    return reply.joinFailedReply(incident.channelId, invited.error);
  }
  const { participation } = await recordJoin(deps.db, engineer.id, incident.id, now, { role: 'volunteer', source: 'volunteer' });
  log.info({ role: participation.role, outcome: invited.value }, 'volunteer joined an incident');
  if (participation.role === 'learner' || participation.role === 'volunteer') {
    await afterLearnerJoined(deps, { incidentId: incident.id, engineerId: engineer.id, joinedAt: participation.joinedAt ?? now });
  }
  return invited.value === 'already_in_channel' ? reply.alreadyInReply(incident.channelId) : reply.joinedReply(incident.channelId);
}

// ----- stats -----

export async function statsOf(deps: Deps, engineer: Engineer): Promise<reply.StatsView> {
  const now = deps.clock();
  const fires = await firesOf(deps.db, engineer.id);
  // "This week" is the digest's week: Monday to Sunday in the person's own time zone.
  const weekStart = weekBounds(weekStartOf(now, engineer.timeZone), engineer.timeZone).start.getTime();
  const fourWeeksAgo = now.getTime() - 28 * DAY_MS;
  const roles = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<Role, number>;
  for (const f of fires) roles[f.role]++;
  const history = historyOf(fires.map((f) => ({ role: f.role, joinedAt: f.at })), now);
  return {
    thisWeek: fires.filter((f) => f.at.getTime() >= weekStart).length,
    fourWeeks: fires.filter((f) => f.at.getTime() >= fourWeeksAgo).length,
    allTime: fires.length,
    roles,
    experience: explainExperience({ level: engineer.level, startedOn: engineer.startedOn, history }, now),
  };
}

// ----- admin -----

async function runAdminCommand(deps: Deps, adminId: string, command: AdminCommand): Promise<Message> {
  const log = deps.log.child({ user: adminId, command: command.kind });
  if (command.kind === 'admin_report') return adminReportReply(deps, command.weeks, command.team);
  const target = await ensureEngineer(deps, command.userId);
  if (!target) return reply.unknownPersonReply(command.userId);
  if (command.kind === 'admin_level') {
    await setSeniority(deps.db, target.id, { level: command.level });
    log.info({ target: command.userId, level: command.level, previous: target.level }, 'admin set a level');
    return reply.levelSetReply(command.userId, command.level, target.level);
  }
  await setSeniority(deps.db, target.id, { isMentor: command.mentor });
  log.info({ target: command.userId, mentor: command.mentor, previous: target.isMentor }, 'admin set a mentor flag');
  return reply.mentorSetReply(command.userId, command.mentor, target.isMentor);
}

// ----- the Home tab -----

export type HomeSwitch = { kind: 'volunteer'; on: boolean } | { kind: 'optout'; optedOut: boolean } | { kind: 'digest'; on: boolean };

/** A Home tab button's action id and value -> the switch it asks for; anything else is null. */
export function parseHomeSwitch(actionId: string, value: string | undefined): HomeSwitch | null {
  if (actionId === ACTION.toggleVolunteer && (value === 'on' || value === 'off')) return { kind: 'volunteer', on: value === 'on' };
  if (actionId === ACTION.toggleOptOut && (value === 'optout' || value === 'optin')) return { kind: 'optout', optedOut: value === 'optout' };
  if (actionId === ACTION.toggleDigest && (value === 'on' || value === 'off')) return { kind: 'digest', on: value === 'on' };
  return null;
}

/** Applies a Home tab switch, then publishes the tab again so that it shows the new state. */
export async function applyHomeSwitch(deps: Deps, slackId: string, change: HomeSwitch): Promise<void> {
  const engineer = await ensureEngineer(deps, slackId);
  if (engineer?.active) {
    const now = deps.clock();
    if (change.kind === 'volunteer') {
      await setPreferences(deps.db, engineer.id, { volunteerUntil: change.on ? new Date(now.getTime() + DEFAULT_VOLUNTEER_MS) : null });
    } else if (change.kind === 'optout') {
      await setPreferences(deps.db, engineer.id, { optedOut: change.optedOut });
    } else {
      await setPreferences(deps.db, engineer.id, { digestOff: !change.on });
    }
    deps.log.info({ user: slackId, change }, 'home tab switch');
  }
  await publishHome(deps, slackId);
}

export async function publishHome(deps: Deps, slackId: string): Promise<void> {
  const engineer = await ensureEngineer(deps, slackId);
  const now = deps.clock();
  const view = !engineer || !engineer.active
    ? homeTabNotEligible()
    : homeTab({
        volunteeringUntil: isActiveVolunteer(engineer, now) ? engineer.volunteerUntil : null,
        optedOut: engineer.optedOut,
        digestOff: engineer.digestOff,
        workingTime: reply.describeWorkingTime(deps.config.workingTime),
        timeZone: safeZone(engineer.timeZone),
        stats: await statsOf(deps, engineer),
      });
  // Admins and managers also get the report section (SPEC.md section 11); everyone else nothing more.
  if (engineer?.active) view.blocks.push(...(await homeReportBlocks(deps, engineer)));
  const published = await deps.slack.publishHome(slackId, view);
  if (!published.ok && published.retryable) throw new RetryableError(published.error, 'views.publish failed');
}
