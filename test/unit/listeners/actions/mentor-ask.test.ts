import { onMentorAnswer } from '../../../../src/listeners/actions/mentor-ask';
import { press, referenceIn } from '../fake-bolt';

describe("the ask DM's buttons (I'll coach / Not this time) through Bolt's arguments", () => {
  it('a malformed ask id: acknowledged, logged, nothing told and no database touched', async () => {
    const { calls, lines } = await press((deps) => onMentorAnswer(deps, 'accept'), { user: 'U0MENTOR1', actionId: 'mentor_ask_accept', value: 'abc' });
    expect(calls.map((c) => c.fn)).toEqual(['ack']);
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', msg: 'mentor ask button for an ask that is not theirs; ignored', user: 'U0MENTOR1' })]);
  });

  it('a failure of the answer: ack first, then the reference of the error line', async () => {
    const { calls, told, lines } = await press((deps) => onMentorAnswer(deps, 'decline'), { user: 'U0MENTOR1', actionId: 'mentor_ask_decline', value: '7' });
    expect(calls.map((c) => c.fn)).toEqual(['ack', 'respond']);
    const line = lines.find((l) => l.level === 'error')!;
    expect(line).toEqual(expect.objectContaining({ action: 'mentor_ask_decline', ask: '7', user: 'U0MENTOR1' }));
    expect(referenceIn(told()[0]!.text)).toBe(line.reference);
  });
});
