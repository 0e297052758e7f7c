import type { Deps } from '../deps';
import { leadOf } from './welcome-flow';
import { deliveryLedger, findDelivery, planDeliveries } from '../db/deliveries';
import { findEngineer } from '../db/engineers';
import { findIncident, resolvedSince } from '../db/incidents';
import { joinedParticipantsIn, participationOf } from '../db/participations';
import { findPostmortemLink } from '../domain/channel-context';
import type { Role } from '../domain/experience';
import { attendReviewKey, postmortemKey } from '../domain/ledger-keys';
import { RetryableError } from '../errors';
import type { Message } from '../slack/views/blocks';
import { attendReviewDm, attendReviewReply, postmortemDm, type AttendReviewAnswer } from '../slack/views/postmortem-messages';
import { deliverOnce } from './deliver';
import { clocks } from './prompt-context';

/**
 * The postmortem (SPEC.md section "Growth", postmortem): within POSTMORTEM_WINDOW_DAYS of an
 * incident's resolution, a durable check looks in its channel for a postmortem link (a bookmark
 * or pin titled postmortem, post-mortem, incident review or retro, or a message with one), and
 * each learner gets it by DM once, with "I'd like to attend the review", which tells the lead.
 *
 * The link, like all channel text, is only read to compose those DMs: nothing stores it. A
 * learner not yet sent it is what makes the check read the channel again next time.
 */
export const POSTMORTEM_WINDOW_DAYS = 14;
const LEARNER_ROLES: Role[] = ['learner', 'volunteer'];

export interface PostmortemTally {
  incidents: number;
  read: number;
  found: number;
  sent: number;
}

/** The periodic check: every incident resolved in the window with a learner not yet sent the link. */
export async function checkPostmortems(deps: Deps, now: Date = deps.clock()): Promise<PostmortemTally> {
  const incidents = await resolvedSince(deps.db, new Date(now.getTime() - POSTMORTEM_WINDOW_DAYS * 24 * 60 * 60 * 1000));
  const tally: PostmortemTally = { incidents: incidents.length, read: 0, found: 0, sent: 0 };
  for (const incident of incidents) {
    const learners = await joinedParticipantsIn(deps.db, incident.id, LEARNER_ROLES);
    const waiting = [];
    for (const p of learners) {
      const row = await findDelivery(deps.db, postmortemKey(incident.channelId, p.engineer.slackId));
      if (!row || row.status === 'pending' || row.status === 'sending') waiting.push(p);
    }
    if (waiting.length === 0) continue;
    tally.read += 1;
    const log = deps.log.child({ incident: incident.id });
    const link = await readPostmortemLink(deps, incident, log);
    if (!link) continue;
    tally.found += 1;
    await planDeliveries(deps.db, waiting.map((p) => ({ key: postmortemKey(incident.channelId, p.engineer.slackId), kind: 'postmortem', incidentId: incident.id, engineerId: p.engineerId, dueAt: now })));
    for (const p of waiting) {
      const key = postmortemKey(incident.channelId, p.engineer.slackId);
      const { outcome } = await deliverOnce(deps, deliveryLedger(deps.db, key), (delivery) =>
        deps.slack.dm(p.engineer.slackId, postmortemDm({ incidentId: incident.id, channelId: incident.channelId, url: link }), { incident: incident.id }, delivery),
      );
      if (outcome === 'sent') tally.sent += 1;
      log.info({ user: p.engineer.slackId, outcome }, 'postmortem link to a learner');
    }
  }
  if (tally.read > 0) deps.log.info({ ...tally }, 'postmortem check');
  return tally;
}

/** The channel's postmortem link, if any: bookmarks, pins and messages since it opened. Only the URL leaves this function. */
async function readPostmortemLink(deps: Deps, incident: { channelId: string; openedAt: Date }, log: Deps['log']): Promise<string | null> {
  const clock = clocks(deps);
  const [bookmarks, pins, history] = [await deps.slack.channelBookmarks(incident.channelId), await deps.slack.pinnedMessages(incident.channelId), await deps.slack.channelMessages(incident.channelId, clock.toWall(incident.openedAt))];
  for (const read of [bookmarks, pins, history]) {
    if (!read.ok && read.retryable) throw new RetryableError(read.error, `reading ${incident.channelId} for a postmortem failed for now`);
  }
  const failed = [bookmarks, pins, history].flatMap((r) => (r.ok ? [] : [r.error]));
  if (failed.length > 0) log.info({ channel: incident.channelId, errors: failed }, 'part of the channel could not be read for a postmortem');
  const found = findPostmortemLink(history.ok ? history.value : [], { bookmarks: bookmarks.ok ? bookmarks.value : [], pins: pins.ok ? pins.value : [] });
  return found?.url ?? null;
}

/**
 * "I'd like to attend the review": the incident's lead is told once per learner; the learner is
 * answered either way. Only someone who joined the incident as a learner can ask.
 */
export async function askToAttendReview(deps: Deps, request: { userId: string; incidentId: number }): Promise<Message> {
  const answer = async (a: AttendReviewAnswer, lead: string | null = null) => attendReviewReply(a, lead);
  const incident = await findIncident(deps.db, request.incidentId);
  const engineer = incident ? await findEngineer(deps.db, request.userId) : null;
  const participation = incident && engineer ? await participationOf(deps.db, incident.id, engineer.id) : null;
  if (!incident || !engineer?.active || !participation?.joinedAt || !LEARNER_ROLES.includes(participation.role)) return answer('not_a_learner');
  // Who is told that a learner would like to attend the review: the incident's lead.
  const lead = await leadOf(deps, incident);
  if (!lead || lead === request.userId) return answer('no_lead');
  const key = attendReviewKey(incident.channelId, request.userId);
  await planDeliveries(deps.db, [{ key, kind: 'attend-review', incidentId: incident.id, engineerId: engineer.id, dueAt: deps.clock() }]);
  const { outcome, ours } = await deliverOnce(deps, deliveryLedger(deps.db, key), (delivery) =>
    deps.slack.dm(lead, attendReviewDm({ learnerId: request.userId, channelId: incident.channelId }), { incident: incident.id, learner: request.userId }, delivery),
  );
  if (outcome === 'retry') throw new RetryableError('attend_review_retry', `telling ${lead} failed for now`);
  deps.log.info({ incident: incident.id, user: request.userId, lead, outcome }, 'learner asked to attend the review');
  if (outcome === 'sent') return answer(ours ? 'told' : 'already_told', lead);
  return answer(outcome === 'failed' ? 'no_lead' : 'already_told', lead);
}
