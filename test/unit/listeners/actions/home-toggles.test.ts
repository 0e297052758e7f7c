import { onHomeToggle } from '../../../../src/listeners/actions/home-toggles';
import { press } from '../fake-bolt';

describe('the Home tab switches through Bolt\'s arguments', () => {
  it('an unknown value is acknowledged, logged and ignored', async () => {
    const { calls, lines } = await press(onHomeToggle, { user: 'U1', actionId: 'home_toggle_volunteer', value: 'maybe' });
    expect(calls.map((c) => c.fn)).toEqual(['ack']);
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', msg: 'home tab button with an unknown value; ignored', value: 'maybe' })]);
  });

  it('a failure after the ack is logged with a reference (the tab has no reply to carry it)', async () => {
    const { calls, lines } = await press(onHomeToggle, { user: 'U1', actionId: 'home_toggle_digest', value: 'off' });
    expect(calls.map((c) => c.fn)).toEqual(['ack']);
    expect(lines).toEqual([expect.objectContaining({ level: 'error', action: 'home_toggle_digest', user: 'U1', reference: expect.stringMatching(/^[0-9a-f]{8}$/) })]);
  });
});
