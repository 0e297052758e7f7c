import type { Deps } from '../deps';
import { loadCandidates } from '../db/engineers';
import { cancelPending, deliveryLedger, planDeliveries } from '../db/deliveries';
import { findIncident } from '../db/incidents';
import { closeOffer, createOffer, findOffer, offeredSlackIds, offersOf, recordOfferDm, withIncidentLock, type OfferStatus } from '../db/offers';
import { markJoined, participationOf, recordInvitation, selectionParticipations, withdrawUnjoinedInvitation } from '../db/participations';
import { engineerIdsOf } from '../db/selections';
import { inviteKey, offerKey, offerTimeoutKey } from '../domain/ledger-keys';
import { chooseLearners } from '../domain/selection';
import { RetryableError } from '../errors';
import type { Message } from '../slack/views/blocks';
import { noLearnersJoinReply } from '../slack/views/incident-messages';
import { notYourOfferReply, offerClosedReply, offerDm, offerEndedDm, type OfferEnd } from '../slack/views/offer-messages';
import { incidentGoneReply, incidentResolvedReply, joinFailedReply } from '../slack/views/volunteer-replies';
import { deliverOnce } from './deliver';
import { checkChannel } from './incident-flow';
import { showIntro } from './intro-flow';
import { afterLearnerJoined } from './lifecycle-hooks';
import { jobIdFor } from './prompt-flow';

/**
 * INVITE_MODE=offer (SPEC.md section 4): each chosen person is asked by DM first ("Join" /
 * "Not now"). "Not now", or no answer within OFFER_TIMEOUT (a durable job), asks the next
 * candidate in their place. A declined or expired offer counts toward the weekly cap (the
 * candidates query counts it) but leaves no participation, so it is never a fire. Offers still
 * open when the incident resolves, or when its responders say "No learners this time", are closed
 * and their DMs say so.
 */
export const OFFER_TIMEOUT_JOB = 'offer-timeout';

export interface OfferTimeoutJob {
  offerId: number;
}

/**
 * Sends the offers of an incident not sent yet (one per chosen person, each a ledger key) and
 * queues each one's timeout. Safe to run any number of times.
 */
export async function sendOffers(deps: Deps, incidentId: number): Promise<void> {
  const incident = await findIncident(deps.db, incidentId);
  if (!incident || incident.resolvedAt || incident.noLearnersAt) return;
  const now = deps.clock();
  // The people the selection chose are recorded as invitations; each gets an offer row once.
  for (const p of await selectionParticipations(deps.db, incident.id)) {
    if (p.joinedAt || (p.source !== 'auto_invite' && p.source !== 'volunteer')) continue;
    await createOffer(deps.db, { incidentId: incident.id, engineerId: p.engineerId, source: p.source, reason: p.reason ?? '', offeredAt: p.invitedAt ?? now });
    await planDeliveries(deps.db, [{ key: offerKey(incident.channelId, p.engineer.slackId), kind: 'offer', incidentId: incident.id, engineerId: p.engineerId }]);
  }
  let retry = false;
  for (const offer of await offersOf(deps.db, incident.id, 'open')) {
    const key = offerKey(incident.channelId, offer.engineer.slackId);
    const { outcome } = await deliverOnce(deps, deliveryLedger(deps.db, key), async (delivery) => {
      const message = offerDm({ offerId: offer.id, channelId: incident.channelId, source: offer.source === 'volunteer' ? 'volunteer' : 'auto_invite', timeoutMs: deps.config.offerTimeoutMs });
      const sent = await deps.slack.dm(offer.engineer.slackId, message, { incident: incident.id, offer: offer.id }, delivery);
      if (sent.ok) await recordOfferDm(deps.db, offer.id, sent.value);
      return sent;
    });
    if (outcome === 'retry') retry = true;
    if (outcome === 'failed') {
      // Slack refused the DM for good (a deactivated account): that person cannot answer, so the next one is asked.
      if (await closeOffer(deps.db, offer.id, 'expired', deps.clock())) await afterOfferClosed(deps, offer.id, 'expired');
      continue;
    }
    // Queued once per offer (the job id is derived from it); due OFFER_TIMEOUT after it was made.
    const remainingMs = Math.max(0, offer.offeredAt.getTime() + deps.config.offerTimeoutMs - deps.clock().getTime());
    await deps.jobs.send(OFFER_TIMEOUT_JOB, { offerId: offer.id } satisfies OfferTimeoutJob, { id: jobIdFor(offerTimeoutKey(offer.id)), startAfter: new Date(Date.now() + remainingMs) });
  }
  if (retry) throw new RetryableError('offer_retry', 'some offers could not be sent for now; retrying the job');
}

