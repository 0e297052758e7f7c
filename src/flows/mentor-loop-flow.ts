import type { Deps } from '../deps';
import { deliveryLedger, findDelivery, pendingDueAt, planDeliveries } from '../db/deliveries';
import { findEngineer } from '../db/engineers';
import { dueDeliveries, findDecision, learningWithContext, recordDecision, saveMentorReply, unrepliedLearnings } from '../db/growth';
import { findIncident } from '../db/incidents';
import { participationOf } from '../db/participations';
import { debriefKey, mentorReflectionKey, mentorReplyKey, stageDecisionKey } from '../domain/ledger-keys';
import { checkMentorText, MENTOR_LOOP_COPY, stageLabel } from '../domain/prompts';
import type { MentorDecision, Progress } from '../domain/progression';
import { nextWorkingMorning } from '../domain/working-time';
import { RetryableError } from '../errors';
import { mention, type Message } from '../slack/views/blocks';
import { debriefNudgeDm, mentorLoopReply, mentorReflectionDm, mentorReplyToLearnerDm, stageDecisionDm } from '../slack/views/growth-messages';
import { deliverOnce, type DeliveryOutcome } from './deliver';
import { progressOfEngineer, refreshStage } from './growth-flow';
import { jobIdFor } from './prompt-flow';

/**
 * The mentor loop after a fire (SPEC.md section "Growth"): a saved reflection reaches the
 * incident's mentor (its text only when the learner shares it), whose Reply reaches the learner
 * and whose "Ready for the next step" / "Not yet" moves or holds them; the next working morning
 * the mentor is nudged to debrief each learner not replied to yet.
 *
 * Every DM is a ledger row (once per key) sent by a `growth-dm` job whose id derives from the key;
 * the nudge is a ledger row due at a time, sent by the `debrief-nudge` job that runs every minute.
 * Only the incident's mentor, as stored, may reply or answer, whatever a button or form carries.
 */
export const GROWTH_JOB = 'growth-dm';
export const DEBRIEF_JOB = 'debrief-nudge';

export type GrowthJob =
  | { kind: 'mentor-reflection'; key: string; learningId: number }
  | { kind: 'mentor-reply'; key: string; learningId: number }
  | { kind: 'stage-decision'; key: string; incidentId: number; engineerId: number };

async function plan(deps: Deps, job: GrowthJob, row: { kind: string; incidentId: number; engineerId: number }): Promise<void> {
  await planDeliveries(deps.db, [{ key: job.key, ...row, dueAt: deps.clock() }]);
  // Queued while the row is pending, not only when new: a crash between the two steps is mended by a retry.
  if ((await pendingDueAt(deps.db, [job.key])).has(job.key)) await deps.jobs.send(GROWTH_JOB, job, { id: jobIdFor(job.key) });
}

/** A learner saved their reflection: their mentor hears of it, and gets the debrief nudge the next working morning. */
export async function afterReflectionSaved(
  deps: Deps,
  event: { incident: { id: number; channelId: string; mentorSlackId: string | null }; learner: { id: number; slackId: string }; learningId: number },
): Promise<void> {
  const mentorId = event.incident.mentorSlackId;
  if (!mentorId || mentorId === event.learner.slackId) return;
  const now = deps.clock();
  const mentor = await findEngineer(deps.db, mentorId);
  const nudgeAt = nextWorkingMorning(now, mentor?.timeZone ?? 'UTC', deps.config.workingTime);
  await planDeliveries(deps.db, [{ key: debriefKey(event.incident.channelId, mentorId), kind: DEBRIEF_JOB, incidentId: event.incident.id, engineerId: mentor?.id ?? null, dueAt: nudgeAt }]);
  await plan(
    deps,
    { kind: 'mentor-reflection', key: mentorReflectionKey(event.incident.channelId, mentorId, event.learner.slackId), learningId: event.learningId },
    { kind: 'mentor-reflection', incidentId: event.incident.id, engineerId: event.learner.id },
  );
}

