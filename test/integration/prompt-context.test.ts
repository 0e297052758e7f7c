import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import { person, startHarness, waitUntil, type Harness } from '../helpers/harness';
import type { EmulatedMessage } from '../../src/dev/slack-emulator';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * Prompts that follow the channel (SPEC.md section 5), over HTTP against the emulator and
 * PostgreSQL: prompt 2 onward quotes what the responders shared since the learner joined, and a
 * prompt is skipped (ledger: skipped) when nobody wrote since the previous one.
 */
const team = [
  person('U0CREATOR', 'Casey'),
  person('U0SAM', 'Sam'),
  // Learners come only by their own joins here (opted out of auto-invites).
  person('U0QUOTED', 'Quinn', 'Asia/Tokyo'),
  person('U0SILENT', 'Sid'),
];

const promptsTo = (h: Harness, user: string): EmulatedMessage[] => h.emulator.messagesTo(user).filter((m) => m.text?.startsWith('Smokejumper prompt'));
const appNowSec = (h: Harness) => Math.floor(h.app.deps.clock().getTime() / 1000);

async function openIncident(h: Harness, name: string): Promise<string> {
  const channel = h.emulator.addChannel({ name, creator: 'U0CREATOR', members: ['U0SAM'] });
  await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name, created: appNowSec(h), creator: 'U0CREATOR' } }, { eventTime: appNowSec(h) });
  await waitUntil(async () => Boolean((await h.app.deps.db.incident.findUnique({ where: { channelId: channel.id } }))?.selectedAt), `incident ${name} to open`);
  return channel.id;
}

async function join(h: Harness, user: string, channelId: string): Promise<void> {
  h.emulator.addMember(channelId, user);
  const res = await h.sender.event({ type: 'member_joined_channel', user, channel: channelId, channel_type: 'C', team: h.emulator.teamId }, { eventTime: appNowSec(h) });
  expect(res.status).toBe(200);
}

async function ledger(h: Harness, prefix: string): Promise<string> {
  const rows = await h.app.deps.db.delivery.findMany({ where: { key: { startsWith: prefix } }, orderBy: { key: 'asc' } });
  return rows.map((r) => `${r.key.slice(prefix.length)}:${r.status}`).join(' ');
}

/** A Slack ts as the app's clock reads it, in a zone: the time a prompt quotes. */
function quotedTime(h: Harness, ts: string, zone: string): string {
  const skewMs = Date.now() - h.app.deps.clock().getTime();
  return dayjs(Number(ts) * 1000 - skewMs).tz(zone).format('HH:mm');
}

