import type { Deps } from '../deps';
import { deliveryLedger, findDelivery, planDeliveries } from '../db/deliveries';
import {
  answerRound,
  createPractice,
  excludeFromPractice,
  findPractice,
  finishedPracticesOf,
  offerCandidates,
  resumePractice,
  revealResolution,
  saveReflection,
  stopPractice,
  unfinishedPracticeOf,
  type Practice,
} from '../db/practices';
import { weekStartOf } from '../domain/iso-week';
import { practiceOfferKey, practiceRoundKey } from '../domain/ledger-keys';
import { dueForPracticeOffer, postmortemLink, PRACTICE_LEARNER_LEVELS } from '../domain/practice';
import { REFLECTION_MAX_CHARS, validateReflection, type ReflectionField } from '../domain/prompts';
import { isWorkingTime } from '../domain/working-time';
import { RetryableError } from '../errors';
import type { Message } from '../slack/views/blocks';
import {
  PRACTICE_COPY,
  practiceHomeBlocks,
  practiceOfferDm,
  practiceReply,
  practiceRoundMessage,
} from '../slack/views/practice-messages';
import { notEligibleReply } from '../slack/views/volunteer-replies';
import { deliverOnce } from './deliver';
import { jobIdFor } from './prompt-flow';
import { anythingToReplay, maySee, rankedFromDatabase, readReplay } from './practice-replay-flow';
import { ensureEngineer, type KnownEngineer } from './roster-flow';
import type { KnownBlock } from '@slack/types';

/**
 * Practice fires (SPEC.md "Practice fires"): a past incident replayed to one person in their DM,
 * round by round. The channel's text is read with conversations.history each time a round is
 * shown and never stored or logged; only the person's answers are. Which incident, and how its
 * channel is read and split, is practice-replay-flow.ts.
 */
export const PRACTICE_ROUND_JOB = 'practice-round';

/** Incidents tried (each read from Slack) before telling the person there is nothing to replay. */
const MAX_TRIES = 5;
/** Offers sent by one run at most, so that a run stays well inside its 15 minutes; the next run goes on. */
export const OFFERS_PER_RUN = 200;

export interface PracticeRoundJob {
  key: string;
  practiceId: number;
  shown: number;
}

// ------------------------------------------------------------------------------------------------
// The weekly offer
// ------------------------------------------------------------------------------------------------

/**
 * Offers a practice fire to everyone due (juniors and unknown learners without a real fire for
 * PRACTICE_AFTER, not opted out, in their working hours, with something to replay): one DM per
 * person and ISO week, through the ledger, so a second run, a second replica or a restart sends
 * nothing more. Returns how many were sent.
 */
export async function offerPractices(deps: Deps, now: Date): Promise<number> {
  const rows = await offerCandidates(deps.db, PRACTICE_LEARNER_LEVELS, new Date(now.getTime() - deps.config.practiceAfterMs));
  let sent = 0;
  for (const row of rows) {
    if (sent >= OFFERS_PER_RUN) break;
    if (!dueForPracticeOffer(row, now, deps.config.practiceAfterMs)) continue;
    if (!isWorkingTime(now, row.timeZone, deps.config.workingTime)) continue;
    const key = practiceOfferKey(row.slackId, weekStartOf(now, row.timeZone));
    const planned = await findDelivery(deps.db, key);
    if (planned && planned.status !== 'pending' && planned.status !== 'sending') continue;
    // Private incidents count here as if the person had been in them; starting checks with Slack.
    if (!(await anythingToReplay(deps, row.engineerId, row.slackId, now))) continue;
    await planDeliveries(deps.db, [{ key, kind: 'practice-offer', engineerId: row.engineerId, dueAt: now }]);
    const { outcome } = await deliverOnce(deps, deliveryLedger(deps.db, key), (delivery) => deps.slack.dm(row.slackId, practiceOfferDm(), { user: row.slackId }, delivery));
    deps.log.info({ user: row.slackId, outcome }, 'practice fire offered');
    if (outcome === 'sent') sent++;
  }
  return sent;
}

// ------------------------------------------------------------------------------------------------
// Starting, answering, stopping, resuming
// ------------------------------------------------------------------------------------------------

/**
 * `/volunteer practice` and the "Start a practice fire" button: resumes the person's practice
 * under way, or chooses an incident and sends its first round to their DM.
 */
