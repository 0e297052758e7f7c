import { needsAdmin, parseVolunteerCommand, shorten, type VolunteerCommand } from '../../../src/domain/volunteer-command';

const H = 3_600_000;
const M = 60_000;
const D = 86_400_000;

const kindOf = (text: string) => parseVolunteerCommand(text).kind;
function invalidMessage(text: string): string {
  const parsed = parseVolunteerCommand(text);
  if (parsed.kind !== 'invalid') throw new Error(`expected invalid for ${JSON.stringify(text)}, got ${JSON.stringify(parsed)}`);
  return parsed.message;
}

describe('parseVolunteerCommand', () => {
  it.each<[string, VolunteerCommand]>([
    ['', { kind: 'on', durationMs: 8 * H }],
    ['   ', { kind: 'on', durationMs: 8 * H }],
    ['on', { kind: 'on', durationMs: 8 * H }],
    ['ON', { kind: 'on', durationMs: 8 * H }],
    ['on 2h', { kind: 'on', durationMs: 2 * H }],
    ['on 90m', { kind: 'on', durationMs: 90 * M }],
    ['on 1d', { kind: 'on', durationMs: D }],
    ['on 7d', { kind: 'on', durationMs: 7 * D }],
    ['on 15m', { kind: 'on', durationMs: 15 * M }],
    ['on for 2h', { kind: 'on', durationMs: 2 * H }],
    ['on 2 hours', { kind: 'on', durationMs: 2 * H }],
    ['on 1 day', { kind: 'on', durationMs: D }],
    ['on 45min', { kind: 'on', durationMs: 45 * M }],
    ['2h', { kind: 'on', durationMs: 2 * H }],
    ['3 days', { kind: 'on', durationMs: 3 * D }],
    ['  on\t 2H  ', { kind: 'on', durationMs: 2 * H }],
    ['now', { kind: 'now' }],
    ['off', { kind: 'off' }],
    ['Off', { kind: 'off' }],
    ['stats', { kind: 'stats' }],
    ['optout', { kind: 'optout' }],
    ['optin', { kind: 'optin' }],
    ['opt out', { kind: 'optout' }],
    ['opt-in', { kind: 'optin' }],
    ['digest off', { kind: 'digest', on: false }],
    ['digest ON', { kind: 'digest', on: true }],
    ['help', { kind: 'help' }],
    ['help me please', { kind: 'help' }],
    ['admin report', { kind: 'admin_report', weeks: 4 }],
    ['admin report 12', { kind: 'admin_report', weeks: 12 }],
    ['admin report 8w', { kind: 'admin_report', weeks: 8 }],
    ['admin report 13 Payments', { kind: 'admin_report', weeks: 13, team: 'Payments' }],
    ['admin report Site  Reliability', { kind: 'admin_report', weeks: 4, team: 'Site Reliability' }],
    ['admin level <@U0JUNIOR1|jo> senior', { kind: 'admin_level', userId: 'U0JUNIOR1', level: 'senior' }],
    ['admin level <@U0JUNIOR1> Staff', { kind: 'admin_level', userId: 'U0JUNIOR1', level: 'staff' }],
    ['admin level <@W0ENTERPR|Jo Smith> mid', { kind: 'admin_level', userId: 'W0ENTERPR', level: 'mid' }],
    ['admin mentor <@U0SENIOR1|sam> yes', { kind: 'admin_mentor', userId: 'U0SENIOR1', mentor: true }],
    ['admin mentor <@U0SENIOR1> no', { kind: 'admin_mentor', userId: 'U0SENIOR1', mentor: false }],
    ['ADMIN MENTOR <@U0SENIOR1> NO', { kind: 'admin_mentor', userId: 'U0SENIOR1', mentor: false }],
    ['admin stage <@U0JUNIOR1|jo> scribe', { kind: 'admin_stage', userId: 'U0JUNIOR1', stage: 'scribe' }],
    ['admin stage <@U0JUNIOR1> Investigator', { kind: 'admin_stage', userId: 'U0JUNIOR1', stage: 'investigator' }],
    ['admin stage <@U0JUNIOR1> lead_shadow', { kind: 'admin_stage', userId: 'U0JUNIOR1', stage: 'lead_shadow' }],
    ['admin stage <@U0JUNIOR1> lead shadow', { kind: 'admin_stage', userId: 'U0JUNIOR1', stage: 'lead_shadow' }],
    ['admin stage <@U0JUNIOR1> Lead-Shadow', { kind: 'admin_stage', userId: 'U0JUNIOR1', stage: 'lead_shadow' }],
  ])('%j', (text, expected) => {
    expect(parseVolunteerCommand(text)).toEqual(expected);
  });

  it('refuses durations out of range, saying what is allowed', () => {
    expect(invalidMessage('on 8d')).toBe(
      '"8d" is too long: volunteer for at most 7d at a time. Write a whole number and m, h or d, for example `/volunteer on 90m`, `/volunteer on 2h` or `/volunteer on 1d` (the default is 8h, the most 7d). Nothing changed.',
    );
    expect(invalidMessage('on 0h')).toMatch(/^"0h" is too short: volunteer for at least 15m\. /);
    expect(invalidMessage('on 5m')).toMatch(/^"5m" is too short/);
    expect(invalidMessage('on 169h')).toMatch(/^"169h" is too long/);
    expect(invalidMessage('on 9999999h')).toMatch(/^"9999999h" is not a duration\./);
  });

  it('refuses malformed durations', () => {
    for (const text of ['on 2x', 'on soon', 'on 2', 'on 1.5h', 'on -2h', 'on 2h30m', 'on h', '1.5h', 'on 2 h extra']) {
      expect(invalidMessage(text)).toContain('is not a duration');
    }
    expect(invalidMessage('on 2s')).toMatch(/^"2s" is not a duration\./);
  });

  it('refuses extra words after a subcommand that takes none, and bad digest choices', () => {
    expect(invalidMessage('off please')).toBe('`/volunteer off` takes nothing after it.');
    expect(invalidMessage('now now')).toBe('`/volunteer now` takes nothing after it.');
    expect(invalidMessage('digest')).toContain('`/volunteer digest off`');
    expect(invalidMessage('digest maybe')).toContain('`/volunteer digest on`');
    expect(kindOf('opt sideways')).toBe('invalid');
  });

  it('quotes an unknown word back, shortened by characters', () => {
    expect(parseVolunteerCommand('tomorrow')).toEqual({ kind: 'unknown', word: 'tomorrow' });
    expect(parseVolunteerCommand('pls on')).toEqual({ kind: 'unknown', word: 'pls' });
    expect(parseVolunteerCommand('🔥🔥')).toEqual({ kind: 'unknown', word: '🔥🔥' });
    expect(parseVolunteerCommand('<!channel>')).toEqual({ kind: 'unknown', word: '<!channel>' });
    const long = parseVolunteerCommand('x'.repeat(100_000));
    expect(long).toEqual({ kind: 'unknown', word: `${'x'.repeat(29)}…` });
    const emoji = parseVolunteerCommand('🔥'.repeat(40));
    expect(emoji).toEqual({ kind: 'unknown', word: `${'🔥'.repeat(29)}…` });
  });

  it('treats unicode whitespace as spaces and survives very long text', () => {
    expect(parseVolunteerCommand('on\u00a02h')).toEqual({ kind: 'on', durationMs: 2 * H });
    expect(parseVolunteerCommand('\u3000stats\u2003')).toEqual({ kind: 'stats' });
    expect(kindOf(`on ${'9'.repeat(50_000)}h`)).toBe('invalid');
    expect(invalidMessage(`on ${'9'.repeat(50_000)}h`).length).toBeLessThan(400);
    expect(kindOf(`admin level <@U123|${'n'.repeat(10_000)}> junior`)).toBe('admin_level');
  });

  it('explains bad admin arguments, marked as admin-only', () => {
    const cases: Array<[string, RegExp]> = [
      ['admin', /^The admin subcommands are /],
      ['admin promote <@U1234>', /^"promote" is not an admin subcommand\. They are /],
      ['admin level @jo senior', /^"@jo" is not a mention: type @ and pick the person from Slack's list/],
      ['admin level <@U0JUNIOR1|jo> boss', /^"boss" is not a level: use one of junior, mid, senior, staff\.$/],
      ['admin level <@U0JUNIOR1|jo>', /^Write `\/volunteer admin level @person senior`\.$/],
      ['admin level <!here> junior', /is not a mention/],
      ['admin level <#C0123|inc-x> junior', /is not a mention/],
      ['admin mentor <@U0SENIOR1> maybe', /^"maybe" is neither yes nor no/],
      ['admin report 0', /^"0" is not a number of weeks/],
      ['admin report 53', /^"53" is not a number of weeks: write `\/volunteer admin report 8` or `\/volunteer admin report 8 TEAM` \(1 to 52, default 4\)\.$/],
      ['admin report 4x payments', /^"4x" is not a number of weeks/],
      ['admin stage <@U0JUNIOR1> lead', /^"lead" is not a stage: use one of observer, scribe, investigator, lead_shadow\.$/],
      ['admin stage @jo scribe', /^"@jo" is not a mention/],
      ['admin stage <@U0JUNIOR1>', /^Write `\/volunteer admin stage @person scribe`\.$/],
      ['admin stage <@U0JUNIOR1> lead shadow now', /^Write `\/volunteer admin stage @person scribe`\.$/],
    ];
    for (const [text, pattern] of cases) {
      const parsed = parseVolunteerCommand(text);
      expect(parsed).toMatchObject({ kind: 'invalid', admin: true });
      expect(invalidMessage(text)).toMatch(pattern);
      expect(needsAdmin(parsed)).toBe(true);
    }
  });

  it('reads the practice fire commands', () => {
    expect(parseVolunteerCommand('practice')).toEqual({ kind: 'practice' });
    expect(parseVolunteerCommand('PRACTICE')).toEqual({ kind: 'practice' });
    expect(invalidMessage('practice now')).toBe('`/volunteer practice` takes nothing after it.');
    expect(parseVolunteerCommand('admin practice exclude <#C0INC123|inc-db-lag>')).toEqual({ kind: 'admin_practice_exclude', channelId: 'C0INC123' });
    expect(parseVolunteerCommand('admin practice exclude <#G0PRIV12>')).toEqual({ kind: 'admin_practice_exclude', channelId: 'G0PRIV12' });
    expect(needsAdmin(parseVolunteerCommand('admin practice exclude <#C0INC123>'))).toBe(true);
    expect(needsAdmin(parseVolunteerCommand('practice'))).toBe(false);
    const bad: Array<[string, RegExp]> = [
      ['admin practice', /^Write `\/volunteer admin practice exclude #channel`\.$/],
      ['admin practice include <#C0INC123>', /^Write `\/volunteer admin practice exclude #channel`\.$/],
      ['admin practice exclude inc-db-lag', /^"inc-db-lag" is not a channel: type # and pick the channel/],
      ['admin practice exclude <@U0JUNIOR1>', /is not a channel/],
    ];
    for (const [text, pattern] of bad) {
      expect(parseVolunteerCommand(text)).toMatchObject({ kind: 'invalid', admin: true });
      expect(invalidMessage(text)).toMatch(pattern);
    }
  });

  it('knows which commands need an admin', () => {
    expect(needsAdmin(parseVolunteerCommand('admin report'))).toBe(true);
    expect(needsAdmin(parseVolunteerCommand('on 9d'))).toBe(false);
    expect(needsAdmin(parseVolunteerCommand('stats'))).toBe(false);
    expect(needsAdmin(parseVolunteerCommand('administrate'))).toBe(false);
  });
});

describe('shorten', () => {
  it('keeps short text and cuts long text at a character boundary', () => {
    expect(shorten('abc', 3)).toBe('abc');
    expect(shorten('abcd', 3)).toBe('ab…');
    expect(shorten('👩‍🚒👩‍🚒', 3)).toBe('👩\u200d…');
  });
});
