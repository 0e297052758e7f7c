import { introMessage, introStoodDown, stoodDownDm, welcomeDm } from '../../../src/slack/views/incident-messages';

describe('introMessage', () => {
  it('introduces the learners as people joining to learn, with their mentor, and offers "No learners this time"', () => {
    expect(introMessage({ incidentId: 7, learners: [{ slackId: 'U1', source: 'auto_invite' }, { slackId: 'U2', source: 'volunteer' }], mentorId: 'U9' })).toEqual({
      text: '<@U1> and <@U2> are joining to learn. <@U9> is mentoring them all.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':wave: <@U1> and <@U2> are joining to learn how we handle incidents. They will mostly watch, and ask any question in a thread. <@U9> is mentoring them all.' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Smokejumper brings engineers to fires to learn, within their working hours. Rather keep this channel small? The button stops the prompts and invites nobody else.' }] },
        { type: 'actions', block_id: 'no_learners_block', elements: [{ type: 'button', text: { type: 'plain_text', text: 'No learners this time', emoji: true }, action_id: 'no_learners', value: '7' }] },
      ],
    });
  });

  it('names no mentor until one is known, never says "least experienced" and asks nothing of anyone', () => {
    const message = introMessage({ incidentId: 7, learners: [{ slackId: 'U1', source: 'auto_invite' }], mentorId: null });
    expect(message.text).toBe('<@U1> is joining to learn.');
    const all = JSON.stringify(message);
    expect(all).not.toMatch(/least experienced|would you be|mentor/i);
  });

  it('once responders said no, has no button and says who asked', () => {
    const message = introStoodDown({ learners: [{ slackId: 'U1', source: 'auto_invite' }], pressedBy: 'U5' });
    expect(JSON.stringify(message)).not.toContain('"actions"');
    expect(message.text).toBe('<@U5> asked to keep this channel small: no learners this time.');
  });
});

describe('welcomeDm', () => {
  it('says why, who leads, who mentors, where to talk (with the call), what to watch first and how to step out, in one DM', () => {
    expect(
      welcomeDm({ channelId: 'C1', source: 'auto_invite', leadId: 'U7', mentorId: 'U9', callLink: 'https://acme.zoom.us/j/1', watchFirst: 'Database incidents often turn on a few numbers.' }),
    ).toEqual({
      text: 'Welcome to <#C1>: who leads, who mentors, and where to ask.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':wave: *Welcome to <#C1>.* Fires are where engineers learn fastest, and you have been to fewer of them lately than most people working right now, so you were asked along.' } },
        { type: 'section', text: { type: 'mrkdwn', text: '<@U7> is leading the response. <@U9> is your mentor for this one: ask them anything, by DM or in a thread.' } },
        { type: 'section', text: { type: 'mrkdwn', text: '*Where to talk:* ask in a thread under the message you are curious about, so the channel stays clear for the responders. The call is <https://acme.zoom.us/j/1|here>; listening in is fine too.' } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*What to watch first:* Read the channel from the top first: the opening messages, anything pinned and any incident document linked there say what is broken and who is leading. Database incidents often turn on a few numbers.',
          },
        },
        { type: 'section', text: { type: 'mrkdwn', text: 'Watching is fine. Nobody expects you to fix anything; following closely is how everyone learns this.' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Need to step out? Leave the channel whenever you like; nobody minds. Never want automatic invites? The button below stops them (the Home tab brings them back).' }] },
        { type: 'actions', block_id: 'dm_buttons', elements: [{ type: 'button', text: { type: 'plain_text', text: 'No automatic invites', emoji: true }, action_id: 'dm_switch_invites', value: 'optout' }] },
      ],
    });
  });

  it('reads well without a lead, a mentor or a call, for a volunteer and for someone who joined on their own', () => {
    const volunteer = welcomeDm({ channelId: 'C1', source: 'volunteer', leadId: null, mentorId: null, callLink: null, watchFirst: 'Tip.' });
    expect(JSON.stringify(volunteer)).toContain('Whoever leads the response usually says so in the first messages.');
    expect(JSON.stringify(volunteer)).toContain('No mentor is named yet');
    expect(JSON.stringify(volunteer)).not.toContain('The call is');
    expect(volunteer.blocks.at(-1)).toEqual({ type: 'actions', block_id: 'dm_buttons', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Stop volunteering', emoji: true }, action_id: 'dm_switch_volunteer', value: 'off' }] });
    const self = welcomeDm({ channelId: 'C1', source: 'self_joined', leadId: 'U7', mentorId: null, callLink: null, watchFirst: 'Tip.' });
    expect(JSON.stringify(self)).toContain('You joined on your own');
    expect(self.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('never asks anyone to type a command (the Messages tab is read-only) and never says "least experienced"', () => {
    for (const source of ['auto_invite', 'volunteer', 'self_joined'] as const) {
      const all = JSON.stringify(welcomeDm({ channelId: 'C1', source, leadId: 'U7', mentorId: 'U9', callLink: null, watchFirst: 'Tip.' }));
      expect(all).not.toContain('/volunteer');
      expect(all).not.toMatch(/least experienced/i);
    }
  });
});

describe('stoodDownDm', () => {
  it('tells the learner kindly that they may stay and watch or leave', () => {
    const all = JSON.stringify(stoodDownDm({ channelId: 'C1' }));
    expect(all).toContain('asked to keep the channel small this time');
    expect(all).toContain('You are welcome to stay and watch, or to leave');
  });
});
