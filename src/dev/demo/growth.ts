/**
 * The demo's growth path (SPEC.md "Growth"): Jonas's reflection reaches Chen, his mentor; he gets
 * the debrief nudge the next working morning and replies; after his second fire as an observer she
 * confirms he is ready, and his third fire welcomes him as the scribe. Told after the report, so
 * that the figures printed before it are those of the first incident alone.
 */
import { DEBRIEF_JOB } from '../../flows/mentor-loop-flow';
import { ACTION, GROWTH_BLOCK, REFLECTION_BLOCK } from '../../slack/ids';
import { sampleEngineer } from '../sample-team';
import type { EmulatedMessage } from '../slack-emulator';
import { CHEN, JONAS, MARTA, STEP_TIMEOUT_MS } from './script';
import { messageText, out } from './transcript';
import { dmsTo, interactionUser, slackSaysJoined, waitUntil, type World } from './world';

const show = (w: World, who: string, m: { text?: string; blocks?: unknown }) => {
  out.line(`  DM to @${w.names.user(who)}:`);
  out.para(messageText(m, w.names, sampleEngineer(who).tz, true), '    │ ');
};

/** The latest DM to `user` whose fallback text contains `text`, once it has come. */
async function dmContaining(w: World, user: string, text: string, after = 0): Promise<EmulatedMessage> {
  await waitUntil(() => dmsTo(w, user).slice(after).some((m) => m.text?.includes(text)), `a DM to ${w.names.user(user)} with "${text}"`);
  return dmsTo(w, user).slice(after).filter((m) => m.text?.includes(text)).at(-1)!;
}

/** A button of a DM, pressed as Slack posts it; returns the index of its answer in the response sink. */
async function press(w: World, user: string, dm: EmulatedMessage, actionId: string, name: string): Promise<number> {
  const value = (JSON.stringify(dm.blocks).match(new RegExp(`"action_id":"${actionId}","value":"([^"]+)"`)) ?? [])[1] ?? '';
  const answers = w.responses.received.length;
  const res = await w.sender.interaction({
    type: 'block_actions',
    user: interactionUser(w, user),
    trigger_id: w.emulator.issueTrigger(),
    container: { type: 'message', message_ts: dm.ts, channel_id: dm.channel, is_ephemeral: false },
    channel: { id: dm.channel, name: 'directmessage' },
    message: { type: 'message', ts: dm.ts, text: dm.text, blocks: dm.blocks },
    response_url: w.responses.url(name),
    state: { values: {} },
    actions: [{ type: 'button', action_id: actionId, block_id: GROWTH_BLOCK.mentorButtons, value, text: { type: 'plain_text', text: actionId }, action_ts: `${w.seconds()}.000400` }],
  });
  if (res.status !== 200) throw new Error(`${actionId} answered HTTP ${res.status}`);
  return answers;
}

async function submit(w: World, user: string, view: Record<string, unknown>, values: Record<string, unknown>): Promise<void> {
  const res = await w.sender.interaction({ type: 'view_submission', user: interactionUser(w, user), trigger_id: w.emulator.issueTrigger(), view: { ...view, state: { values } }, response_urls: [] });
  if (res.status !== 200 || res.body.trim() !== '') throw new Error(`the form was refused: ${res.status} ${res.body}`);
}

/** Opens an incident created by Marta, lets Slack confirm the invitees' joins, and returns its channel and incident. */
async function fire(w: World, name: string): Promise<{ channelId: string; incidentId: number }> {
  // Marta leads; Chen, a mentor in the roster, is in the channel from the start and mentors (SPEC.md section 4).
  const channel = w.emulator.addChannel({ name, creator: MARTA, members: [CHEN], created: w.seconds() });
  await w.sender.event({ type: 'channel_created', channel: { id: channel.id, name, created: w.seconds(), creator: MARTA } }, { eventTime: w.seconds() });
  await waitUntil(() => w.emulator.messagesTo(channel.id).length >= 1, `the intro in #${name}`);
  const incident = await w.app.deps.db.incident.findUniqueOrThrow({ where: { channelId: channel.id } });
  const invited = await w.app.deps.db.participation.findMany({ where: { incidentId: incident.id, source: 'auto_invite' }, include: { engineer: true } });
  if (!invited.some((p) => p.engineer.slackId === JONAS)) throw new Error(`Jonas was not invited to #${name}`);
  for (const p of invited) await slackSaysJoined(w, p.engineer.slackId, channel.id);
  return { channelId: channel.id, incidentId: incident.id };
}

