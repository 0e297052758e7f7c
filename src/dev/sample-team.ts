/**
 * The sample team of `npm run demo`: a dozen engineers in five time zones, every level, two
 * mentors, and a little incident history, so that the invite rules have something to choose
 * between. Pure data; the demo feeds it to the emulator (people), the roster CSV (levels and
 * mentors) and the repositories (past fires).
 */
import type { Level, Role } from '../domain/experience';
import type { EmulatedUser } from './slack-emulator';

export interface PastFire {
  /** which past incident (a key of PAST_INCIDENTS) */
  incident: string;
  role: Role;
}

export interface SampleEngineer {
  id: string;
  name: string;
  tz: string;
  level: Level;
  startedOn: string;
  mentor: boolean;
  /** never wants automatic invites (`/volunteer optout`) */
  optedOut?: boolean;
  pastFires: PastFire[];
  /** what this person is for in the story */
  role: string;
}

/** Past incidents, in days before the demo's Wednesday. */
export const PAST_INCIDENTS: Record<string, { name: string; daysAgo: number; hours: number }> = {
  payments: { name: 'inc-payments-timeout', daysAgo: 12, hours: 2 },
  search: { name: 'inc-search-reindex', daysAgo: 40, hours: 3 },
  login: { name: 'inc-login-errors', daysAgo: 150, hours: 1 },
};

export const SAMPLE_TEAM: readonly SampleEngineer[] = [
  { id: 'U0MARTA01', name: 'Marta', tz: 'Europe/Berlin', level: 'staff', startedOn: '2017-03-01', mentor: true, role: 'opens the incident; flagged as a mentor', pastFires: [{ incident: 'payments', role: 'mentor' }, { incident: 'search', role: 'responder' }, { incident: 'login', role: 'responder' }] },
  { id: 'U0JONAS01', name: 'Jonas', tz: 'Europe/Berlin', level: 'junior', startedOn: '2026-09-01', mentor: false, role: 'new junior, no fires yet', pastFires: [] },
  { id: 'U0AISHA01', name: 'Aisha', tz: 'Europe/London', level: 'junior', startedOn: '2026-04-13', mentor: false, role: 'junior with one fire long ago', pastFires: [{ incident: 'login', role: 'learner' }] },
  { id: 'U0PRIYA01', name: 'Priya', tz: 'Asia/Kolkata', level: 'junior', startedOn: '2025-10-06', mentor: false, role: 'junior with recent fires; volunteers', pastFires: [{ incident: 'payments', role: 'learner' }, { incident: 'search', role: 'learner' }] },
  { id: 'U0LEOXX01', name: 'Leo', tz: 'America/Los_Angeles', level: 'junior', startedOn: '2026-08-17', mentor: false, role: 'junior, asleep (01:00 local)', pastFires: [] },
  { id: 'U0MIAXX01', name: 'Mia', tz: 'Australia/Sydney', level: 'junior', startedOn: '2026-07-06', mentor: false, role: 'junior, evening (20:00 local)', pastFires: [] },
  { id: 'U0KOFI001', name: 'Kofi', tz: 'Europe/London', level: 'junior', startedOn: '2026-05-04', mentor: false, optedOut: true, role: 'junior who opted out of automatic invites', pastFires: [] },
  { id: 'U0SVEN001', name: 'Sven', tz: 'Europe/Berlin', level: 'mid', startedOn: '2023-01-09', mentor: false, role: 'mid-level', pastFires: [{ incident: 'search', role: 'responder' }] },
  { id: 'U0TOMAS01', name: 'Tomás', tz: 'America/New_York', level: 'mid', startedOn: '2022-06-01', mentor: false, role: 'mid-level, before office hours', pastFires: [] },
  { id: 'U0CHEN001', name: 'Chen', tz: 'Europe/London', level: 'senior', startedOn: '2019-11-04', mentor: true, role: 'senior, mentor', pastFires: [{ incident: 'payments', role: 'responder' }] },
  { id: 'U0RAVI001', name: 'Ravi', tz: 'Asia/Kolkata', level: 'senior', startedOn: '2020-02-03', mentor: false, role: 'senior', pastFires: [{ incident: 'search', role: 'mentor' }] },
  { id: 'U0ANAXX01', name: 'Ana', tz: 'America/New_York', level: 'staff', startedOn: '2016-09-12', mentor: false, role: 'staff', pastFires: [] },
];

export function sampleUsers(): EmulatedUser[] {
  return SAMPLE_TEAM.map((p) => ({
    id: p.id,
    name: p.name.toLowerCase().normalize('NFD').replace(/[^a-z]/g, ''),
    real_name: p.name,
    email: `${p.name.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}@example.com`,
    tz: p.tz,
  }));
}

/** The roster CSV of SPEC.md section 3, as an operator would import it with `npm run roster -- import`. */
export function sampleRosterCsv(): string {
  return ['user,level,started_on,mentor', ...SAMPLE_TEAM.map((p) => `${p.id},${p.level},${p.startedOn},${p.mentor ? 'yes' : 'no'}`)].join('\n');
}

export function sampleEngineer(id: string): SampleEngineer {
  const found = SAMPLE_TEAM.find((p) => p.id === id);
  if (!found) throw new Error(`no sample engineer ${id}`);
  return found;
}
