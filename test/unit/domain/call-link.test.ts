import { callLinkOf, isCallUrl } from '../../../src/domain/call-link';

describe('callLinkOf', () => {
  it('takes a call URL from the topic, as Slack writes links in text', () => {
    expect(callLinkOf('SEV2 · call: <https://acme.zoom.us/j/123|zoom> · doc <https://docs.google.com/x>', [])).toBe('https://acme.zoom.us/j/123');
    expect(callLinkOf('bridge https://meet.google.com/abc-defg-hij', [])).toBe('https://meet.google.com/abc-defg-hij');
  });

  it('falls back to a bookmark whose link is a call, then one titled as a call', () => {
    const bookmarks = [
      { title: 'Runbook', link: 'https://wiki.example.com/runbook' },
      { title: 'War room', link: 'https://calls.example.com/room/7' },
      { title: 'Video', link: 'https://teams.microsoft.com/l/meetup-join/1' },
    ];
    expect(callLinkOf('', bookmarks)).toBe('https://teams.microsoft.com/l/meetup-join/1');
    expect(callLinkOf(null, bookmarks.slice(0, 2))).toBe('https://calls.example.com/room/7');
  });

  it('finds nothing in a topic or bookmarks without a call, and never takes a non-https link', () => {
    expect(callLinkOf('Checkout is down, see <https://status.example.com>', [{ title: 'Dashboard', link: 'https://grafana.example.com/d/1' }])).toBeNull();
    expect(callLinkOf('', [{ title: 'Call', link: 'javascript:alert(1)' }])).toBeNull();
    expect(isCallUrl('https://zoom.us.evil.example.com/j/1')).toBe(false);
    expect(isCallUrl('http://acme.zoom.us/j/1')).toBe(false);
  });
});
