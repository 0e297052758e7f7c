import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signed, expiring path under which the Home tab's chart image is served (SPEC.md section 11).
 * Slack fetches a Home tab image from the app without any Slack credentials, so the path itself
 * carries who it is for and until when, signed with a key only the app holds; anything else gets
 * nothing. The token names a person, never a team or a channel, and the chart shows counts only.
 */
export const CHART_PATH_PREFIX = '/reports/chart/';
export const CHART_LINK_TTL_MS = 24 * 3_600_000;

export interface ChartLink {
  /** whose view it is: the chart is drawn for what this person may see when it is fetched */
  viewer: string;
  weeks: number;
  /** expiry, epoch milliseconds */
  expires: number;
}

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');
const mac = (key: string, body: string) => createHmac('sha256', `smokejumper-chart:${key}`).update(body).digest();

export function signChartLink(key: string, link: ChartLink): string {
  const body = b64(JSON.stringify([link.viewer, link.weeks, link.expires]));
  return `${body}.${b64(mac(key, body))}`;
}

/** The link a token carries, 'expired', or null for anything not signed with `key`. */
export function verifyChartLink(key: string, token: string, now: Date): ChartLink | 'expired' | null {
  const match = /^([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const given = Buffer.from(match[2]!, 'base64url');
  const expected = mac(key, match[1]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const [viewer, weeks, expires] = JSON.parse(Buffer.from(match[1]!, 'base64url').toString('utf8')) as [string, number, number];
  return expires <= now.getTime() ? 'expired' : { viewer, weeks, expires };
}
