import { onReportFile } from '../../../../src/listeners/actions/report-files';
import { afterAckDone, buttonBody, fakeBolt, fakeDeps, referenceIn } from '../fake-bolt';

describe('the report file buttons through Bolt\'s arguments', () => {
  it('a failure after the ack reaches the person by DM, with the reference of the error line', async () => {
    const dm = jest.fn(async () => ({ ok: true, value: undefined }));
    const { deps, lines } = fakeDeps({ slack: new Proxy({ dm }, { get: (t, p) => (p in t ? t[p as 'dm'] : (() => Promise.reject(new Error('Slack is down')))) }) });
    const { ack, calls } = fakeBolt();
    const { body, action } = buttonBody('U0ADMIN1', 'report_export_csv', '13');
    await onReportFile(deps, 'csv')({ ack, body, action } as never);
    expect(calls.map((c) => c.fn)).toEqual(['ack']);
    await afterAckDone();
    expect(dm).toHaveBeenCalledTimes(1);
    const [user, message] = dm.mock.calls[0] as unknown as [string, { text: string }];
    expect(user).toBe('U0ADMIN1');
    expect(referenceIn(message.text)).toBe(lines.find((l) => l.level === 'error')!.reference);
  });
});