export async function startPractice(deps: Deps, slackId: string): Promise<Message> {
  const engineer = await ensureEngineer(deps, slackId);
  if (!engineer || !engineer.active) return notEligibleReply();
  const now = deps.clock();
  const log = deps.log.child({ user: slackId });
  const unfinished = await unfinishedPracticeOf(deps.db, engineer.id);
  if (unfinished) {
    const resumed = await resumePractice(deps.db, unfinished.id, now);
    if (resumed) await queueRound(deps, resumed);
    return practiceReply(PRACTICE_COPY.resumed);
  }
  const ranked = await rankedFromDatabase(deps, engineer.id, slackId, now, MAX_TRIES);
  for (const row of ranked) {
    if (!(await maySee(deps, row, slackId))) continue;
    const replay = await readReplay(deps, row);
    if (!replay) continue;
    const practice = await createPractice(deps.db, { engineerId: engineer.id, incidentId: row.id, rounds: replay.rounds.length }, now);
    if (!practice) continue;
    log.info({ practice: practice.id, incident: row.id, rounds: practice.rounds }, 'practice fire started');
    await queueRound(deps, practice);
    return practiceReply(PRACTICE_COPY.started);
  }
  log.info({ tried: ranked.length }, 'no incident to replay as a practice fire');
  return practiceReply(PRACTICE_COPY.nothingToReplay);
}

/** Plans and queues the round message numbered `practice.shown`. */
async function queueRound(deps: Deps, practice: Practice): Promise<void> {
  const key = practiceRoundKey(practice.id, practice.shown);
  await planDeliveries(deps.db, [{ key, kind: 'practice-round', incidentId: practice.incidentId, engineerId: practice.engineerId, dueAt: deps.clock() }]);
  const job: PracticeRoundJob = { key, practiceId: practice.id, shown: practice.shown };
  await deps.jobs.send(PRACTICE_ROUND_JOB, job, { id: jobIdFor(key) });
}

/** The job: shows the practice's current round (re-reading the channel), unless a newer message superseded it. */
export async function sendRound(deps: Deps, job: PracticeRoundJob): Promise<void> {
  const practice = await findPractice(deps.db, job.practiceId);
  const log = deps.log.child({ practice: job.practiceId, key: job.key });
  let revealed = false;
  const { outcome } = await deliverOnce(deps, deliveryLedger(deps.db, job.key), async (delivery) => {
    if (!practice || practice.status !== 'running' || practice.shown !== job.shown) return 'skip';
    // Asked again at every round: a channel made private since, or renamed into the security playbook, is not replayed.
    if (!(await maySee(deps, { channelId: practice.incident.channelId }, practice.engineer.slackId))) return 'skip';
    const replay = await readReplay(deps, practice.incident);
    if (!replay) return 'skip';
    const total = replay.rounds.length;
    // The channel may have changed since the start (a message deleted): the last round stays the reveal.
    const round = Math.min(practice.round, total);
    const last = round === total;
    revealed = last;
    const message = practiceRoundMessage({
      practiceId: practice.id,
      round,
      rounds: total,
      lines: replay.rounds[round - 1]!.lines,
      startedAt: replay.rounds[0]!.lines[0]!.at,
      ...(last ? { reveal: { channelId: practice.incident.channelId, postmortem: postmortemLink(replay.messages) } } : {}),
    });
    return deps.slack.dm(practice.engineer.slackId, message, { practice: practice.id, round }, delivery);
  });
  log.info({ outcome, round: practice?.round }, 'practice round');
  if (outcome === 'retry') throw new RetryableError('practice_round_retry', `${job.key} failed for now; retrying`);
  // Reaching the last round is reaching the resolution: the practice counts from then.
  if (outcome === 'sent' && practice && revealed) await revealResolution(deps.db, practice.id, deps.clock());
}

export type AnswerResult = { ok: true } | { ok: false; error: string };

/** A submitted answer to one round: stored, then the next round is queued. */
export async function answerPractice(deps: Deps, input: { userId: string; privateMetadata: string; answer: string | null | undefined }): Promise<AnswerResult> {
  const answer = (input.answer ?? '').trim();
  if (!answer) return { ok: false, error: PRACTICE_COPY.answerEmpty };
  if (Array.from(answer).length > REFLECTION_MAX_CHARS) return { ok: false, error: PRACTICE_COPY.answerTooLong };
  const meta = parseMetadata(input.privateMetadata);
  const practice = meta ? await findPractice(deps.db, meta.practiceId) : null;
  if (!meta || !practice || meta.round === undefined) return { ok: false, error: PRACTICE_COPY.alreadyAnswered };
  if (practice.engineer.slackId !== input.userId) return { ok: false, error: PRACTICE_COPY.notYours };
  const next = await answerRound(deps.db, practice.id, meta.round, answer, deps.clock());
  if (!next) return { ok: false, error: PRACTICE_COPY.alreadyAnswered };
  deps.log.info({ practice: practice.id, user: input.userId, round: meta.round }, 'practice answer saved');
  await queueRound(deps, next);
  return { ok: true };
}

