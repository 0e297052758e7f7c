import { v5 as uuidv5 } from 'uuid';
import type { Deps } from '../deps';
import { cancelPending, deliveryLedger, findDelivery, pendingDueAt, planDeliveries, type PlannedDelivery } from '../db/deliveries';
import { activeParticipantsIn, otherParticipations, participationOf } from '../db/participations';
import { findEngineer } from '../db/engineers';
import { findIncident } from '../db/incidents';
import { findLearning, saveLearning } from '../db/learnings';
import { historyOf, type Level, type Role } from '../domain/experience';
import { promptKey, reflectionKey, welcomeKey } from '../domain/ledger-keys';
import {
  mentorExperienceLines,
  planPrompts,
  playbookById,
  playbookFor,
  promptStep,
  validateReflection,
  type ReflectionField,
} from '../domain/prompts';
import { isSilentSeverity } from '../domain/severity';
import { RetryableError } from '../errors';
import { promptMessage, reflectionPromptDm } from '../slack/views/prompt-messages';
import { reflectionGoneModal, reflectionModal } from '../slack/views/reflection-modal';
import { deliverOnce, type DeliveryOutcome } from './deliver';
import { readPromptContext } from './prompt-context';
import { withLevelQuestion } from './level-flow';
import type { OutgoingMessage } from '../slack/gateway';
import { welcomeFor } from './welcome-flow';
import { afterReflectionSaved } from './mentor-loop-flow';

/**
 * Guided prompts and the reflection (SPEC.md section 5); the mentor's DM is mentor-flow.ts's.
 *
 * Every DM here is a row in the delivery ledger, planned when the learner joins (or the incident
 * resolves), and a pg-boss job that sends it when due. The ledger row is what makes it go out once
 * per learner, incident and prompt; the job is what makes it survive a restart. Leaving or
 * resolution cancels the rows not yet sent, and the job finds them cancelled.
 */
export const PROMPT_JOB = 'send-prompt';

/** One coaching DM to send; the ledger key says which. */
export type CoachingJob =
  | { kind: 'welcome'; key: string; incidentId: number; engineerId: number }
  | { kind: 'prompt'; key: string; incidentId: number; engineerId: number; number: number; total: number; playbook: string }
  /** no longer queued: see sendCoachingDm */
  | { kind: 'mentor-dm'; key: string; incidentId: number; engineerId: number; mentorSlackId: string }
  | { kind: 'reflection'; key: string; incidentId: number; engineerId: number };

const LEARNER_ROLES: Role[] = ['learner', 'volunteer'];

/** Smokejumper's namespace for name-based job ids; fixed forever, or queued jobs would get new ids. */
export const JOB_ID_NAMESPACE = 'dfd11e0c-4696-4ce3-badb-1f8dc101eb85';

/** A job id derived from the ledger key (a version 5 UUID), so that the same DM is never queued twice. */
export function jobIdFor(key: string): string {
  return uuidv5(key, JOB_ID_NAMESPACE);
}

/**
 * Queues the job for a ledger row, due at `dueAt` on the app's clock. startAfter is on the real
 * wall clock (pg-boss compares it with the database's now()), so only the remaining time carries over.
 */
async function enqueue(deps: Deps, job: CoachingJob, dueAt: Date | null): Promise<void> {
  const remainingMs = Math.max(0, (dueAt?.getTime() ?? 0) - deps.clock().getTime());
  const startAfter = new Date(Date.now() + remainingMs);
  // pg-boss inserts with ON CONFLICT DO NOTHING on the job id: a redelivered join, a retried event
  // job or a second replica queueing the same DM adds nothing. (JobQueue.send takes no id, hence boss.)
  await deps.jobs.send(PROMPT_JOB, job, { id: jobIdFor(job.key), startAfter });
}

/**
 * A learner is in an incident channel (invited, volunteered or joined on their own): plan their
 * prompts from when they joined, and the mentor's pairing DM. Safe to call any number of times.
 */
