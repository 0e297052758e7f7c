import type { Deps } from '../deps';
import {
  activeTimeZones,
  countingClient,
  digestLedger,
  digestPeople,
  dueCandidates,
  learningsInWindows,
  participationsInWindows,
  skipDigests,
  type DigestWindow,
} from '../db/digests';
import { practicesInWindows } from '../db/practices';
import type { Tx } from '../db/tx';
import { composeDigest, TREND_WEEKS, type DigestPerson, type DigestSummary } from '../domain/digest';
import { digestKey } from '../domain/ledger-keys';
import { addWeeks, lastDueWeek, weekBeganSomewhere, weekBounds, type DigestSchedule, type WeekStart } from '../domain/iso-week';
import { AppError } from '../errors';
import { deliverOnce } from './deliver';
import type { Metrics } from '../metrics';
import type { Message } from '../slack/views/blocks';
import { digestMessage } from '../slack/views/digest-message';

/**
 * The weekly digest (SPEC.md section 7): find who is due, compose many at once, send each once.
 *
 * Once per person and week: a `digests` row is claimed before the DM and marked sent after it, so
 * two replicas, a restart or `npm run digest` twice never send a second one. The row's week is
 * the ISO week as computed in the person's zone when it falls due, so a person who changes zone
 * mid-week gets that week's digest once: the due check skips anyone with a row for that week or a
 * later one.
 */
export type DigestDeps = Pick<Deps, 'config' | 'db' | 'slack' | 'log' | 'clock'> & { metrics?: Metrics };

/** People composed per round of queries: 2 queries per batch, whatever the batch's size. */
export const DIGEST_BATCH_SIZE = 500;
/**
 * People one due check sends to at most, so that a run stays about a minute long even at Slack's
 * rate limits (one chat.postMessage per DM, within the workspace-wide limit of several hundred a
 * minute); the job runs every minute and the next run continues.
 */
export const DUE_CHECK_LIMIT = 200;

export interface DigestRequest {
  person: DigestPerson;
  weekStart: WeekStart;
}

export interface ComposedDigest extends DigestRequest {
  summary: DigestSummary;
  message: Message;
}

function windowOf({ person, weekStart }: DigestRequest): DigestWindow {
  const week = weekBounds(weekStart, person.timeZone);
  return {
    engineerId: person.id,
    trendFrom: weekBounds(addWeeks(weekStart, -(TREND_WEEKS - 1)), person.timeZone).start,
    weekFrom: week.start,
    weekTo: week.end,
  };
}

function groupByRequest<T extends { request: number }>(rows: readonly T[], size: number): T[][] {
  const groups = Array.from({ length: size }, () => [] as T[]);
  for (const row of rows) groups[row.request]!.push(row);
  return groups;
}

/**
 * Composes digests for many people: three queries per batch of `batchSize` people (their
 * participations over eight weeks, their learnings, their practice fires), then pure composition and rendering.
 */
export async function composeDigests(db: Tx, requests: readonly DigestRequest[], schedule: DigestSchedule, now: Date, batchSize = DIGEST_BATCH_SIZE): Promise<ComposedDigest[]> {
  const composed: ComposedDigest[] = [];
  for (let from = 0; from < requests.length; from += batchSize) {
    const batch = requests.slice(from, from + batchSize);
    const windows = batch.map(windowOf);
    const participations = groupByRequest(await participationsInWindows(db, windows), batch.length);
    const learnings = groupByRequest(await learningsInWindows(db, windows), batch.length);
    const practices = groupByRequest(await practicesInWindows(db, windows), batch.length);
    batch.forEach((request, i) => {
      const practicesFinishedAt = practices[i]!.map((p) => p.finishedAt);
      const summary = composeDigest({ ...request, participations: participations[i]!, learnings: learnings[i]!, practicesFinishedAt, schedule, now });
      composed.push({ ...request, summary, message: digestMessage(summary) });
    });
  }
  return composed;
}

/** composeDigests, with the number of SQL queries it made (for the `digest` benchmark). */
export async function composeDigestsCounted(db: Tx, requests: readonly DigestRequest[], schedule: DigestSchedule, now: Date, batchSize = DIGEST_BATCH_SIZE): Promise<{ digests: ComposedDigest[]; queries: number }> {
  const counting = countingClient(db);
  const digests = await composeDigests(counting.db, requests, schedule, now, batchSize);
  return { digests, queries: counting.queries() };
}

export type DigestOutcome = 'sent' | 'taken' | 'retry' | 'failed';

/**
 * Claim, DM, record, through the same ledger as every other effect (flows/deliver.ts) on the
 * digest's own row. 'taken': another process has it, or it went out already. A retryable Slack
 * error leaves the row for the next due check (after a 5xx it looks in Slack first); any other
 * error is final for that week.
 */
export async function sendDigest(deps: DigestDeps, digest: ComposedDigest): Promise<DigestOutcome> {
  const { person, weekStart } = digest;
  const log = deps.log.child({ user: person.slackId, week: weekStart });
  const entry = digestLedger(deps.db, digestKey(person.slackId, weekStart), person.id, weekStart);
  let failure: string | undefined;
  let found = false;
  // The due check moves on at once from a digest another process holds: it is theirs to finish.
  const { outcome: delivered, ours } = await deliverOnce(deps, entry, async (delivery) => {
    const result = await deps.slack.dm(person.slackId, digest.message, { digestWeek: weekStart }, delivery);
    if (result.ok) found = result.found;
    else failure = result.error;
    return result;
  }, { waitForHolderMs: 0 });
  const outcome: DigestOutcome = !ours ? 'taken' : delivered === 'sent' || delivered === 'retry' ? delivered : 'failed';
  if (outcome === 'sent') log.info({ kind: digest.summary.kind, incidents: digest.summary.incidents.length, foundEarlierAttempt: found }, 'weekly digest sent');
  if (outcome === 'failed') log.warn({ error: failure }, 'weekly digest could not be sent');
  deps.metrics?.digests.inc({ outcome });
  return outcome;
}

