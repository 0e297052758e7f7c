import { onJoinIncident } from '../../../../src/listeners/actions/join-incident';
import { onNoLearners } from '../../../../src/listeners/actions/no-learners';
import { onOfferButton } from '../../../../src/listeners/actions/offer-buttons';
import { incidentGoneReply } from '../../../../src/slack/views/volunteer-replies';
import { press, referenceIn } from '../fake-bolt';

describe('the Join button through Bolt\'s arguments', () => {
  it('a malformed incident id: acknowledged, logged, and the person is told the incident is gone (no database touched)', async () => {
    const { calls, told, lines } = await press(onJoinIncident, { user: 'U0JUNIOR1', actionId: 'join_incident', value: '12abc' });
    expect(calls.map((c) => c.fn)).toEqual(['ack', 'respond']);
    expect(told()[0]).toEqual(expect.objectContaining({ ...incidentGoneReply(), replace_original: false }));
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', msg: 'button with a malformed id', action: 'join_incident', value: '12abc' })]);
  });

  it('a failure of the join: ack first, then the reference of the error line', async () => {
    const { calls, told, lines } = await press(onJoinIncident, { user: 'U0JUNIOR1', actionId: 'join_incident', value: '7' });
    expect(calls.map((c) => c.fn)).toEqual(['ack', 'respond']);
    const line = lines.find((l) => l.level === 'error')!;
    expect(line).toEqual(expect.objectContaining({ action: 'join_incident', value: '7', user: 'U0JUNIOR1' }));
    expect(referenceIn(told()[0]!.text)).toBe(line.reference);
  });

  it.each([
    ['offer_join', onOfferButton],
    ['offer_not_now', onOfferButton],
    ['no_learners', onNoLearners],
  ] as const)('%s with a malformed id: acknowledged, logged, told the incident is gone, nothing touched', async (actionId, handler) => {
    const { calls, told, lines } = await press(handler, { user: 'U0JUNIOR1', actionId, value: '-3' });
    expect(calls.map((c) => c.fn)).toEqual(['ack', 'respond']);
    expect(told()[0]).toEqual(expect.objectContaining({ ...incidentGoneReply(), replace_original: false }));
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', msg: 'button with a malformed id', action: actionId, value: '-3' })]);
  });
});
