import { onOpenMentorForm, onStageReady } from '../../../../src/listeners/actions/mentor-loop';
import { afterAckDone, buttonBody, fakeBolt, fakeDeps } from '../fake-bolt';

describe("the mentor's reflection DM buttons through Bolt's arguments", () => {
  it('a malformed learning id: acknowledged, logged, no modal', async () => {
    const openModal = jest.fn();
    const { deps, lines } = fakeDeps({ slack: { openModal } });
    const { ack, respond } = fakeBolt();
    const { body, action } = buttonBody('U1', 'mentor_reply', '-3');
    await onOpenMentorForm(deps, 'reply')({ ack, body, action, respond } as never);
    expect(ack).toHaveBeenCalledTimes(1);
    expect(openModal).not.toHaveBeenCalled();
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', msg: 'mentor button with a malformed learning id; ignored' })]);
  });

  it('Reply and Not yet open their form straight after the ack, before any read, carrying the learning id', async () => {
    for (const [form, callback] of [['reply', 'mentor_reply_modal'], ['not_yet', 'stage_not_yet_modal']] as const) {
      const order: string[] = [];
      const openModal = jest.fn(async () => {
        order.push('openModal');
        return { ok: true, value: { id: 'V1', hash: 'h' } };
      });
      const { deps } = fakeDeps({ slack: { openModal } });
      const { ack, respond } = fakeBolt();
      ack.mockImplementation(async () => void order.push('ack'));
      const { body, action } = buttonBody('U1', form === 'reply' ? 'mentor_reply' : 'stage_not_yet', '12');
      await onOpenMentorForm(deps, form)({ ack, body, action, respond } as never);
      expect(order).toEqual(['ack', 'openModal']);
      expect(openModal).toHaveBeenCalledWith('1.2.3', expect.objectContaining({ callback_id: callback, private_metadata: '{"learningId":12}' }));
      await afterAckDone();
      expect(respond).not.toHaveBeenCalled();
    }
  });

  it('"Ready for the next step" answers after the ack; when the database is down the presser gets a reference', async () => {
    const { deps, lines } = fakeDeps();
    const { ack, respond, calls } = fakeBolt();
    const { body, action } = buttonBody('U1', 'stage_ready', '12');
    await onStageReady(deps)({ ack, body, action, respond } as never);
    expect(calls[0]).toEqual({ fn: 'ack', arg: undefined });
    await afterAckDone();
    expect(respond).toHaveBeenCalledWith(expect.objectContaining({ response_type: 'ephemeral', replace_original: false }));
    expect(lines.some((l) => l.level === 'error' && typeof l.reference === 'string')).toBe(true);
  });
});