export async function onLearnerJoined(deps: Deps, event: { incidentId: number; engineerId: number; joinedAt: Date }): Promise<void> {
  const incident = await findIncident(deps.db, event.incidentId);
  // Responders who said "No learners this time" get no coaching in their channel, whoever joins.
  if (!incident || incident.resolvedAt || incident.noLearnersAt) return;
  const participation = await participationOf(deps.db, incident.id, event.engineerId);
  if (!participation || participation.leftAt || !LEARNER_ROLES.includes(participation.role)) return;

  const now = deps.clock();
  const joined = participation.joinedAt ?? event.joinedAt;
  // A join stamped ahead of our clock (Slack's event_time against ours) counts from now.
  const start = joined.getTime() > now.getTime() ? now : joined;
  const learnerId = participation.engineer.slackId;
  const playbook = playbookFor(incident.name);
  const plan = planPrompts(playbook, deps.config.promptScheduleMs);
  const jobs: Array<{ job: CoachingJob; planned: PlannedDelivery }> = plan.map((p) => {
    // The first entry of the schedule is the welcome DM, which replaces the orientation prompt.
    if (p.number === 1) {
      const key = welcomeKey(incident.channelId, learnerId);
      return { job: { kind: 'welcome', key, incidentId: incident.id, engineerId: event.engineerId }, planned: { key, kind: 'welcome-dm', incidentId: incident.id, engineerId: event.engineerId, dueAt: new Date(start.getTime() + p.delayMs) } };
    }
    const key = promptKey(incident.channelId, learnerId, p.number);
    return {
      job: { kind: 'prompt', key, incidentId: incident.id, engineerId: event.engineerId, number: p.number, total: plan.length, playbook: playbook.id },
      planned: { key, kind: 'prompt', incidentId: incident.id, engineerId: event.engineerId, dueAt: new Date(start.getTime() + p.delayMs) },
    };
  });
  const created = await planDeliveries(deps.db, jobs.map((j) => j.planned));
  // Queued for every row still pending, not only the new ones: a crash between the two steps is mended by the retry.
  const pending = await pendingDueAt(deps.db, jobs.map((j) => j.job.key));
  for (const { job } of jobs) {
    if (pending.has(job.key)) await enqueue(deps, job, pending.get(job.key) ?? null);
  }
  if (created > 0) {
    deps.log.info({ incident: incident.id, user: learnerId, playbook: playbook.id, prompts: plan.length }, 'prompts scheduled');
  }
}

/** A learner left: what has not gone out yet never will. */
export async function onLearnerLeft(deps: Deps, event: { incidentId: number; engineerId: number }): Promise<void> {
  const prompts =
    (await cancelPending(deps.db, { incidentId: event.incidentId, engineerId: event.engineerId, kind: 'prompt' })) +
    (await cancelPending(deps.db, { incidentId: event.incidentId, engineerId: event.engineerId, kind: 'welcome-dm' }));
  const mentorDms = await cancelPending(deps.db, { incidentId: event.incidentId, engineerId: event.engineerId, kind: 'mentor-dm' });
  if (prompts + mentorDms > 0) deps.log.info({ incident: event.incidentId, engineer: event.engineerId, cancelled: prompts + mentorDms }, 'prompts cancelled: the learner left');
}

/**
 * The incident resolved: cancel the prompts not yet sent, and ask each learner still in the
 * channel for a reflection. Safe to call any number of times.
 */
export async function onIncidentResolved(deps: Deps, incidentId: number): Promise<void> {
  const incident = await findIncident(deps.db, incidentId);
  if (!incident) return;
  const cancelled = await cancelCoaching(deps, incidentId);
  // Someone who became a guest or left the workspace meanwhile is not asked.
  const learners = await activeParticipantsIn(deps.db, incidentId, LEARNER_ROLES);
  const jobs: CoachingJob[] = learners.map((p) => ({ kind: 'reflection', key: reflectionKey(incident.channelId, p.engineer.slackId), incidentId, engineerId: p.engineerId }));
  const created = await planDeliveries(deps.db, jobs.map((j) => ({ key: j.key, kind: 'reflection', incidentId, engineerId: j.engineerId, dueAt: deps.clock() })));
  const pending = await pendingDueAt(deps.db, jobs.map((j) => j.key));
  for (const job of jobs) if (pending.has(job.key)) await enqueue(deps, job, null);
  if (cancelled + created > 0) deps.log.info({ incident: incidentId, cancelled, reflections: created }, 'incident resolved: prompts cancelled, reflections planned');
}

/** Cancels every coaching DM of an incident not sent yet (resolution, "No learners this time"). */
export async function cancelCoaching(deps: Deps, incidentId: number): Promise<number> {
  let cancelled = 0;
  for (const kind of ['welcome-dm', 'prompt', 'mentor-dm']) cancelled += await cancelPending(deps.db, { incidentId, kind });
  return cancelled;
}

