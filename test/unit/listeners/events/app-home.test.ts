import { onAppHomeOpened } from '../../../../src/listeners/events/app-home';
import { afterAckDone, fakeDeps } from '../fake-bolt';

describe('app_home_opened through Bolt\'s arguments', () => {
  it('the Messages tab publishes nothing', async () => {
    const { deps, lines } = fakeDeps();
    await onAppHomeOpened(deps)({ event: { type: 'app_home_opened', user: 'U1', tab: 'messages' } } as never);
    await afterAckDone();
    expect(lines).toEqual([]);
  });

  it('a publish that fails is logged with a reference after the event was acknowledged', async () => {
    const { deps, lines } = fakeDeps();
    await onAppHomeOpened(deps)({ event: { type: 'app_home_opened', user: 'U2', tab: 'home' } } as never);
    await afterAckDone();
    expect(lines).toEqual([expect.objectContaining({ level: 'error', event: 'app_home_opened', user: 'U2', reference: expect.stringMatching(/^[0-9a-f]{8}$/) })]);
  });
});
