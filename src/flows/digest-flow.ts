import type { Deps } from '../deps';
import {
  activeTimeZones,
  countingClient,
  digestLedger,
  digestPeople,
  dueCandidates,
  learningsInWindows,
  participationsInWindows,
  quarterFactsInWindows,
  skipDigests,
  type DigestWindow,
  type QuarterWindow,
} from '../db/digests';
import { firstDigestOfQuarter, quarterDays, type QuarterFire } from '../domain/digest-rules';
import { growthInWindows } from '../db/growth';
import { practicesInWindows } from '../db/practices';
import type { Tx } from '../db/tx';
import { composeDigestGrowth, type DigestGrowthFacts } from '../domain/digest-growth';
import { composeDigest, TREND_WEEKS, type DigestPerson, type DigestSummary } from '../domain/digest';
import { digestKey } from '../domain/ledger-keys';
import { addDays, addWeeks, lastDueWeek, weekBeganSomewhere, weekBounds, type DigestSchedule, type WeekStart } from '../domain/iso-week';
import { AppError } from '../errors';
import { membersOfUsergroups } from '../db/usergroups';
import { deliverOnce } from './deliver';
import { withLevelQuestion } from './level-flow';
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
export type DigestDeps = Pick<Deps, 'config' | 'db' | 'slack' | 'log' | 'clock' | 'usergroups'> & { metrics?: Metrics };

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
  /** the person is `unknown` and was never asked: the digest carries the level question (SPEC.md section 3) */
  askLevel?: boolean;
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

/**
 * The growth section (SPEC.md "Growth"): the stage and progress, and the mentor's replies of the
 * week. A week whose only news is a reply or a stage reached is a summary, not an invitation.
 */
function withGrowth(summary: DigestSummary, facts: DigestGrowthFacts | undefined, window: DigestWindow, now: Date): DigestSummary {
  const growth = facts ? composeDigestGrowth(facts, { from: window.weekFrom, to: window.weekTo }, now) : null;
  if (!growth) return summary;
  const news = growth.replies.length > 0 || growth.reached !== null;
  return { ...summary, growth, kind: summary.kind === 'invitation' && news ? 'summary' : summary.kind };
}

function groupByRequest<T extends { request: number }>(rows: readonly T[], size: number): T[][] {
  const groups = Array.from({ length: size }, () => [] as T[]);
  for (const row of rows) groups[row.request]!.push(row);
  return groups;
}

/** The quarter a first-of-quarter digest sums up (the one its week began in), as instants of the person's zone. */
function quarterWindowOf({ person, weekStart }: DigestRequest): QuarterWindow {
  const { first, last } = quarterDays(weekStart);
  return { engineerId: person.id, from: weekBounds(first, person.timeZone).start, to: weekBounds(addDays(last, 1), person.timeZone).start };
}

/** Each request's quarter facts, for the batch's first-of-quarter digests only (one query, none when there are none). */
async function quarterFacts(db: Tx, batch: readonly DigestRequest[]): Promise<Array<{ fires: QuarterFire[]; reflections: number } | null>> {
  const asked = batch.flatMap((request, i) => (firstDigestOfQuarter(request.weekStart) ? [i] : []));
  const facts: Array<{ fires: QuarterFire[]; reflections: number } | null> = batch.map(() => null);
  if (asked.length === 0) return facts;
  const rows = await quarterFactsInWindows(db, asked.map((i) => quarterWindowOf(batch[i]!)));
  for (const i of asked) facts[i] = { fires: [], reflections: 0 };
  for (const row of rows) {
    const fact = facts[asked[row.request]!]!;
    if (row.role) fact.fires.push({ role: row.role, channelName: row.channelName, stage: row.stage });
    else fact.reflections += 1;
  }
  return facts;
}

/**
 * Composes digests for many people: four queries per batch of `batchSize` people (their
 * participations over eight weeks, their learnings, their growth facts, their practice fires), a
 * fifth when the batch holds the first digest of a quarter (the quarter's fires and reflections),
 * then pure composition and rendering.
 */
