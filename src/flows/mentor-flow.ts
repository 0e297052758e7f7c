import type { Deps } from '../deps';
import { deliveryLedger, planDeliveries } from '../db/deliveries';
import { findIncident } from '../db/incidents';
import { acceptAsk, claimMentor, closeAsk, findAsk, openAskFor, openAsksOf, outsideMentorPool, saveAskDm, saveMentorDm } from '../db/mentors';
import { activeParticipantsIn, participationOf, setRole } from '../db/participations';
import { weekBounds, weekStartOf } from '../domain/iso-week';
import { mentorAskKey, mentorAskTimeoutKey, mentorKnownKey, mentorNoticeKey, mentorSummaryKey, mentorWaitKey } from '../domain/ledger-keys';
import { canMentor, mentorWaitEndsAt, nextOutsideMentor, withinMentorWait } from '../domain/mentor-choice';
import type { Role } from '../domain/experience';
import { mentorStageLine, playbookFor } from '../domain/prompts';
import { RetryableError } from '../errors';
import type { Message } from '../slack/views/blocks';
import { mentorAskAnswered, mentorAskClosedReply, mentorAskDm, mentorSummaryDm, yourMentorIsDm, type AskOutcome } from '../slack/views/mentor-messages';
import { deliverOnce } from './deliver';
import { showIntro } from './intro-flow';
import { experienceOf, jobIdFor } from './prompt-flow';
import { establishLead } from './lead-flow';
import { ensureEngineer } from './roster-flow';

/**
 * Who leads and who mentors an incident (SPEC.md section 4, "Who leads, who mentors").
 *
 * The lead is read from the channel when selection runs. The mentor is someone in the channel
 * then (domain/selection.ts), or the first mentor-flagged or senior person who joins within
 * MENTOR_WAIT, or a mentor-flagged engineer outside the channel who says "I'll coach" to a DM,
 * or at last the lead. Every timer is a `mentor` job (jobs/mentor.ts) whose id comes from a
 * ledger key, and every ask, answer and mentor change is a conditional row update, so each
 * happens once across retries and replicas.
 */
export const MENTOR_JOB = 'mentor';

export type MentorJob =
  /** MENTOR_WAIT is over: if nobody mentors yet, ask outside the channel */
  | { kind: 'wait-over'; incidentId: number }
  /** MENTOR_ASK_TIMEOUT after an ask: unanswered, it times out and the next person is asked */
  | { kind: 'ask-timeout'; askId: number }
  /** the mentor became known after the learners were welcomed: tell them, then the mentor's DM */
  | { kind: 'mentor-known'; incidentId: number }
  /** send or update the mentor's one DM about the learners */
  | { kind: 'mentor-dm'; incidentId: number };

const LEARNER_ROLES: Role[] = ['learner', 'volunteer'];

async function queue(deps: Deps, job: MentorJob, options: { key?: string; dueAt?: Date } = {}): Promise<void> {
  const remainingMs = Math.max(0, (options.dueAt?.getTime() ?? 0) - deps.clock().getTime());
  await deps.jobs.send(MENTOR_JOB, job, {
    ...(options.key ? { id: jobIdFor(options.key) } : {}),
    ...(remainingMs > 0 ? { startAfter: new Date(Date.now() + remainingMs) } : {}),
  });
}

// ------------------------------------------------------------------------------------------------
// Waiting for a mentor, and asking outside the channel
// ------------------------------------------------------------------------------------------------

/**
 * After selection: an incident with no mentor in its channel waits MENTOR_WAIT for one to join,
 * then asks outside. Queued under a key, so calling this again (a retried job) queues nothing new.
 */
export async function awaitMentor(deps: Deps, incidentId: number): Promise<void> {
  const incident = await findIncident(deps.db, incidentId);
  if (!incident?.selectedAt || incident.mentorSlackId || incident.resolvedAt) return;
  await queue(deps, { kind: 'wait-over', incidentId }, { key: mentorWaitKey(incident.channelId), dueAt: mentorWaitEndsAt(incident.selectedAt, deps.config.mentorWaitMs) });
}

