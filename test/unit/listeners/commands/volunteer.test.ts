import { onVolunteerCommand, onVolunteerForNext, replyTo } from '../../../../src/listeners/commands/volunteer';
import { afterAckDone, buttonBody, fakeBolt, fakeDeps, referenceIn } from '../fake-bolt';

const command = (text: string, user = 'U0JUNIOR1') => ({ command: '/volunteer', text, user_id: user, channel_id: 'C1', response_url: 'https://hooks.slack.test/r', trigger_id: '1.2.3', team_id: 'T1' });

describe('/volunteer through Bolt\'s arguments', () => {
  it('help is answered in the acknowledgement itself, touching neither the database nor Slack', async () => {
    const { deps, lines } = fakeDeps();
    const { ack, respond, calls } = fakeBolt();
    await onVolunteerCommand(deps)({ command: command('help'), ack, respond } as never);
    await afterAckDone();
    expect(calls.map((c) => c.fn)).toEqual(['ack']);
    expect(ack.mock.calls[0]![0]).toEqual(expect.objectContaining({ response_type: 'ephemeral', text: expect.stringContaining('/volunteer') }));
    expect(lines).toEqual([]);
  });

  it('an admin command from a non-admin is refused in the acknowledgement', async () => {
    const { deps } = fakeDeps();
    const { ack, respond } = fakeBolt();
    await onVolunteerCommand(deps)({ command: command('admin level <@U0ABC> senior'), ack, respond } as never);
    expect(ack.mock.calls[0]![0]).toEqual(expect.objectContaining({ response_type: 'ephemeral', text: expect.stringMatching(/admin/i) }));
    expect(respond).not.toHaveBeenCalled();
  });

  it('when the database is down: acknowledged empty first, then the person is told, with the reference of the error line', async () => {
    const { deps, lines } = fakeDeps();
    const { ack, respond, calls } = fakeBolt();
    await onVolunteerCommand(deps)({ command: command('on 2h'), ack, respond } as never);
    await afterAckDone();
    expect(calls.map((c) => c.fn)).toEqual(['ack', 'respond']);
    expect(ack).toHaveBeenCalledWith();
    const told = respond.mock.calls[0]![0] as { text: string; response_type: string; replace_original: boolean };
    expect(told).toEqual(expect.objectContaining({ response_type: 'ephemeral', replace_original: false }));
    expect(told.text).toContain('Something went wrong');
    const line = lines.find((l) => l.level === 'error')!;
    expect(line).toEqual(expect.objectContaining({ msg: 'interactive request failed after its acknowledgement', user: 'U0JUNIOR1', command: 'on', err: expect.objectContaining({ message: expect.stringContaining('the database is down') }) }));
    expect(referenceIn(told.text)).toBe(line.reference);
  });
});

describe('"Volunteer for 8h" through Bolt\'s arguments', () => {
  it('replaces the ephemeral question it sits in, and a failure is shown with its reference after the ack', async () => {
    const { deps, lines } = fakeDeps();
    const { ack, respond, calls } = fakeBolt();
    const { body, action } = buttonBody('U0JUNIOR1', 'volunteer_for_next', 'on', { container: { is_ephemeral: true } });
    await onVolunteerForNext(deps)({ ack, body, action, respond } as never);
    await afterAckDone();
    expect(calls.map((c) => c.fn)).toEqual(['ack', 'respond']);
    expect(respond.mock.calls[0]![0]).toEqual(expect.objectContaining({ replace_original: true }));
    expect(referenceIn((respond.mock.calls[0]![0] as { text: string }).text)).toBe(lines.find((l) => l.level === 'error')!.reference);
  });
});

describe('replyTo', () => {
  it('without a response_url the answer goes by DM; a DM that fails is an error, not silence', async () => {
    const dm = jest.fn(async () => ({ ok: false, error: 'cannot_dm_bot', retryable: false }));
    const { deps } = fakeDeps({ slack: { dm } });
    await expect(replyTo(deps, 'U1', undefined, { text: 'hi', blocks: [] }, { replace_original: false })).rejects.toThrow('could not reply by DM: cannot_dm_bot');
    expect(dm).toHaveBeenCalledWith('U1', { text: 'hi', blocks: [] });
  });
});
