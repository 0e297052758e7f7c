import { onStoredEvent, readEnvelope } from '../../../../src/listeners/events';
import { fakeDeps } from '../fake-bolt';

const envelope = (event: Record<string, unknown>) => ({ type: 'event_callback', event_id: 'Ev1', event_time: 1_700_000_000, team_id: 'T1', token: 'verification', event });

describe('readEnvelope: the events listener turns a payload into plain values', () => {
  it('an event the app keeps: its type, id, time, team and the event as sent', () => {
    const event = { type: 'member_left_channel', user: 'U1', channel: 'C1', channel_type: 'C' };
    expect(readEnvelope(envelope(event))).toEqual({ kind: 'event', type: 'member_left_channel', eventId: 'Ev1', eventTime: 1_700_000_000, teamId: 'T1', event });
  });

  it('people talking: ignored; a payload that does not fit: invalid, with why', () => {
    expect(readEnvelope(envelope({ type: 'message', channel: 'C1', user: 'U1', text: 'hi' }))).toEqual({ kind: 'ignored' });
    expect(readEnvelope({ type: 'url_verification' })).toEqual({ kind: 'invalid', problem: 'not an event_callback envelope' });
    expect(readEnvelope(envelope({ type: 'member_left_channel', user: 'not an id', channel: 'C1' }))).toEqual({ kind: 'invalid', problem: expect.stringContaining('user'), eventId: 'Ev1' });
  });
});

describe('the events listener through Bolt\'s arguments', () => {
  it('a malformed payload is counted and logged, and not stored', async () => {
    const inc = jest.fn();
    const { deps, lines } = fakeDeps({ metrics: { eventsReceived: { inc } } });
    await onStoredEvent(deps)({ body: envelope({ type: 'channel_archive', channel: 'lowercase' }) });
    expect(inc).toHaveBeenCalledWith({ delivery: 'invalid' });
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', msg: 'event ignored: malformed payload', eventId: 'Ev1' })]);
  });

  it('an event that cannot be stored throws, so that the request fails and Slack delivers it again', async () => {
    const { deps } = fakeDeps({ ingestPool: { query: async () => Promise.reject(new Error('connection refused')) }, metrics: { eventsReceived: { inc: jest.fn() } } });
    await expect(onStoredEvent(deps)({ body: envelope({ type: 'channel_archive', channel: 'C1' }) })).rejects.toThrow('connection refused');
  });
});