/**
 * Someone who is not a learner joined an incident channel: within MENTOR_WAIT of the selection, a
 * mentor-flagged or senior person who is not the lead becomes the mentor of an incident without one.
 */
export async function onResponderJoined(deps: Deps, event: { incidentId: number; engineerId: number; at: Date }): Promise<void> {
  const incident = await findIncident(deps.db, event.incidentId);
  if (!incident?.selectedAt || incident.mentorSlackId || incident.resolvedAt) return;
  if (!withinMentorWait(incident.selectedAt, event.at, deps.config.mentorWaitMs)) return;
  const participation = await participationOf(deps.db, incident.id, event.engineerId);
  if (!participation || participation.leftAt || participation.role !== 'responder' || !canMentor(participation.engineer)) return;
  const lead = await establishLead(deps, incident);
  if (lead === participation.engineer.slackId) return;
  if (!(await claimMentor(deps.db, incident.id, participation.engineer.slackId))) return;
  await setRole(deps.db, event.engineerId, incident.id, 'mentor', 'self_joined', event.at);
  deps.log.info({ incident: incident.id, mentor: participation.engineer.slackId }, 'mentor joined the channel within MENTOR_WAIT');
  await mentorFoundLate(deps, incident.id, incident.channelId, participation.engineer.slackId);
}

/** The `wait-over` job: nobody mentors yet, so someone outside the channel is asked. */
async function onWaitOver(deps: Deps, incidentId: number): Promise<void> {
  const incident = await findIncident(deps.db, incidentId);
  if (!incident || incident.mentorSlackId || incident.resolvedAt) return;
  const learners = await activeParticipantsIn(deps.db, incident.id, LEARNER_ROLES);
  if (learners.length === 0) {
    deps.log.info({ incident: incident.id }, 'no mentor joined, and no learner is there to coach: nobody asked');
    return;
  }
  await continueSearch(deps, incident.id);
}

/**
 * Makes sure the search for a mentor goes on: the open ask, if any, is sent and timed (again: both
 * are once-only), else the next person is asked. What a retry after a crash at any step needs.
 */
async function continueSearch(deps: Deps, incidentId: number): Promise<void> {
  const [open] = await openAsksOf(deps.db, incidentId);
  if (open) await sendAsk(deps, open.id);
  else await askNext(deps, incidentId);
}

/**
 * Asks the next mentor-flagged engineer outside the channel; when nobody is left, the lead (a
 * human) mentors. A private incident is never shown to anyone outside it, so it goes to the lead.
 */
async function askNext(deps: Deps, incidentId: number): Promise<void> {
  const incident = await findIncident(deps.db, incidentId);
  if (!incident || incident.mentorSlackId || incident.resolvedAt) return;
  const log = deps.log.child({ incident: incident.id });
  const lead = await establishLead(deps, incident);
  const learners = await activeParticipantsIn(deps.db, incident.id, LEARNER_ROLES);
  let next: string | null = null;
  if (!incident.isPrivate) {
    const members = await deps.slack.channelMembers(incident.channelId);
    if (!members.ok) {
      if (members.retryable) throw new RetryableError(members.error, 'conversations.members failed');
      log.warn({ error: members.error }, 'cannot read the channel members: nobody outside is asked');
    } else {
      const now = deps.clock();
      const exclude = [...members.value, ...(lead ? [lead] : []), ...learners.map((l) => l.engineer.slackId)];
      const pool = await outsideMentorPool(deps.db, incident.id, exclude, weekBounds(weekStartOf(now, 'UTC'), 'UTC').start);
      next = nextOutsideMentor(pool, now, deps.config.workingTime);
    }
  }
  if (!next) {
    await leadMentors(deps, incident, lead);
    return;
  }
  const engineer = await ensureEngineer(deps, next);
  if (!engineer) return;
  const ask = await openAskFor(deps.db, incident.id, engineer.id, deps.clock());
  if (!ask) return;
  await sendAsk(deps, ask.id);
}