/** The job: sends one coaching DM if its ledger row is still pending and it still makes sense. */
export async function sendCoachingDm(deps: Deps, job: CoachingJob): Promise<DeliveryOutcome | 'gone'> {
  const row = await findDelivery(deps.db, job.key);
  if (!row || (row.status !== 'pending' && row.status !== 'sending')) return 'gone';
  const incident = await findIncident(deps.db, job.incidentId);
  const participation = await participationOf(deps.db, job.incidentId, job.engineerId);
  const log = deps.log.child({ key: job.key });
  const ledger = deliveryLedger(deps.db, job.key);
  let outcome: DeliveryOutcome;

  if (job.kind === 'welcome') {
    ({ outcome } = await deliverOnce(deps, ledger, async (delivery) => {
      if (!incident || !participation || incident.resolvedAt || participation.leftAt) return 'skip';
      const source = participation.source === 'volunteer' ? 'volunteer' : participation.source === 'auto_invite' ? 'auto_invite' : 'self_joined';
      const message = await welcomeFor(deps, incident, { slackId: participation.engineer.slackId, source, ...(participation.stage ? { stage: participation.stage } : {}) });
      // Someone nobody classified is asked here, in the first DM they get (SPEC.md section 3).
      return deps.slack.dm(participation.engineer.slackId, await withLevelQuestion(deps, participation.engineerId, message), { incident: incident.id }, delivery);
    }));
    // The welcome DM is the first entry of PROMPT_SCHEDULE (it replaced the orientation prompt), so it counts as one.
    deps.metrics.prompts.inc({ outcome });
  } else if (job.kind === 'prompt') {
    if (!incident || !participation || incident.resolvedAt || participation.leftAt) {
      await cancelPending(deps.db, { incidentId: job.incidentId, engineerId: job.engineerId, kind: 'prompt' });
      return 'cancelled';
    }
    // Messages arrive in order: the welcome DM (the schedule's first entry) before prompt 2, and
    // prompt n after prompt n-1, even when several are overdue at once (after a restart) on several workers.
    const slackId = participation.engineer.slackId;
    const earlier = job.number <= 2 ? welcomeKey(incident.channelId, slackId) : promptKey(incident.channelId, slackId, job.number - 1);
    if (!(await settled(deps, earlier))) throw new RetryableError('prompt_waits', `${job.key} waits for ${earlier}`);
    const step = promptStep(playbookById(job.playbook) ?? playbookFor(incident.name), job.number, job.total);
    const reading = step
      ? await readPromptContext(deps, {
          channelId: incident.channelId,
          number: job.number,
          joinedAt: participation.joinedAt ?? participation.invitedAt ?? row.createdAt,
          previousDueAt: job.number > 1 ? ((await findDelivery(deps.db, earlier))?.dueAt ?? null) : null,
          timeZone: participation.engineer.timeZone,
          log,
        })
      : null;
    ({ outcome } = await deliverOnce(deps, ledger, async (delivery) =>
      // A channel silent since the previous prompt skips this one; the next keeps its time.
      step && reading && !reading.silent
        ? deps.slack.dm(slackId, await firstPromptAsks(deps, job, promptMessage({ channelId: incident.channelId, mentorId: incident.mentorSlackId, step, quotes: reading.quotes, silent: isSilentSeverity(incident.severity), stage: participation.stage ?? undefined })), { incident: incident.id, prompt: job.number }, delivery)
        : 'skip',
    ));
    deps.metrics.prompts.inc({ outcome });
  } else if (job.kind === 'mentor-dm') {
    // A per-learner mentor DM queued before the mentor got one DM per incident (mentor-flow.ts):
    // that DM covers this learner, so this one is not sent.
    ({ outcome } = await deliverOnce(deps, ledger, async () => 'skip'));
  } else {
    ({ outcome } = await deliverOnce(deps, ledger, async (delivery) =>
      incident && participation
        ? deps.slack.dm(participation.engineer.slackId, reflectionPromptDm({ incidentId: incident.id, channelId: incident.channelId }), { incident: incident.id }, delivery)
        : 'skip',
    ));
  }
  log.info({ kind: job.kind, outcome }, 'coaching DM');
  if (outcome === 'retry') throw new RetryableError('coaching_dm_retry', `${job.key} failed for now; retrying`);
  return outcome;
}

/** The orientation may be the first DM of someone `unknown` who joined on their own: it asks their level then. */
function firstPromptAsks(deps: Deps, job: { number: number; engineerId: number }, dm: OutgoingMessage): Promise<OutgoingMessage> {
  return job.number === 1 ? withLevelQuestion(deps, job.engineerId, dm) : Promise.resolve(dm);
}

const SETTLE_WAIT_MS = 5_000;
const SETTLE_POLL_MS = 100;

