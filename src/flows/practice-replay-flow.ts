import type { Deps } from '../deps';
import { namesBySlackId, practiceIncidents, seenIncidentNames, type PracticeIncidentRow } from '../db/practices';
import type { ContextMessage } from '../domain/channel-context';
import { findLead } from '../domain/incident-lead';
import { choosePracticeIncident, namesOf, roleLabels, splitRounds, type PracticeCandidate, type PracticeRound } from '../domain/practice';
import { playbookFor } from '../domain/prompts';
import { RetryableError } from '../errors';

/**
 * Which past incident a practice fire replays, and what its channel says (SPEC.md "Practice
 * fires"): the incidents the rules allow, ranked from the database; whether Slack lets the person
 * see one now; and its channel read and split into rounds. The channel's text is read each time
 * and never stored. Starting, answering and stopping a practice are in practice-flow.ts.
 */

/** A channel longer than this is no 15-minute exercise, and its beginning is pages away. */
export const MAX_REPLAY_MESSAGES = 600;

function toCandidate(row: PracticeIncidentRow): PracticeCandidate {
  return {
    incidentId: row.id,
    channelName: row.name,
    playbook: playbookFor(row.name).id,
    isPrivate: row.isPrivate,
    resolvedAt: row.resolvedAt,
    // Every incident the app recorded it was in (it joins public ones, and private ones count only
    // as a member); reading the history when the practice starts is the proof.
    appWasMember: true,
    excluded: row.excluded,
    personJoined: row.joined,
    // Whether the person is in a private channel is Slack's to say (maySee), when the practice starts.
    personWasMember: row.isPrivate,
    practised: row.practised,
  };
}

/** The first `limit` incidents the rules allow, best first, from the database alone. */
export async function rankedFromDatabase(deps: Deps, engineerId: number, slackId: string, now: Date, limit: number): Promise<PracticeIncidentRow[]> {
  const rows = await practiceIncidents(deps.db, engineerId, slackId, new Date(now.getTime() - deps.config.practiceMinAgeMs));
  const seen = new Map<string, number>();
  for (const name of await seenIncidentNames(deps.db, engineerId)) {
    const playbook = playbookFor(name).id;
    seen.set(playbook, (seen.get(playbook) ?? 0) + 1);
  }
  const ranked: PracticeIncidentRow[] = [];
  let candidates = rows.map(toCandidate);
  while (ranked.length < limit) {
    const best = choosePracticeIncident(candidates, seen, now, deps.config.practiceMinAgeMs);
    if (!best) return ranked;
    ranked.push(rows.find((r) => r.id === best.incidentId)!);
    candidates = candidates.filter((c) => c !== best);
  }
  return ranked;
}

export async function anythingToReplay(deps: Deps, engineerId: number, slackId: string, now: Date): Promise<boolean> {
  return (await rankedFromDatabase(deps, engineerId, slackId, now, 1)).length > 0;
}

export interface Replay {
  rounds: PracticeRound[];
  messages: ContextMessage[];
}

/**
 * Reads an incident's channel and splits it into rounds, with people shown by role. Null when the
 * channel cannot be read (the app is not in it, it is gone), is too long, or too thin for 3 rounds.
 */
export async function readReplay(deps: Deps, incident: { channelId: string; createdBy: string | null }): Promise<Replay | null> {
  const read = await deps.slack.conversation(incident.channelId, MAX_REPLAY_MESSAGES);
  if (!read.ok) {
    if (read.retryable) throw new RetryableError(read.error, 'conversations.history of a practice incident failed');
    deps.log.info({ channel: incident.channelId, error: read.error }, 'practice incident cannot be read');
    return null;
  }
  if (!read.value) return null;
  // The app's own posts (the intro, naming learners) are not part of the story.
  const messages = read.value.filter((m) => m.user !== deps.botUserId);
  const people = [...new Set(messages.flatMap((m) => [...(m.user && !m.fromBot ? [m.user] : []), ...[...m.text.matchAll(/<@([UW][A-Z0-9]+)/g)].map((x) => x[1]!)]))];
  const known = await namesBySlackId(deps.db, [...people, ...(incident.createdBy ? [incident.createdBy] : [])]);
  const lead = findLead({
    creatorId: incident.createdBy,
    creatorIsHuman: incident.createdBy !== null && known.has(incident.createdBy),
    messages: messages.map((m) => ({ user: m.user, text: m.text, fromBot: m.fromBot })),
    isHuman: (id) => known.has(id),
  });
  const labels = roleLabels(messages, lead?.slackId ?? null);
  const names = new Map([...known].map(([id, name]) => [id, namesOf(name)] as const));
  const rounds = splitRounds(messages, labels, names);
  return rounds ? { rounds, messages } : null;
}

/** Whether Slack says the person may see this incident's channel now: public, or private with them in it. */
export async function maySee(deps: Deps, row: Pick<PracticeIncidentRow, 'channelId'>, slackId: string): Promise<boolean> {
  const info = await deps.slack.channelInfo(row.channelId);
  if (!info.ok) return false;
  // A channel renamed since (to resolved-sec-…) is judged by both names.
  if (playbookFor(info.value.name).id === 'security') return false;
  if (!info.value.isPrivate) return true;
  const members = await deps.slack.channelMembers(row.channelId);
  return members.ok && members.value.includes(slackId);
}