/** The `growth-dm` job: one DM of the mentor loop, if its ledger row is still to send. */
export async function sendGrowthDm(deps: Deps, job: GrowthJob): Promise<DeliveryOutcome | 'gone'> {
  const row = await findDelivery(deps.db, job.key);
  if (!row || (row.status !== 'pending' && row.status !== 'sending')) return 'gone';
  const ledger = deliveryLedger(deps.db, job.key);
  let outcome: DeliveryOutcome;
  if (job.kind === 'stage-decision') {
    ({ outcome } = await deliverOnce(deps, ledger, async (delivery) => {
      const decision = await findDecision(deps.db, job.incidentId, job.engineerId);
      const participation = await participationOf(deps.db, job.incidentId, job.engineerId);
      if (!decision || !participation) return 'skip';
      // "Ready" names the stage they reached; "Not yet" the one they stay at.
      const stage = decision.decision === 'ready' ? participation.engineer.stage : (participation.stage ?? 'observer');
      const message = stageDecisionDm({ mentorId: decision.mentorSlackId, decision: decision.decision, stage, note: decision.note });
      return deps.slack.dm(participation.engineer.slackId, message, { incident: job.incidentId, decision: decision.decision }, delivery);
    }));
  } else {
    ({ outcome } = await deliverOnce(deps, ledger, async (delivery) => {
      const learning = await learningWithContext(deps.db, job.learningId);
      const mentorId = learning?.incident.mentorSlackId;
      if (!learning || !mentorId) return 'skip';
      if (job.kind === 'mentor-reply') {
        if (!learning.mentorReply) return 'skip';
        const message = mentorReplyToLearnerDm({ mentorId: learning.mentorReplyBy ?? mentorId, channelId: learning.incident.channelId, reply: learning.mentorReply });
        return deps.slack.dm(learning.engineer.slackId, message, { incident: learning.incidentId }, delivery);
      }
      const participation = await participationOf(deps.db, learning.incidentId, learning.engineerId);
      const message = mentorReflectionDm({
        learningId: learning.id,
        learnerId: learning.engineer.slackId,
        channelId: learning.incident.channelId,
        answers: learning.sharedWithMentor ? learning : null,
        stage: participation?.stage ?? 'observer',
        progress: await progressOfEngineer(deps.db, learning.engineerId),
      });
      return deps.slack.dm(mentorId, message, { incident: learning.incidentId, learner: learning.engineer.slackId }, delivery);
    }));
  }
  deps.log.info({ key: job.key, kind: job.kind, outcome }, 'mentor loop DM');
  if (outcome === 'retry') throw new RetryableError('growth_dm_retry', `${job.key} failed for now; retrying`);
  return outcome;
}

/** The `debrief-nudge` job: every nudge that has fallen due, to mentors with learners not replied to yet. */
export async function sendDueDebriefs(deps: Deps, now: Date): Promise<number> {
  let sent = 0;
  for (const row of await dueDeliveries(deps.db, DEBRIEF_JOB, now)) {
    const incident = row.incidentId === null ? null : await findIncident(deps.db, row.incidentId);
    const { outcome } = await deliverOnce(deps, deliveryLedger(deps.db, row.key), async (delivery) => {
      const mentorId = incident?.mentorSlackId;
      if (!incident || !mentorId || row.key !== debriefKey(incident.channelId, mentorId)) return 'skip';
      const learners = (await unrepliedLearnings(deps.db, incident.id)).filter((l) => l.engineer.slackId !== mentorId).map((l) => l.engineer.slackId);
      // Replied to every learner already: the debrief has no one left to nudge about.
      if (learners.length === 0) return 'skip';
      return deps.slack.dm(mentorId, debriefNudgeDm({ channelId: incident.channelId, learnerIds: learners }), { incident: incident.id }, delivery);
    });
    deps.log.info({ key: row.key, outcome }, 'debrief nudge');
    if (outcome === 'sent') sent++;
  }
  return sent;
}

// ------------------------------------------------------------------------------------------------
// The mentor's answers: Reply, "Ready for the next step", "Not yet"
// ------------------------------------------------------------------------------------------------

type Checked = { ok: true; learning: NonNullable<Awaited<ReturnType<typeof learningWithContext>>> } | { ok: false; error: string };

/** The learning a button or form names, if the presser is its incident's mentor as stored. */
async function asMentorOf(deps: Deps, userId: string, learningId: number): Promise<Checked> {
  const learning = Number.isSafeInteger(learningId) && learningId > 0 ? await learningWithContext(deps.db, learningId) : null;
  if (!learning) return { ok: false, error: MENTOR_LOOP_COPY.gone };
  if (!learning.incident.mentorSlackId || learning.incident.mentorSlackId !== userId || learning.engineer.slackId === userId) {
    deps.log.warn({ user: userId, learning: learningId, incident: learning.incidentId }, 'mentor loop answer by someone who is not the mentor; refused');
    return { ok: false, error: MENTOR_LOOP_COPY.notTheMentor };
  }
  return { ok: true, learning };
}

