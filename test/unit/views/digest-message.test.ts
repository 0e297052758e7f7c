import type { DigestSummary } from '../../../src/domain/digest';
import { digestMessage, digestText, formatMinutes, weekRange } from '../../../src/slack/views/digest-message';

const summary: DigestSummary = {
  person: { slackId: 'U0JO', name: 'Jo', timeZone: 'Europe/Berlin' },
  weekStart: '2026-11-16',
  weekEnd: '2026-11-22',
  soFar: false,
  kind: 'summary',
  content: ['fires', 'reflections'],
  quarter: null,
  incidents: [
    { incidentId: 1, channelId: 'C0DBDOWN', channelName: 'inc-db-down', role: 'learner', joinedAt: new Date('2026-11-17T13:05:00Z'), joinedLocal: 'Tue 17 Nov, 14:05', minutes: 80, open: false },
    { incidentId: 2, channelId: 'C0LATE', channelName: 'inc-late', role: 'volunteer', joinedAt: new Date('2026-11-22T22:30:00Z'), joinedLocal: 'Sun 22 Nov, 23:30', minutes: 30, open: true },
  ],
  totalMinutes: 110,
  learnings: [{ incidentId: 1, channelId: 'C0DBDOWN', channelName: 'inc-db-down', learned: 'Check the pool <!channel> & the\n  replicas first.' }],
  trend: { counts: [1, 0, 0, 0, 0, 1, 0, 2], line: '▅▁▁▁▁▅▁█' },
  nextStep: { kind: 'reflect', incident: { incidentId: 2, channelId: 'C0LATE', channelName: 'inc-late' } },
};

/** The row of buttons every digest ends with: the Messages tab is read-only, so nothing is typed. */
const DIGEST_BUTTONS = {
  type: 'actions',
  block_id: 'dm_buttons',
  elements: [
    { type: 'button', text: { type: 'plain_text', text: 'My stats', emoji: true }, action_id: 'dm_show_stats', value: 'stats' },
    { type: 'button', text: { type: 'plain_text', text: 'Stop this digest', emoji: true }, action_id: 'dm_switch_digest', value: 'off' },
  ],
};

const invitation: DigestSummary = {
  ...summary,
  kind: 'invitation',
  incidents: [],
  totalMinutes: 0,
  learnings: [],
  trend: { counts: [0, 0, 0, 0, 0, 0, 0, 0], line: '▁▁▁▁▁▁▁▁' },
  nextStep: { kind: 'volunteer' },
};

describe('digestMessage', () => {
  it('builds the summary DM: incidents, learnings (escaped), trend, next step and fallback text', () => {
    expect(digestMessage(summary)).toEqual({
      text: 'Your week in fires, 16–22 Nov 2026: You joined *2 incidents* and spent *1h 50m* in them. Thank you for jumping in. Next step: Write down what you learned in <#C0LATE> while it is fresh: the *Write my reflection* button in my message about it takes two minutes.',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Your week in fires, 16–22 Nov 2026', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: 'You joined *2 incidents* and spent *1h 50m* in them. Thank you for jumping in.' } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '• <#C0DBDOWN> · learner · joined Tue 17 Nov, 14:05 · 1h 20m\n• <#C0LATE> · volunteer · joined Sun 22 Nov, 23:30 · 30m (still open)',
          },
        },
        { type: 'section', text: { type: 'mrkdwn', text: '*What you wrote down*\n• <#C0DBDOWN>: “Check the pool &lt;!channel&gt; &amp; the replicas first.”' } },
        { type: 'section', text: { type: 'mrkdwn', text: '*Your last 8 weeks* (oldest first): `▅▁▁▁▁▅▁█`  4 fires' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*Next step:* Write down what you learned in <#C0LATE> while it is fresh: the *Write my reflection* button in my message about it takes two minutes.' },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'You get this once a week. *Stop this digest* stops it; the Home tab has every switch.' }] },
        DIGEST_BUTTONS,
      ],
    });
  });

  it('builds the short invitation, with a button to volunteer', () => {
    expect(digestMessage(invitation)).toEqual({
      text: 'No fires for you in the week of 16–22 Nov 2026. Incidents are where a lot of the learning happens, and watching is all anyone expects. *Volunteer for 8h* puts you first in line for the next one.',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: ':wave: No fires for you in the week of 16–22 Nov 2026. Incidents are where a lot of the learning happens, and watching is all anyone expects. *Volunteer for 8h* puts you first in line for the next one.',
          },
          accessory: { type: 'button', text: { type: 'plain_text', text: 'Volunteer for 8h', emoji: true }, action_id: 'volunteer_for_next', value: 'on', style: 'primary' },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'You get this once a week. *Stop this digest* stops it; the Home tab has every switch.' }] },
        DIGEST_BUTTONS,
      ],
    });
  });

  it('lists at most ten incidents and says how many more', () => {
    const many: DigestSummary = {
      ...summary,
      incidents: Array.from({ length: 12 }, (_, i) => ({ ...summary.incidents[0]!, incidentId: i, channelId: `C0N${i}` })),
    };
    const lines = (digestMessage(many).blocks[2] as { text: { text: string } }).text.text.split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[9]).toBe('• <#C0N9> · learner · joined Tue 17 Nov, 14:05 · 1h 20m');
    expect(lines[10]).toBe('…and 2 more.');
  });

  it('says "so far" for the current week', () => {
    const message = digestMessage({ ...summary, soFar: true, incidents: [summary.incidents[0]!], totalMinutes: 80 });
    expect(message.blocks.slice(0, 2)).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Your week in fires so far, 16–22 Nov 2026', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: 'So far this week you joined *1 incident* and spent *1h 20m* in it. Thank you for jumping in.' } },
    ]);
  });
});

