import { ResponseUrlSink } from '../../../../src/dev/slack-emulator';

describe('ResponseUrlSink', () => {
  it('records JSON posts per named url and waits for them', async () => {
    const sink = new ResponseUrlSink();
    await sink.start();
    try {
      const url = sink.url('cmd-1');
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/response\/cmd-1$/);
      const waiting = sink.waitFor(1, 2000);
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'thanks' }) });
      expect(res.status).toBe(200);
      await waiting;
      expect(sink.received).toEqual([{ path: '/response/cmd-1', body: { text: 'thanks' } }]);
      await expect(sink.waitFor(2, 50)).rejects.toThrow(/expected 2 POSTs within 50ms, got 1/);
    } finally {
      await sink.stop();
    }
  });
});