async function resolveAndReflect(w: World, channelId: string, incidentId: number, learned: string): Promise<void> {
  const before = dmsTo(w, JONAS).length;
  w.emulator.archiveChannel(channelId);
  await w.sender.event({ type: 'channel_archive', channel: channelId, user: MARTA }, { eventTime: w.seconds() });
  await dmContaining(w, JONAS, 'is resolved.', before);
  const values: Record<string, unknown> = Object.fromEntries(
    Object.entries({ whatHappened: 'The search index fell behind after a mapping change.', checkFirst: 'The indexing lag panel.', learned }).map(([field, value]) => {
      const id = REFLECTION_BLOCK[field as keyof typeof REFLECTION_BLOCK];
      return [id, { [id]: { type: 'plain_text_input', value } }];
    }),
  );
  values[GROWTH_BLOCK.share] = { [GROWTH_BLOCK.share]: { type: 'checkboxes', selected_options: [{ text: { type: 'plain_text', text: 'Share with my mentor' }, value: 'share' }] } };
  await submit(w, JONAS, { id: `V0DEMOREFL${incidentId}`, type: 'modal', callback_id: 'reflection_modal', private_metadata: JSON.stringify({ incidentId }), hash: '1' }, values);
}

export async function growthStory(w: World): Promise<void> {
  // 1. What Chen got on Wednesday, when Jonas saved his reflection.
  out.step(w.now(), 'The growth path: from watching to the next role');
  out.para("Every learner is on a growth path: observer, scribe, investigator, lead shadow. Jonas's first fire was as an observer. When he saved his reflection on Wednesday (with \"Share with my mentor\" ticked, the default), his mentor got it by DM:");
  const reflectionDm = await dmContaining(w, CHEN, 'wrote a reflection on');
  show(w, CHEN, reflectionDm);

  // 2. The debrief nudge, due the next working morning in Chen's zone (Thursday 09:00).
  out.para('The next working morning in his time zone, the debrief-nudge job reminds him to debrief each learner he has not replied to yet (the job runs every minute; the demo runs it now):');
  await w.app.deps.jobs.send(DEBRIEF_JOB, {});
  await waitUntil(async () => (await w.app.deps.db.delivery.findFirst({ where: { kind: DEBRIEF_JOB, status: { in: ['sent', 'skipped', 'failed'] } } })) !== null, 'the debrief nudge');
  show(w, CHEN, await dmContaining(w, CHEN, 'Good morning.'));

  // 3. She replies; the reply reaches Jonas and is kept with his learning.
  out.line('  @Chen clicks [ Reply ] and writes in the form that opens:');
  await press(w, CHEN, reflectionDm, ACTION.mentorReply, 'mentor-reply');
  await waitUntil(() => w.emulator.openedViews.at(-1)?.callback_id === 'mentor_reply_modal', 'the reply form');
  const replyForm = w.emulator.openedViews.at(-1)! as unknown as Record<string, unknown>;
  const before = dmsTo(w, JONAS).length;
  await submit(w, CHEN, replyForm, { [GROWTH_BLOCK.text]: { [GROWTH_BLOCK.text]: { type: 'plain_text_input', value: 'Good instinct on EXPLAIN. Next time, say it in the channel: the lead would have wanted to hear it.' } } });
  show(w, JONAS, await dmContaining(w, JONAS, 'replied to your reflection', before));

  // 4. "Ready for the next step" after one fire: the rules say what is missing.
  out.line('  She clicks [ Ready for the next step ]; after one fire the rules are not met yet, and nothing is recorded:');
  const early = await press(w, CHEN, reflectionDm, ACTION.stageReady, 'ready-early');
  await w.responses.waitFor(early + 1, STEP_TIMEOUT_MS);
  out.para(messageText(w.responses.received[early]!.body as { text?: string }, w.names, sampleEngineer(CHEN).tz, true), '    │ ');

  // 5. A second fire as an observer, a second reflection, and his confirmation.
  w.setTime(new Date('2026-11-30T09:30:00Z'));
  out.step(w.now(), "@Marta creates #inc-search-lag: Jonas's second fire");
  const second = await fire(w, 'inc-search-lag');
  show(w, JONAS, await dmContaining(w, JONAS, `Welcome to <#${second.channelId}>`));
  w.setTime(new Date('2026-11-30T10:30:00Z'));
  await resolveAndReflect(w, second.channelId, second.incidentId, 'Reindexing runs in the background; the lag panel shows when it catches up.');
  const secondDm = await dmContaining(w, CHEN, `wrote a reflection on <#${second.channelId}>`);
  out.para('Resolved, reflected on and shared. Two fires as an observer, each with a reflection: @Chen clicks [ Ready for the next step ] in the new DM.');
  const before2 = dmsTo(w, JONAS).length;
  const ready = await press(w, CHEN, secondDm, ACTION.stageReady, 'ready');
  await w.responses.waitFor(ready + 1, STEP_TIMEOUT_MS);
  out.para(messageText(w.responses.received[ready]!.body as { text?: string }, w.names, sampleEngineer(CHEN).tz, true), '    │ ');
  show(w, JONAS, await dmContaining(w, JONAS, 'says you are ready for the next step', before2));

  // 6. The third fire: the welcome DM gives him his new role.
  w.setTime(new Date('2026-12-03T09:00:00Z'));
  out.step(w.now(), "@Marta creates #inc-api-errors: Jonas's third fire, as the scribe");
  const third = await fire(w, 'inc-api-errors');
  show(w, JONAS, await dmContaining(w, JONAS, `Welcome to <#${third.channelId}>`));
  out.para('`npm run growth -- --user U0JONAS01` prints his whole record for a review: fires by role and stage, reflections, replies, stage changes.');
}