/** "Stop here". */
export async function stopPracticeFor(deps: Deps, slackId: string, practiceId: number): Promise<Message> {
  const practice = await findPractice(deps.db, practiceId);
  if (!practice || practice.engineer.slackId !== slackId) return practiceReply(PRACTICE_COPY.notYours);
  if (!(await stopPractice(deps.db, practice.id, deps.clock()))) return practiceReply(PRACTICE_COPY.notRunning);
  deps.log.info({ practice: practice.id, user: slackId, round: practice.round }, 'practice fire stopped');
  return practiceReply(PRACTICE_COPY.stopped(practice.round, practice.rounds));
}

/** "Resume my practice fire" on the Home tab: the current round again, in the DM. */
export async function resumePracticeFor(deps: Deps, slackId: string, practiceId: number): Promise<void> {
  const practice = await findPractice(deps.db, practiceId);
  if (!practice || practice.engineer.slackId !== slackId) return;
  const resumed = await resumePractice(deps.db, practice.id, deps.clock());
  if (!resumed) return;
  deps.log.info({ practice: practice.id, user: slackId, round: resumed.round }, 'practice fire resumed');
  await queueRound(deps, resumed);
}

export type PracticeReflectionResult = { ok: true } | { ok: false; errors: Partial<Record<ReflectionField, string>> };

/** The closing reflection of a practice whose resolution was revealed. */
export async function submitPracticeReflection(
  deps: Deps,
  input: { userId: string; privateMetadata: string; values: Partial<Record<ReflectionField, string | null | undefined>> },
): Promise<PracticeReflectionResult> {
  const checked = validateReflection(input.values);
  if (!checked.ok) return checked;
  const meta = parseMetadata(input.privateMetadata);
  const practice = meta ? await findPractice(deps.db, meta.practiceId) : null;
  if (!practice || practice.engineer.slackId !== input.userId || practice.status !== 'finished') return { ok: false, errors: { whatHappened: PRACTICE_COPY.notRunning } };
  await saveReflection(deps.db, practice.id, checked.answers, deps.clock());
  deps.log.info({ practice: practice.id, user: input.userId }, 'practice reflection saved');
  return { ok: true };
}

/** The reflection saved for a practice, to show again in its form; null for a practice not the person's. */
export async function practiceReflectionOf(deps: Deps, slackId: string, practiceId: number) {
  const practice = await findPractice(deps.db, practiceId);
  if (!practice || practice.engineer.slackId !== slackId) return null;
  return { whatHappened: practice.whatHappened ?? '', checkFirst: practice.checkFirst ?? '', learned: practice.learned ?? '' };
}

function parseMetadata(text: string): { practiceId: number; round?: number } | null {
  try {
    const { practiceId, round } = JSON.parse(text) as { practiceId?: unknown; round?: unknown };
    if (typeof practiceId !== 'number' || !Number.isSafeInteger(practiceId) || practiceId <= 0) return null;
    if (round !== undefined && (typeof round !== 'number' || !Number.isSafeInteger(round) || round < 1)) return null;
    return { practiceId, ...(round !== undefined ? { round } : {}) };
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------------------------------------
// The Home tab, the experience score, admins
// ------------------------------------------------------------------------------------------------

/** The Home tab's practice section for this person. */
export async function practiceHome(deps: Deps, engineer: KnownEngineer): Promise<KnownBlock[]> {
  const unfinished = await unfinishedPracticeOf(deps.db, engineer.id);
  const finished = (await finishedPracticesOf(deps.db, engineer.id)).length;
  return practiceHomeBlocks({ unfinished: unfinished ? { id: unfinished.id, status: unfinished.status, round: unfinished.round, rounds: unfinished.rounds } : null, finished });
}

/** `/volunteer admin practice exclude #channel`. */
export async function excludeChannelFromPractice(deps: Deps, adminId: string, channelId: string): Promise<Message> {
  const added = await excludeFromPractice(deps.db, channelId, adminId, deps.clock());
  deps.log.info({ user: adminId, channel: channelId, added }, 'admin excluded a channel from practice fires');
  const channel = `<#${channelId}>`;
  return practiceReply(added ? PRACTICE_COPY.excluded(channel) : PRACTICE_COPY.alreadyExcluded(channel));
}
