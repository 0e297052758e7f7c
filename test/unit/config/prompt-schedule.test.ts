import { ConfigError, loadConfig, parsePromptSchedule } from '../../../src/config';

const baseEnv = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret' };

describe('parsePromptSchedule', () => {
  it('reads the default schedule as milliseconds after joining', () => {
    expect(parsePromptSchedule('0s,10m,30m')).toEqual([0, 600_000, 1_800_000]);
  });

  it('accepts seconds, minutes and hours, spaces around commas and equal delays', () => {
    expect(parsePromptSchedule(' 0s , 90s,2m, 2m ,1h')).toEqual([0, 90_000, 120_000, 120_000, 3_600_000]);
    expect(parsePromptSchedule('5M')).toEqual([300_000]);
  });

  it.each([
    ['', 'must be a comma-separated list'],
    ['0s,,10m', 'must be a comma-separated list'],
    ['0s,10m,', 'must be a comma-separated list'],
    ['10', 'is not a duration'],
    ['1d', 'is not a duration'],
    ['1.5m', 'is not a duration'],
    ['-5s', 'is not a duration'],
    ['10 minutes', 'is not a duration'],
    ['0s,30m,10m', 'delays must not go backwards (10m after 30m)'],
  ])('refuses %j with a clear message', (text, message) => {
    expect(() => parsePromptSchedule(text)).toThrow(message);
  });

  it('refuses more than 20 prompts', () => {
    expect(() => parsePromptSchedule(Array.from({ length: 21 }, (_, i) => `${i}m`).join(','))).toThrow('has more than 20 prompts');
    expect(parsePromptSchedule(Array.from({ length: 20 }, (_, i) => `${i}m`).join(','))).toHaveLength(20);
  });
});

describe('PROMPT_SCHEDULE in the configuration', () => {
  it('defaults to 0s,10m,30m', () => {
    expect(loadConfig(baseEnv, 'test').promptScheduleMs).toEqual([0, 600_000, 1_800_000]);
  });

  it('stops start-up with one line naming the variable', () => {
    let error: unknown;
    try {
      loadConfig({ ...baseEnv, PROMPT_SCHEDULE: '0s,10x' }, 'test');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('PROMPT_SCHEDULE');
    expect((error as ConfigError).message).toBe('PROMPT_SCHEDULE: "10x" is not a duration: write a whole number and one of s, m, h (for example 30s, 90m, 2h)');
  });
});
