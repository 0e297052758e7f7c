import dayjs from 'dayjs';
import type { Level, Role } from './experience';
import { addDays, addWeeks, digestDueAt, weekBounds, weekStartOf, type DigestSchedule, type WeekStart } from './iso-week';
import { safeZone } from './working-time';
import { digestContent, invitationWeek, quarterOf, quarterSummary, type QuarterFire, type QuarterSummary } from './digest-rules';
import type { DigestGrowth } from './digest-growth';

/**
 * The weekly digest as data (SPEC.md section 7): what one person did in one ISO week of their own
 * time zone. Pure: the facts and the clock come in, a summary comes out; the Slack message is
 * built from it by slack/views/digest-message.ts.
 *
 * Only the person's own participations and learnings are ever passed in, so a private incident
 * channel can only appear in the digests of the people who were in it.
 */
export const TREND_WEEKS = 8;
export const TREND_BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

export interface DigestPerson {
  id: number;
  slackId: string;
  name: string;
  timeZone: string;
  /** juniors get one invitation after a stretch without fires (domain/digest-rules.ts) */
  level: Level;
  /** when the app first knew them: a stretch without fires counts from here at the earliest */
  knownSince: Date;
}

export interface IncidentRef {
  incidentId: number;
  channelId: string;
  channelName: string;
}

export interface ParticipationFact extends IncidentRef {
  role: Role;
  joinedAt: Date;
  leftAt: Date | null;
  resolvedAt: Date | null;
}

export interface LearningFact extends IncidentRef {
  learned: string;
  createdAt: Date;
  /** when this person joined the learning's incident, if they ever did */
  joinedAt: Date | null;
}

export interface DigestInput {
  person: DigestPerson;
  weekStart: WeekStart;
  /** the person's participations joined in the trend window (the 8 weeks ending with this one); others are ignored */
  participations: readonly ParticipationFact[];
  /** the person's learnings written in this week or about an incident they joined in it; others are ignored */
  learnings: readonly LearningFact[];
  /** when the person reached the end of each practice fire (SPEC.md "Practice fires"); outside the week ignored */
  practicesFinishedAt?: readonly Date[];
  schedule: DigestSchedule;
  now: Date;
  /** on the first digest of a quarter (firstDigestOfQuarter): the person's fires and reflections in the quarter the week began in */
  quarter?: { fires: readonly QuarterFire[]; reflections: number } | null;
}

export interface DigestIncident extends IncidentRef {
  role: Role;
  joinedAt: Date;
  /** when they joined, in their own time zone: `Tue 17 Nov, 14:05` */
  joinedLocal: string;
  /** from joining to leaving, else to resolution, else to the end of the week (or now, for the week so far) */
  minutes: number;
  /** neither left nor resolved by then */
  open: boolean;
}

export interface DigestLearning extends IncidentRef {
  learned: string;
}

export type NextStep =
  | { kind: 'volunteer' }
  | { kind: 'reflect'; incident: IncidentRef }
  | { kind: 'mentor' }
  | { kind: 'narrate' }
  | { kind: 'take-a-step' }
  | { kind: 'ask' };

export interface DigestSummary {
  person: { slackId: string; name: string; timeZone: string };
  weekStart: WeekStart;
  /** the Sunday that ends the week */
  weekEnd: string;
  /** the week is not over at `now`: a digest of the current week gives the week so far */
  soFar: boolean;
  /**
   * 'summary' when the week holds something (domain/digest-rules.ts DIGEST_CONTENT); else a junior's
   * one 'invitation' of a stretch without fires; else 'quiet', and nothing is sent.
   */
  kind: 'summary' | 'invitation' | 'quiet';
  /** what the week holds, by DIGEST_CONTENT's names */
  content: string[];
  /** the quarter's summary, on the first digest of a quarter */
  quarter: QuarterSummary | null;
  incidents: DigestIncident[];
  totalMinutes: number;
  learnings: DigestLearning[];
  /** incidents joined per week, oldest first, this week last */
  trend: { counts: number[]; line: string };
  nextStep: NextStep;
  /** the growth section (digest-growth.ts), when the person is on the growth path */
  growth?: DigestGrowth | null;
  /** practice fires finished this week, shown apart: they are not fires (absent when none) */
  practices?: number;
}

/** ▁ for a week without fires; otherwise ▂ to █ in proportion to the busiest week of the eight. */
export function trendLine(counts: readonly number[]): string {
  const max = Math.max(0, ...counts);
  return counts.map((c) => (c <= 0 || max === 0 ? TREND_BARS[0] : TREND_BARS[Math.max(1, Math.round((c / max) * 7))])).join('');
}

/**
 * The week a learning is shown in, so that each learning is in exactly one digest: the week its
 * incident was joined when it was written before that week's digest fell due (so a reflection
 * written on Monday morning sits beside its Sunday incident), else the week it was written in.
 */
