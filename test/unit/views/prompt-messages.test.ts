import { promptMessage, reflectionPromptDm } from '../../../src/slack/views/prompt-messages';

const md = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const ctx = (...texts: string[]) => ({ type: 'context', elements: texts.map((text) => ({ type: 'mrkdwn', text })) });

const READ = 'Read the channel from the top first: the opening messages, anything pinned and any incident document linked there say what is broken and who is leading.';
const WATCHING = 'Watching is fine. Nobody expects you to fix anything; following closely is how everyone learns this.';

describe('promptMessage', () => {
  it('orients the learner: what to read, that watching is fine, who the mentor is and how to ask', () => {
    expect(promptMessage({ channelId: 'C0INC1', mentorId: 'U0MENTOR', step: { kind: 'orientation', number: 1, total: 3, tip: 'Find who leads.' } })).toEqual({
      text: 'Smokejumper prompt 1 of 3 for <#C0INC1>: start by reading the channel from the top. Watching is fine. Your mentor is <@U0MENTOR>.',
      blocks: [
        md(':compass: *Start here* · <#C0INC1>'),
        md(READ),
        md(WATCHING),
        md('Find who leads.'),
        md('<@U0MENTOR> is your mentor for this one. Ask them anything, in a thread under the message you are curious about or by DM; a short question is never a bother.'),
        ctx('Smokejumper prompt 1 of 3'),
      ],
    });
  });

  it('points to the responders when there is no mentor', () => {
    expect(promptMessage({ channelId: 'C0INC1', mentorId: null, step: { kind: 'orientation', number: 1, total: 2, tip: 'Find who leads.' } })).toEqual({
      text: 'Smokejumper prompt 1 of 2 for <#C0INC1>: start by reading the channel from the top. Watching is fine.',
      blocks: [
        md(':compass: *Start here* · <#C0INC1>'),
        md(READ),
        md(WATCHING),
        md('Find who leads.'),
        md('There is no named mentor this time: ask the people responding, in a thread under the message you are curious about.'),
        ctx('Smokejumper prompt 1 of 2'),
      ],
    });
  });

  it('asks the investigation questions of its step, each with where to look', () => {
    const step = {
      kind: 'investigation' as const,
      number: 2,
      total: 3,
      questions: [
        { topic: 'impact' as const, ask: 'Who is affected?', hint: 'Find the first report.' },
        { topic: 'dashboard' as const, ask: 'Which dashboard shows it?', hint: 'Ask for the link.' },
      ],
    };
    expect(promptMessage({ channelId: 'C0INC1', mentorId: 'U0MENTOR', step })).toEqual({
      text: 'Smokejumper prompt 2 of 3 for <#C0INC1>: Who is affected? Which dashboard shows it?',
      blocks: [
        md(':mag: *Something to look into* · <#C0INC1>'),
        md('While you follow along, try to answer this for yourself. Write your answers down, even privately: they become your reflection at the end.'),
        md('*Who is affected?*\nFind the first report.'),
        md('*Which dashboard shows it?*\nAsk for the link.'),
        ctx('Stuck? Ask <@U0MENTOR>.', 'Smokejumper prompt 2 of 3'),
      ],
    });
    expect(promptMessage({ channelId: 'C0INC1', mentorId: null, step }).blocks.at(-1)).toEqual(ctx('Stuck? Ask in a thread in the channel.', 'Smokejumper prompt 2 of 3'));
  });
});

describe('reflectionPromptDm', () => {
  it('thanks the learner and carries the incident id in the button that opens the form', () => {
    const text = '<#C0INC1> is resolved. Thank you for joining it. Two minutes to write down what you saw? It turns a fire into something you keep, and it shows up in your weekly digest.';
    expect(reflectionPromptDm({ incidentId: 42, channelId: 'C0INC1' })).toEqual({
      text,
      blocks: [
        md(`:seedling: ${text}`),
        {
          type: 'actions',
          block_id: 'open_reflection',
          elements: [{ type: 'button', text: { type: 'plain_text', text: 'Write my reflection', emoji: true }, action_id: 'open_reflection', value: '42', style: 'primary' }],
        },
      ],
    });
  });
});

describe('promptMessage with quotes from the channel', () => {
  it('puts the quotes, with mentions and links, between the intro and the questions', () => {
    const message = promptMessage({
      channelId: 'C0INC1',
      mentorId: null,
      step: { kind: 'investigation', number: 2, total: 3, questions: [{ topic: 'dashboard', ask: 'Which dashboard shows it?', hint: 'Look.' }] },
      quotes: [
        { kind: 'link', linkKind: 'dashboard', site: 'Grafana', url: 'https://grafana.example.com/d/abc', user: 'U0SAM', time: '10:04' },
        { kind: 'statement', user: null, text: 'Rolled back', time: '10:06' },
        { kind: 'most-active', user: 'U0SAM', messages: 4 },
      ],
    });
    expect(message.blocks[2]).toEqual(
      md(
        '*From the channel*\n' +
          '• <@U0SAM> shared a Grafana link at 10:04 (<https://grafana.example.com/d/abc|link>): what is its y-axis, and when did the line move?\n' +
          '• At 10:06 Someone wrote: “Rolled back” What would confirm or rule that out?\n' +
          '• <@U0SAM> has posted most since you joined (4 messages): likely the person to follow.',
      ),
    );
    expect(message.blocks[3]).toEqual(md('*Which dashboard shows it?*\nLook.'));
  });
});

describe('promptMessage for a silent observer (sev0 or sev1)', () => {
  const everyText = (m: { text: string; blocks: unknown }) => `${m.text}\n${JSON.stringify(m.blocks)}`;
  const orientation = { kind: 'orientation' as const, number: 1 as const, total: 3, tip: 'Find who leads.' };
  const investigation = { kind: 'investigation' as const, number: 2, total: 3, questions: [{ topic: 'impact' as const, ask: 'Who is affected?', hint: 'Find the first report.' }] };

  it('never suggests posting in the channel, with or without a mentor', () => {
    for (const mentorId of ['U0MENTOR', null]) {
      for (const step of [orientation, investigation]) {
        const text = everyText(promptMessage({ channelId: 'C0INC1', mentorId, step, silent: true }));
        expect(text).not.toMatch(/in a thread under|ask in a thread|in the channel\./i);
        expect(text).not.toContain('Watching is fine');
      }
    }
    expect(everyText(promptMessage({ channelId: 'C0INC1', mentorId: 'U0MENTOR', step: orientation, silent: true }))).toContain('do not post in the channel');
    expect(promptMessage({ channelId: 'C0INC1', mentorId: 'U0MENTOR', step: investigation, silent: true }).blocks.at(-1)).toEqual(ctx('Stuck? Ask <@U0MENTOR> by DM.', 'Smokejumper prompt 2 of 3'));
  });

  it('is the usual prompt when not silent', () => {
    expect(promptMessage({ channelId: 'C0INC1', mentorId: null, step: investigation, silent: false })).toEqual(promptMessage({ channelId: 'C0INC1', mentorId: null, step: investigation }));
  });
});
