import { parseWorkingDays, parseWorkingHours } from '../../../src/domain/working-time';
import {
  adminRefusedReply,
  describeWorkingTime,
  digestReply,
  escapeText,
  helpReply,
  incidentResolvedReply,
  invalidReply,
  joinedReply,
  levelSetReply,
  mentorSetReply,
  noFireReply,
  optedOutReply,
  reportReply,
  slackTime,
  statsReply,
  stoppedVolunteeringReply,
  usageReply,
  volunteeringReply,
  type ReportRow,
} from '../../../src/slack/views/volunteer-replies';

// Wednesday 25 November 2026, 17:00 UTC = 1795626000
const UNTIL = new Date('2026-11-25T17:00:00Z');
const UNTIL_TEXT = '<!date^1795626000^{date_short_pretty} at {time}|2026-11-25 17:00 UTC>';
const OPENED = new Date('2026-11-25T08:30:00Z');
const OPENED_TEXT = '<!date^1795595400^{time}|2026-11-25 08:30 UTC>';
const FOOTER = {
  type: 'context',
  elements: [{ type: 'mrkdwn', text: '`/volunteer off` to stop · `/volunteer on 2h` for another length (up to 7d) · `/volunteer stats` for your fires' }],
};

describe('small helpers', () => {
  it('formats times for the reader and escapes people text', () => {
    expect(slackTime(UNTIL)).toBe(UNTIL_TEXT);
    expect(escapeText('<!channel> & <@U1>')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt;');
  });

  it('describes working time in a few words', () => {
    expect(describeWorkingTime({ hours: parseWorkingHours('09:00-18:00'), days: parseWorkingDays('Mon-Fri') })).toBe('Mon-Fri 09:00-18:00');
    expect(describeWorkingTime({ hours: parseWorkingHours('08:30-17:00'), days: parseWorkingDays('Sun-Thu') })).toBe('Mon-Thu, Sun 08:30-17:00');
    expect(describeWorkingTime({ hours: parseWorkingHours('00:00-24:00'), days: parseWorkingDays('Mon-Sun') })).toBe('any time');
    expect(describeWorkingTime({ hours: parseWorkingHours('00:00-24:00'), days: parseWorkingDays('Mon,Wed,Fri') })).toBe('Mon, Wed, Fri');
  });
});

describe('volunteeringReply', () => {
  it('confirms, within working hours, with nothing burning', () => {
    expect(
      volunteeringReply({ until: UNTIL, workingTime: 'Mon-Fri 09:00-18:00', timeZone: 'Europe/Berlin', inWorkingTimeNow: true, optedOut: false, incidents: [], moreIncidents: 0 }),
    ).toEqual({
      text: `You are volunteering until ${UNTIL_TEXT}.`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `:raised_hand: You are volunteering until ${UNTIL_TEXT}. You go first for the next fires, within your working hours (Mon-Fri 09:00-18:00, Europe/Berlin).` } },
        FOOTER,
      ],
    });
  });

  it('offers a Join button per open incident, marks the one the person is in, and counts the rest', () => {
    expect(
      volunteeringReply({
        until: UNTIL,
        workingTime: 'Mon-Fri 09:00-18:00',
        timeZone: 'America/Los_Angeles',
        inWorkingTimeNow: false,
        optedOut: true,
        incidents: [
          { id: 7, channelId: 'C0INC7', openedAt: OPENED, joined: false },
          { id: 5, channelId: 'C0INC5', openedAt: OPENED, joined: true },
        ],
        moreIncidents: 1,
      }),
    ).toEqual({
      text: `You are volunteering until ${UNTIL_TEXT}. 2 fires are burning now: join from this message.`,
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text:
              `:raised_hand: You are volunteering until ${UNTIL_TEXT}. You go first for the next fires, within your working hours (Mon-Fri 09:00-18:00, America/Los_Angeles).\n` +
              "It is outside your working hours now, so invites wait until they start. Can't wait? `/volunteer now` joins a fire at once.\n" +
              'While you volunteer, this overrides your opt-out of automatic invites.',
          },
        },
        { type: 'section', text: { type: 'mrkdwn', text: '*Burning right now*, if you would rather not wait:' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: `:fire: <#C0INC7> · opened ${OPENED_TEXT}` },
          block_id: 'join_7',
          accessory: { type: 'button', text: { type: 'plain_text', text: 'Join', emoji: true }, action_id: 'join_incident', value: '7', style: 'primary' },
        },
        { type: 'section', text: { type: 'mrkdwn', text: `:white_check_mark: <#C0INC5> · opened ${OPENED_TEXT} · you are in it` } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '…and 1 more open incident.' }] },
        FOOTER,
      ],
    });
  });
});

