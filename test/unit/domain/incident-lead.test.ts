import { findLead, namedLead, type ChannelMessage } from '../../../src/domain/incident-lead';

describe('namedLead', () => {
  it.each([
    ['Severity: SEV1 · Incident lead: <@U0LEAD01>', 'U0LEAD01'],
    ['*Incident Commander*: <@U0LEAD02|sam>', 'U0LEAD02'],
    ['IC - <@W0GRID003>', 'W0GRID003'],
    ['Commander <@U0LEAD04> is on the call', 'U0LEAD04'],
    [':rotating_light: New incident\n• Lead: <@U0LEAD05>', 'U0LEAD05'],
  ])('finds the lead in %p', (text, id) => {
    expect(namedLead(text)).toBe(id);
  });

  it.each([
    ['<@U0SOMEONE> joined the channel'],
    ['thanks <@U0HELPER>, the topic is picic <@U0NOPE>'],
    ['lead time is 3 days'],
    [''],
  ])('finds no lead in %p', (text) => {
    expect(namedLead(text)).toBeNull();
  });
});

describe('findLead', () => {
  const humans = new Set(['U0HUMAN1', 'U0HUMAN2', 'U0NAMED1']);
  const isHuman = (id: string) => humans.has(id);
  const bot = (text: string): ChannelMessage => ({ user: 'U0INCBOT', text, fromBot: true });
  const human = (user: string, text: string): ChannelMessage => ({ user, text, fromBot: false });

  it('is the creator when a human created the channel', () => {
    expect(findLead({ creatorId: 'U0HUMAN1', creatorIsHuman: true, messages: [bot('Incident lead: <@U0NAMED1>')], isHuman })).toEqual({ slackId: 'U0HUMAN1', reason: 'creator' });
  });

  it("is the person the incident tool's message names when a bot created it", () => {
    const messages = [human('U0HUMAN2', 'looking'), bot('Severity: SEV1 · Incident lead: <@U0NAMED1>')];
    expect(findLead({ creatorId: 'U0INCBOT', creatorIsHuman: false, messages, isHuman })).toEqual({ slackId: 'U0NAMED1', reason: 'named' });
  });

  it('is the first human who posted when nobody is named, and never a bot', () => {
    const messages = [bot('Incident created'), human('U0HUMAN2', 'I am on it'), human('U0HUMAN1', 'me too')];
    expect(findLead({ creatorId: 'U0INCBOT', creatorIsHuman: false, messages, isHuman })).toEqual({ slackId: 'U0HUMAN2', reason: 'first_poster' });
    expect(findLead({ creatorId: 'U0INCBOT', creatorIsHuman: false, messages: [bot('Incident lead: <@U0INCBOT>')], isHuman })).toBeNull();
  });
});