/** The Reply form was sent: stored with the learning, once, and on its way to the learner. */
export async function submitMentorReply(deps: Deps, input: { userId: string; learningId: number; text: string | null | undefined }): Promise<{ ok: true } | { ok: false; error: string }> {
  const checked = checkMentorText(input.text, true);
  if (!checked.ok) return checked;
  const mentor = await asMentorOf(deps, input.userId, input.learningId);
  if (!mentor.ok) return mentor;
  const { learning } = mentor;
  // Reply is only offered on a shared reflection; a forged one on a private reflection learns nothing of it.
  if (!learning.sharedWithMentor) return { ok: false, error: MENTOR_LOOP_COPY.gone };
  if (!(await saveMentorReply(deps.db, learning.id, { text: checked.text!, by: input.userId, at: deps.clock() }))) return { ok: false, error: MENTOR_LOOP_COPY.alreadyReplied };
  deps.log.info({ user: input.userId, incident: learning.incidentId, learner: learning.engineer.slackId }, 'mentor replied to a reflection');
  await plan(deps, { kind: 'mentor-reply', key: mentorReplyKey(learning.incident.channelId, learning.engineer.slackId), learningId: learning.id }, { kind: 'mentor-reply', incidentId: learning.incidentId, engineerId: learning.engineerId });
  return { ok: true };
}

class NotReady extends Error {
  constructor(readonly progress: Progress) {
    super('not ready for the next stage');
  }
}

/**
 * "Ready for the next step" or "Not yet" (with its optional note), once per learner and fire. A
 * "Ready" that would not move them on (a reflection or a fire missing, a newer fire since) records
 * nothing and tells the mentor what is missing.
 */
export async function decideStage(
  deps: Deps,
  input: { userId: string; learningId: number; decision: MentorDecision; note?: string | null },
): Promise<{ ok: true; reply: Message } | { ok: false; error: string }> {
  const mentor = await asMentorOf(deps, input.userId, input.learningId);
  if (!mentor.ok) return mentor;
  const { learning } = mentor;
  const learner = mention(learning.engineer.slackId);
  const existing = await findDecision(deps.db, learning.incidentId, learning.engineerId);
  if (existing) return { ok: false, error: MENTOR_LOOP_COPY.alreadyDecided(existing.decision) };
  const now = deps.clock();
  const before = await progressOfEngineer(deps.db, learning.engineerId);
  const row = { incidentId: learning.incidentId, engineerId: learning.engineerId, mentorSlackId: input.userId, decision: input.decision, note: input.note ?? null, decidedAt: now };
  let reply: Message;
  try {
    reply = await deps.db.$transaction(async (tx) => {
      if (!(await recordDecision(tx, row))) throw new AlreadyDecided();
      if (input.decision === 'not_yet') return mentorLoopReply(MENTOR_LOOP_COPY.held(learner));
      const engineer = await tx.engineer.findUniqueOrThrow({ where: { id: learning.engineerId } });
      const { progress, moved } = await refreshStage(tx, engineer, { slackId: input.userId, incidentId: learning.incidentId, at: now });
      if (!moved) throw new NotReady(before);
      return mentorLoopReply(MENTOR_LOOP_COPY.confirmed(learner, stageLabel(progress.stage)));
    });
  } catch (error) {
    if (error instanceof NotReady) return { ok: true, reply: mentorLoopReply(MENTOR_LOOP_COPY.notReady(learner, error.progress)) };
    if (error instanceof AlreadyDecided) {
      const decided = await findDecision(deps.db, learning.incidentId, learning.engineerId);
      return { ok: false, error: MENTOR_LOOP_COPY.alreadyDecided(decided?.decision ?? input.decision) };
    }
    throw error;
  }
  deps.log.info({ user: input.userId, incident: learning.incidentId, learner: learning.engineer.slackId, decision: input.decision }, 'mentor answered the stage buttons');
  await plan(
    deps,
    { kind: 'stage-decision', key: stageDecisionKey(learning.incident.channelId, learning.engineer.slackId), incidentId: learning.incidentId, engineerId: learning.engineerId },
    { kind: 'stage-decision', incidentId: learning.incidentId, engineerId: learning.engineerId },
  );
  return { ok: true, reply };
}

class AlreadyDecided extends Error {
  constructor() {
    super('the mentor answered already');
  }
}

/** "Not yet" with its note, from its form: the note is optional and at most 2000 characters. */
export async function submitNotYet(deps: Deps, input: { userId: string; learningId: number; note: string | null | undefined }): Promise<{ ok: true } | { ok: false; error: string }> {
  const checked = checkMentorText(input.note, false);
  if (!checked.ok) return checked;
  const decided = await decideStage(deps, { userId: input.userId, learningId: input.learningId, decision: 'not_yet', note: checked.text });
  return decided.ok ? { ok: true } : decided;
}