/**
 * Whether an earlier ledger entry is done with (sent, failed, skipped, cancelled, or was never
 * planned). Waits a little, since it is usually a Slack call away; the job retries if not.
 */
async function settled(deps: Deps, key: string): Promise<boolean> {
  const deadline = Date.now() + SETTLE_WAIT_MS;
  for (;;) {
    const row = await findDelivery(deps.db, key);
    if (!row || (row.status !== 'pending' && row.status !== 'sending')) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }
}

/** The learner's fires before this one, as their mentor should read them. */
export async function experienceOf(deps: Deps, engineer: { id: number; level: Level; startedOn: Date | null }, incidentId: number): Promise<string[]> {
  const now = deps.clock();
  const earlier = await otherParticipations(deps.db, engineer.id, incidentId);
  const history = historyOf(
    earlier.flatMap((p) => {
      const at = p.joinedAt ?? p.invitedAt;
      return at ? [{ role: p.role, joinedAt: at }] : [];
    }),
    now,
  );
  return mentorExperienceLines({ level: engineer.level, startedOn: engineer.startedOn, history }, now);
}

// ------------------------------------------------------------------------------------------------
// The reflection form
// ------------------------------------------------------------------------------------------------

/**
 * The reflection form was opened (loading) by the button's listener: fill it with the form, and
 * what they wrote before, if anything. The form's own hash keeps a form the person already
 * moved on from (closed, or replaced) from being overwritten.
 */
export async function fillReflection(deps: Deps, request: { userId: string; incidentId: number; viewId: string; hash?: string }): Promise<'filled' | 'unknown_incident' | 'failed'> {
  const incident = await findIncident(deps.db, request.incidentId);
  if (!incident) {
    deps.log.warn({ incident: request.incidentId, user: request.userId }, 'reflection asked for an unknown incident');
    await deps.slack.updateModal(request.viewId, reflectionGoneModal(), request.hash);
    return 'unknown_incident';
  }
  const engineer = await findEngineer(deps.db, request.userId);
  const existing = engineer ? await findLearning(deps.db, incident.id, engineer.id) : null;
  const filled = await deps.slack.updateModal(request.viewId, reflectionModal({ incidentId: incident.id, channelId: incident.channelId, existing, share: existing?.sharedWithMentor ?? true }), request.hash);
  if (!filled.ok && filled.retryable) throw new RetryableError(filled.error, 'views.update of the reflection form failed');
  return filled.ok ? 'filled' : 'failed';
}

export type ReflectionSubmission = { ok: true } | { ok: false; errors: Partial<Record<ReflectionField, string>> };

const FORM_EXPIRED = 'This form does not belong to an incident any more; please open it again from the message.';
const NOT_A_PARTICIPANT = 'Only people who took part in this incident can log a learning for it.';

/** A submitted reflection: validated, then stored as the person's learning for that incident (a resubmission updates it). */
export async function submitReflection(
  deps: Deps,
  submission: { userId: string; privateMetadata: string; values: Partial<Record<ReflectionField, string | null | undefined>>; share?: boolean },
): Promise<ReflectionSubmission> {
  const checked = validateReflection(submission.values);
  if (!checked.ok) return checked;
  const incidentId = incidentIdFrom(submission.privateMetadata);
  const incident = incidentId === null ? null : await findIncident(deps.db, incidentId);
  if (!incident) return { ok: false, errors: { whatHappened: FORM_EXPIRED } };
  const engineer = await findEngineer(deps.db, submission.userId);
  const participation = engineer ? await participationOf(deps.db, incident.id, engineer.id) : null;
  // Guests, external people and deactivated users are never coached, so they have no reflection to log.
  if (!engineer || !engineer.active || !participation) return { ok: false, errors: { whatHappened: NOT_A_PARTICIPANT } };
  const share = submission.share ?? true;
  const learning = await saveLearning(deps.db, { incidentId: incident.id, engineerId: engineer.id, ...checked.answers, sharedWithMentor: share }, deps.clock());
  deps.log.info({ incident: incident.id, user: submission.userId, share }, 'learning saved');
  // The mentor hears of it (with the text when shared) and gets the debrief nudge (SPEC.md "Growth").
  await afterReflectionSaved(deps, { incident, learner: engineer, learningId: learning.id });
  return { ok: true };
}

function incidentIdFrom(privateMetadata: string): number | null {
  try {
    const id = (JSON.parse(privateMetadata) as { incidentId?: unknown }).incidentId;
    return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : null;
  } catch {
    return null;
  }
}