/** The timeout job: an offer still open after OFFER_TIMEOUT expires, and the next person is asked. */
export async function onOfferTimeout(deps: Deps, job: OfferTimeoutJob): Promise<void> {
  if (await closeOffer(deps.db, job.offerId, 'expired', deps.clock())) {
    deps.log.info({ offer: job.offerId }, 'offer timed out');
    await afterOfferClosed(deps, job.offerId, 'expired');
  }
}

/** "Not now". */
export async function declineOffer(deps: Deps, userId: string, offerId: number): Promise<Message | null> {
  const offer = await findOffer(deps.db, offerId);
  if (!offer) return incidentGoneReply();
  if (offer.engineer.slackId !== userId) return notYourOfferReply();
  if (!(await closeOffer(deps.db, offer.id, 'declined', deps.clock()))) return closedReply(deps, offer.id);
  deps.log.info({ incident: offer.incidentId, user: userId, offer: offer.id }, 'offer declined');
  await afterOfferClosed(deps, offer.id, 'declined');
  return null;
}

/**
 * An offer declined or expired: its invitation is taken back (it was never a fire), its DM says
 * so, and the next candidate is asked, unless the incident no longer wants anyone.
 */
async function afterOfferClosed(deps: Deps, offerId: number, end: 'declined' | 'expired'): Promise<void> {
  const offer = await findOffer(deps.db, offerId);
  if (!offer) return;
  await takeBack(deps, offer);
  await updateOfferDm(deps, offer, end);
  await offerNext(deps, offer.incidentId);
  await sendOffers(deps, offer.incidentId);
}

/**
 * Chooses one more person for an incident whose offer was declined or expired, by the same rules
 * as the first choice, leaving out everyone in the channel and everyone already offered it.
 */
async function offerNext(deps: Deps, incidentId: number): Promise<void> {
  const incident = await findIncident(deps.db, incidentId);
  if (!incident || incident.resolvedAt || incident.noLearnersAt || incident.isPrivate) return;
  const members = await deps.slack.channelMembers(incident.channelId);
  if (!members.ok) {
    if (members.retryable) throw new RetryableError(members.error, 'conversations.members failed');
    deps.log.warn({ incident: incident.id, error: members.error }, 'cannot read channel members; nobody else is offered');
    return;
  }
  const now = deps.clock();
  const chosen = await withIncidentLock(deps.db, incident.id, async (tx) => {
    const offered = await offeredSlackIds(tx, incident.id);
    const result = chooseLearners({
      candidates: await loadCandidates(tx, now),
      channelMembers: new Set([...members.value, ...offered, deps.botUserId]),
      creatorId: incident.createdBy,
      now,
      // One place to fill: the first volunteer, else the least exposed.
      rules: { ...deps.config, invitesPerIncident: 1, maxVolunteersPerIncident: 1 },
    });
    const next = result.learners[0];
    if (!next) return null;
    const engineerId = (await engineerIdsOf(tx, [next.slackId])).get(next.slackId)!;
    await recordInvitation(tx, { engineerId, incidentId: incident.id, role: next.source === 'volunteer' ? 'volunteer' : 'learner', source: next.source, reason: next.reason, invitedAt: now });
    await planDeliveries(tx, [{ key: inviteKey(incident.channelId, next.slackId), kind: 'invite', incidentId: incident.id, engineerId }]);
    return next;
  });
  deps.log.info({ incident: incident.id, next: chosen?.slackId ?? null }, chosen ? 'next person offered' : 'nobody else to offer');
}

