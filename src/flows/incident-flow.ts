import type { Deps } from '../deps';
import { mayStartIncident } from '../domain/incident-creators';
import { introKey, inviteKey } from '../domain/ledger-keys';
import { chooseLearners, type SelectionResult } from '../domain/selection';
import { isSilentSeverity } from '../domain/severity';
import { loadCandidates } from '../db/engineers';
import { findIncident, findIncidentByChannel, markIncidentPrivate, markIncidentPublic, openIncident, renameIncident, reopenIncident, resolveIncident, setIncidentSeverity } from '../db/incidents';
import { cancelPending, deliveryLedger, planDeliveries } from '../db/deliveries';
import { recordInvitation, setRole, selectionParticipations, markJoined } from '../db/participations';
import { engineerIdsOf, markIncidentSelected, withIncidentSelectionLock } from '../db/selections';
import { stampStages } from '../db/growth';
import { RetryableError } from '../errors';
import { deliverOnce } from './deliver';
import { afterIncidentResolved, afterLearnerJoined } from './lifecycle-hooks';
import { establishLead } from './lead-flow';
import { awaitMentor } from './mentor-flow';
import { scheduleSelection } from './selection-schedule';
import { readIncidentSeverity } from './severity-flow';
import { showIntro } from './intro-flow';
import { sendOffers } from './offer-flow';

export interface ChannelSeen {
  id: string;
  name: string;
  creator?: string | null;
  created?: number | null;
}


/**
 * A channel was created, renamed (`renamed`), or the app was added to it. If it is an incident
 * channel the app may act in, the incident is recorded and learners are invited, INVITE_DELAY
 * after it was recorded (`scheduled` until then). Safe to run any number of times.
 */
export async function onChannelAppeared(
  deps: Deps,
  channel: ChannelSeen,
  how: { renamed?: boolean; recordOnly?: boolean } = {},
): Promise<'not_incident' | 'not_member' | 'archived' | 'recorded' | 'scheduled' | 'invited'> {
  if (!deps.config.incidentChannelPattern.test(channel.name)) return 'not_incident';
  const log = deps.log.child({ channel: channel.id });
  const info = await deps.slack.channelInfo(channel.id);
  if (!info.ok) {
    if (info.retryable) throw new RetryableError(info.error, `conversations.info failed for ${channel.id}`);
    log.warn({ error: info.error }, 'incident channel cannot be read; skipped');
    return 'not_member';
  }
  if (info.value.isArchived) return 'archived';
  // A private channel is the team's business until they add the app to it.
  if (info.value.isPrivate && !info.value.isMember) {
    log.info('private incident channel without the app; nothing done until the app is added');
    return 'not_member';
  }
  // Another organisation's people are in a Slack Connect channel: never an incident, whatever its name.
  if (info.value.isExtShared) {
    log.info('channel shared with another organisation; not an incident');
    return 'not_incident';
  }
  const creator = channel.creator ?? info.value.creator;
  if (!(await creatorMayStart(deps, creator))) {
    log.info({ creator }, 'channel created by someone outside INCIDENT_CREATORS; not an incident');
    return 'not_incident';
  }
  const now = deps.clock();
  // Renaming an old channel (a team room, last year's incident) into the pattern is not a new fire.
  const created = info.value.created ?? channel.created ?? null;
  const stale = how.recordOnly === true || (how.renamed === true && created !== null && now.getTime() - created * 1000 > deps.config.renameMaxAgeMs);
  const incident = await openIncident(deps.db, {
    channelId: channel.id,
    name: info.value.name || channel.name,
    isPrivate: info.value.isPrivate,
    createdBy: creator,
    openedAt: how.renamed ? now : channel.created ? new Date(channel.created * 1000) : now,
    ...(stale ? { selectedAt: now } : {}),
  });
  if (incident.resolvedAt) return 'archived';
  if (!info.value.isPrivate && !info.value.isMember) {
    const joined = await deps.slack.joinChannel(channel.id);
    if (!joined.ok) {
      if (joined.retryable) throw new RetryableError(joined.error, 'conversations.join failed');
      log.warn({ error: joined.error, incident: incident.id }, 'could not join the incident channel; no invites');
      return 'not_member';
    }
  }
  if (stale) {
    log.info({ incident: incident.id, createdAt: created ? new Date(created * 1000) : null, renamed: how.renamed === true }, 'old incident channel recorded without invites');
    return 'recorded';
  }
  if (!incident.selectedAt && (await scheduleSelection(deps, incident))) return 'scheduled';
  await inviteLearners(deps, incident.id);
  return 'invited';
}

