import { practiceAnswerModal, practiceHomeBlocks, practiceOfferDm, practiceRoundMessage } from '../../../src/slack/views/practice-messages';

const start = new Date('2026-10-01T10:00:00Z');
const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);

describe('practice fire messages', () => {
  it('shows round one by role, with the question and the two buttons', () => {
    expect(practiceRoundMessage({ practiceId: 7, round: 1, rounds: 4, startedAt: start, lines: [
      { who: 'a bot', text: ':rotating_light: Alert: checkout p99 > 2s', at: at(0) },
      { who: 'the lead', text: 'I have it. _responder A_ can you look at the DB?', at: at(1) },
    ] })).toEqual({
      text: 'Practice fire · round 1 of 4: What would you check first?',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':fire_engine: *Practice fire · round 1 of 4*\nHow it started: the first report and what the channel knew in its first minutes.' } },
        { type: 'section', text: { type: 'mrkdwn', text: '*a bot* · +0 min\n:rotating_light: Alert: checkout p99 > 2s\n\n*the lead* · +1 min\nI have it. _responder A_ can you look at the DB?' } },
        { type: 'section', text: { type: 'mrkdwn', text: '*What would you check first?*' } },
        {
          type: 'actions',
          block_id: 'practice_answer',
          elements: [
            { type: 'button', text: { type: 'plain_text', text: 'Answer', emoji: true }, action_id: 'practice_answer', value: '7:1', style: 'primary' },
            { type: 'button', text: { type: 'plain_text', text: 'Stop here', emoji: true }, action_id: 'practice_stop', value: '7' },
          ],
        },
      ],
    });
  });

  it('reveals the channel and the postmortem in the last round, and asks for a reflection', () => {
    const last = practiceRoundMessage({ practiceId: 7, round: 4, rounds: 4, startedAt: start, lines: [{ who: 'the lead', text: 'Resolved.', at: at(30) }], reveal: { channelId: 'C0INC1', postmortem: { url: 'https://wiki.example.com/pm/42', label: 'PM-42' } } });
    expect(last.text).toBe('Practice fire · round 4 of 4: How it ended. This was <#C0INC1>. Write a reflection, like after a real fire: what happened, what you would check first, one thing you learned.');
    expect(last.blocks.at(-2)).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'This was <#C0INC1>. Write a reflection, like after a real fire: what happened, what you would check first, one thing you learned.\nThe postmortem: <https://wiki.example.com/pm/42|PM-42>' } });
    expect(last.blocks.at(-1)).toMatchObject({ type: 'actions', elements: [{ action_id: 'practice_reflect', value: '7' }] });
  });

  it('keeps a long round within Block Kit limits', () => {
    const lines = Array.from({ length: 60 }, (_, i) => ({ who: 'responder A', text: 'x'.repeat(2000), at: at(i) }));
    const message = practiceRoundMessage({ practiceId: 1, round: 2, rounds: 3, startedAt: start, lines });
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    for (const block of message.blocks) if (block.type === 'section') expect(block.text!.text.length).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(message.blocks)).toContain('…and 35 more messages.');
  });

  it('offers by DM with a button, never a command to type', () => {
    const offer = practiceOfferDm();
    expect(offer.text).toBe('Try a practice fire? about 15 minutes');
    expect(offer.blocks.at(-1)).toMatchObject({ type: 'actions', elements: [{ action_id: 'practice_start', value: 'start' }] });
  });

  it('opens a short answer form that carries the practice and round', () => {
    const modal = practiceAnswerModal(7, 2);
    expect(modal).toMatchObject({ callback_id: 'practice_answer_modal', private_metadata: '{"practiceId":7,"round":2}' });
    expect(modal.blocks[0]).toMatchObject({ type: 'input', block_id: 'practice_answer', label: { text: 'What would you check or do next?' } });
  });

  it('offers to resume a stopped practice on the Home tab, or to start one', () => {
    expect(practiceHomeBlocks({ unfinished: { id: 3, status: 'stopped', round: 2, rounds: 5 }, finished: 1 })).toEqual([
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '*Practice fire*\nYou stopped a practice fire at round 2 of 5. You finished 1 practice fire.' },
        block_id: 'home_practice',
        accessory: { type: 'button', text: { type: 'plain_text', text: 'Resume my practice fire', emoji: true }, action_id: 'practice_resume', value: '3', style: 'primary' },
      },
    ]);
    expect(practiceHomeBlocks({ unfinished: null, finished: 0 })[0]).toMatchObject({ accessory: { action_id: 'practice_start' } });
  });
});
