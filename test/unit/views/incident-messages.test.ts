import { introMessage, learnerInviteDm } from '../../../src/slack/views/incident-messages';

describe('introMessage', () => {
  it('introduces the learners and asks the mentor, with fallback text', () => {
    expect(introMessage({ learners: [{ slackId: 'U1', source: 'auto_invite' }, { slackId: 'U2', source: 'volunteer' }], mentor: { slackId: 'U9', reason: 'mentor' } })).toEqual({
      text: '<@U1> and <@U2> are joining to learn from this incident. Mentor: <@U9>.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':fire_engine: <@U1> and <@U2> are joining to learn how we handle incidents. They will mostly watch, and may ask a question or two.' } },
        { type: 'section', text: { type: 'mrkdwn', text: '<@U9>, would you be their mentor for this one? A word on what you are looking at, now and then, goes a long way.' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Smokejumper brings the least experienced engineers to fires, kindly and within working hours. `/volunteer help` to learn more.' }] },
      ],
    });
  });

  it('still reads well with one learner and no mentor', () => {
    const message = introMessage({ learners: [{ slackId: 'U1', source: 'auto_invite' }], mentor: null });
    expect(message.text).toBe('<@U1> is joining to learn from this incident.');
    expect(message.blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'Anyone responding: a word now and then on what you are looking at goes a long way.' } });
  });
});

describe('learnerInviteDm', () => {
  it('says why, who the mentor is, and how to opt out', () => {
    expect(learnerInviteDm({ channelId: 'C1', reason: 'among the least experienced people in working hours right now (no fires yet)', mentorId: 'U9', source: 'auto_invite' })).toEqual({
      text: 'You have been invited to <#C1> because you are among the least experienced people in working hours right now (no fires yet). Watching is fine. Your mentor is <@U9>.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':wave: You have been invited to <#C1> because you are among the least experienced people in working hours right now (no fires yet).' } },
        { type: 'section', text: { type: 'mrkdwn', text: 'Watching is fine: nobody expects you to fix anything. Read the channel from the top, then follow along. <@U9> is your mentor for this one: ask them anything, in a thread or a DM.' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Not a good time? Just leave the channel. Never want automatic invites? The button below stops them (the Home tab brings them back).' }] },
        { type: 'actions', block_id: 'dm_buttons', elements: [{ type: 'button', text: { type: 'plain_text', text: 'No automatic invites', emoji: true }, action_id: 'dm_switch_invites', value: 'optout' }] },
      ],
    });
  });

  it('thanks a volunteer and tells them how to stop', () => {
    const dm = learnerInviteDm({ channelId: 'C1', reason: 'volunteered for the next fire', mentorId: null, source: 'volunteer' });
    expect(dm.text).toBe('You volunteered, so you are first in line: welcome to <#C1>. Watching is fine.');
    expect(dm.blocks.slice(2)).toEqual([
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Done volunteering? The button below stops it; you stay in this fire.' }] },
      { type: 'actions', block_id: 'dm_buttons', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Stop volunteering', emoji: true }, action_id: 'dm_switch_volunteer', value: 'off' }] },
    ]);
  });
});

describe('the welcome DM in a read-only Messages tab', () => {
  it('never asks anyone to type a command', () => {
    for (const source of ['auto_invite', 'volunteer'] as const) {
      expect(JSON.stringify(learnerInviteDm({ channelId: 'C1', reason: 'x', mentorId: 'U9', source }))).not.toContain('/volunteer');
    }
  });
});
