import type { Deps } from '../deps';
import {
  backfilledIncident,
  emptyReading,
  heavyUnclassified,
  readHistoryPage,
  whyNotBackfilled,
  type BackfillSummary,
  type HeavyResponder,
  type HistoryReading,
  type ListedChannel,
} from '../domain/backfill';
import { whyNotEligible } from '../domain/people';
import { incidentSources, pastFires, recordBackfilledIncident } from '../db/backfill';
import { findEngineer, upsertEngineers } from '../db/engineers';
import { toUpsert } from './roster-flow';

export type BackfillDeps = Pick<Deps, 'config' | 'db' | 'slack' | 'log' | 'clock' | 'teamId' | 'enterpriseId' | 'botUserId'>;

export interface BackfillOptions {
  /** channels created before this are left out */
  since: Date;
  /** read everything, write nothing */
  dryRun: boolean;
  /** after each incident channel handled: how many of how many */
  onProgress?: (done: number, total: number) => void;
}

/** A Slack user as the backfill records them: an engineer row (null in a dry run for someone new), or nobody (a bot). */
type Person = { engineerId: number | null; name: string; level: string | null } | null;

/** Incident channels read side by side. */
const CHANNELS_AT_ONCE = 4;

/** A channel the backfill leaves for the next run; the reason is Slack's error code. */
class SkipChannel extends Error {}

/**
 * `npm run backfill` (SPEC.md section 3): the incident channels the app can see, as incidents
 * (`source = backfill`) with their members as participations. Idempotent and resumable: a channel
 * is written whole in one transaction (db/backfill.ts), and a channel already recorded (by a run
 * before, or live by the app) is not read again. One channel that fails is skipped and named;
 * nothing stops the run but the database.
 */
export async function runBackfill(deps: BackfillDeps, options: BackfillOptions): Promise<BackfillSummary> {
  const now = deps.clock();
  const summary: BackfillSummary = {
    dryRun: options.dryRun,
    channelsSeen: 0,
    incidentChannels: 0,
    incidents: 0,
    participations: 0,
    alreadyBackfilled: 0,
    recordedLive: 0,
    tooOld: 0,
    skipped: [],
    historyUnread: [],
    listStopped: null,
    heavy: [],
  };

  const candidates: ListedChannel[] = [];
  const listed = await deps.slack.eachChannelPage({ archived: true }, (page) => {
    summary.channelsSeen += page.length;
    for (const channel of page) {
      const why = whyNotBackfilled(channel, deps.config.incidentChannelPattern, options.since, now);
      if (why === 'too_old') summary.tooOld++;
      if (why === null) candidates.push(channel);
    }
  });
  if (!listed.ok) {
    summary.listStopped = listed.error;
    deps.log.warn({ error: listed.error, channels: summary.channelsSeen }, 'conversations.list stopped before its last page; backfilling the channels listed so far');
  }
  summary.incidentChannels = candidates.length;

  const sources = await incidentSources(deps.db, candidates.map((c) => c.id));
  const people = new Map<string, Promise<Person>>();
  const planned = new Map<string, number>();
  let done = 0;
  let next = 0;
  let failed = false;
  // A few channels at once, so that one channel's database write and round trips overlap the next
  // one's wait for its slot: the pacer, not this, keeps each method to its tier.
  const worker = async (): Promise<void> => {
    while (!failed && next < candidates.length) {
      const channel = candidates[next++]!;
      const source = sources.get(channel.id);
      if (source === 'live') summary.recordedLive++;
      else if (source === 'backfill') summary.alreadyBackfilled++;
      else {
        try {
          await backfillChannel(deps, channel, options.dryRun, people, planned, summary);
        } catch (error) {
          if (!(error instanceof SkipChannel)) {
            // Anything but a channel's own trouble (the database gone) stops every worker.
            failed = true;
            throw error;
          }
          summary.skipped.push({ channelId: channel.id, name: channel.name, reason: error.message });
          deps.log.warn({ channel: channel.id, reason: error.message }, 'backfill skipped a channel; the next run tries it again');
        }
      }
      options.onProgress?.(++done, candidates.length);
    }
  };
  await Promise.all(Array.from({ length: CHANNELS_AT_ONCE }, worker));
  summary.skipped.sort((a, b) => a.name.localeCompare(b.name));
  summary.historyUnread.sort((a, b) => a.name.localeCompare(b.name));

  summary.heavy = heavyUnclassified(await firesWithPlanned(deps, options.dryRun, people, planned));
  deps.log.info({ ...summary, skipped: summary.skipped.length, historyUnread: summary.historyUnread.length, heavy: summary.heavy.length }, 'backfill finished');
  return summary;
}