export async function composeDigests(db: Tx, requests: readonly DigestRequest[], schedule: DigestSchedule, now: Date, batchSize = DIGEST_BATCH_SIZE): Promise<ComposedDigest[]> {
  const composed: ComposedDigest[] = [];
  for (let from = 0; from < requests.length; from += batchSize) {
    const batch = requests.slice(from, from + batchSize);
    const windows = batch.map(windowOf);
    const participations = groupByRequest(await participationsInWindows(db, windows), batch.length);
    const learnings = groupByRequest(await learningsInWindows(db, windows), batch.length);
    const quarters = await quarterFacts(db, batch);
    const growth = groupByRequest(await growthInWindows(db, windows), batch.length);
    const practices = groupByRequest(await practicesInWindows(db, windows), batch.length);
    batch.forEach((request, i) => {
      const practicesFinishedAt = practices[i]!.map((p) => p.finishedAt);
      const summary = withGrowth(composeDigest({ ...request, participations: participations[i]!, learnings: learnings[i]!, quarter: quarters[i], practicesFinishedAt, schedule, now }), growth[i]![0], windows[i]!, now);
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
    const message = digest.askLevel ? await withLevelQuestion(deps, person.id, digest.message) : digest.message;
    const result = await deps.slack.dm(person.slackId, message, { digestWeek: weekStart }, delivery);
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

/** The reason a quiet week's digest row records (status skipped). */
export const QUIET_WEEK = 'quiet_week';

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
  const candidates = await dueCandidates(deps.db, zones, now, limit, deps.usergroups?.eligible);
  // Outside ELIGIBLE_USERGROUPS: no digest, and a skipped row, so that joining a group mid-week does not bring last week's late.
  const skip = new Set(candidates.filter((c) => !c.eligible || c.digestOff || c.createdAt > c.dueAt));
  await skipDigests(deps.db, [...skip].map((c) => ({ engineerId: c.engineerId, weekStart: c.weekStart, reason: !c.eligible ? 'not_eligible' : c.digestOff ? 'digest_off' : 'not_known_when_due' })));
  const requests = candidates
    .filter((c) => !skip.has(c))
    .map((c) => ({ person: { id: c.engineerId, slackId: c.slackId, name: c.name, timeZone: c.timeZone, level: c.level, knownSince: c.createdAt }, weekStart: c.weekStart, askLevel: c.askLevel }));
  const composed = await composeDigests(deps.db, requests, schedule, now);
  // A quiet week sends nothing; its row says so, and the due check moves on.
  const quiet = composed.filter((d) => d.summary.kind === 'quiet');
  await skipDigests(deps.db, quiet.map((d) => ({ engineerId: d.person.id, weekStart: d.weekStart, reason: QUIET_WEEK })));
  const tally: DueTally = { due: candidates.length, skipped: skip.size + quiet.length, sent: 0, taken: 0, retry: 0, failed: 0 };
  await sendDigests(deps, composed.filter((d) => d.summary.kind !== 'quiet'), tally);
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
  const eligible = deps.usergroups?.eligible ?? [];
  const members = eligible.length > 0 ? await membersOfUsergroups(deps.db, eligible) : null;
  let off = 0;
  let outside = 0;
  for (const p of people) {
    if (!p.active) notes.push(`${p.slackId} is no longer active: no digest.`);
    else if (members && !members.has(p.slackId)) outside += 1;
    else if (p.digestOff) off += 1;
    else if (weekBounds(weekStart, p.timeZone).start > now) notes.push(`${p.slackId}: the week of ${weekStart} has not started yet in ${p.timeZone}.`);
    else requests.push({ person: { id: p.id, slackId: p.slackId, name: p.name, timeZone: p.timeZone, level: p.level, knownSince: p.createdAt }, weekStart });
  }
  if (outside > 0) notes.push(slackId ? `${slackId} is in none of the ELIGIBLE_USERGROUPS: no digest.` : `${outside} ${outside === 1 ? 'person is' : 'people are'} in none of the ELIGIBLE_USERGROUPS: no digest for them.`);
  if (off > 0) notes.push(slackId ? `${slackId} turned the weekly digest off: no digest.` : `${off} ${off === 1 ? 'person has' : 'people have'} turned the weekly digest off: no digest for them.`);
  const composed = await composeDigests(deps.db, requests, deps.config.digestSchedule, now);
  const quiet = composed.filter((d) => d.summary.kind === 'quiet');
  if (quiet.length > 0) notes.push(slackId ? `${slackId} had a quiet week: no digest.` : `${quiet.length} ${quiet.length === 1 ? 'person' : 'people'} had a quiet week: no digest for them.`);
  const digests = composed.filter((d) => d.summary.kind !== 'quiet');
  if (options.dryRun) return { digests, notes, tally: null };
  await skipDigests(deps.db, quiet.map((d) => ({ engineerId: d.person.id, weekStart, reason: QUIET_WEEK })));
  const tally: Record<DigestOutcome, number> = { sent: 0, taken: 0, retry: 0, failed: 0 };
  await sendDigests(deps, digests, tally);
  deps.log.info({ week: weekStart, ...tally }, 'weekly digests sent from the command line');
  return { digests, notes, tally };
}