/** Sends an open ask's DM once, remembers where it is, and starts its MENTOR_ASK_TIMEOUT. */
async function sendAsk(deps: Deps, askId: number): Promise<void> {
  const ask = await findAsk(deps.db, askId);
  if (!ask || ask.state !== 'open') return;
  const { incident, engineer } = ask;
  const key = mentorAskKey(incident.channelId, engineer.slackId);
  await planDeliveries(deps.db, [{ key, kind: 'mentor-ask', incidentId: incident.id, engineerId: engineer.id }]);
  const learners = await activeParticipantsIn(deps.db, incident.id, LEARNER_ROLES);
  const { outcome } = await deliverOnce(deps, deliveryLedger(deps.db, key), async (delivery) => {
    const message = mentorAskDm({ askId: ask.id, channelId: incident.channelId, learnerIds: learners.map((l) => l.engineer.slackId), leadId: incident.leadSlackId });
    const sent = await deps.slack.dm(engineer.slackId, message, { incident: incident.id, ask: ask.id }, delivery);
    if (sent.ok) await saveAskDm(deps.db, ask.id, sent.value.channel, sent.value.ts);
    return sent;
  });
  if (outcome === 'retry') throw new RetryableError('mentor_ask_retry', `${key} failed for now; retrying`);
  deps.log.info({ incident: incident.id, user: engineer.slackId, outcome }, 'outside mentor asked to coach');
  await queue(deps, { kind: 'ask-timeout', askId: ask.id }, { key: mentorAskTimeoutKey(incident.channelId, engineer.slackId), dueAt: new Date(ask.askedAt.getTime() + deps.config.mentorAskTimeoutMs) });
  // A DM that could not go out at all (the person left, Slack refused) asks the next one now.
  if (outcome === 'failed') await closeAndGoOn(deps, ask.id, 'timed_out');
}

/** Nobody else answered: the lead mentors, when there is one (a human, by establishLead). */
async function leadMentors(deps: Deps, incident: { id: number; channelId: string }, lead: string | null): Promise<void> {
  const engineer = lead ? await ensureEngineer(deps, lead) : null;
  if (!engineer?.active) {
    deps.log.info({ incident: incident.id }, 'no mentor found, and no lead to fall back on');
    return;
  }
  if (!(await claimMentor(deps.db, incident.id, engineer.slackId))) return;
  await setRole(deps.db, engineer.id, incident.id, 'mentor', 'self_joined', deps.clock());
  deps.log.info({ incident: incident.id, mentor: engineer.slackId }, 'nobody else could mentor: the lead mentors');
  await mentorFoundLate(deps, incident.id, incident.channelId, engineer.slackId);
}

/** Closes an open ask (a no, a timeout), updates its DM, and asks the next person. */
async function closeAndGoOn(deps: Deps, askId: number, state: 'declined' | 'timed_out'): Promise<void> {
  const ask = await findAsk(deps.db, askId);
  if (!ask) return;
  if (ask.state === 'open' && (await closeAsk(deps.db, ask.id, state, deps.clock()))) {
    deps.log.info({ incident: ask.incidentId, user: ask.engineer.slackId, state }, 'outside mentor ask closed');
    await updateAskDm(deps, ask.id, state);
  }
  // Also after a crash between closing and asking: the search goes on unless someone accepted.
  await continueSearch(deps, ask.incidentId);
}

async function updateAskDm(deps: Deps, askId: number, outcome: AskOutcome): Promise<void> {
  // Read fresh: the DM's place is stored right after Slack answered, maybe after the press was read.
  const ask = await findAsk(deps.db, askId);
  if (!ask?.dmChannel || !ask.dmTs) {
    deps.log.warn({ ask: askId, outcome }, 'the ask DM has no recorded place; left as it is');
    return;
  }
  const updated = await deps.slack.update(ask.dmChannel, ask.dmTs, mentorAskAnswered(ask.incident.channelId, outcome), { ask: ask.id });
  // The answer stands either way; a DM left with its buttons answers "closed already" if pressed.
  if (!updated.ok) deps.log.warn({ ask: ask.id, error: updated.error }, 'could not update the ask DM');
}

