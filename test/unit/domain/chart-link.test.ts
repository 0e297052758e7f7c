import { signChartLink, verifyChartLink } from '../../../src/domain/chart-link';

describe('the signed chart link', () => {
  const now = new Date('2026-11-25T09:00:00Z');
  const link = { viewer: 'U0ADMIN01', weeks: 13, expires: now.getTime() + 60_000 };
  const token = signChartLink('secret', link);

  it('carries the viewer, weeks and expiry, in a URL-safe token', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyChartLink('secret', token, now)).toEqual(link);
  });

  it('refuses another key, a changed body or signature, and garbage; says when it has expired', () => {
    expect(verifyChartLink('other', token, now)).toBeNull();
    const forged = signChartLink('other', { ...link, viewer: 'U0MALLORY' });
    expect(verifyChartLink('secret', `${forged.split('.')[0]}.${token.split('.')[1]}`, now)).toBeNull();
    expect(verifyChartLink('secret', `${token.slice(0, -2)}AA`, now)).toBeNull();
    expect(verifyChartLink('secret', '../../etc/passwd', now)).toBeNull();
    expect(verifyChartLink('secret', token, new Date(link.expires))).toBe('expired');
  });
});
