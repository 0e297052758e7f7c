import { mentorAskAnswered, mentorAskDm, mentorSummaryDm, yourMentorIsDm } from '../../../src/slack/views/mentor-messages';

const allText = (m: { text: string; blocks: unknown[] }) => JSON.stringify(m);

describe('mentorSummaryDm', () => {
  it('names every learner with their experience, once each', () => {
    const m = mentorSummaryDm({
      channelId: 'C0INC1',
      learners: [
        { slackId: 'U0JO', experience: ['Level: junior', 'This is their first fire.'] },
        { slackId: 'U0KIM', experience: ['Level: mid', 'Fires before this one: 2 (2 as learner), 1 in the last 28 days'] },
      ],
      ideas: ['Share your dashboard.'],
      fromOutside: false,
    });
    expect(m.text).toBe('You are the mentor in <#C0INC1>: <@U0JO> and <@U0KIM> are there to learn.');
    expect(m.blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*<@U0JO>*\n• Level: junior\n• This is their first fire.' } });
    expect(allText(m)).toContain('Fires before this one: 2');
    expect(allText(m)).not.toContain('You coach from the side');
    expect(allText(mentorSummaryDm({ channelId: 'C0INC1', learners: [{ slackId: 'U0JO', experience: [] }], ideas: [], fromOutside: true }))).toContain('You coach from the side');
  });
});

describe('mentorAskDm', () => {
  it('asks to coach from the side, names the lead, and carries the ask id in both buttons', () => {
    const m = mentorAskDm({ askId: 42, channelId: 'C0INC1', learnerIds: ['U0JO'], leadId: 'U0LOU' });
    expect(m.text).toBe('Could you coach from the side in <#C0INC1>? <@U0JO> is there to learn, and nobody in the channel is free to mentor.');
    expect(allText(m)).toContain('<@U0LOU> leads the response.');
    const buttons = (m.blocks.at(-1) as { elements: Array<{ action_id: string; value: string; text: { text: string } }> }).elements;
    expect(buttons.map((b) => [b.text.text, b.action_id, b.value])).toEqual([["I'll coach", 'mentor_ask_accept', '42'], ['Not this time', 'mentor_ask_decline', '42']]);
    expect(allText(mentorAskDm({ askId: 1, channelId: 'C0INC1', learnerIds: ['U0JO', 'U0KIM'], leadId: null }))).not.toContain('leads the response');
  });

  it('once answered, says what happened and has no buttons', () => {
    for (const outcome of ['accepted', 'declined', 'timed_out', 'withdrawn'] as const) {
      const m = mentorAskAnswered('C0INC1', outcome);
      expect(m.text).toContain('<#C0INC1>');
      expect(m.blocks.every((b) => b.type === 'section')).toBe(true);
    }
  });
});

describe('yourMentorIsDm', () => {
  it('tells a learner who mentors, and how to reach an outside mentor', () => {
    expect(yourMentorIsDm({ channelId: 'C0INC1', mentorId: 'U0SAM', fromOutside: false }).text).toBe('Your mentor in <#C0INC1> is now <@U0SAM>.');
    expect(allText(yourMentorIsDm({ channelId: 'C0INC1', mentorId: 'U0ADA', fromOutside: true }))).toContain('send them a DM');
  });
});