/** "Join": the same checks as a Join button, then the invite, the welcome and the prompts. */
export async function acceptOffer(deps: Deps, userId: string, offerId: number): Promise<Message | null> {
  const offer = await findOffer(deps.db, offerId);
  if (!offer) return incidentGoneReply();
  if (offer.engineer.slackId !== userId) return notYourOfferReply();
  const incident = offer.incident;
  if (offer.status !== 'open') return closedReply(deps, offer.id);
  if (incident.noLearnersAt || incident.resolvedAt) {
    await closeOpenOffers(deps, incident.id);
    return incident.noLearnersAt ? noLearnersJoinReply(incident.channelId) : incidentResolvedReply(incident.channelId);
  }
  const wasPrivate = incident.isPrivate;
  const state = await checkChannel(deps, incident);
  if (state === 'resolved') return incidentResolvedReply(incident.channelId);
  // Made private since it was offered: only its members may know it is there.
  if (state === 'private' && !wasPrivate) return incidentGoneReply();
  if (!(await closeOffer(deps.db, offer.id, 'accepted', deps.clock()))) return closedReply(deps, offer.id);

  let slackError: string = 'failed';
  const { outcome } = await deliverOnce(deps, deliveryLedger(deps.db, inviteKey(incident.channelId, userId)), async (delivery) => {
    const result = await deps.slack.invite(incident.channelId, userId, delivery);
    deps.metrics.invites.inc({ outcome: result.ok ? `offer_${result.value}` : result.error });
    if (!result.ok) slackError = result.error;
    return result;
  });
  if (outcome !== 'sent') {
    deps.log.warn({ incident: incident.id, user: userId, outcome }, 'an accepted offer could not be turned into an invite');
    if (outcome === 'retry') throw new RetryableError('invite_retry', 'conversations.invite failed for an accepted offer');
    // Not in the channel, so not a fire: the invitation leaves no trace in their history.
    await withdrawUnjoinedInvitation(deps.db, offer.engineerId, incident.id);
    const now = await findIncident(deps.db, incident.id);
    // Cancelled: the responders said no, or the channel was made private, while they clicked.
    if (now?.noLearnersAt) return noLearnersJoinReply(incident.channelId);
    if (now?.resolvedAt) return incidentResolvedReply(incident.channelId);
    return outcome === 'cancelled' ? incidentGoneReply() : joinFailedReply(incident.channelId, slackError);
  }
  const participation = await participationOf(deps.db, incident.id, offer.engineerId);
  const joinedAt = participation?.joinedAt ?? deps.clock();
  if (participation && !participation.joinedAt) await markJoined(deps.db, participation.id, joinedAt);
  deps.log.info({ incident: incident.id, user: userId, offer: offer.id }, 'offer accepted');
  await updateOfferDm(deps, offer, 'accepted');
  await showIntro(deps, incident.id, { update: true });
  await afterLearnerJoined(deps, { incidentId: incident.id, engineerId: offer.engineerId, joinedAt });
  return null;
}

/**
 * The incident resolved, or its responders said no learners: every open offer is withdrawn, its
 * invitation taken back, and its DM says why. Safe to run any number of times.
 */
export async function closeOpenOffers(deps: Deps, incidentId: number): Promise<number> {
  const open = await offersOf(deps.db, incidentId, 'open');
  let closed = 0;
  for (const offer of open) {
    if (!(await closeOffer(deps.db, offer.id, 'withdrawn', deps.clock()))) continue;
    closed++;
    await takeBack(deps, offer);
    const full = await findOffer(deps.db, offer.id);
    if (full) await updateOfferDm(deps, full, endOf('withdrawn', full.incident));
  }
  if (closed > 0) deps.log.info({ incident: incidentId, closed }, 'open offers withdrawn');
  return closed;
}

/** An offer that ended unanswered or declined: its invitation and its unsent invite go, so it is never a fire. */
async function takeBack(deps: Deps, offer: { engineerId: number; incidentId: number }): Promise<void> {
  await withdrawUnjoinedInvitation(deps.db, offer.engineerId, offer.incidentId);
  await cancelPending(deps.db, { incidentId: offer.incidentId, engineerId: offer.engineerId, kind: 'invite' });
}

function endOf(status: Exclude<OfferStatus, 'open'>, incident: { noLearnersAt: Date | null }): OfferEnd {
  if (status === 'withdrawn') return incident.noLearnersAt ? 'withdrawn' : 'resolved';
  return status;
}

async function closedReply(deps: Deps, offerId: number): Promise<Message> {
  const offer = (await findOffer(deps.db, offerId))!;
  const status = offer.status === 'open' ? 'expired' : offer.status;
  return offerClosedReply({ channelId: offer.incident.channelId, end: endOf(status, offer.incident) });
}

async function updateOfferDm(deps: Deps, offer: { id: number; dmChannel: string | null; dmTs: string | null; incident: { id: number; channelId: string } }, end: OfferEnd): Promise<void> {
  if (!offer.dmChannel || !offer.dmTs) return;
  const updated = await deps.slack.update(offer.dmChannel, offer.dmTs, offerEndedDm({ channelId: offer.incident.channelId, end }), { incident: offer.incident.id, offer: offer.id });
  if (!updated.ok) deps.log.warn({ offer: offer.id, error: updated.error }, 'could not update an offer DM');
}
