import { exposureReport, type ReportPerson } from '../../../src/domain/report';
import { blocksAsText, HOME_TEAMS_MAX, reportSection } from '../../../src/slack/views/admin-home';

const now = new Date('2026-11-25T12:00:00Z');
const person = (i: number, team: string | null): ReportPerson => ({
  slackId: `U0P${String(i).padStart(4, '0')}`, name: `p${i}`, level: 'junior', startedOn: null, firstSeen: new Date('2026-01-01T00:00:00Z'), optedOut: false, team, manager: null,
});

describe('the report section of the Home tab', () => {
  it('has the figures, the buttons, and the chart image only when there is a URL for it', () => {
    const report = exposureReport({ now, weeks: 13, people: [person(1, null)], participations: [], mentoring: [], learnings: [], happenings: [] }, 'everyone');
    const without = reportSection(report, 'admin', null);
    expect(without.some((b) => b.type === 'image')).toBe(false);
    expect(blocksAsText(without)).toBe([
      '---',
      ':bar_chart: Exposure across the organisation',
      'Exposure over the last 13 weeks: everyone, 1 person · only you see this',
      '*Coverage*: 0 of 1 juniors had a fire in the last 4 weeks (0%)\nWithout one: <@U0P0001>\n*Gini of exposure* among juniors: 0 (1 juniors employed 4 weeks or more; 0 is perfectly even)\n' +
        '*Time to first fire*: nobody started in the last 90 days\n*Mentor load*: nobody mentored in the period\n*Fires joined*: 0 (learner 0, volunteer 0, responder 0, mentor 0)\n*Left within 5 minutes*: 0 · *Reflections written*: 0\n' +
        '*Offers declined*: 0 · *"No learners this time" presses*: 0 · *Stages reached*: 0',
      '[Chart] [Export CSV]',
    ].join('\n'));
    const withUrl = reportSection(report, 'manager', 'https://x.example/reports/chart/t.png');
    expect(withUrl.find((b) => b.type === 'image')).toMatchObject({ image_url: 'https://x.example/reports/chart/t.png' });
    expect(blocksAsText(withUrl)).toContain(':bar_chart: Exposure of your reports');
  });

  it('shows at most 30 teams and counts the rest, so the tab stays under 100 blocks', () => {
    const people = Array.from({ length: 40 }, (_, i) => person(i, `team-${String(i).padStart(2, '0')}`));
    const blocks = reportSection(exposureReport({ now, weeks: 13, people, participations: [], mentoring: [], learnings: [], happenings: [] }, 'everyone'), 'admin', null);
    expect(blocks.filter((b) => JSON.stringify(b).includes('*Team team-'))).toHaveLength(HOME_TEAMS_MAX);
    expect(blocksAsText(blocks)).toContain('…and 10 more teams: *Export CSV* has everyone.');
    expect(blocks.length).toBeLessThan(60);
  });
});