/** "I'll coach" or "Not this time" on an ask DM. Returns a reply for the person, or null when the DM itself says it. */
export async function answerMentorAsk(deps: Deps, userId: string, askId: number, answer: 'accept' | 'decline'): Promise<Message | null> {
  const ask = Number.isSafeInteger(askId) && askId > 0 ? await findAsk(deps.db, askId) : null;
  if (!ask || ask.engineer.slackId !== userId) {
    deps.log.warn({ user: userId, ask: askId }, 'mentor ask button for an ask that is not theirs; ignored');
    return null;
  }
  const channelId = ask.incident.channelId;
  if (answer === 'decline') {
    if (ask.state !== 'open') return mentorAskClosedReply(channelId);
    await closeAndGoOn(deps, ask.id, 'declined');
    return null;
  }
  if (ask.incident.resolvedAt || !(await acceptAsk(deps.db, ask.id, deps.clock()))) return mentorAskClosedReply(channelId);
  await setRole(deps.db, ask.engineerId, ask.incidentId, 'mentor', 'self_joined', deps.clock());
  deps.log.info({ incident: ask.incidentId, mentor: userId }, 'outside mentor accepted to coach');
  await updateAskDm(deps, ask.id, 'accepted');
  await mentorFoundLate(deps, ask.incidentId, channelId, userId);
  return null;
}

/** The incident resolved: asks still open are withdrawn and their DMs say so. */
export async function withdrawMentorAsks(deps: Deps, incidentId: number): Promise<void> {
  for (const ask of await openAsksOf(deps.db, incidentId)) {
    if (await closeAsk(deps.db, ask.id, 'withdrawn', deps.clock())) await updateAskDm(deps, ask.id, 'withdrawn');
  }
}

// ------------------------------------------------------------------------------------------------
// Telling people
// ------------------------------------------------------------------------------------------------

/** The mentor became known after the learners were welcomed: they hear who it is (a job, so it survives a crash). */
async function mentorFoundLate(deps: Deps, incidentId: number, channelId: string, mentorId: string): Promise<void> {
  await queue(deps, { kind: 'mentor-known', incidentId }, { key: mentorKnownKey(channelId, mentorId) });
}

/**
 * A learner is in the channel: the mentor's one DM names them too (sent, or updated); with no
 * mentor after MENTOR_WAIT, the search for one goes on.
 */
export async function refreshMentorDm(deps: Deps, incidentId: number): Promise<void> {
  await queue(deps, { kind: 'mentor-dm', incidentId });
}

async function tellLearners(deps: Deps, incidentId: number): Promise<void> {
  const incident = await findIncident(deps.db, incidentId);
  if (!incident?.mentorSlackId || incident.resolvedAt) return;
  const mentorId = incident.mentorSlackId;
  const fromOutside = await isOutside(deps, incident.id, mentorId);
  const learners = (await activeParticipantsIn(deps.db, incident.id, LEARNER_ROLES)).filter((l) => l.engineer.slackId !== mentorId);
  await planDeliveries(deps.db, learners.map((l) => ({ key: mentorNoticeKey(incident.channelId, l.engineer.slackId), kind: 'mentor-notice', incidentId: incident.id, engineerId: l.engineerId })));
  let retry = false;
  for (const l of learners) {
    const { outcome } = await deliverOnce(deps, deliveryLedger(deps.db, mentorNoticeKey(incident.channelId, l.engineer.slackId)), (delivery) =>
      deps.slack.dm(l.engineer.slackId, yourMentorIsDm({ channelId: incident.channelId, mentorId, fromOutside }), { incident: incident.id }, delivery),
    );
    if (outcome === 'retry') retry = true;
  }
  await sendOrUpdateMentorDm(deps, incident.id);
  // The channel's intro names the mentor too, once known (never for sev0-1, whose learners are not named).
  if ((await showIntro(deps, incident.id, { update: true })) === 'retry') retry = true;
  if (retry) throw new RetryableError('mentor_notice_retry', 'some learners could not be told who their mentor is yet; retrying');
}

