import { ConfigError, loadConfig, parseDigestSchedule } from '../../../src/config';

const base = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/x', SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 's3cret' };

function problem(env: Record<string, string>): string {
  try {
    loadConfig({ ...base, ...env }, 'start');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the defaults of SPEC.md section 2', () => {
    const c = loadConfig(base, 'start');
    expect({
      pool: c.databasePoolMax, port: c.port, invites: c.invitesPerIncident, volunteers: c.maxVolunteersPerIncident, cap: c.maxAutoInvitesPerWeek,
      prompts: c.promptScheduleMs, digest: c.digestSchedule, days: [...c.workingTime.days], hours: c.workingTime.hours, api: c.slack.apiUrl,
    }).toEqual({
      pool: 5, port: 3000, invites: 2, volunteers: 3, cap: 2, prompts: [0, 600_000, 1_800_000], digest: { weekday: 1, minute: 540 },
      days: [1, 2, 3, 4, 5], hours: { startMinute: 540, endMinute: 1080 }, api: 'https://slack.com/api/',
    });
    expect(c.incidentChannelPattern.test('INC-42')).toBe(true);
    expect(c.incidentChannelPattern.test('incident_db')).toBe(true);
    expect(c.incidentChannelPattern.test('incidental')).toBe(false);
    expect(c.resolvedChannelPattern.test('closed-inc-42')).toBe(true);
    expect(Object.isFrozen(c)).toBe(true);
    expect([c.maxCoachedPerIncident, c.renameMaxAgeMs, c.incidentCreators]).toEqual([5, 86_400_000, null]);
    expect([c.mentorWaitMs, c.mentorAskTimeoutMs]).toEqual([600_000, 300_000]);
  });

  it('reads MENTOR_WAIT (0s allowed) and MENTOR_ASK_TIMEOUT (more than 0)', () => {
    const c = loadConfig({ ...base, MENTOR_WAIT: '0s', MENTOR_ASK_TIMEOUT: '90s' }, 'start');
    expect([c.mentorWaitMs, c.mentorAskTimeoutMs]).toEqual([0, 90_000]);
    expect(problem({ MENTOR_WAIT: '10 minutes' })).toBe('MENTOR_WAIT: "10 minutes" is not a duration: write a whole number and one of s, m, h (for example 30s, 90m, 2h)');
    expect(problem({ MENTOR_ASK_TIMEOUT: '0m' })).toBe('MENTOR_ASK_TIMEOUT: must be more than 0 (for example 30s or 5m)');
  });

  it('stops with one line naming the variable for every missing or malformed value', () => {
    expect(problem({ DATABASE_URL: '' })).toBe('DATABASE_URL: is required (a postgresql:// connection string)');
    expect(problem({ DATABASE_URL: 'mysql://x' })).toBe('DATABASE_URL: must start with postgresql://');
    expect(problem({ SLACK_BOT_TOKEN: 'xoxp-user' })).toBe('SLACK_BOT_TOKEN: must be a bot token starting with xoxb-');
    expect(problem({ SLACK_SIGNING_SECRET: '' })).toBe('SLACK_SIGNING_SECRET: is required in HTTP mode (set SLACK_APP_TOKEN to use Socket Mode instead)');
    expect(problem({ SLACK_APP_TOKEN: 'xoxb-wrong' })).toBe('SLACK_APP_TOKEN: must be an app-level token starting with xapp-');
    expect(problem({ DATABASE_POOL_MAX: '1' })).toBe('DATABASE_POOL_MAX: "1" is not a whole number from 2 to 100');
    expect(problem({ PORT: 'eighty' })).toBe('PORT: "eighty" is not a whole number from 0 to 65535');
    expect(problem({ INVITES_PER_INCIDENT: '2.5' })).toBe('INVITES_PER_INCIDENT: "2.5" is not a whole number from 0 to 50');
    expect(problem({ INCIDENT_CHANNEL_PATTERN: '(' })).toMatch(/^INCIDENT_CHANNEL_PATTERN: "\(" is not a valid regular expression/);
    expect(problem({ WORKING_HOURS: '18:00-09:00' })).toBe('WORKING_HOURS: "18:00-09:00" ends before it starts (ranges across midnight are not supported)');
    expect(problem({ WORKING_HOURS: '9-5' })).toBe('WORKING_HOURS: "9" is not a time of day (HH:MM, 24-hour)');
    expect(problem({ WORKING_DAYS: 'Mon-Fryday' })).toBe('WORKING_DAYS: "Fryday" is not a weekday (Mon, Tue, Wed, Thu, Fri, Sat, Sun)');
    expect(problem({ PROMPT_SCHEDULE: '0s,10x' })).toBe('PROMPT_SCHEDULE: "10x" is not a duration: write a whole number and one of s, m, h (for example 30s, 90m, 2h)');
    expect(problem({ DIGEST_SCHEDULE: 'Monday 9am' })).toBe('DIGEST_SCHEDULE: "Monday 9am" is not a weekday and a time like "Mon 09:00"');
    expect(problem({ LOG_LEVEL: 'loud' })).toBe('LOG_LEVEL: "loud" is not one of fatal, error, warn, info, debug, trace, silent');
    expect(problem({ INCIDENT_CHANNEL_PATTERN: '^(inc|incident)[-_](\\w+-?)+$' })).toBe('INCIDENT_CHANNEL_PATTERN: "^(inc|incident)[-_](\\w+-?)+$" can backtrack catastrophically: a repeated group contains another quantifier (nested quantifiers backtrack catastrophically)');
    expect(problem({ RESOLVED_CHANNEL_PATTERN: '^(r|re)*solved' })).toMatch(/^RESOLVED_CHANNEL_PATTERN: "\^\(r\|re\)\*solved" can backtrack catastrophically: a repeated group has alternatives/);
    expect(problem({ MAX_COACHED_PER_INCIDENT: '-1' })).toBe('MAX_COACHED_PER_INCIDENT: "-1" is not a whole number from 0 to 100');
    expect(problem({ PRACTICE_AFTER: '4w' })).toBe('PRACTICE_AFTER: "4w" is not a duration: write a whole number and one of m, h, d (for example 90m, 2h, 1d)');
    expect(problem({ PRACTICE_MIN_AGE: 'a week' })).toBe('PRACTICE_MIN_AGE: "a week" is not a duration: write a whole number and one of m, h, d (for example 90m, 2h, 1d)');
    expect(problem({ RENAME_MAX_AGE: '2w' })).toBe('RENAME_MAX_AGE: "2w" is not a duration: write a whole number and one of m, h, d (for example 90m, 2h, 1d)');
    expect(problem({ INCIDENT_CREATORS: 'U0ONCALL1,On Call' })).toBe('INCIDENT_CREATORS: "On Call" is neither a Slack user id (U…), a bot id (B…) nor a user group handle (@name)');
    expect(problem({ ADMIN_USER_IDS: 'U123ABC,bob' })).toBe('ADMIN_USER_IDS: "bob" is not a Slack user ID (like U012AB3CD)');
    expect(problem({ ADMIN_USERGROUPS: '@sre, eng leads' })).toBe('ADMIN_USERGROUPS: "eng leads" is neither a user group handle (like @sre-leads) nor an id (like S0614TZR7)');
    expect(problem({ PUBLIC_URL: 'smokejumper.example.com' })).toBe('PUBLIC_URL: "smokejumper.example.com" is not an http(s) base URL like https://smokejumper.example.com');
  });

  it('reads ELIGIBLE_USERGROUPS like ADMIN_USERGROUPS: empty means every human member', () => {
    expect(loadConfig({ ...base, ELIGIBLE_USERGROUPS: 'engineering, @sre ,S0614TZR7' }, 'start').eligibleUsergroups).toEqual(['engineering', 'sre', 'S0614TZR7']);
    expect(loadConfig(base, 'start').eligibleUsergroups).toEqual([]);
    expect(problem({ ELIGIBLE_USERGROUPS: 'engineering,sales team' })).toBe('ELIGIBLE_USERGROUPS: "sales team" is neither a user group handle (like @sre-leads) nor an id (like S0614TZR7)');
  });

  it('reads the issue 15 rules: INVITE_DELAY, SEVERITY_PATTERN, LEARNERS_BY_SEVERITY, MAX_LEARNERS_PER_RESPONDER, AWAY_STATUS_PATTERN', () => {
    const c = loadConfig(base, 'start');
    expect([c.inviteDelayMs, [...c.learnersBySeverity], c.maxLearnersPerResponder]).toEqual([120_000, [[0, 0], [1, 1], [2, 1], [3, 2], [4, 2], [5, 2]], 1]);
    expect(c.severityPattern.test('Severity: SEV1')).toBe(true);
    expect(c.awayStatusPattern.test('On vacation 🌴')).toBe(true);
    const custom = loadConfig({ ...base, INVITE_DELAY: '0s', LEARNERS_BY_SEVERITY: '1:0', MAX_LEARNERS_PER_RESPONDER: '0', SEVERITY_PATTERN: 'prio(?<level>[0-5])', AWAY_STATUS_PATTERN: 'urlaub' }, 'start');
    expect([custom.inviteDelayMs, [...custom.learnersBySeverity], custom.maxLearnersPerResponder, custom.severityPattern.source, custom.awayStatusPattern.test('URLAUB')]).toEqual([0, [[1, 0]], 0, 'prio(?<level>[0-5])', true]);
    expect(problem({ INVITE_DELAY: '2d' })).toBe('INVITE_DELAY: "2d" is not a duration: write a whole number and one of s, m, h (for example 30s, 90m, 2h)');
    expect(problem({ LEARNERS_BY_SEVERITY: '1:1,1:2' })).toBe('LEARNERS_BY_SEVERITY: severity 1 is given twice');
    expect(problem({ LEARNERS_BY_SEVERITY: 'sev1=1' })).toBe('LEARNERS_BY_SEVERITY: "sev1=1" is not SEVERITY:LEARNERS like 1:1 (severity 0 to 5)');
    expect(problem({ MAX_LEARNERS_PER_RESPONDER: '-1' })).toBe('MAX_LEARNERS_PER_RESPONDER: "-1" is not a whole number from 0 to 50');
    expect(problem({ SEVERITY_PATTERN: '(sev' })).toMatch(/^SEVERITY_PATTERN: "\(sev" is not a valid regular expression/);
    expect(problem({ AWAY_STATUS_PATTERN: '(a+)+' })).toMatch(/^AWAY_STATUS_PATTERN: "\(a\+\)\+" can backtrack catastrophically/);
  });

  it('reads INVITE_MODE (default invite) and OFFER_TIMEOUT (default 3m), and refuses bad values in one line', () => {
    expect(loadConfig(base, 'start')).toMatchObject({ inviteMode: 'invite', offerTimeoutMs: 180_000 });
    expect(loadConfig({ ...base, INVITE_MODE: 'Offer', OFFER_TIMEOUT: '90s' }, 'start')).toMatchObject({ inviteMode: 'offer', offerTimeoutMs: 90_000 });
    expect(problem({ INVITE_MODE: 'ask' })).toBe('INVITE_MODE: "ask" is not one of invite, offer');
    expect(problem({ OFFER_TIMEOUT: '0s' })).toBe('OFFER_TIMEOUT: must be more than 0 (for example 30s or 5m)');
    expect(problem({ OFFER_TIMEOUT: '2d' })).toMatch(/^OFFER_TIMEOUT: "2d" is not a duration/);
  });

  it('reads PRACTICE_AFTER and PRACTICE_MIN_AGE, 28d and 7d by default', () => {
    expect([loadConfig(base, 'start').practiceAfterMs, loadConfig(base, 'start').practiceMinAgeMs]).toEqual([28 * 86_400_000, 7 * 86_400_000]);
    const c = loadConfig({ ...base, PRACTICE_AFTER: '14d', PRACTICE_MIN_AGE: '36h' }, 'start');
    expect([c.practiceAfterMs, c.practiceMinAgeMs]).toEqual([14 * 86_400_000, 36 * 3_600_000]);
  });

  it('reads ADMIN_USERGROUPS as handles without @ or ids, and PUBLIC_URL without a trailing slash', () => {
    const c = loadConfig({ ...base, ADMIN_USERGROUPS: '@sre-leads, S0614TZR7', PUBLIC_URL: 'https://smokejumper.example.com/base/' }, 'start');
    expect([c.adminUsergroups, c.publicUrl]).toEqual([['sre-leads', 'S0614TZR7'], 'https://smokejumper.example.com/base']);
    expect([loadConfig(base, 'start').adminUsergroups, loadConfig(base, 'start').publicUrl]).toEqual([[], undefined]);
  });

  it('turns the working-hours rule off with Mon-Sun and 00:00-24:00, and accepts lists of days', () => {
    const c = loadConfig({ ...base, WORKING_DAYS: 'Mon-Sun', WORKING_HOURS: '00:00-24:00' }, 'start');
    expect([...c.workingTime.days].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(c.workingTime.hours).toEqual({ startMinute: 0, endMinute: 1440 });
    expect([...loadConfig({ ...base, WORKING_DAYS: 'Sun-Tue,Fri' }, 'start').workingTime.days].sort()).toEqual([0, 1, 2, 5]);
  });

  it('does not require Slack or the database for command-line tools', () => {
    expect(() => loadConfig({}, 'cli')).not.toThrow();
  });

  it('parses the digest schedule', () => {
    expect(parseDigestSchedule('Fri 16:30')).toEqual({ weekday: 5, minute: 990 });
    expect(parseDigestSchedule('monday 09:00')).toEqual({ weekday: 1, minute: 540 });
  });
  it('takes SLACK_API_URL over plain http only on loopback, so the bot token never crosses a network in clear', () => {
    for (const url of ['http://127.0.0.1:4000/api/', 'http://127.8.9.10/api', 'http://localhost:3000/api/', 'http://LOCALHOST/api/', 'http://[::1]:4000/api/', 'https://slack.example.com/api/']) {
      expect(loadConfig({ ...base, SLACK_API_URL: url }, 'start').slack.apiUrl).toBe(url.endsWith('/') ? url : `${url}/`);
    }
    for (const url of ['http://slack.com/api/', 'http://10.0.0.5/api/', 'http://128.0.0.1/api/', 'http://localhost.evil.example/api/', 'http://127.0.0.1.nip.io/api/', 'http://[::2]/api/']) {
      expect(problem({ SLACK_API_URL: url })).toBe(`SLACK_API_URL: "${url}" must be https (plain http only on loopback: 127.0.0.0/8, localhost, [::1])`);
    }
  });

  it('reads ROLE, METRICS_PORT and METRICS_HOST, with defaults all, 9464 and 0.0.0.0', () => {
    const c = loadConfig(base, 'start');
    expect({ role: c.role, metricsPort: c.metricsPort, metricsHost: c.metricsHost }).toEqual({ role: 'all', metricsPort: 9464, metricsHost: '0.0.0.0' });
    const d = loadConfig({ ...base, ROLE: 'Worker', METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' }, 'start');
    expect({ role: d.role, metricsPort: d.metricsPort, metricsHost: d.metricsHost }).toEqual({ role: 'worker', metricsPort: 0, metricsHost: '127.0.0.1' });
    expect(problem({ ROLE: 'both' })).toBe('ROLE: "both" is not one of all, web, worker');
    expect(problem({ METRICS_PORT: '70000' })).toBe('METRICS_PORT: "70000" is not a whole number from 0 to 65535');
  });
});