/** INCIDENT_CREATORS: a user named (or in a group named), or a bot user whose bot id is named. */
async function creatorMayStart(deps: Deps, creator: string | null): Promise<boolean> {
  const rule = deps.incidentCreators;
  if (!rule || mayStartIncident(rule, { userId: creator })) return true;
  if (!creator || rule.botIds.size === 0) return false;
  const user = await deps.slack.userInfo(creator);
  if (!user.ok) {
    if (user.retryable) throw new RetryableError(user.error, 'users.info failed for a channel creator');
    return false;
  }
  return Boolean(user.value.is_bot) && mayStartIncident(rule, { userId: creator, botId: user.value.profile?.bot_id ?? null });
}

/** Chooses learners once per incident (db/selections.ts says how), and records the plan in the ledger. */
async function selectOnce(deps: Deps, incidentId: number, channelMembers: string[], leadId: string | null, severity: number | null): Promise<SelectionResult | null> {
  const now = deps.clock();
  return withIncidentSelectionLock(deps.db, incidentId, async (tx, locked) => {
    const candidates = await loadCandidates(tx, now, deps.usergroups?.eligible);
    const result = chooseLearners({
      candidates,
      // The lead, even one not in the channel yet, is never invited to learn.
      channelMembers: new Set([...channelMembers, deps.botUserId, ...(leadId ? [leadId] : [])]),
      creatorId: locked.createdBy,
      leadId,
      severity,
      now,
      rules: deps.config,
    });
    await setIncidentSeverity(tx, incidentId, severity);
    const idOf = await engineerIdsOf(tx, [...result.learners.map((l) => l.slackId), ...(result.mentor ? [result.mentor.slackId] : [])]);
    for (const learner of result.learners) {
      const engineerId = idOf.get(learner.slackId)!;
      await recordInvitation(tx, {
        engineerId,
        incidentId,
        role: learner.source === 'volunteer' ? 'volunteer' : 'learner',
        source: learner.source,
        reason: learner.reason,
        invitedAt: now,
      });
    }
    await stampStages(tx, incidentId); // each learner's stage in this fire is their stage now (SPEC.md "Growth")
    const mentorEngineer = result.mentor ? idOf.get(result.mentor.slackId) : undefined;
    if (mentorEngineer !== undefined) await setRole(tx, mentorEngineer, incidentId, 'mentor', 'self_joined', now);
    await planDeliveries(tx, [
      ...result.learners.flatMap((l) => [
        { key: inviteKey(locked.channelId, l.slackId), kind: 'invite', incidentId, engineerId: idOf.get(l.slackId) },
      ]),
      // Learners in a sev0 or sev1 watch silently: they are not named in the channel.
      ...(result.learners.length > 0 && !isSilentSeverity(severity) ? [{ key: introKey(locked.channelId), kind: 'intro', incidentId }] : []),
    ]);
    await markIncidentSelected(tx, incidentId, now, result.mentor?.slackId ?? null);
    deps.log.info(
      { incident: incidentId, severity, cap: result.cap, learners: result.learners.map((l) => ({ user: l.slackId, source: l.source, experience: l.experience })), mentor: result.mentor, excluded: result.excluded },
      'learners chosen',
    );
    if (process.env.DEBUG_SEL) console.log(JSON.stringify({ learners: result.learners.map((l) => l.slackId), excluded: result.excluded, cap: result.cap }), JSON.stringify(candidates.map((c) => [c.slackId, c.level, c.status, c.learningElsewhere, c.experienced, c.optedOut, c.active])));
    return result;
  });
}

/**
 * Chooses the learners once, then brings them in as INVITE_MODE says: invited at once, or asked
 * by DM first (offer-flow.ts). Nothing once the responders said "No learners this time".
 */
