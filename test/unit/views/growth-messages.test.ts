import { progressOf } from '../../../src/domain/progression';
import { debriefNudgeDm, mentorReflectionDm, stageDecisionDm, stageWelcomeBlocks } from '../../../src/slack/views/growth-messages';
import { welcomeDm } from '../../../src/slack/views/incident-messages';

const answers = { whatHappened: 'The <!channel> cache & co fell over', checkFirst: 'Hit rate', learned: 'Evictions' };

describe('growth messages', () => {
  it('the welcome DM names the role this time and what it means', () => {
    const base = { channelId: 'C1', source: 'auto_invite' as const, leadId: 'U0L', mentorId: 'U0M', callLink: null, watchFirst: 'Find who leads.' };
    const dm = welcomeDm({ ...base, stage: 'scribe' });
    expect(JSON.stringify(dm.blocks)).toContain('Your role this time: scribe*: you keep the timeline in a thread');
    expect(stageWelcomeBlocks('lead_shadow')[0]).toMatchObject({ text: { text: expect.stringContaining('Your role this time: lead shadow') } });
    // Without a stage (a welcome planned before stages existed) nothing is added.
    expect(welcomeDm(base).blocks).toHaveLength(welcomeDm({ ...base, stage: 'observer' }).blocks.length - stageWelcomeBlocks('observer').length);
    // A scribe has a task: the observer's "watching is fine" is not said to them.
    expect(JSON.stringify(dm.blocks)).not.toContain('Watching is fine');
  });

  it("the mentor's reflection DM quotes a shared reflection inertly, with Reply and the stage buttons", () => {
    const dm = mentorReflectionDm({ learningId: 9, learnerId: 'U0L', channelId: 'C1', answers, stage: 'observer', progress: progressOf([]) });
    const json = JSON.stringify(dm.blocks);
    expect(dm.text).toBe('<@U0L> wrote a reflection on <#C1> and shared it with you.');
    expect(json).toContain('&lt;!channel&gt; cache &amp; co');
    expect(json).not.toContain('<!channel>');
    const buttons = (dm.blocks.at(-1) as { elements: Array<{ action_id: string; value: string }> }).elements;
    expect(buttons.map((b) => [b.action_id, b.value])).toEqual([['mentor_reply', '9'], ['stage_ready', '9'], ['stage_not_yet', '9']]);
  });

  it('a private reflection shows no text and no Reply; at the last stage there are no stage buttons', () => {
    const dm = mentorReflectionDm({ learningId: 9, learnerId: 'U0L', channelId: 'C1', answers: null, stage: 'observer', progress: progressOf([]) });
    expect(JSON.stringify(dm.blocks)).not.toContain('Evictions');
    expect((dm.blocks.at(-1) as { elements: Array<{ action_id: string }> }).elements.map((b) => b.action_id)).toEqual(['stage_ready', 'stage_not_yet']);
    const last = mentorReflectionDm({ learningId: 9, learnerId: 'U0L', channelId: 'C1', answers: null, stage: 'lead_shadow', progress: progressOf([], [{ stage: 'lead_shadow', at: new Date(0) }]) });
    expect(JSON.stringify(last.blocks)).not.toContain('"type":"actions"');
  });

  it("tells the learner the mentor's answer, with a Not yet note", () => {
    expect(stageDecisionDm({ mentorId: 'U0M', decision: 'ready', stage: 'scribe', note: null }).text).toBe('<@U0M> says you are ready for the next step: from your next fire your role is *scribe*: you keep the timeline in a thread: what was tried, when, and by whom.');
    const held = stageDecisionDm({ mentorId: 'U0M', decision: 'not_yet', stage: 'observer', note: 'Ask <@U1> one question' });
    expect(held.text).toBe('<@U0M> would like you to stay an observer a little longer.');
    expect(JSON.stringify(held.blocks)).toContain('Their note: \\"Ask &lt;@U1&gt; one question\\"');
  });

  it('the debrief nudge names each learner', () => {
    expect(debriefNudgeDm({ channelId: 'C1', learnerIds: ['U1', 'U2'] }).text).toMatch(/^Good morning\. <@U1> and <@U2> reflected on <#C1>\. Ten minutes of debrief/);
  });
});
