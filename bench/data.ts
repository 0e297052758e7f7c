import type { Pool } from 'pg';
import type { EmulatedUser } from '../src/dev/slack-emulator';

/**
 * A synthetic company for the benchmarks, deterministic for the same sizes: engineers spread over
 * time zones (so that a realistic share is in working hours at any one time), a mix of levels and
 * mentors, and a year of incidents with their participations, ledger rows and learnings. Every
 * table is filled with one set-based statement, so 10,000 engineers and 50,000 participations
 * take seconds.
 */

export interface Person {
  slackId: string;
  name: string;
  email: string;
  timeZone: string;
  level: 'junior' | 'mid' | 'senior' | 'staff';
  isMentor: boolean;
  optedOut: boolean;
}

/** Share of engineers per zone, in percent (sums to 100): most in the Americas, Europe and India. */
const ZONES: Array<[string, number]> = [
  ['America/Los_Angeles', 15], ['America/Denver', 3], ['America/Chicago', 8], ['America/New_York', 17],
  ['America/Sao_Paulo', 4], ['Europe/London', 10], ['Europe/Dublin', 2], ['Europe/Berlin', 10],
  ['Europe/Paris', 4], ['Europe/Warsaw', 3], ['Europe/Kyiv', 2], ['Africa/Lagos', 1], ['Asia/Dubai', 1],
  ['Asia/Kolkata', 10], ['Asia/Singapore', 3], ['Asia/Tokyo', 3], ['Australia/Sydney', 3], ['Pacific/Auckland', 1],
];

/**
 * "Now" for the benchmarks: Wednesday 25 November 2026, 15:00 UTC. Working hours (09:00-18:00,
 * Mon-Fri) in Chicago, New York, São Paulo, Europe and Lagos: about 61% of the engineers;
 * night or evening in California, India and Asia-Pacific.
 */
export const BENCH_NOW = new Date('2026-11-25T15:00:00Z');

/** The ISO week whose digest is the latest due at BENCH_NOW in every zone (DIGEST_SCHEDULE Mon 09:00). */
export const CURRENT_DIGEST_WEEK = '2026-11-23';

function zoneOf(i: number): string {
  // A stride coprime with 100 spreads consecutive people over the zones.
  let bucket = (i * 37) % 100;
  for (const [zone, share] of ZONES) {
    if (bucket < share) return zone;
    bucket -= share;
  }
  return 'UTC';
}

function levelOf(i: number): Person['level'] {
  const r = (i * 53) % 100;
  return r < 35 ? 'junior' : r < 70 ? 'mid' : r < 92 ? 'senior' : 'staff';
}

export const slackIdOf = (i: number) => `UE${String(i).padStart(6, '0')}`;

/** `count` engineers: 35% junior, 35% mid, 22% senior, 8% staff; a third of seniors and staff are mentors; 3% opted out. */
export function organisation(count: number): Person[] {
  return Array.from({ length: count }, (_, index) => {
    const i = index + 1;
    const level = levelOf(i);
    return {
      slackId: slackIdOf(i),
      name: `engineer-${i}`,
      email: `engineer-${i}@example.com`,
      timeZone: zoneOf(i),
      level,
      isMentor: (level === 'senior' || level === 'staff') && i % 3 === 0,
      optedOut: i % 33 === 0,
    };
  });
}

/** The same people as Slack users, for the emulator's users.list (the app's roster sync then agrees with the table). */
export function emulatedUsers(people: readonly Person[]): EmulatedUser[] {
  return people.map((p) => ({ id: p.slackId, name: p.name, real_name: p.name, email: p.email, tz: p.timeZone }));
}