export function learningWeek(learning: LearningFact, zone: string, schedule: DigestSchedule): WeekStart {
  if (learning.joinedAt) {
    const joinedWeek = weekStartOf(learning.joinedAt, zone);
    if (learning.createdAt.getTime() < digestDueAt(joinedWeek, zone, schedule).getTime()) return joinedWeek;
  }
  return weekStartOf(learning.createdAt, zone);
}

const REFLECTING_ROLES: ReadonlySet<Role> = new Set(['learner', 'volunteer']);
/** Fires in the trend window after which a learner is nudged towards a more active part. */
export const ACTIVE_STEP_AFTER_FIRES = 3;

function chooseNextStep(incidents: readonly (DigestIncident & { resolvedAt: Date | null })[], reflected: ReadonlySet<number>, trendTotal: number, now: Date): NextStep {
  if (incidents.length === 0) return { kind: 'volunteer' };
  const unreflected = incidents.filter((i) => REFLECTING_ROLES.has(i.role) && i.resolvedAt !== null && i.resolvedAt <= now && !reflected.has(i.incidentId));
  const latest = unreflected[unreflected.length - 1];
  if (latest) return { kind: 'reflect', incident: { incidentId: latest.incidentId, channelId: latest.channelId, channelName: latest.channelName } };
  if (incidents.some((i) => i.role === 'mentor')) return { kind: 'mentor' };
  if (incidents.some((i) => i.role === 'responder')) return { kind: 'narrate' };
  if (trendTotal >= ACTIVE_STEP_AFTER_FIRES) return { kind: 'take-a-step' };
  return { kind: 'ask' };
}

export function composeDigest(input: DigestInput): DigestSummary {
  const { person, weekStart, schedule, now } = input;
  const zone = safeZone(person.timeZone);
  const { start, end } = weekBounds(weekStart, zone);
  const soFar = now.getTime() < end.getTime();
  const horizon = soFar ? now : end;

  const trendStarts = Array.from({ length: TREND_WEEKS }, (_, i) => weekBounds(addWeeks(weekStart, i - (TREND_WEEKS - 1)), zone).start.getTime());
  const counts = new Array<number>(TREND_WEEKS).fill(0);
  for (const p of input.participations) {
    const t = p.joinedAt.getTime();
    if (t >= horizon.getTime() || t < trendStarts[0]!) continue;
    let i = TREND_WEEKS - 1;
    while (i > 0 && t < trendStarts[i]!) i--;
    counts[i]! += 1;
  }

  const incidents = input.participations
    .filter((p) => p.joinedAt >= start && p.joinedAt < horizon)
    .sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime() || a.channelId.localeCompare(b.channelId))
    .map((p) => {
      const until = Math.min((p.leftAt ?? p.resolvedAt ?? end).getTime(), now.getTime());
      return {
        incidentId: p.incidentId,
        channelId: p.channelId,
        channelName: p.channelName,
        role: p.role,
        joinedAt: p.joinedAt,
        joinedLocal: dayjs(p.joinedAt).tz(zone).format('ddd D MMM, HH:mm'),
        minutes: Math.max(0, Math.floor((until - p.joinedAt.getTime()) / 60_000)),
        open: (p.leftAt === null || p.leftAt > now) && (p.resolvedAt === null || p.resolvedAt > now),
        resolvedAt: p.resolvedAt,
      };
    });

  const learnings = input.learnings
    .filter((l) => l.createdAt <= now && learningWeek(l, zone, schedule) === weekStart)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.incidentId - b.incidentId)
    .map(({ incidentId, channelId, channelName, learned }) => ({ incidentId, channelId, channelName, learned }));

  const reflected = new Set(input.learnings.filter((l) => l.createdAt <= now).map((l) => l.incidentId));
  const nextStep = chooseNextStep(incidents, reflected, counts.reduce((a, b) => a + b, 0), now);

  const quarter = input.quarter ? quarterSummary(quarterOf(weekStart), input.quarter.fires, input.quarter.reflections) : null;
  const content = digestContent({ incidents, learnings, quarter });
  const lastFire = input.participations.filter((p) => p.joinedAt < horizon).reduce<Date | null>((latest, p) => (!latest || p.joinedAt > latest ? p.joinedAt : latest), null);
  const invited = invitationWeek({ level: person.level, knownSince: person.knownSince, lastFireAt: lastFire }, { start, end });
  const practices = (input.practicesFinishedAt ?? []).filter((at) => at >= start && at < horizon).length;

  return {
    person: { slackId: person.slackId, name: person.name, timeZone: zone },
    weekStart,
    weekEnd: addDays(weekStart, 6),
    soFar,
    kind: content.length > 0 ? 'summary' : invited ? 'invitation' : 'quiet',
    content,
    quarter,
    incidents: incidents.map(({ resolvedAt: _resolvedAt, ...incident }) => incident),
    totalMinutes: incidents.reduce((sum, i) => sum + i.minutes, 0),
    learnings,
    trend: { counts, line: trendLine(counts) },
    nextStep,
    ...(practices > 0 ? { practices } : {}),
  };
}
