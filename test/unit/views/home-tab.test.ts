import { homeTab, homeTabNotEligible, type HomeInput } from '../../../src/slack/views/home-tab';

const UNTIL = new Date('2026-11-25T17:00:00Z');
const UNTIL_TEXT = '<!date^1795626000^{date_short_pretty} at {time}|2026-11-25 17:00 UTC>';

const stats = {
  thisWeek: 0,
  fourWeeks: 1,
  allTime: 1,
  roles: { learner: 0, volunteer: 1, responder: 0, mentor: 0 },
  experience: ['Level junior: 0 points', 'Experience score: 1 (lower means less experience)'],
};

const head = [
  { type: 'header', text: { type: 'plain_text', text: ':fire_engine: Smokejumper', emoji: true } },
  { type: 'section', text: { type: 'mrkdwn', text: 'Juniors learn most where things break. Smokejumper brings the least experienced engineers to incidents, with a mentor, kindly and within working hours.' } },
  { type: 'divider' },
];
const tail = [
  { type: 'divider' },
  { type: 'section', text: { type: 'mrkdwn', text: '*Fires joined*\nThis week: *0* · last 4 weeks: *1* · all time: *1*\nAs: volunteer 1' } },
  { type: 'section', text: { type: 'mrkdwn', text: '*Experience score*, lower means less experience:\n• Level junior: 0 points\n• Experience score: 1 (lower means less experience)' } },
  { type: 'context', elements: [{ type: 'mrkdwn', text: '`/volunteer now` joins the most recent fire at once · `/volunteer help` lists every command' }] },
];
const btn = (text: string, action_id: string, value: string, style?: string) => ({ type: 'button', text: { type: 'plain_text', text, emoji: true }, action_id, value, ...(style ? { style } : {}) });

describe('homeTab', () => {
  const base: HomeInput = { volunteeringUntil: null, optedOut: false, digestOff: false, workingTime: 'Mon-Fri 09:00-18:00', timeZone: 'Europe/Berlin', stats };

  it('shows the defaults with a button to switch each', () => {
    expect(homeTab(base)).toEqual({
      type: 'home',
      blocks: [
        ...head,
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*Volunteering* is off. Raise your hand to go first for the next fires, within your working hours (Mon-Fri 09:00-18:00, Europe/Berlin).' },
          block_id: 'home_volunteer',
          accessory: btn('Volunteer for 8h', 'home_toggle_volunteer', 'on', 'primary'),
        },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*Automatic invites* are on: you may be invited to a fire within your working hours (Mon-Fri 09:00-18:00, Europe/Berlin), a few times a week at most.' },
          block_id: 'home_optout',
          accessory: btn('Opt out', 'home_toggle_optout', 'optout'),
        },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*Weekly digest* is on: a DM each week with the fires you joined and what you learned.' },
          block_id: 'home_digest',
          accessory: btn('Turn off', 'home_toggle_digest', 'off'),
        },
        ...tail,
      ],
    });
  });

  it('shows volunteering, opted out and digest off, each with the button that switches it back', () => {
    expect(homeTab({ ...base, volunteeringUntil: UNTIL, optedOut: true, digestOff: true }).blocks.slice(3, 6)).toEqual([
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `:raised_hand: *Volunteering* until ${UNTIL_TEXT}: you go first for the next fires, within your working hours (Mon-Fri 09:00-18:00, Europe/Berlin).` },
        block_id: 'home_volunteer',
        accessory: btn('Stop volunteering', 'home_toggle_volunteer', 'off'),
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '*Automatic invites* are off: you are only invited when you volunteer or join yourself.' },
        block_id: 'home_optout',
        accessory: btn('Invite me again', 'home_toggle_optout', 'optin'),
      },
      { type: 'section', text: { type: 'mrkdwn', text: '*Weekly digest* is off.' }, block_id: 'home_digest', accessory: btn('Turn on', 'home_toggle_digest', 'on') },
    ]);
  });

  it('tells people Smokejumper never invites that there is nothing to switch', () => {
    expect(homeTabNotEligible()).toEqual({
      type: 'home',
      blocks: [
        head[0],
        { type: 'section', text: { type: 'mrkdwn', text: 'Smokejumper brings engineers of this workspace to incidents to learn. Guests and external people are not invited, so there is nothing to switch here.' } },
      ],
    });
  });
});
