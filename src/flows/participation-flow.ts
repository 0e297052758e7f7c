import type { Deps } from '../deps';
import { findIncidentByChannel } from '../db/incidents';
import { findEngineer } from '../db/engineers';
import { countOtherParticipations, recordLeave, recordSelfJoin } from '../db/participations';
import { coachedOnSelfJoin } from '../domain/people';
import { onChannelAppeared } from './incident-flow';
import { afterLearnerJoined, afterLearnerLeft, afterResponderJoined } from './lifecycle-hooks';
import { ensureEngineer } from './roster-flow';
import { isCandidate } from './usergroups-flow';

export interface MembershipChange {
  user: string;
  channel: string;
  at: Date;
}

/**
 * Anyone who joins an incident channel takes part, invited or not. A junior candidate who comes on
 * their own is a learner (and gets the prompts), as is someone `unknown` with fewer than 3 recorded
 * fires; anyone else a responder. The app itself being added to a
 * private incident channel is what starts that incident.
 */
export async function onMemberJoined(deps: Deps, change: MembershipChange): Promise<void> {
  if (change.user === deps.botUserId) {
    const info = await deps.slack.channelInfo(change.channel);
    if (info.ok) await onChannelAppeared(deps, { id: change.channel, name: info.value.name, creator: info.value.creator });
    return;
  }
  const incident = await findIncidentByChannel(deps.db, change.channel);
  if (!incident) return;
  const engineer = await ensureEngineer(deps, change.user);
  if (!engineer) return;
  // Guests, external people, deactivated users and people outside ELIGIBLE_USERGROUPS are recorded
  // (they were there) but never coached: no prompts, no mentor DM about them, no reflection (SPEC.md section 4).
  const candidate = await isCandidate(deps, engineer);
  const pastFires = candidate && engineer.level === 'unknown' && !engineer.experienced ? await countOtherParticipations(deps.db, engineer.id, incident.id) : 0;
  const selfRole = coachedOnSelfJoin({ candidate, level: engineer.level, experienced: engineer.experienced, pastFires }) ? 'learner' : 'responder';
  const { participation, firstJoin } = await recordSelfJoin(deps.db, engineer.id, incident.id, change.at, selfRole, deps.config.maxCoachedPerIncident);
  deps.log.info({ incident: incident.id, user: change.user, role: participation.role, firstJoin, eligible: candidate, level: engineer.level, pastFires }, 'member joined incident');
  if (candidate && !incident.resolvedAt && (participation.role === 'learner' || participation.role === 'volunteer')) {
    await afterLearnerJoined(deps, { incidentId: incident.id, engineerId: engineer.id, joinedAt: participation.joinedAt ?? change.at });
  } else if (engineer.active && !incident.resolvedAt && participation.role === 'responder') {
    await afterResponderJoined(deps, { incidentId: incident.id, engineerId: engineer.id, at: change.at });
  }
}

export async function onMemberLeft(deps: Deps, change: MembershipChange): Promise<void> {
  const incident = await findIncidentByChannel(deps.db, change.channel);
  if (!incident) return;
  const engineer = await findEngineer(deps.db, change.user);
  if (!engineer) return;
  await recordLeave(deps.db, engineer.id, incident.id, change.at);
  await afterLearnerLeft(deps, { incidentId: incident.id, engineerId: engineer.id });
}