describe('digestText (for --dry-run)', () => {
  it('renders the same words as plain text, channels by name', () => {
    expect(digestText(summary)).toBe(
      [
        'Your week in fires, 16–22 Nov 2026',
        'You joined 2 incidents and spent 1h 50m in them. Thank you for jumping in.',
        '  • #inc-db-down · learner · joined Tue 17 Nov, 14:05 · 1h 20m',
        '  • #inc-late · volunteer · joined Sun 22 Nov, 23:30 · 30m (still open)',
        'What you wrote down',
        '  • #inc-db-down: “Check the pool <!channel> & the replicas first.”',
        'Your last 8 weeks (oldest first): ▅▁▁▁▁▅▁█  4 fires',
        'Next step: Write down what you learned in #inc-late while it is fresh: the Write my reflection button in my message about it takes two minutes.',
        'You get this once a week. Stop this digest stops it; the Home tab has every switch.',
      ].join('\n'),
    );
  });

  it('renders the invitation', () => {
    expect(digestText(invitation)).toBe(
      'No fires for you in the week of 16–22 Nov 2026. Incidents are where a lot of the learning happens, and watching is all anyone expects. Volunteer for 8h puts you first in line for the next one.\nYou get this once a week. Stop this digest stops it; the Home tab has every switch.',
    );
  });
});

describe('formatting helpers', () => {
  it('names a week range within a month, across months and across years', () => {
    expect(weekRange('2026-11-16', '2026-11-22')).toBe('16–22 Nov 2026');
    expect(weekRange('2026-11-30', '2026-12-06')).toBe('30 Nov – 6 Dec 2026');
    expect(weekRange('2026-12-28', '2027-01-03')).toBe('28 Dec 2026 – 3 Jan 2027');
  });

  it('formats time spent', () => {
    expect([0, 1, 59, 60, 80, 1500].map(formatMinutes)).toEqual(['under a minute', '1m', '59m', '1h', '1h 20m', '1d 1h']);
  });
});

describe('the digest in a read-only Messages tab', () => {
  const steps: DigestSummary['nextStep'][] = [{ kind: 'volunteer' }, summary.nextStep, { kind: 'mentor' }, { kind: 'narrate' }, { kind: 'take-a-step' }, { kind: 'ask' }];

  it('never asks anyone to type a command: every action it mentions is a button in it', () => {
    for (const message of [digestMessage(invitation), ...steps.map((nextStep) => digestMessage({ ...summary, nextStep }))]) {
      expect(JSON.stringify(message)).not.toContain('/volunteer');
      const actionIds = JSON.stringify(message.blocks).match(/"action_id":"[a-z_]+"/g) ?? [];
      expect(actionIds).toEqual(expect.arrayContaining(['"action_id":"dm_show_stats"', '"action_id":"dm_switch_digest"']));
    }
  });

  it('puts the Volunteer button beside a "volunteer" next step', () => {
    const blocks = digestMessage({ ...summary, nextStep: { kind: 'volunteer' } }).blocks as Array<{ accessory?: { action_id: string; value: string } }>;
    expect(blocks.filter((b) => b.accessory).map((b) => [b.accessory!.action_id, b.accessory!.value])).toEqual([['volunteer_for_next', 'on']]);
  });
});

describe('the quarter in the digest', () => {
  const quarter = {
    quarter: '2026-Q3',
    fires: 3,
    byRole: [{ role: 'learner' as const, fires: 2 }, { role: 'volunteer' as const, fires: 1 }],
    byStage: [{ stage: 'observer', fires: 2 }],
    systems: ['checkout', 'database'],
    reflections: 1,
  };

  it('adds a section after the learnings, in Block Kit and in plain text', () => {
    const withQuarter: DigestSummary = { ...summary, quarter, content: ['fires', 'reflections', 'quarter'] };
    const lines = '• *3 fires* (2 as learner, 1 as volunteer)\n• by stage: 2 as observer\n• systems touched: checkout, database\n• 1 reflection written';
    expect(digestMessage(withQuarter).blocks).toContainEqual({ type: 'section', text: { type: 'mrkdwn', text: `*Your quarter, 2026 Q3*\n${lines}` } });
    expect(digestText(withQuarter)).toContain('Your quarter, 2026 Q3\n  • 3 fires (2 as learner, 1 as volunteer)\n  • by stage: 2 as observer');
  });

  it('opens a week without fires or reflections with the quarter instead', () => {
    const quarterOnly: DigestSummary = { ...summary, incidents: [], totalMinutes: 0, learnings: [], quarter, content: ['quarter'] };
    expect(digestMessage(quarterOnly).blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'No fires for you this week; here is your quarter.' } });
  });
});

describe('practice fires in the digest', () => {
  const line = { type: 'context', elements: [{ type: 'mrkdwn', text: ':fire_engine: Practice fires this week: 2 (past incidents replayed; they are not counted as fires).' }] };

  it('shows them in a line of their own before the footer, in a summary and in an invitation', () => {
    const withPractice = digestMessage({ ...summary, practices: 2 }).blocks;
    expect(withPractice.at(-3)).toEqual(line);
    expect(withPractice).toHaveLength(digestMessage(summary).blocks.length + 1);
    const invited = digestMessage({ ...invitation, practices: 2 }).blocks;
    expect(invited[1]).toEqual(line);
    expect(digestText({ ...invitation, practices: 2 })).toContain('Practice fires this week: 2');
  });

  it('says nothing of them when there were none', () => {
    expect(JSON.stringify(digestMessage(summary))).not.toContain('Practice');
  });
});