export async function inviteLearners(deps: Deps, incidentId: number): Promise<void> {
  const incident = await findIncident(deps.db, incidentId);
  // Resolved before its selection was due (INVITE_DELAY), or the responders said no: nobody is invited.
  if (!incident || incident.noLearnersAt || (incident.resolvedAt && !incident.selectedAt)) return;
  const log = deps.log.child({ incident: incident.id, channel: incident.channelId });
  // The channel may have been made private since it was seen: that cancels what is not sent yet.
  if ((await checkChannel(deps, incident)) === 'resolved') return;
  if (!incident.selectedAt) {
    const members = await deps.slack.channelMembers(incident.channelId);
    if (await resolvedIfGone(deps, incident.id, members)) return;
    if (!members.ok) {
      if (members.retryable) throw new RetryableError(members.error, 'conversations.members failed');
      log.warn({ error: members.error }, 'cannot read channel members; no invites');
      return;
    }
    await selectOnce(deps, incident.id, members.value, await establishLead(deps, incident), await readIncidentSeverity(deps, incident));
  }
  // No mentor in the channel: wait MENTOR_WAIT for one to join, then ask outside (mentor-flow.ts). Queued once.
  await awaitMentor(deps, incident.id);

  if (deps.config.inviteMode === 'offer') {
    await sendOffers(deps, incident.id);
    return;
  }
  await inviteChosen(deps, incident);
}

/**
 * INVITE_MODE=invite: invites the chosen learners, then posts the intro, then plans each one's
 * welcome DM and prompts. Each step is a ledger entry, so running this again (a retry, a
 * redelivery, another replica) repeats nothing.
 */
async function inviteChosen(deps: Deps, incident: { id: number; channelId: string }): Promise<void> {
  const log = deps.log.child({ incident: incident.id, channel: incident.channelId });
  // In the order chosen: volunteers first, then the least exposed.
  const participations = await selectionParticipations(deps.db, incident.id);
  let retry = false;
  let gone = false;
  const joined: Array<{ engineerId: number; joinedAt: Date }> = [];

  for (const p of participations) {
    const { outcome } = await deliverOnce(deps, deliveryLedger(deps.db, inviteKey(incident.channelId, p.engineer.slackId)), async (delivery) => {
      const result = await deps.slack.invite(incident.channelId, p.engineer.slackId, delivery);
      deps.metrics.invites.inc({ outcome: result.ok ? 'invited' : result.error });
      if (!result.ok && result.error === 'channel_not_found') gone = true;
      return result;
    });
    if (gone) {
      // Resolving cancels what is left; the other invites would only fail the same way.
      await resolveGone(deps, incident.id);
      return;
    }
    if (outcome === 'retry') retry = true;
    if (outcome === 'sent') {
      // conversations.invite puts them in the channel at once; member_joined_channel will confirm it.
      const joinedAt = p.joinedAt ?? deps.clock();
      await markJoined(deps.db, p.id, joinedAt);
      joined.push({ engineerId: p.engineerId, joinedAt });
    }
    if (outcome === 'failed') log.warn({ user: p.engineer.slackId }, 'learner could not be invited; the others go on');
  }
  // The welcome DMs and prompts are planned after the intro, not between the invites: the ten or
  // so statements per learner stay off the path of the invites (BENCHMARKS.md, invite). Idempotent.
  const planCoaching = async () => {
    for (const j of joined) await afterLearnerJoined(deps, { incidentId: incident.id, ...j });
  };
  if (retry) {
    await planCoaching();
    throw new RetryableError('invite_retry', 'some invites failed for now; retrying the job');
  }
  if ((await showIntro(deps, incident.id, { update: false })) === 'retry') retry = true;
  await planCoaching();
  if (retry) throw new RetryableError('message_retry', 'some messages failed for now; retrying the job');
}

/** A rename can make a channel an incident, resolve one, or just change its name. */
export async function onChannelRenamed(deps: Deps, channel: ChannelSeen): Promise<void> {
  const incident = await findIncidentByChannel(deps.db, channel.id);
  if (incident) {
    if (deps.config.resolvedChannelPattern.test(channel.name)) {
      await resolve(deps, incident.id);
    } else if (incident.name !== channel.name) {
      await renameIncident(deps.db, incident.id, channel.name);
    }
    return;
  }
  await onChannelAppeared(deps, channel, { renamed: true });
}