describe('short replies', () => {
  it('no fire right now offers to volunteer for the next one', () => {
    expect(noFireReply()).toEqual({
      text: 'No fire is burning right now. Want to be first in line for the next one?',
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: ':sunny: No fire is burning right now. Want to be first in line for the next one?' },
          block_id: 'volunteer_next',
          accessory: { type: 'button', text: { type: 'plain_text', text: 'Volunteer for 8h', emoji: true }, action_id: 'volunteer_for_next', value: 'on', style: 'primary' },
        },
      ],
    });
  });

  it('joined, resolved, stopped, opted out, digest', () => {
    expect(joinedReply('C0INC7')).toEqual({
      text: 'You are in <#C0INC7>. Welcome!',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':fire_engine: You are in <#C0INC7>. Welcome! Watching is fine: read the channel from the top, then follow along. I will DM you a few prompts to guide you.' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Had enough? Just leave the channel. `/volunteer stats` counts your fires.' }] },
      ],
    });
    expect(incidentResolvedReply('C0INC7')).toEqual({
      text: 'That fire is out: <#C0INC7> was resolved, so there is nothing to join.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':checkered_flag: That fire is out: <#C0INC7> was resolved, so there is nothing to join.' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '`/volunteer` puts you first in line for the next one.' }] },
      ],
    });
    expect(stoppedVolunteeringReply(false)).toEqual({
      text: 'You were not volunteering, so nothing changed.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'You were not volunteering, so nothing changed.' }, accessory: { type: 'button', text: { type: 'plain_text', text: 'Volunteer for 8h', emoji: true }, action_id: 'dm_switch_volunteer', value: 'on' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '`/volunteer` to volunteer again · automatic invites carry on as before (`/volunteer optout` stops them)' }] },
      ],
    });
    expect(optedOutReply(UNTIL)).toEqual({
      text: 'Done: you will not be invited automatically any more.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Done: you will not be invited automatically any more. You can still join any fire yourself with `/volunteer now`.' }, accessory: { type: 'button', text: { type: 'plain_text', text: 'Invite me again', emoji: true }, action_id: 'dm_switch_invites', value: 'optin' } },
        { type: 'section', text: { type: 'mrkdwn', text: `You are still volunteering until ${UNTIL_TEXT}, which overrides this. \`/volunteer off\` stops that too.` } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '`/volunteer optin` brings automatic invites back.' }] },
      ],
    });
    expect(digestReply(false)).toEqual({
      text: 'The weekly digest DM is off. Your fires are still counted.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'The weekly digest DM is off. Your fires are still counted.' }, accessory: { type: 'button', text: { type: 'plain_text', text: 'Turn the digest on', emoji: true }, action_id: 'dm_switch_digest', value: 'on' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '`/volunteer digest on` to get it again.' }] },
      ],
    });
  });

  it('admin results and refusal', () => {
    expect(adminRefusedReply()).toEqual({
      text: 'Sorry, admin commands are only for the Smokejumper admins. Nothing changed.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Sorry, admin commands are only for the Smokejumper admins. Nothing changed.' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '`/volunteer help` shows what you can do.' }] },
      ],
    });
    expect(levelSetReply('U0JUNIOR1', 'senior', 'junior')).toEqual({
      text: '<@U0JUNIOR1> is now senior (was junior).',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '<@U0JUNIOR1> is now senior (was junior).' } }],
    });
    expect(mentorSetReply('U0SENIOR1', true, true).text).toBe('<@U0SENIOR1> was already a mentor; nothing changed.');
  });
});

describe('statsReply', () => {
  it('shows counts, roles and every line of the score', () => {
    expect(
      statsReply({
        thisWeek: 1,
        fourWeeks: 3,
        allTime: 5,
        roles: { learner: 3, volunteer: 2, responder: 0, mentor: 0 },
        experience: ['Level junior: 0 points', '3 fires as learner in the last 28 days: 3 × 1 × 1 = 3 points', 'Experience score: 3 (lower means less experience)'],
      }),
    ).toEqual({
      text: 'You joined 1 fire this week, 3 fires in the last 4 weeks and 5 fires in all.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*Fires joined*\nThis week: *1* · last 4 weeks: *3* · all time: *5*\nAs: learner 3 · volunteer 2' } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Experience score*, lower means less experience:\n• Level junior: 0 points\n• 3 fires as learner in the last 28 days: 3 × 1 × 1 = 3 points\n• Experience score: 3 (lower means less experience)',
          },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Volunteer, learner, responder and mentor are the roles you had in each fire; recent fires and active roles count for more.' }] },
      ],
    });
  });
});

