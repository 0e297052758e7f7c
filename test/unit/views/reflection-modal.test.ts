import { reflectionModal } from '../../../src/slack/views/reflection-modal';

const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });

function input(blockId: string, label: string, placeholder: string, initial?: string) {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    element: {
      type: 'plain_text_input',
      action_id: blockId,
      multiline: true,
      max_length: 2000,
      placeholder: plain(placeholder),
      ...(initial === undefined ? {} : { initial_value: initial }),
    },
  };
}

const shareOption = { text: plain('Share with my mentor'), value: 'share' };
function share(on: boolean) {
  return {
    type: 'input',
    block_id: 'reflection_share',
    optional: true,
    label: plain('Your mentor'),
    element: { type: 'checkboxes', action_id: 'reflection_share', options: [shareOption], ...(on ? { initial_options: [shareOption] } : {}) },
  };
}

describe('reflectionModal', () => {
  it('asks what happened, what to check first next time and one thing learned, for one incident', () => {
    expect(reflectionModal({ incidentId: 42, channelId: 'C0INC1' })).toEqual({
      type: 'modal',
      callback_id: 'reflection_modal',
      private_metadata: '{"incidentId":42}',
      title: plain('Reflection'),
      submit: plain('Save'),
      close: plain('Later'),
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'A few lines about <#C0INC1>. Plain words are best; nobody grades this.' } },
        input('reflection_what_happened', 'What happened?', 'In your own words: what broke, who noticed, how it was fixed'),
        input('reflection_check_first', 'What would you check first next time?', 'A dashboard, a log, a question to ask'),
        input('reflection_learned', 'One thing you learned', 'A tool, a habit, how a system behaves under stress'),
        share(true),
      ],
    });
  });

  it('fills in a reflection already saved, so that a second submission edits it', () => {
    const view = reflectionModal({ incidentId: 7, channelId: 'C0INC2', existing: { whatHappened: 'Disk full', checkFirst: 'Disk graph', learned: 'WAL' } });
    expect(view.private_metadata).toBe('{"incidentId":7}');
    expect((view.blocks as unknown[]).slice(1)).toEqual([
      input('reflection_what_happened', 'What happened?', 'In your own words: what broke, who noticed, how it was fixed', 'Disk full'),
      input('reflection_check_first', 'What would you check first next time?', 'A dashboard, a log, a question to ask', 'Disk graph'),
      input('reflection_learned', 'One thing you learned', 'A tool, a habit, how a system behaves under stress', 'WAL'),
      share(true),
    ]);
  });

  it('shows "Share with my mentor" ticked by default and as saved', () => {
    expect((reflectionModal({ incidentId: 7, channelId: 'C0INC2', share: false }).blocks as unknown[]).at(-1)).toEqual(share(false));
    expect((reflectionModal({ incidentId: 7, channelId: 'C0INC2', share: true }).blocks as unknown[]).at(-1)).toEqual(share(true));
  });

  it('keeps within Slack limits: a title of at most 24 characters, at most 100 blocks', () => {
    const view = reflectionModal({ incidentId: 1, channelId: 'C1' });
    expect((view.title as { text: string }).text.length).toBeLessThanOrEqual(24);
    expect((view.blocks as unknown[]).length).toBeLessThanOrEqual(100);
  });
});