export type ChannelState = 'public' | 'private' | 'resolved';

/**
 * What the channel of an incident is now, asked of Slack (conversations.info) before anyone is
 * offered it, joined to it or invited into it: `is_private` is stored once, and a channel made
 * private later is reported only by a message event the app may have missed. A change is stored;
 * a channel gone (`channel_not_found`, deleted) or archived resolves the incident. A channel Slack
 * cannot describe for another reason counts as private, so nobody is let in on a guess.
 */
export async function checkChannel(deps: Deps, incident: { id: number; channelId: string; isPrivate: boolean }): Promise<ChannelState> {
  const info = await deps.slack.channelInfo(incident.channelId);
  if (!info.ok) {
    if (info.retryable) throw new RetryableError(info.error, `conversations.info failed for ${incident.channelId}`);
    return (await resolvedIfGone(deps, incident.id, info)) ? 'resolved' : 'private';
  }
  if (info.value.isArchived) {
    await resolve(deps, incident.id);
    return 'resolved';
  }
  if (info.value.isPrivate && !incident.isPrivate) await onMadePrivate(deps, incident.id);
  if (!info.value.isPrivate && incident.isPrivate) await markIncidentPublic(deps.db, incident.id);
  return info.value.isPrivate ? 'private' : 'public';
}

/**
 * An incident channel was made private (`channel_convert_to_private`, or seen through
 * conversations.info): stored, and the invites, intro and welcome DMs not sent yet are cancelled.
 */
export async function onMadePrivate(deps: Deps, incidentId: number): Promise<void> {
  const changed = await markIncidentPrivate(deps.db, incidentId, deps.clock());
  let cancelled = 0;
  for (const kind of ['invite', 'welcome-dm', 'intro', 'offer']) cancelled += await cancelPending(deps.db, { incidentId, kind });
  if (changed || cancelled > 0) deps.log.info({ incident: incidentId, cancelled }, 'incident channel made private: nobody else is invited');
}

export async function onChannelMadePrivate(deps: Deps, channelId: string): Promise<void> {
  const incident = await findIncidentByChannel(deps.db, channelId);
  if (incident) await onMadePrivate(deps, incident.id);
}

/** Archived or deleted (`channel_deleted`, `group_deleted`): the incident resolves. */
export async function onChannelArchived(deps: Deps, channelId: string): Promise<void> {
  const incident = await findIncidentByChannel(deps.db, channelId);
  if (incident) await resolve(deps, incident.id);
}

/**
 * Unarchived: the incident is open again, with the learners and mentor it had; nobody new is
 * chosen (selected_at stays). One renamed to the resolved pattern stays resolved.
 */
export async function onChannelUnarchived(deps: Deps, channelId: string): Promise<void> {
  const incident = await findIncidentByChannel(deps.db, channelId);
  if (!incident || deps.config.resolvedChannelPattern.test(incident.name)) return;
  if (await reopenIncident(deps.db, incident.id)) deps.log.info({ incident: incident.id }, 'incident reopened: its channel was unarchived');
}

/** A Slack call answered `channel_not_found`: the channel was deleted (or the app removed from a private one), so the incident resolves. */
async function resolvedIfGone(deps: Deps, incidentId: number, result: { ok: boolean; error?: string }): Promise<boolean> {
  if (result.ok || result.error !== 'channel_not_found') return false;
  await resolveGone(deps, incidentId);
  return true;
}

async function resolveGone(deps: Deps, incidentId: number): Promise<void> {
  deps.log.info({ incident: incidentId }, 'incident channel not found (deleted): resolved');
  await resolve(deps, incidentId);
}

async function resolve(deps: Deps, incidentId: number): Promise<void> {
  const resolved = await resolveIncident(deps.db, incidentId, deps.clock());
  if (resolved) deps.log.info({ incident: incidentId }, 'incident resolved');
  // Runs on every call, not only the first: a crash after resolving must still finish the follow-up.
  await afterIncidentResolved(deps, incidentId);
}