async function backfillChannel(
  deps: BackfillDeps,
  channel: ListedChannel,
  dryRun: boolean,
  people: Map<string, Promise<Person>>,
  planned: Map<string, number>,
  summary: BackfillSummary,
): Promise<void> {
  const members = await deps.slack.channelMembers(channel.id);
  if (!members.ok) throw new SkipChannel(`conversations.members: ${members.error}`);
  let history: HistoryReading | null = null;
  // A bot reads the history of the channels it is in; elsewhere Slack answers not_in_channel, so it is not asked.
  if (!channel.isMember) summary.historyUnread.push({ channelId: channel.id, name: channel.name, reason: 'the app is not a member' });
  else {
    const reading = emptyReading();
    const read = await deps.slack.eachHistoryPage(channel.id, (page) => readHistoryPage(reading, page, deps.botUserId));
    if (read.ok) history = reading;
    // Slack busy or down: the channel waits for the next run rather than losing its learners for good.
    else if (read.retryable) throw new SkipChannel(`conversations.history: ${read.error}`);
    else summary.historyUnread.push({ channelId: channel.id, name: channel.name, reason: `conversations.history: ${read.error}` });
  }

  const incident = backfilledIncident(channel, members.value, history, deps.botUserId);
  const participants: Array<{ engineerId: number; role: 'responder' | 'learner' }> = [];
  let count = 0;
  for (const [slackId, role] of incident.roles) {
    const person = await personOf(deps, slackId, dryRun, people);
    if (!person) continue;
    count++;
    if (person.engineerId !== null) participants.push({ engineerId: person.engineerId, role });
    if (dryRun) planned.set(slackId, (planned.get(slackId) ?? 0) + 1);
  }
  if (dryRun) {
    summary.incidents++;
    summary.participations += count;
    return;
  }
  const written = await recordBackfilledIncident(deps.db, incident, participants);
  if (!written.recorded) {
    summary.recordedLive++;
    return;
  }
  summary.incidents++;
  summary.participations += written.participations;
}

/**
 * The engineer for a Slack user met in a channel: known already, or asked of Slack once
 * (users.info) and added as the roster sync would (inactive if they left or are a guest); bots
 * and Slackbot are nobody. A dry run adds nobody.
 */
async function personOf(deps: BackfillDeps, slackId: string, dryRun: boolean, people: Map<string, Promise<Person>>): Promise<Person> {
  // One look-up per person, even when channels read side by side meet them at once.
  let person = people.get(slackId);
  if (!person) {
    person = lookUp(deps, slackId, dryRun);
    people.set(slackId, person);
    // A look-up that failed (Slack busy) is tried again by the next channel that meets the person.
    person.catch(() => people.delete(slackId));
  }
  return person;
}

async function lookUp(deps: BackfillDeps, slackId: string, dryRun: boolean): Promise<Person> {
  const known = await findEngineer(deps.db, slackId);
  if (known) return { engineerId: known.id, name: known.name, level: known.level };
  const info = await deps.slack.userInfo(slackId);
  if (!info.ok) {
    if (info.retryable) throw new SkipChannel(`users.info: ${info.error}`);
    return null;
  }
  const reason = whyNotEligible(info.value, deps);
  if (reason === 'bot' || reason === 'slackbot') return null;
  if (dryRun) return { engineerId: null, name: toUpsert(info.value, deps).name, level: null };
  await upsertEngineers(deps.db, [toUpsert(info.value, deps)], deps.clock());
  const added = await findEngineer(deps.db, slackId);
  return added ? { engineerId: added.id, name: added.name, level: added.level } : null;
}

/** Everyone's past fires; in a dry run, with the fires it would have recorded added. */
async function firesWithPlanned(deps: BackfillDeps, dryRun: boolean, people: Map<string, Promise<Person>>, planned: Map<string, number>): Promise<HeavyResponder[]> {
  const fires = new Map((await pastFires(deps.db)).map((p) => [p.slackId, p]));
  if (!dryRun) return [...fires.values()];
  for (const [slackId, extra] of planned) {
    const person = await people.get(slackId);
    const had = fires.get(slackId);
    if (had) had.fires += extra;
    else if (person) fires.set(slackId, { slackId, name: person.name, level: person.level, fires: extra });
  }
  return [...fires.values()];
}
