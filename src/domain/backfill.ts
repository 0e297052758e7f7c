/**
 * What `npm run backfill` makes of a past incident channel (SPEC.md section 3): which channels
 * count, when the incident opened and resolved, and who took part in which role. Pure: the flow
 * (flows/backfill-flow.ts) reads Slack and writes the rows.
 */

/** The levels that say nothing about experience yet: the backfill's summary names heavy responders still at one of them. */
export const UNCLASSIFIED_LEVELS: readonly string[] = ['unknown', 'junior'];

/** Past fires from which the summary suggests a level for someone still unclassified. */
export const HEAVY_RESPONDER_FIRES = 5;

/**
 * Channels younger than this are left to the live app (its events and the channel sweep, which
 * looks 20 minutes back), so that a backfill running beside it never records, without a
 * selection, an incident that has just started.
 */
export const LEFT_TO_THE_LIVE_APP_MS = 60 * 60_000;

/**
 * Message subtypes that are a person writing (Slack's message subtypes): a top-level message has
 * none; the others (`channel_join`, `channel_leave`, `channel_topic`, `bot_message`, …) are
 * Slack's or a bot's, not a person taking part.
 */
const WRITTEN_SUBTYPES = new Set(['thread_broadcast', 'file_share', 'me_message']);

export interface ListedChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  isMember: boolean;
  isExtShared: boolean;
  creator: string | null;
  /** Unix seconds */
  created: number | null;
  /** ms; for an archived channel, its archiving at the latest */
  updated?: number | null;
  /** the channel's topic and purpose ('' when unset): incident tools state severity and the call link there */
  topic: string;
  purpose: string;
}

export interface HistoryLine {
  user: string | null;
  ts: string;
  subtype: string | null;
  botId: string | null;
}

/** Why a listed channel is not one to backfill, or null when it is. */
export function whyNotBackfilled(channel: ListedChannel, pattern: RegExp, since: Date, now: Date): 'not_incident' | 'shared' | 'too_old' | 'too_recent' | null {
  if (!pattern.test(channel.name)) return 'not_incident';
  // A Slack Connect channel is never an incident (SPEC.md section 4), whatever its name.
  if (channel.isExtShared) return 'shared';
  const created = (channel.created ?? 0) * 1000;
  if (created < since.getTime()) return 'too_old';
  if (created > now.getTime() - LEFT_TO_THE_LIVE_APP_MS) return 'too_recent';
  return null;
}

/** What the history of a channel says, as far as the backfill needs it. */
export interface HistoryReading {
  /** people who wrote at least one top-level message (or a reply also sent to the channel) */
  posters: Set<string>;
  /** the newest message of any kind, ms */
  lastMessageAt: number | null;
}

export function emptyReading(): HistoryReading {
  return { posters: new Set(), lastMessageAt: null };
}

/** Adds one page of conversations.history to a reading. */
export function readHistoryPage(reading: HistoryReading, page: readonly HistoryLine[], botUserId: string): void {
  for (const m of page) {
    const at = Math.round(Number(m.ts) * 1000);
    if (Number.isFinite(at) && at > 0 && (reading.lastMessageAt === null || at > reading.lastMessageAt)) reading.lastMessageAt = at;
    if (!m.user || m.user === botUserId || m.botId) continue;
    if (m.subtype === null || WRITTEN_SUBTYPES.has(m.subtype)) reading.posters.add(m.user);
  }
}

export interface BackfilledIncident {
  channelId: string;
  name: string;
  isPrivate: boolean;
  createdBy: string | null;
  openedAt: Date;
  resolvedAt: Date | null;
  /** Slack user id -> role; everyone who was a member or wrote */
  roles: Map<string, 'responder' | 'learner'>;
}

/**
 * The incident a past channel stands for. Opened at the channel's creation; resolved at its
 * archiving, else at its last message when the history could be read, else left open. Members
 * who wrote are responders and those who never did are learners; where the history could not be
 * read every member is a responder (nobody is taken for a learner without evidence).
 */
export function backfilledIncident(channel: ListedChannel, members: readonly string[], history: HistoryReading | null, botUserId: string): BackfilledIncident {
  const openedAt = new Date((channel.created ?? 0) * 1000);
  let resolvedAt: Date | null = null;
  if (channel.isArchived && channel.updated) resolvedAt = new Date(channel.updated);
  else if (history?.lastMessageAt) resolvedAt = new Date(history.lastMessageAt);
  if (resolvedAt && resolvedAt < openedAt) resolvedAt = openedAt;
  const roles = new Map<string, 'responder' | 'learner'>();
  for (const member of members) {
    if (member === botUserId) continue;
    roles.set(member, history === null || history.posters.has(member) ? 'responder' : 'learner');
  }
  // Someone who wrote and then left the channel took part all the same.
  for (const poster of history?.posters ?? []) roles.set(poster, 'responder');
  return { channelId: channel.id, name: channel.name, isPrivate: channel.isPrivate, createdBy: channel.creator, openedAt, resolvedAt, roles };
}

/** `365d`, `52w`, `12m` (months of 30 days): how far back the backfill looks. */
export function parseSince(text: string): number | null {
  const match = /^(\d{1,4})([dwm])$/.exec(text.trim());
  if (!match) return null;
  const days = Number(match[1]) * { d: 1, w: 7, m: 30 }[match[2] as 'd' | 'w' | 'm'];
  return days >= 1 && days <= 3650 ? days * 86_400_000 : null;
}

export interface HeavyResponder {
  slackId: string;
  name: string;
  level: string | null;
  fires: number;
}

/** People with HEAVY_RESPONDER_FIRES or more past fires whose level is still unclassified, most fires first. */
export function heavyUnclassified(people: readonly HeavyResponder[]): HeavyResponder[] {
  return people
    .filter((p) => p.fires >= HEAVY_RESPONDER_FIRES && (p.level === null || UNCLASSIFIED_LEVELS.includes(p.level)))
    .sort((a, b) => b.fires - a.fires || a.slackId.localeCompare(b.slackId));
}

export interface ChannelNote {
  channelId: string;
  name: string;
  /** Slack's error code, or the backfill's own reason */
  reason: string;
}

/** What a backfill did (or, in a dry run, would do), as its summary shows it. */
export interface BackfillSummary {
  dryRun: boolean;
  /** every channel conversations.list showed the app */
  channelsSeen: number;
  /** of those, incident channels created since --since (and over an hour ago) */
  incidentChannels: number;
  /** incidents and participations written by this run (a dry run: that it would write) */
  incidents: number;
  participations: number;
  /** incident channels a run before this one recorded */
  alreadyBackfilled: number;
  /** incident channels the app recorded live: never touched */
  recordedLive: number;
  /** incident channels created before --since */
  tooOld: number;
  /** channels left out this time, and why; the next run tries them again */
  skipped: ChannelNote[];
  /** channels recorded without their history (every member a responder), and why */
  historyUnread: ChannelNote[];
  /** set when conversations.list stopped before its last page: the channels listed so far were handled */
  listStopped: string | null;
  /** people with HEAVY_RESPONDER_FIRES or more past fires whose level is still unclassified */
  heavy: HeavyResponder[];
}