describe('prompts that follow the channel', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ users: team, env: { PROMPT_SCHEDULE: '0s,2s,8s' } });
    await h.app.deps.db.engineer.update({ where: { slackId: 'U0CREATOR' }, data: { level: 'senior' } });
    await h.app.deps.db.engineer.update({ where: { slackId: 'U0SAM' }, data: { level: 'senior', optedOut: true } });
    await h.app.deps.db.engineer.updateMany({ where: { slackId: { in: ['U0QUOTED', 'U0SILENT'] } }, data: { optedOut: true } });
  });
  afterAll(async () => h?.stop());

  it('quotes the dashboard link, the runbook bookmark and the latest hypothesis posted before the prompt, in the learner\'s time zone, and never stores them', async () => {
    const channelId = await openIncident(h, 'inc-checkout-latency');
    await join(h, 'U0QUOTED', channelId);
    // Written at once after the join, well before prompt 2 falls due (2 s after it).
    const dashboard = h.emulator.say(channelId, 'U0SAM', 'p99 is up since 09:55: <https://grafana.example.com/d/abc/checkout?orgId=1|checkout latency>').message;
    const hypothesis = h.emulator.say(channelId, 'U0CREATOR', 'I think the new index on orders is missing');
    // Slack sends the app the message event too (message.channels): it is acknowledged and dropped, never stored.
    expect((await h.sender.event(hypothesis.event, { eventTime: appNowSec(h) })).status).toBe(200);
    h.emulator.say(channelId, 'U0SAM', 'checking the deploy log');
    h.emulator.addBookmark({ channel: channelId, title: 'Checkout runbook', link: 'https://wiki.example.com/runbooks/checkout', by: 'U0CREATOR' });

    // The first entry of the schedule is the welcome DM; prompt 2 is the first "Smokejumper prompt".
    await waitUntil(() => promptsTo(h, 'U0QUOTED').length === 1, 'prompt 2 to Quinn', 15_000);
    const prompt = promptsTo(h, 'U0QUOTED')[0]!;
    expect(prompt.text).toMatch(/^Smokejumper prompt 2 of 3/);
    const blocks = JSON.stringify(prompt.blocks);
    const at = quotedTime(h, dashboard.ts, 'Asia/Tokyo');
    expect(blocks).toContain('From the channel');
    expect(blocks).toContain(`<@U0SAM> shared a Grafana link at ${at} (<https://grafana.example.com/d/abc/checkout?orgId=1|link>): what is its y-axis, and when did the line move?`);
    expect(blocks).toContain('<@U0CREATOR> linked a runbook at');
    expect(blocks).toContain('<@U0CREATOR> wrote: “I think the new index on orders is missing” What would confirm or rule that out?');
    expect(blocks).toContain('<@U0SAM> has posted most since you joined (2 messages)');
    // The questions of the day are still there below the quotes.
    expect(prompt.text).toContain('Who is affected, and how badly? Which dashboard shows it?');
    // Read with conversations.history since the learner joined, plus pins and bookmarks.
    expect(h.emulator.callsTo('pins.list').some((c) => c.args.channel === channelId)).toBe(true);
    expect(h.emulator.callsTo('bookmarks.list').some((c) => c.args.channel_id === channelId)).toBe(true);

    // The channel's text is never stored: not in any table the app writes.
    const { rows } = await h.app.deps.pool.query<{ hits: string }>(
      `SELECT count(*)::text AS hits FROM (
         SELECT key || coalesce(error, '') AS t FROM deliveries
         UNION ALL SELECT payload::text FROM slack_events
         UNION ALL SELECT data::text FROM pgboss.job) x
       WHERE t LIKE '%grafana.example.com%' OR t LIKE '%new index on orders%'`,
    );
    expect(rows[0]!.hits).toBe('0');
  });

  it('skips a prompt when nobody wrote since the previous one, records it as skipped, and sends the next when someone has', async () => {
    const channelId = await openIncident(h, 'inc-search-quiet');
    await join(h, 'U0SILENT', channelId);
    const prefix = `prompt:${channelId}:U0SILENT:`;
    // Prompt 2 falls due 2 s after the join; nobody writes in the channel until it has been decided.
    await waitUntil(async () => (await ledger(h, prefix)) === '2:skipped 3:pending', 'prompt 2 to be skipped', 15_000);
    expect(await h.app.deps.db.delivery.findUnique({ where: { key: `welcome-dm:${channelId}:U0SILENT` } })).toMatchObject({ status: 'sent' });
    expect(promptsTo(h, 'U0SILENT')).toEqual([]);
    // Someone writes before prompt 3 falls due (8 s after the join): the schedule continues with it.
    h.emulator.say(channelId, 'U0SAM', 'Looks like the search cluster lost a node');
    await waitUntil(async () => (await ledger(h, prefix)) === '2:skipped 3:sent', 'prompt 3 to be sent', 20_000);
    const third = promptsTo(h, 'U0SILENT')[0]!;
    expect(third.text).toMatch(/^Smokejumper prompt 3 of 3/);
    expect(JSON.stringify(third.blocks)).toContain('<@U0SAM> wrote: “Looks like the search cluster lost a node”');
  });
});
