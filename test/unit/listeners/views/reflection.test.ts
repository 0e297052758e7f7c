import { onReflectionSubmitted } from '../../../../src/listeners/views/reflection';
import { REFLECTION_BLOCK } from '../../../../src/slack/ids';
import { fakeBolt, fakeDeps } from '../fake-bolt';

function submission(values: { whatHappened?: string; checkFirst?: string; learned?: string }) {
  const state: Record<string, Record<string, { type: string; value: string }>> = {};
  for (const [field, value] of Object.entries(values)) {
    const id = REFLECTION_BLOCK[field as keyof typeof REFLECTION_BLOCK];
    state[id] = { [id]: { type: 'plain_text_input', value } };
  }
  return { body: { user: { id: 'U1' } }, view: { private_metadata: JSON.stringify({ incidentId: 7 }), state: { values: state } } };
}

describe('the reflection form submission through Bolt\'s arguments', () => {
  it('empty answers keep the modal open with an error per field, before the database is read', async () => {
    const { deps } = fakeDeps();
    const { ack } = fakeBolt();
    await onReflectionSubmitted(deps)({ ack, ...submission({ whatHappened: 'the queue backed up' }) } as never);
    expect(ack).toHaveBeenCalledTimes(1);
    const verdict = ack.mock.calls[0]![0] as { response_action: string; errors: Record<string, string> };
    expect(verdict.response_action).toBe('errors');
    expect(Object.keys(verdict.errors).sort()).toEqual([REFLECTION_BLOCK.checkFirst, REFLECTION_BLOCK.learned].sort());
  });

  it('when the answers cannot be saved it throws without acknowledging, so the modal stays open and Bolt\'s error handler runs', async () => {
    const { deps } = fakeDeps();
    const { ack } = fakeBolt();
    await expect(onReflectionSubmitted(deps)({ ack, ...submission({ whatHappened: 'a', checkFirst: 'b', learned: 'c' }) } as never)).rejects.toThrow('the database is down');
    expect(ack).not.toHaveBeenCalled();
  });
});