/** Whether the mentor coaches from outside the channel (an accepted ask). */
async function isOutside(deps: Deps, incidentId: number, mentorId: string): Promise<boolean> {
  const mentor = await ensureEngineer(deps, mentorId);
  if (!mentor) return false;
  const asked = await deps.db.mentorAsk.count({ where: { incidentId, engineerId: mentor.id, state: 'accepted' } });
  return asked > 0;
}

/**
 * The mentor's one DM about the incident's learners: posted once (ledger key mentor-summary),
 * its place stored on the incident, then replaced with chat.update by whichever replica runs
 * next, each time listing every learner in the channel.
 */
async function sendOrUpdateMentorDm(deps: Deps, incidentId: number): Promise<void> {
  const incident = await findIncident(deps.db, incidentId);
  if (!incident || incident.resolvedAt) return;
  if (!incident.mentorSlackId) {
    // A learner came after MENTOR_WAIT ran out with nobody to coach (a volunteer at minute 20):
    // the search starts now. While it runs, this finds the open ask and changes nothing.
    if (incident.selectedAt && deps.clock() >= mentorWaitEndsAt(incident.selectedAt, deps.config.mentorWaitMs)) await onWaitOver(deps, incident.id);
    return;
  }
  const mentorId = incident.mentorSlackId;
  const learners = (await activeParticipantsIn(deps.db, incident.id, LEARNER_ROLES)).filter((l) => l.engineer.slackId !== mentorId);
  if (learners.length === 0) return;
  const message = mentorSummaryDm({
    channelId: incident.channelId,
    learners: await Promise.all(
      learners.map(async (l) => ({
        slackId: l.engineer.slackId,
        // The learner's stage this time, and a way to give them that role (SPEC.md section 12).
        experience: [...(await experienceOf(deps, l.engineer, incident.id)), ...(l.stage ? [mentorStageLine(l.stage)] : [])],
      })),
    ),
    ideas: playbookFor(incident.name).mentorIdeas,
    fromOutside: await isOutside(deps, incident.id, mentorId),
  });
  const context = { incident: incident.id, learners: learners.length };
  if (incident.mentorDmChannel && incident.mentorDmTs) {
    const updated = await deps.slack.update(incident.mentorDmChannel, incident.mentorDmTs, message, context);
    if (!updated.ok && updated.retryable) throw new RetryableError(updated.error, 'chat.update of the mentor DM failed');
    if (!updated.ok) deps.log.warn({ ...context, error: updated.error }, 'could not update the mentor DM');
    return;
  }
  const key = mentorSummaryKey(incident.channelId, mentorId);
  await planDeliveries(deps.db, [{ key, kind: 'mentor-summary', incidentId: incident.id }]);
  const { outcome, ours } = await deliverOnce(deps, deliveryLedger(deps.db, key), async (delivery) => {
    const sent = await deps.slack.dm(mentorId, message, context, delivery);
    // Stored before the ledger says sent, so whoever finds it sent can update it.
    if (sent.ok) await saveMentorDm(deps.db, incident.id, sent.value.channel, sent.value.ts);
    return sent;
  });
  // Sent by another run meanwhile: this run's learners may be newer than what it listed.
  if (outcome === 'retry' || (outcome === 'sent' && !ours)) throw new RetryableError('mentor_dm_retry', `${key} is being sent elsewhere; updating it next`);
}

/** Runs one `mentor` job. */
export async function runMentorJob(deps: Deps, job: MentorJob): Promise<void> {
  switch (job.kind) {
    case 'wait-over':
      return onWaitOver(deps, job.incidentId);
    case 'ask-timeout':
      return closeAndGoOn(deps, job.askId, 'timed_out');
    case 'mentor-known':
      return tellLearners(deps, job.incidentId);
    case 'mentor-dm':
      return sendOrUpdateMentorDm(deps, job.incidentId);
  }
}
