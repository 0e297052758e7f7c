import { PLAYBOOKS, promptStep } from '../../../src/domain/prompts';
import type { Message } from '../../../src/slack/views/blocks';
import { stoodDownDm, welcomeDm } from '../../../src/slack/views/incident-messages';
import { offerDm, offerEndedDm, type OfferEnd } from '../../../src/slack/views/offer-messages';
import { promptMessage, reflectionPromptDm } from '../../../src/slack/views/prompt-messages';
import { mentorAskDm, mentorSummaryDm, yourMentorIsDm } from '../../../src/slack/views/mentor-messages';

/**
 * Mentor and learner copy never says the same sentence twice in one DM (issue 15, "What people
 * read"): every DM builder, in each of its variants, is read as a person sees it (the blocks; the
 * fallback text is only the notification) and split into sentences.
 */
function visibleTexts(message: Message): string[] {
  const texts: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== 'object') return;
    const node = value as Record<string, unknown>;
    if ((node.type === 'mrkdwn' || node.type === 'plain_text') && typeof node.text === 'string') texts.push(node.text);
    for (const [key, child] of Object.entries(node)) if (key !== 'text' || typeof child !== 'string') walk(child);
  };
  walk(message.blocks);
  return texts;
}

function sentencesOf(text: string): string[] {
  return text
    .replace(/<[^>]*>/g, 'X')
    .replace(/[*_:]/g, ' ')
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.replace(/\s+/g, ' ').trim().toLowerCase())
    .filter((s) => s.length > 3);
}

function repeatedSentences(message: Message): string[] {
  const seen = new Set<string>();
  const repeated: string[] = [];
  for (const sentence of visibleTexts(message).flatMap(sentencesOf)) {
    if (seen.has(sentence)) repeated.push(sentence);
    seen.add(sentence);
  }
  return repeated;
}

const variants: Array<[string, Message]> = [];
for (const source of ['auto_invite', 'volunteer', 'self_joined'] as const) {
  for (const people of [{ leadId: 'U7', mentorId: 'U9', callLink: 'https://acme.zoom.us/j/1' }, { leadId: null, mentorId: null, callLink: null }]) {
    for (const playbook of PLAYBOOKS) {
      variants.push([`welcome ${source} ${playbook.id} ${people.leadId ?? 'nobody'}`, welcomeDm({ channelId: 'C1', source, ...people, watchFirst: playbook.orientationTip })]);
      variants.push([`welcome ${source} ${playbook.id} ${people.leadId ?? 'nobody'} silent`, welcomeDm({ channelId: 'C1', source, ...people, watchFirst: playbook.orientationTip, silent: true, stage: 'scribe' })]);
    }
  }
}
variants.push(['stood down', stoodDownDm({ channelId: 'C1' })]);
for (const source of ['auto_invite', 'volunteer'] as const) variants.push([`offer ${source}`, offerDm({ offerId: 1, channelId: 'C1', source, timeoutMs: 180_000 })]);
for (const end of ['accepted', 'declined', 'expired', 'withdrawn', 'resolved'] as OfferEnd[]) variants.push([`offer ${end}`, offerEndedDm({ channelId: 'C1', end })]);
for (const playbook of PLAYBOOKS) {
  for (const total of [2, 3, 5]) {
    for (let n = 2; n <= total; n++) {
      const step = promptStep(playbook, n, total);
      if (step) variants.push([`prompt ${playbook.id} ${n}/${total}`, promptMessage({ channelId: 'C1', mentorId: 'U9', step })]);
    }
  }
  for (const fromOutside of [false, true]) {
    variants.push([`mentor ${playbook.id}${fromOutside ? ' from outside' : ''}`, mentorSummaryDm({ channelId: 'C1', learners: [{ slackId: 'U1', experience: ['Level: junior', 'This is their first fire.'] }, { slackId: 'U2', experience: ['Level: unknown', '2 earlier fires.'] }], ideas: playbook.mentorIdeas, fromOutside })]);
  }
}
variants.push(['reflection', reflectionPromptDm({ incidentId: 1, channelId: 'C1' })]);
variants.push(['mentor ask', mentorAskDm({ askId: 1, channelId: 'C1', learnerIds: ['U1', 'U2'], leadId: 'U3' })]);
variants.push(['your mentor', yourMentorIsDm({ channelId: 'C1', mentorId: 'U4', fromOutside: true })]);

describe('every DM to a learner or a mentor', () => {
  it.each(variants)('%s says each sentence once', (_name, message) => {
    expect(visibleTexts(message).length).toBeGreaterThan(0);
    expect(repeatedSentences(message)).toEqual([]);
  });

  it('the check finds a repeated sentence (the old welcome said "Watching is fine" in two places)', () => {
    const twice: Message = { text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Watching is fine: nobody minds. Read on.' } }, { type: 'context', elements: [{ type: 'mrkdwn', text: 'Read on.' }] }] };
    expect(repeatedSentences(twice)).toEqual(['read on.']);
  });
});
