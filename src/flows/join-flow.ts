import type { Deps } from '../deps';
import { findIncident } from '../db/incidents';
import { recordInvitationIfNew, recordJoin, withdrawUnjoinedInvitation } from '../db/participations';
import { RetryableError } from '../errors';
import type { Message } from '../slack/views/blocks';
import * as reply from '../slack/views/volunteer-replies';
import { noLearnersJoinReply } from '../slack/views/incident-messages';
import { checkChannel, onChannelArchived } from './incident-flow';
import { afterLearnerJoined } from './lifecycle-hooks';
import { ensureEngineer, type KnownEngineer } from './roster-flow';
import { isCandidate } from './usergroups-flow';

// Joining an incident on request: a Join button, or `/volunteer now` (SPEC.md section 6).

/** A Join button: the person asked explicitly, so working hours and opt-out do not apply. */
export async function joinAsVolunteer(deps: Deps, slackId: string, incidentId: number): Promise<Message> {
  const engineer = await ensureEngineer(deps, slackId);
  if (!engineer || !engineer.active) return reply.notEligibleReply();
  if (!(await isCandidate(deps, engineer))) return reply.notInEligibleGroupsReply();
  return joinIncident(deps, engineer, incidentId);
}

export async function joinIncident(deps: Deps, engineer: KnownEngineer, incidentId: number): Promise<Message> {
  const incident = await findIncident(deps.db, incidentId);
  // Private incident channels are never offered; a button naming one was not made by this app.
  if (!incident || incident.isPrivate) return reply.incidentGoneReply();
  if (incident.resolvedAt) return reply.incidentResolvedReply(incident.channelId);
  // The responders asked for no learners this time: nobody else joins through Smokejumper.
  if (incident.noLearnersAt) return noLearnersJoinReply(incident.channelId);
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
  // Someone who said they are experienced comes as a responder: never coached (SPEC.md section 3).
  const role = engineer.experienced ? 'responder' : 'volunteer';
  const invitedNow = await recordInvitationIfNew(deps.db, { engineerId: engineer.id, incidentId: incident.id, role, source: 'volunteer', reason: 'volunteered for this fire', invitedAt: now });
  let invited = await deps.slack.invite(incident.channelId, engineer.slackId);
  if (!invited.ok && invited.error === 'not_in_channel') {
    // The app left the channel, or never got in: join it (public channels only) and try once more.
    const joined = await deps.slack.joinChannel(incident.channelId);
    if (joined.ok) invited = await deps.slack.invite(incident.channelId, engineer.slackId);
  }
  deps.metrics.invites.inc({ outcome: invited.ok ? `volunteer_${invited.value}` : invited.error });
  if (!invited.ok) {
    // A failed join is not a fire joined: leave no trace in the history that experience counts.
    if (invitedNow) await withdrawUnjoinedInvitation(deps.db, engineer.id, incident.id);
    log.warn({ error: invited.error }, 'volunteer could not be added to the incident channel');
    if (invited.error === 'is_archived') return reply.incidentResolvedReply(incident.channelId);
    if (invited.error === 'channel_not_found') {
      await onChannelArchived(deps, incident.channelId);
      return reply.incidentResolvedReply(incident.channelId);
    }
    if (invited.retryable) throw new RetryableError(invited.error, 'conversations.invite failed for a volunteer');
    return reply.joinFailedReply(incident.channelId, invited.error);
  }
  const { participation } = await recordJoin(deps.db, engineer.id, incident.id, now, { role, source: 'volunteer' });
  log.info({ role: participation.role, outcome: invited.value }, 'volunteer joined an incident');
  if (participation.role === 'learner' || participation.role === 'volunteer') {
    await afterLearnerJoined(deps, { incidentId: incident.id, engineerId: engineer.id, joinedAt: participation.joinedAt ?? now });
  }
  return invited.value === 'already_in_channel' ? reply.alreadyInReply(incident.channelId) : reply.joinedReply(incident.channelId);
}