describe('help and usage', () => {
  const everyone = [
    '• `/volunteer` or `/volunteer on 2h`: be first in line for the next fires (default 8h, at most 7d; 90m, 2h and 1d all work)',
    '• `/volunteer now`: join the most recent fire right away',
    '• `/volunteer off`: stop volunteering',
    '• `/volunteer stats`: your fires and your experience score, and how it is computed',
    '• `/volunteer optout` / `/volunteer optin`: never / again invite me automatically',
    '• `/volunteer digest off` / `/volunteer digest on`: stop / resume the weekly DM',
    '• `/volunteer practice`: replay a past incident round by round, a practice fire of about 15 minutes',
    '• `/volunteer help`: this list',
  ];
  const admin = [
    '• `/volunteer admin report [WEEKS] [team]`: who joined how many fires, least exposed first, with coverage, Gini, first fires and mentor load (default 4 weeks)',
    '• `/volunteer admin level @person junior|mid|senior|staff`: set someone\'s level',
    '• `/volunteer admin mentor @person yes|no`: mark or unmark a mentor',
    '• `/volunteer admin stage @person observer|scribe|investigator|lead_shadow`: set someone\'s stage on the growth path',
    '• `/volunteer admin practice exclude #channel`: never use that incident for a practice fire',
  ];

  it('lists admin subcommands only to admins', () => {
    expect(helpReply(false)).toEqual({
      text: '/volunteer: raise your hand for a fire.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':fire_engine: *Raise your hand for a fire.* Juniors learn most where things break; volunteering puts you first in line, within your working hours.' } },
        { type: 'section', text: { type: 'mrkdwn', text: everyone.join('\n') } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'The Smokejumper Home tab has the same switches and your stats.' } ] },
      ],
    });
    expect(helpReply(true).blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: [...everyone, ...admin].join('\n') } });
  });

  it('quotes the unknown word back, escaped so it can never ping anyone', () => {
    expect(usageReply('<!channel>', false)).toEqual({
      text: 'I don\'t know "&lt;!channel&gt;". Here is what /volunteer understands:',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'I don\'t know "&lt;!channel&gt;". Here is what /volunteer understands:' } },
        { type: 'section', text: { type: 'mrkdwn', text: everyone.join('\n') } },
      ],
    });
  });

  it('shows a bad argument as a warning', () => {
    expect(invalidReply('"8d" is too long.')).toEqual({
      text: '"8d" is too long.',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: ':warning: "8d" is too long.' } }],
    });
  });
});

describe('reportReply', () => {
  it('lists people least exposed first', () => {
    const rows: ReportRow[] = [
      { slackId: 'U0KIM', level: 'junior', optedOut: true, fires: 0, lastJoinedAt: null },
      { slackId: 'U0JO', level: 'junior', optedOut: false, fires: 2, lastJoinedAt: OPENED },
    ];
    expect(reportReply(4, rows)).toEqual({
      text: 'Fires joined in the last 4 weeks: 2 people, 1 with none.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*Fires joined in the last 4 weeks*, least exposed first: 2 people, 1 with none.' } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '`  0` <@U0KIM> · junior · never joined one · opted out\n`  2` <@U0JO> · junior · last <!date^1795595400^{date_short}|2026-11-25 08:30 UTC>',
          },
        },
      ],
    });
  });

  it('stays within Block Kit limits for a large workspace', () => {
    const rows: ReportRow[] = Array.from({ length: 5000 }, (_, i) => ({ slackId: `U${String(i).padStart(8, '0')}`, level: 'mid', optedOut: false, fires: Math.floor(i / 50), lastJoinedAt: OPENED }));
    const message = reportReply(52, rows);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    for (const block of message.blocks) {
      const text = (block as { text?: { text: string } }).text?.text ?? '';
      expect(text.length).toBeLessThanOrEqual(3000);
    }
    expect(message.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '…and 4900 more with 2 or more fires.' }] });
    expect(message.text).toBe('Fires joined in the last 52 weeks: 5000 people, 50 with none.');
  });

  it('says so when nobody is on the roster', () => {
    expect(reportReply(1, []).blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*Fires joined in the last 1 week*, least exposed first: 0 people, 0 with none.' } },
      { type: 'section', text: { type: 'mrkdwn', text: 'Nobody is on the roster yet: people are synced from Slack at start and hourly.' } },
    ]);
  });
});
