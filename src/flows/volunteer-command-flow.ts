import type { Deps } from '../deps';
import { countOpenPublicIncidents, openIncidentsFor, setPreferences } from '../db/stats';
import { isActiveVolunteer } from '../domain/selection';
import { DEFAULT_VOLUNTEER_MS, isAdminCommand, needsAdmin, type VolunteerCommand } from '../domain/volunteer-command';
import { isWorkingTime, safeZone } from '../domain/working-time';
import { ACTION } from '../slack/ids';
import { experiencedReply } from '../slack/views/level-choice';
import type { Message } from '../slack/views/blocks';
import * as reply from '../slack/views/volunteer-replies';
import { runAdminCommand } from './admin-command-flow';
import { isAdmin } from './admins';
import { isCandidate } from './usergroups-flow';
import { checkChannel } from './incident-flow';
import { joinIncident } from './join-flow';
import { startPractice } from './practice-flow';
import { ensureEngineer, type KnownEngineer } from './roster-flow';
import { statsOf } from './stats-flow';

/**
 * `/volunteer` and the DM buttons that stand for its subcommands (SPEC.md section 6): each takes a
 * Slack user id and what they asked for, does it, and returns the reply to show them.
 */

/** Open incidents offered with Join buttons in one reply; more are counted, not listed. */
export const OFFER_LIMIT = 10;

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
  const quick = quickReply(command, await isAdmin(deps, slackId));
  if (quick) return quick;
  if (isAdminCommand(command)) return runAdminCommand(deps, slackId, command);
  if (command.kind === 'practice') return startPractice(deps, slackId);
  const engineer = await ensureEngineer(deps, slackId);
  if (!engineer || !engineer.active) return reply.notEligibleReply();
  if (!(await isCandidate(deps, engineer))) return reply.notInEligibleGroupsReply();
  const now = deps.clock();
  const log = deps.log.child({ user: slackId, command: command.kind });
  switch (command.kind) {
    case 'on': {
      // Volunteering puts a learner first in line; someone who said they are experienced is never one.
      if (engineer.experienced) return experiencedReply();
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

async function volunteering(deps: Deps, engineer: KnownEngineer, until: Date): Promise<Message> {
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

