import type { ContextMessage } from '../../../src/domain/channel-context';
import { anonymise, choosePracticeIncident, dueForPracticeOffer, isPracticeLearner, namesOf, postmortemLink, roleLabels, splitRounds, type PracticeCandidate } from '../../../src/domain/practice';

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

describe('the anonymiser on message shapes Slack sends', () => {
  // Text as conversations.history returns it: mentions escaped as <@U…> (with |name when the
  // sender's client adds it), links as <url|label>, & < > as entities, code in backticks.
  const story: ContextMessage[] = [
    msg(0, 'U0ZOE', '<!here> checkout is down, <@U0LEAD|marta.lindqvist> can you lead?'),
    msg(1, 'U0LEAD', 'Lead: <@U0LEAD>. Zoë, grab the logs: <https://kibana.example.com/app/logs?q=checkout|kibana>'),
    msg(2, 'U0ZOE', 'got it:\n```\nERROR pool exhausted (owner=marta)\n$ ssh zoë@db-2\n```'),
    msg(3, 'U0LEAD', "Zoë's right, it's the pool &amp; the replica. cc <@U0OUTSIDER|kai.nakamura>"),
    msg(4, 'U0ZOE', 'Marta: rolled back, see <https://github.com/acme/api/pull/981|Marta Lindqvist\'s PR #981>'),
  ];
  const names = new Map<string, string[]>([['U0LEAD', namesOf('Marta Lindqvist')], ['U0ZOE', namesOf('Zoë')], ['U0OUTSIDER', namesOf('Kai Nakamura')]]);
  const labels = roleLabels(story, 'U0LEAD');
  const shown = story.map((m) => anonymise(m.text, labels, names));

  it('replaces every mention, with or without a name after the bar, and every known name, in links and code too', () => {
    expect(shown).toEqual([
      '<!here> checkout is down, _the lead_ can you lead?',
      'Lead: _the lead_. _responder A_, grab the logs: <https://kibana.example.com/app/logs?q=checkout|kibana>',
      'got it:\n```\nERROR pool exhausted (owner=_the lead_)\n$ ssh _responder A_@db-2\n```',
      "_responder A_'s right, it's the pool &amp; the replica. cc _responder B_",
      '_the lead_: rolled back, see <https://github.com/acme/api/pull/981|_the lead_\'s PR #981>',
    ]);
  });

  it('never lets a mentioned person\'s name through, even someone who never posted', () => {
    const all = shown.join('\n');
    for (const leak of [/marta/i, /lindqvist/i, /zoë/i, /kai/i, /nakamura/i]) expect(all).not.toMatch(leak);
  });

  it('knows a person by their full name and each longer part of it', () => {
    expect(namesOf('Marta Lindqvist')).toEqual(['Marta Lindqvist', 'Marta', 'Lindqvist']);
    expect(namesOf('marta.lindqvist')).toEqual(['marta.lindqvist', 'marta', 'lindqvist']);
    expect(namesOf('Jo')).toEqual(['Jo']);
    expect(namesOf('Al Smith')).toEqual(['Al Smith', 'Smith']);
  });

  it('strips a surname from a link too', () => {
    const text = anonymise('PR by <https://github.com/lindqvist/api/pull/9|Lindqvist>', labels, names);
    expect(text).toBe('PR by <https://github.com/_the lead_/api/pull/9|_the lead_>');
  });
});

describe('postmortemLink', () => {
  it('finds the last link that names a postmortem, by its URL or its label', () => {
    expect(postmortemLink(incident)).toEqual({ url: 'https://wiki.example.com/pm/42', label: 'PM-42' });
    expect(postmortemLink([msg(0, 'U1', 'see <https://docs.example.com/postmortems/2026-11-02-checkout>')])).toEqual({ url: 'https://docs.example.com/postmortems/2026-11-02-checkout', label: null });
    expect(postmortemLink([msg(0, 'U1', 'dashboard <https://grafana.example.com/d/x|at 3pm>')])).toBeNull();
  });
});

describe('dueForPracticeOffer', () => {
  const now = new Date('2026-12-02T09:30:00Z');
  const AFTER = 28 * 86_400_000;
  const base = { level: 'junior', active: true, optedOut: false, timeZone: 'Europe/Berlin', knownSince: new Date('2026-06-01T00:00:00Z'), lastFireAt: new Date('2026-10-01T10:00:00Z'), practiceUnfinished: false };

  it('offers juniors and people of unknown level without a fire for PRACTICE_AFTER', () => {
    expect(dueForPracticeOffer(base, now, AFTER)).toBe(true);
    expect(dueForPracticeOffer({ ...base, level: 'unknown' }, now, AFTER)).toBe(true);
    expect(dueForPracticeOffer({ ...base, lastFireAt: null }, now, AFTER)).toBe(true);
    expect(isPracticeLearner('mid')).toBe(false);
  });

  it('does not offer to others, to the opted out, after a recent fire, to newcomers, or during a practice', () => {
    expect(dueForPracticeOffer({ ...base, level: 'mid' }, now, AFTER)).toBe(false);
    expect(dueForPracticeOffer({ ...base, optedOut: true }, now, AFTER)).toBe(false);
    expect(dueForPracticeOffer({ ...base, active: false }, now, AFTER)).toBe(false);
    expect(dueForPracticeOffer({ ...base, lastFireAt: new Date('2026-11-20T10:00:00Z') }, now, AFTER)).toBe(false);
    expect(dueForPracticeOffer({ ...base, lastFireAt: null, knownSince: new Date('2026-11-20T00:00:00Z') }, now, AFTER)).toBe(false);
    expect(dueForPracticeOffer({ ...base, practiceUnfinished: true }, now, AFTER)).toBe(false);
  });
});
