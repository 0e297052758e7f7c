import { REFLECTION_COPY } from '../../../../src/domain/prompts';
import { onOpenReflection } from '../../../../src/listeners/actions/reflection';
import { afterAckDone, buttonBody, fakeBolt, fakeDeps } from '../fake-bolt';

describe('"Write my reflection" through Bolt\'s arguments', () => {
  it('a malformed incident id: acknowledged, logged, no modal', async () => {
    const openModal = jest.fn();
    const { deps, lines } = fakeDeps({ slack: { openModal } });
    const { ack, respond } = fakeBolt();
    const { body, action } = buttonBody('U1', 'open_reflection', 'x');
    await onOpenReflection(deps)({ ack, body, action, respond } as never);
    expect(ack).toHaveBeenCalledTimes(1);
    expect(openModal).not.toHaveBeenCalled();
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', msg: 'reflection button with a malformed incident id; ignored' })]);
  });

  it('opens the modal straight after the ack, and tells the person when Slack would not open it', async () => {
    const order: string[] = [];
    const openModal = jest.fn(async () => {
      order.push('openModal');
      return { ok: false, error: 'expired_trigger_id', retryable: false };
    });
    const { deps, lines } = fakeDeps({ slack: { openModal } });
    const { ack, respond } = fakeBolt();
    ack.mockImplementation(async () => void order.push('ack'));
    const { body, action } = buttonBody('U1', 'open_reflection', '7');
    await onOpenReflection(deps)({ ack, body, action, respond } as never);
    expect(order).toEqual(['ack', 'openModal']);
    expect(openModal).toHaveBeenCalledWith('1.2.3', expect.objectContaining({ type: 'modal' }));
    await afterAckDone();
    expect(respond).toHaveBeenCalledWith(expect.objectContaining({ response_type: 'ephemeral', replace_original: false, text: REFLECTION_COPY.notOpened('expired_trigger_id') }));
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', msg: 'the reflection form could not be opened', error: 'expired_trigger_id', incident: 7 })]);
  });
});
