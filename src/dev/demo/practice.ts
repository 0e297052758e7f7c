/**
 * The demo's practice fire (SPEC.md "Practice fires"): a quiet junior is offered a replay of a
 * past incident, starts it, and gets round one in their DM, with people shown by role.
 */
import { openIncident, resolveIncident } from '../../db/incidents';
import { PRACTICE_OFFER_JOB } from '../../jobs/practice-offer';
import { ACTION } from '../../slack/ids';
import { PRACTICE_COPY } from '../../slack/views/practice-messages';
import { sampleEngineer } from '../sample-team';
import { at, DEMO_START, MARTA } from './script';
import { messageText, out } from './transcript';
import { dmsTo, interactionUser, triggerId, waitUntil, type World } from './world';

const MIA = 'U0MIAXX01';
const LEO = 'U0LEOXX01';
const CHEN = 'U0CHEN001';
const RAVI = 'U0RAVI001';
const PAST_CHANNEL = 'inc-cache-stampede';

/** The past incident's channel, as its people wrote it, nine days before the demo's Wednesday. */
async function pastIncident(w: World): Promise<void> {
  const start = at(DEMO_START, -9 * 24 * 60 - 120);
  const channel = w.emulator.addChannel({ name: PAST_CHANNEL, creator: MARTA, created: Math.floor(start.getTime() / 1000), members: [w.emulator.botUserId, CHEN, RAVI] });
  const story: Array<[number, { user: string } | { botId: string; username: string }, string]> = [
    [0, { botId: 'B0PAGER01', username: 'pager' }, ':rotating_light: Alert: api p99 > 3s and 5xx at 4% for 5m'],
    [1, { user: MARTA }, 'I have it. <@U0CHEN001|chen> can you check the cache hit rate?'],
    [3, { user: CHEN }, 'hit rate fell from 97% to 40% at 14:02 <https://grafana.example.com/d/cache|cache dashboard>'],
    [9, { user: CHEN }, 'Looks like the product cache expired all at once: every key had the same TTL'],
    [14, { user: RAVI }, 'Deploy 7731 went out at 14:00 and reset TTLs to `3600` for every key'],
    [18, { user: MARTA }, 'Rolled back 7731, thanks Ravi. Chen, can you warm the top 1000 keys?'],
    [31, { user: CHEN }, 'warmed, hit rate 95%, p99 back under 400 ms'],
    [40, { user: MARTA }, 'Resolved. Postmortem: <https://wiki.example.com/postmortems/cache-stampede|Postmortem: cache stampede>'],
  ];
  for (const [minute, by, text] of story) w.emulator.postAt(channel.id, by, text, at(start, minute));
  const incident = await openIncident(w.app.deps.db, { channelId: channel.id, name: PAST_CHANNEL, isPrivate: false, createdBy: MARTA, openedAt: start });
  await resolveIncident(w.app.deps.db, incident.id, at(start, 45));
}

export async function practiceFire(w: World): Promise<void> {
  await pastIncident(w);
  // Monday afternoon in Los Angeles, Tuesday morning in Sydney.
  w.setTime(new Date('2026-12-01T00:00:00Z'));
  out.step(w.now(), 'A practice fire for a quiet junior');
  out.para('@Mia, in Sydney, has had no fire since she started: every incident fell in her night. The practice-offer job (every 15 minutes) offers a practice fire, once a week at most, to juniors with no real fire for PRACTICE_AFTER (28d), in their working hours; the demo runs it now.');
  await w.app.deps.jobs.send(PRACTICE_OFFER_JOB, {});
  const offerTo = (user: string) => dmsTo(w, user).find((m) => m.text === PRACTICE_COPY.offer);
  await waitUntil(() => offerTo(MIA) !== undefined && offerTo(LEO) !== undefined, 'the practice offers to Mia and Leo');
  const offer = offerTo(MIA)!;
  out.line('  DM to @Mia (@Leo, in Los Angeles, gets the same):');
  out.para(messageText(offer, w.names, sampleEngineer(MIA).tz, true), '    │ ');

  out.line('');
  out.para('She clicks [ Start a practice fire ]. The app picks a resolved incident at least PRACTICE_MIN_AGE (7d) old that she did not join, reads its channel (conversations.history, never stored) and sends round one:');
  const before = dmsTo(w, MIA).length;
  const click = await w.sender.interaction({
    type: 'block_actions',
    user: interactionUser(w, MIA),
    trigger_id: triggerId(5),
    container: { type: 'message', message_ts: offer.ts, channel_id: offer.channel, is_ephemeral: false },
    channel: { id: offer.channel, name: 'directmessage' },
    state: { values: {} },
    response_url: w.responses.url('practice-start-mia'),
    actions: [{ type: 'button', action_id: ACTION.practiceStart, block_id: ACTION.practiceStart, value: 'start', text: { type: 'plain_text', text: 'Start a practice fire' }, action_ts: `${w.seconds()}.000400` }],
  });
  if (click.status !== 200) throw new Error(`the practice button answered HTTP ${click.status}`);
  await waitUntil(() => dmsTo(w, MIA).slice(before).some((m) => (m.text ?? '').startsWith('Practice fire · round 1')), 'round one of the practice fire');
  const round = dmsTo(w, MIA).slice(before).find((m) => (m.text ?? '').startsWith('Practice fire · round 1'))!;
  out.para(messageText(round, w.names, sampleEngineer(MIA).tz, true), '    │ ');
  out.para('Nobody is named: Marta is "the lead", Chen "responder A". [ Answer ] opens a short form; each answer brings the next part of what really happened, split where the channel stated a hypothesis, a change or a finding, and the last round reveals the channel, the resolution and the postmortem. Only her answers are stored. A practice weighs 0.25 in the experience score and is never counted as a fire.');
}
