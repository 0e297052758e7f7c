import type { ContextMessage } from '../../../src/domain/channel-context';
import { anonymise, choosePracticeIncident, roleLabels, splitRounds, type PracticeCandidate } from '../../../src/domain/practice';

const T0 = 1_700_000_000;
const msg = (minute: number, user: string | null, text: string, fromBot = false): ContextMessage => ({ ts: `${T0 + minute * 60}.000100`, user, text, fromBot });

const incident: ContextMessage[] = [
  msg(0, 'B0PAGER', ':rotating_light: Alert: checkout p99 > 2s for 5m', true),
  msg(1, 'U0LEAD', 'I have it. <@U0ANA|ana> can you look at the DB?'),
  msg(2, 'U0ANA', 'on it, <https://grafana.example.com/d/db|db dashboard>'),
  msg(8, 'U0ANA', 'Looks like replica lag on db-2, 40s behind'),
  msg(12, 'U0BOB', 'Deploy 4411 went out at 10:02 with a new query'),
  msg(15, 'U0LEAD', 'Rolled back 4411, thanks Bob'),
  msg(25, 'U0ANA', 'lag is back to 0, p99 normal'),
  msg(30, 'U0LEAD', 'Resolved. Postmortem: <https://wiki.example.com/pm/42|PM-42>'),
];
const names = new Map([['U0LEAD', 'Marta Lindqvist'], ['U0ANA', 'Ana'], ['U0BOB', 'Bob']]);

describe('roleLabels', () => {
  it('calls the lead "the lead" and everyone else responder A, B, … by first appearance', () => {
    expect([...roleLabels(incident, 'U0LEAD')]).toEqual([['U0LEAD', 'the lead'], ['U0ANA', 'responder A'], ['U0BOB', 'responder B']]);
  });
});

describe('anonymise', () => {
  const labels = roleLabels(incident, 'U0LEAD');
  it('replaces mentions, names after the bar and plain names, and keeps links and code', () => {
    expect(anonymise('<@U0ANA|ana> and <@U0BOB>: see `SELECT * FROM orders` and <https://x.example/d|dash>', labels, names)).toBe(
      '_responder A_ and _responder B_: see `SELECT * FROM orders` and <https://x.example/d|dash>',
    );
    expect(anonymise('thanks Bob, and thanks marta lindqvist', labels, names)).toBe('thanks _responder B_, and thanks _the lead_');
  });

  it('never leaks a name through a mention of someone unknown or a user group', () => {
    const text = anonymise('cc <@U0STRANGER|jane.doe> <!subteam^S0123|@db-oncall>', labels, names);
    expect(text).toBe('cc _someone_ _a team_');
    expect(text).not.toMatch(/jane|db-oncall/i);
  });

  it('does not replace a name inside another word', () => {
    expect(anonymise('Bobby tables', labels, names)).toBe('Bobby tables');
  });
});

describe('splitRounds', () => {
  const labels = roleLabels(incident, 'U0LEAD');

  it('opens with the first minutes, cuts after each statement and ends with the resolution', () => {
    const rounds = splitRounds(incident, labels, names)!;
    expect(rounds.map((r) => r.lines.map((l) => l.text.slice(0, 20)))).toEqual([
      [':rotating_light: Ale', 'I have it. _responde', 'on it, <https://graf'],
      ['Looks like replica l'],
      ['Deploy 4411 went out'],
      ['Rolled back 4411, th'],
      ['lag is back to 0, p9', 'Resolved. Postmortem'],
    ]);
    expect(rounds.map((r) => r.last)).toEqual([false, false, false, false, true]);
    expect(rounds[0]!.lines[0]!.who).toBe('a bot');
    expect(rounds[3]!.lines[0]).toMatchObject({ who: 'the lead', text: 'Rolled back 4411, thanks _responder B_' });
    expect(JSON.stringify(rounds)).not.toMatch(/Ana\b|Bob\b|Marta/);
  });

  it('keeps at most 5 rounds when there are many statements', () => {
    const busy = [...incident, ...[40, 41, 42, 43].map((m) => msg(m, 'U0BOB', `I think it might be cache ${m}`)), msg(50, 'U0LEAD', 'closing')];
    const rounds = splitRounds(busy, roleLabels(busy, 'U0LEAD'))!;
    expect(rounds.length).toBe(5);
    expect(rounds.flatMap((r) => r.lines).length).toBe(busy.length);
  });

  it('is null when the history is too thin for 3 rounds', () => {
    expect(splitRounds(incident.slice(0, 2), labels)).toBeNull();
    expect(splitRounds([msg(0, 'U0LEAD', 'down'), msg(10, 'U0LEAD', 'ok now'), msg(20, 'U0LEAD', 'closing')], labels)).toBeNull();
  });
});

describe('choosePracticeIncident', () => {
  const now = new Date('2026-12-04T10:00:00Z');
  const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
  const WEEK = 7 * 86_400_000;
  const base = { isPrivate: false, appWasMember: true, excluded: false, personJoined: false, personWasMember: false, practised: false };
  const candidates: PracticeCandidate[] = [
    { ...base, incidentId: 1, channelName: 'inc-db-lag', playbook: 'database', resolvedAt: daysAgo(30) },
    { ...base, incidentId: 2, channelName: 'inc-api-500', playbook: 'default', resolvedAt: daysAgo(20) },
    { ...base, incidentId: 3, channelName: 'inc-api-slow', playbook: 'default', resolvedAt: daysAgo(10) },
    { ...base, incidentId: 4, channelName: 'inc-sec-token', playbook: 'security', resolvedAt: daysAgo(40) },
    { ...base, incidentId: 5, channelName: 'inc-fresh', playbook: 'default', resolvedAt: daysAgo(2) },
    { ...base, incidentId: 6, channelName: 'inc-private', playbook: 'default', resolvedAt: daysAgo(9), isPrivate: true },
    { ...base, incidentId: 7, channelName: 'inc-open', playbook: 'default', resolvedAt: null },
    { ...base, incidentId: 8, channelName: 'inc-unread', playbook: 'default', resolvedAt: daysAgo(9), appWasMember: false },
    { ...base, incidentId: 9, channelName: 'inc-excluded', playbook: 'default', resolvedAt: daysAgo(9), excluded: true },
  ];

  it('prefers the playbook seen least, then the most recent', () => {
    expect(choosePracticeIncident(candidates, new Map([['database', 3]]), now, WEEK)?.incidentId).toBe(3);
    expect(choosePracticeIncident(candidates, new Map([['default', 2]]), now, WEEK)?.incidentId).toBe(1);
  });

  it('never offers security, too fresh, open, unread, excluded, joined or practised ones', () => {
    const rest = candidates.map((c) => (c.incidentId <= 3 ? { ...c, practised: c.incidentId === 1, personJoined: c.incidentId !== 1 } : c));
    expect(choosePracticeIncident(rest, new Map(), now, WEEK)).toBeNull();
  });

  it('offers a private incident only to someone who was in it', () => {
    const onlyPrivate = candidates.filter((c) => c.incidentId === 6);
    expect(choosePracticeIncident(onlyPrivate, new Map(), now, WEEK)).toBeNull();
    expect(choosePracticeIncident([{ ...onlyPrivate[0]!, personWasMember: true }], new Map(), now, WEEK)?.incidentId).toBe(6);
  });
});
