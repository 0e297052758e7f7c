import { onAttendReview } from '../../../../src/listeners/actions/attend-review';
import { attendReviewReply } from '../../../../src/slack/views/postmortem-messages';
import { press, referenceIn } from '../fake-bolt';

describe('"I\'d like to attend the review" through Bolt\'s arguments', () => {
  it('a malformed incident id: acknowledged, logged, and the person is told the button is not theirs (no database touched)', async () => {
    const { calls, told, lines } = await press(onAttendReview, { user: 'U0JUNIOR1', actionId: 'attend_review', value: 'x1' });
    expect(calls.map((c) => c.fn)).toEqual(['ack', 'respond']);
    expect(told()[0]).toEqual(expect.objectContaining({ ...attendReviewReply('not_a_learner', null), replace_original: false }));
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', msg: 'attend-review button with a malformed incident id', value: 'x1' })]);
  });

  it('a failure of the request: ack first, then the reference of the error line', async () => {
    const { calls, told, lines } = await press(onAttendReview, { user: 'U0JUNIOR1', actionId: 'attend_review', value: '7' });
    expect(calls.map((c) => c.fn)).toEqual(['ack', 'respond']);
    const line = lines.find((l) => l.level === 'error')!;
    expect(line).toEqual(expect.objectContaining({ action: 'attend_review', incident: '7', user: 'U0JUNIOR1' }));
    expect(referenceIn(told()[0]!.text)).toBe(line.reference);
  });
});
