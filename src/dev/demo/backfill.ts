/**
 * The demo's backfill scene (SPEC.md section 3): before the app was installed the team already had
 * incidents, in channels now archived. `npm run backfill` reads them (runBackfill, the flow the
 * command runs) and the app starts with that history instead of none. The channels are from
 * before anything else in the story and involve no junior who can be invited, so the incident that
 * follows goes as it would without them.
 */
import { summaryText } from '../../domain/backfill-text';
import { runBackfill } from '../../flows/backfill-flow';
import { MARTA, at } from './script';
import { out } from './transcript';
import type { World } from './world';

const CHEN = 'U0CHEN001';
const RAVI = 'U0RAVI001';
const ANA = 'U0ANAXX01';
const SVEN = 'U0SVEN001';
const TOMAS = 'U0TOMAS01';
/** a junior who opted out of automatic invites, and who watched every one of these */
const KOFI = 'U0KOFI001';

/** Last year's incident channels: days before the demo's start, who wrote, who only watched, whether the app was in it. */
const PAST_CHANNELS = [
  { name: 'inc-cdn-certificate-expired', daysAgo: 300, writers: [MARTA, CHEN], watchers: [KOFI], appIn: true },
  { name: 'inc-queue-backlog', daysAgo: 260, writers: [RAVI, ANA], watchers: [KOFI], appIn: true },
  { name: 'inc-dns-failover', daysAgo: 230, writers: [MARTA, RAVI], watchers: [KOFI], appIn: true },
  { name: 'inc-billing-double-charge', daysAgo: 200, writers: [CHEN, ANA, MARTA], watchers: [KOFI], appIn: true },
  { name: 'inc-disk-full-logs', daysAgo: 170, writers: [RAVI], watchers: [KOFI, MARTA], appIn: true },
  { name: 'inc-vpn-outage', daysAgo: 160, writers: [SVEN, TOMAS], watchers: [], appIn: false },
];

export async function backfillThePast(w: World): Promise<void> {
  const start = w.now();
  for (const past of PAST_CHANNELS) {
    const opened = at(start, -past.daysAgo * 24 * 60);
    const members = [...past.writers, ...past.watchers, ...(past.appIn ? [w.emulator.botUserId] : [])];
    const channel = w.emulator.addChannel({ name: past.name, creator: past.writers[0]!, members, created: Math.floor(opened.getTime() / 1000) });
    past.writers.forEach((writer, i) => w.emulator.addMessage({ channel: channel.id, user: writer, text: 'on it', ts: `${Math.floor(opened.getTime() / 1000) + 600 * (i + 1)}.000100` }));
    w.emulator.archiveChannel(channel.id, Math.floor(opened.getTime() / 1000) + 3 * 3600);
  }
  out.step(start, 'Before the first incident: `npm run backfill`');
  out.para(`The team had incidents before Smokejumper was installed. The operator runs \`npm run backfill\` once: it lists the channels the app can see (conversations.list, archived ones too, page by page), takes those matching INCIDENT_CHANNEL_PATTERN from the last year, and records each as a past incident with its members: those who wrote are responders, those who only watched learners, and where the app was not in the channel, every member a responder. Run again, it changes nothing.`);
  const deps = { ...w.app.deps, clock: () => w.now() };
  const summary = await runBackfill(deps, { since: at(start, -365 * 24 * 60), dryRun: false });
  out.line('');
  out.para(summaryText(summary), '    │ ');
}
