import { onDmButton } from '../../../../src/listeners/actions/dm-buttons';
import { press, referenceIn } from '../fake-bolt';

describe('the DM buttons through Bolt\'s arguments', () => {
  it('an unknown value is acknowledged, logged and ignored', async () => {
    const { calls, lines } = await press(onDmButton, { user: 'U1', actionId: 'dm_switch_digest', value: 'sometimes' });
    expect(calls.map((c) => c.fn)).toEqual(['ack']);
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', msg: 'DM button with an unknown value; ignored' })]);
  });

  it('a failure: a new ephemeral message with the reference (the DM it came from stays)', async () => {
    const { calls, told, lines } = await press(onDmButton, { user: 'U1', actionId: 'dm_show_stats', value: 'stats' });
    expect(calls.map((c) => c.fn)).toEqual(['ack', 'respond']);
    expect(told()[0]!.replace_original).toBe(false);
    expect(referenceIn(told()[0]!.text)).toBe(lines.find((l) => l.level === 'error')!.reference);
  });
});
