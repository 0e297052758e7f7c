import type { Deps } from '../deps';
import { findIncidentByChannel } from '../db/incidents';
import { findEngineer } from '../db/engineers';
import { recordLeave, recordSelfJoin } from '../db/participations';
import { onChannelAppeared } from './incident-flow';
import { afterLearnerJoined, afterLearnerLeft, afterResponderJoined } from './lifecycle-hooks';
import { ensureEngineer } from './roster-flow';

export interface MembershipChange {
  user: string;
  channel: string;
  at: Date;
}

/**
 * Anyone who joins an incident channel takes part, invited or not. A junior who comes on their own
 * is a learner (and gets the prompts); anyone else a responder. The app itself being added to a
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
  // Guests, external people and deactivated users are recorded (they were there) but never coached:
  // no prompts, no mentor DM about them, no reflection (SPEC.md section 4).
  const selfRole = engineer.active && engineer.level === 'junior' ? 'learner' : 'responder';
  const { participation, firstJoin } = await recordSelfJoin(deps.db, engineer.id, incident.id, change.at, selfRole, deps.config.maxCoachedPerIncident);
  deps.log.info({ incident: incident.id, user: change.user, role: participation.role, firstJoin, eligible: engineer.active }, 'member joined incident');
  if (engineer.active && !incident.resolvedAt && (participation.role === 'learner' || participation.role === 'volunteer')) {
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