/**
 * DMs in flight at once. One at a time, a sender spends most of its time waiting on its own two
 * queries and Slack's answer, well below Slack's workspace-wide limit; a few lanes reach the limit
 * (the gateway then waits out Slack's 429s) without taking more of the pool than a job should.
 */
export const DIGEST_SEND_LANES = 4;

async function sendDigests(deps: DigestDeps, digests: readonly ComposedDigest[], tally: Record<DigestOutcome, number>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < digests.length) tally[await sendDigest(deps, digests[next++]!)] += 1;
  };
  await Promise.all(Array.from({ length: Math.min(DIGEST_SEND_LANES, digests.length) }, lane));
}

export interface DueTally {
  due: number;
  skipped: number;
  sent: number;
  taken: number;
  retry: number;
  failed: number;
}

/**
 * The scheduled check: everyone whose local due time for their zone's latest ended week has
 * passed and whose digest has not gone out gets it now, however late (a digest missed while the
 * app was down goes out when it is back). Someone with digests off, or not yet known to us when
 * it fell due (the day the app is installed), gets a skipped row instead. Two queries find who is due.
 */
export async function sendDueDigests(deps: DigestDeps, now: Date = deps.clock(), limit = DUE_CHECK_LIMIT): Promise<DueTally> {
  const schedule = deps.config.digestSchedule;
  const zones = (await activeTimeZones(deps.db)).map((timeZone) => ({ timeZone, ...lastDueWeek(now, timeZone, schedule) }));
  const candidates = await dueCandidates(deps.db, zones, now, limit);
  const skip = new Set(candidates.filter((c) => c.digestOff || c.createdAt > c.dueAt));
  await skipDigests(deps.db, [...skip].map((c) => ({ engineerId: c.engineerId, weekStart: c.weekStart, reason: c.digestOff ? 'digest_off' : 'not_known_when_due' })));
  const requests = candidates
    .filter((c) => !skip.has(c))
    .map((c) => ({ person: { id: c.engineerId, slackId: c.slackId, name: c.name, timeZone: c.timeZone }, weekStart: c.weekStart }));
  const tally: DueTally = { due: candidates.length, skipped: skip.size, sent: 0, taken: 0, retry: 0, failed: 0 };
  await sendDigests(deps, await composeDigests(deps.db, requests, schedule, now), tally);
  if (tally.due > 0) deps.log.info({ ...tally }, 'due weekly digests handled');
  return tally;
}

export interface DigestWeekOptions {
  weekStart: WeekStart;
  /** only this person */
  slackId?: string;
  /** compose and return, send nothing, record nothing */
  dryRun: boolean;
}

export interface DigestWeekReport {
  digests: ComposedDigest[];
  /** why someone got nothing, for the operator */
  notes: string[];
  /** null on a dry run */
  tally: Record<DigestOutcome, number> | null;
}

/**
 * `npm run digest -- --week YYYY-MM-DD`: the digests of one ISO week for everyone (or one person),
 * whenever it is run. The current week gives the week so far, and then counts as that week's
 * digest. Idempotent through the same ledger as the scheduled check.
 */
export async function runDigestWeek(deps: DigestDeps, options: DigestWeekOptions, now: Date = deps.clock()): Promise<DigestWeekReport> {
  const { weekStart, slackId } = options;
  if (weekBeganSomewhere(weekStart) > now) {
    throw new AppError('week_in_future', `week ${weekStart} is in the future`, `the week of ${weekStart} has not started yet; pick this week or an earlier one`);
  }
  const people = await digestPeople(deps.db, slackId);
  if (slackId && people.length === 0) {
    throw new AppError('unknown_user', `no engineer ${slackId}`, `${slackId} is not a known engineer (people are synced from Slack at start and every hour)`);
  }
  const notes: string[] = [];
  const requests: DigestRequest[] = [];
  let off = 0;
  for (const p of people) {
    if (!p.active) notes.push(`${p.slackId} is no longer active: no digest.`);
    else if (p.digestOff) off += 1;
    else if (weekBounds(weekStart, p.timeZone).start > now) notes.push(`${p.slackId}: the week of ${weekStart} has not started yet in ${p.timeZone}.`);
    else requests.push({ person: { id: p.id, slackId: p.slackId, name: p.name, timeZone: p.timeZone }, weekStart });
  }
  if (off > 0) notes.push(slackId ? `${slackId} turned the weekly digest off: no digest.` : `${off} ${off === 1 ? 'person has' : 'people have'} turned the weekly digest off: no digest for them.`);
  const digests = await composeDigests(deps.db, requests, deps.config.digestSchedule, now);
  if (options.dryRun) return { digests, notes, tally: null };
  const tally: Record<DigestOutcome, number> = { sent: 0, taken: 0, retry: 0, failed: 0 };
  await sendDigests(deps, digests, tally);
  deps.log.info({ week: weekStart, ...tally }, 'weekly digests sent from the command line');
  return { digests, notes, tally };
}