/** People in working hours at `now`, by the same rule as the app's default WORKING_HOURS/DAYS. */
export function inWorkingHours(people: readonly Person[], now: Date): number {
  const byZone = new Map<string, boolean>();
  return people.filter((p) => {
    let inside = byZone.get(p.timeZone);
    if (inside === undefined) {
      const parts = new Intl.DateTimeFormat('en-GB', { timeZone: p.timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
      const get = (t: string) => parts.find((x) => x.type === t)!.value;
      const minute = Number(get('hour')) * 60 + Number(get('minute'));
      inside = !['Sat', 'Sun'].includes(get('weekday')) && minute >= 9 * 60 && minute < 18 * 60;
      byZone.set(p.timeZone, inside);
    }
    return inside;
  }).length;
}

export async function seedEngineers(pool: Pool, people: readonly Person[], now: Date): Promise<void> {
  await pool.query(
    `INSERT INTO engineers (slack_id, name, email, time_zone, level, is_mentor, opted_out, started_on, active, synced_at, updated_at)
     SELECT s, n, e, z, l::"Level", m, o, ($8::date - (((row_number() OVER ()) * 17) % 2000)::int), true, $8, $8
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::boolean[]) AS t(s, n, e, z, l, m, o)`,
    [
      people.map((p) => p.slackId), people.map((p) => p.name), people.map((p) => p.email), people.map((p) => p.timeZone),
      people.map((p) => p.level), people.map((p) => p.isMentor), people.map((p) => p.optedOut), now,
    ],
  );
}

/**
 * This week's digests went out on Monday, as they would have. Without this the app's due check
 * (every minute) would spend the benchmarks recording the digests of everyone, 200 at a time.
 */
export async function seedDigestWeek(pool: Pool): Promise<void> {
  await pool.query(
    `INSERT INTO digests (engineer_id, week_start, status, sent_at)
     SELECT id, $1::date, 'sent'::"DeliveryStatus", $2 FROM engineers ON CONFLICT DO NOTHING`,
    [CURRENT_DIGEST_WEEK, new Date(`${CURRENT_DIGEST_WEEK}T09:00:00Z`)],
  );
}

export interface HistoryCounts {
  incidents: number;
  participations: number;
  deliveries: number;
  learnings: number;
}

/**
 * A year of history before `now`: `participations / 10` resolved incidents spread evenly over the
 * year, each with seven responders (mid, senior or staff), one mentor, and two juniors (auto-invited
 * learners, or a volunteer in every fifth incident); the ledger rows those incidents produced
 * (invites, intro, welcome DMs, three prompts, mentor DMs, reflections); and a learning from a
 * third of the learners.
 */
export async function seedHistory(pool: Pool, participations: number, now: Date): Promise<HistoryCounts> {
  const incidents = Math.ceil(participations / 10);
  await pool.query(
    `INSERT INTO incidents (channel_id, name, is_private, created_by, opened_at, resolved_at, selected_at, mentor_slack_id)
     SELECT 'CP' || lpad(i::text, 7, '0'), 'inc-past-' || i, i % 20 = 0, NULL,
            $2::timestamptz - make_interval(secs => (i - 0.5) * 365 * 86400 / $1),
            $2::timestamptz - make_interval(secs => (i - 0.5) * 365 * 86400 / $1) + make_interval(hours => 1 + i % 8),
            $2::timestamptz - make_interval(secs => (i - 0.5) * 365 * 86400 / $1) + interval '2 seconds',
            NULL
     FROM generate_series(1, $1) AS i`,
    [incidents, now],
  );
  // Pools of engineer ids by kind, then ten distinct people per incident: strides coprime with the pool sizes.
  await pool.query(
    `WITH pools AS (
       SELECT array_agg(id ORDER BY id) FILTER (WHERE level <> 'junior' AND NOT is_mentor) AS responders,
              array_agg(id ORDER BY id) FILTER (WHERE is_mentor) AS mentors,
              array_agg(id ORDER BY id) FILTER (WHERE level = 'junior') AS juniors
       FROM engineers
     ), slots AS (
       SELECT inc.id AS incident_id, inc.opened_at, inc.resolved_at, k, inc.id AS n
       FROM incidents inc CROSS JOIN generate_series(0, 9) AS k
       WHERE inc.channel_id LIKE 'CP%'
     )
     INSERT INTO participations (engineer_id, incident_id, role, source, reason, invited_at, joined_at, left_at)
     SELECT
       CASE WHEN k < 7 THEN responders[1 + (n * 7919 + k * 1009) % cardinality(responders)]
            WHEN k = 7 THEN mentors[1 + (n * 31) % cardinality(mentors)]
            ELSE juniors[1 + (n * 104729 + k * 613) % cardinality(juniors)] END,
       incident_id,
       (CASE WHEN k < 7 THEN 'responder' WHEN k = 7 THEN 'mentor' WHEN k = 9 AND n % 5 = 0 THEN 'volunteer' ELSE 'learner' END)::"ParticipationRole",
       (CASE WHEN k < 8 THEN 'self_joined' WHEN k = 9 AND n % 5 = 0 THEN 'volunteer' ELSE 'auto_invite' END)::"ParticipationSource",
       CASE WHEN k >= 8 THEN 'among the least experienced people in working hours right now' END,
       CASE WHEN k >= 8 THEN opened_at + interval '1 second' END,
       opened_at + make_interval(mins => k * 3),
       resolved_at
     FROM slots, pools
     ON CONFLICT (engineer_id, incident_id) DO NOTHING`,
  );
  await pool.query(
    `INSERT INTO deliveries (key, kind, incident_id, engineer_id, status, attempts, due_at, sent_at, created_at)
     SELECT d.key, d.kind, p.incident_id, p.engineer_id, 'sent'::"DeliveryStatus", 1, d.at, d.at, d.at
     FROM participations p
     JOIN incidents i ON i.id = p.incident_id
     JOIN engineers e ON e.id = p.engineer_id
     CROSS JOIN LATERAL (VALUES
       ('invite:' || i.channel_id || ':' || e.slack_id, 'invite', p.joined_at),
       ('welcome-dm:' || i.channel_id || ':' || e.slack_id, 'welcome-dm', p.joined_at),
       ('prompt:' || i.channel_id || ':' || e.slack_id || ':1', 'prompt', p.joined_at),
       ('prompt:' || i.channel_id || ':' || e.slack_id || ':2', 'prompt', p.joined_at + interval '10 minutes'),
       ('prompt:' || i.channel_id || ':' || e.slack_id || ':3', 'prompt', p.joined_at + interval '30 minutes'),
       ('mentor-dm:' || i.channel_id || ':' || e.slack_id, 'mentor-dm', p.joined_at),
       ('reflection:' || i.channel_id || ':' || e.slack_id, 'reflection', i.resolved_at)
     ) AS d(key, kind, at)
     WHERE p.role IN ('learner', 'volunteer')
     UNION ALL
     SELECT 'intro:' || i.channel_id, 'intro', i.id, NULL, 'sent'::"DeliveryStatus", 1, i.opened_at, i.opened_at, i.opened_at
     FROM incidents i WHERE i.channel_id LIKE 'CP%'`,
  );
  await pool.query(
    `INSERT INTO learnings (incident_id, engineer_id, what_happened, check_first, learned, created_at, updated_at)
     SELECT p.incident_id, p.engineer_id, 'The primary ran out of connections', 'the connection dashboard', 'pool limits matter', p.left_at, p.left_at
     FROM participations p WHERE p.role IN ('learner', 'volunteer') AND p.id % 3 = 0`,
  );
  await pool.query('ANALYZE');
  const counts = await pool.query<{ incidents: number; participations: number; deliveries: number; learnings: number }>(
    `SELECT (SELECT count(*) FROM incidents)::int AS incidents, (SELECT count(*) FROM participations)::int AS participations,
            (SELECT count(*) FROM deliveries)::int AS deliveries, (SELECT count(*) FROM learnings)::int AS learnings`,
  );
  return counts.rows[0]!;
}
