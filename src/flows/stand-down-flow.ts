import type { Deps } from '../deps';
import { cancelPending, deliveriesOf, deliveryLedger, planDeliveries } from '../db/deliveries';
import { findEngineer } from '../db/engineers';
import { findIncident, markNoLearners } from '../db/incidents';
import { activeParticipantsIn, participationOf, selectionParticipations } from '../db/participations';
import { stoodDownKey } from '../domain/ledger-keys';
import { RetryableError } from '../errors';
import type { Message } from '../slack/views/blocks';
import {
  introStoodDown,
  noLearnersAlreadyReply,
  noLearnersDoneReply,
  noLearnersLearnerReply,
  noLearnersNotInChannelReply,
  stoodDownDm,
} from '../slack/views/incident-messages';
import { incidentGoneReply } from '../slack/views/volunteer-replies';
import { deliverOnce } from './deliver';
import { closeOpenOffers } from './offer-flow';
import { cancelCoaching } from './prompt-flow';

/**
 * "No learners this time" (SPEC.md section 4), pressed on the intro message by anyone in the
 * channel who is not a learner there. Membership is asked of Slack, not taken from the payload.
 * The first press is stamped (who, when) for the admin report; the follow-up runs on every press,
 * since it is idempotent and a crash after the stamp must still finish it, so a second press
 * changes nothing more.
 */
export async function pressNoLearners(deps: Deps, userId: string, incidentId: number): Promise<Message> {
  const incident = await findIncident(deps.db, incidentId);
  if (!incident) return incidentGoneReply();
  const members = await deps.slack.channelMembers(incident.channelId);
  if (!members.ok) {
    if (members.retryable) throw new RetryableError(members.error, 'conversations.members failed');
    return incidentGoneReply();
  }
  if (!members.value.includes(userId)) return noLearnersNotInChannelReply();
  const engineer = await findEngineer(deps.db, userId);
  const own = engineer ? await participationOf(deps.db, incident.id, engineer.id) : null;
  if (own && !own.leftAt && (own.role === 'learner' || own.role === 'volunteer')) return noLearnersLearnerReply();

  const first = await markNoLearners(deps.db, incident.id, userId, deps.clock());
  const log = deps.log.child({ incident: incident.id, channel: incident.channelId, user: userId });
  if (first) log.info('responders asked for no learners this time');
  await standDown(deps, incident.id);
  if (first) return noLearnersDoneReply();
  const stamped = (await findIncident(deps.db, incident.id))!;
  return noLearnersAlreadyReply(stamped.noLearnersBy ?? userId);
}

/** Withdraws open offers, cancels every unsent invite and coaching DM, tells each learner kindly, and updates the intro. */
async function standDown(deps: Deps, incidentId: number): Promise<void> {
  const incident = (await findIncident(deps.db, incidentId))!;
  await closeOpenOffers(deps, incident.id);
  let cancelled = await cancelCoaching(deps, incident.id);
  for (const kind of ['invite', 'offer', 'intro']) cancelled += await cancelPending(deps.db, { incidentId: incident.id, kind });

  // Those coached here (their welcome DM was planned before the press): someone who joins later
  // never is, so a second press tells nobody new.
  const coached = new Set((await deliveriesOf(deps.db, incident.id, 'welcome-dm')).map((d) => d.engineerId));
  const learners = (await activeParticipantsIn(deps.db, incident.id, ['learner', 'volunteer'])).filter((p) => coached.has(p.engineerId));
  await planDeliveries(deps.db, learners.map((p) => ({ key: stoodDownKey(incident.channelId, p.engineer.slackId), kind: 'stood-down', incidentId: incident.id, engineerId: p.engineerId })));
  let retry = false;
  for (const p of learners) {
    const { outcome } = await deliverOnce(deps, deliveryLedger(deps.db, stoodDownKey(incident.channelId, p.engineer.slackId)), (delivery) =>
      deps.slack.dm(p.engineer.slackId, stoodDownDm({ channelId: incident.channelId }), { incident: incident.id }, delivery),
    );
    if (outcome === 'retry') retry = true;
  }
  if (incident.introTs && incident.noLearnersBy) {
    const named = (await selectionParticipations(deps.db, incident.id))
      .filter((p) => p.joinedAt && (p.role === 'learner' || p.role === 'volunteer'))
      .map((p) => ({ slackId: p.engineer.slackId, source: p.source === 'volunteer' ? ('volunteer' as const) : ('auto_invite' as const) }));
    const updated = await deps.slack.update(incident.channelId, incident.introTs, introStoodDown({ learners: named, pressedBy: incident.noLearnersBy }), { incident: incident.id });
    if (!updated.ok && updated.retryable) retry = true;
  }
  if (cancelled > 0) deps.log.info({ incident: incident.id, cancelled }, 'no learners this time: unsent invites and prompts cancelled');
  if (retry) throw new RetryableError('stand_down_retry', 'some messages could not be sent for now; press again or wait for a retry');
}
