/** The world the story runs in: the database, the emulator, the running app and the demo's clock. */
import type { Config } from '../../config';
import type { Running } from '../../main';
import { SAMPLE_TEAM } from '../sample-team';
import type { EmulatedMessage, ResponseUrlSink, SlackEmulator } from '../slack-emulator';
import type { SlackSender } from '../slack-sender';
import { STEP_TIMEOUT_MS } from './script';
import type { Names } from './transcript';


export interface World {
  /** the `web` role: Slack's requests, /healthz; its deps reach the same database as the worker's */
  app: Running;
  /** the `worker` role: jobs and the event queue */
  worker: Running;
  config: Readonly<Config>;
  emulator: SlackEmulator;
  sender: SlackSender;
  responses: ResponseUrlSink;
  names: Names;
  /** moves the demo's clock to `time`; it stays there until the next step */
  setTime(time: Date): void;
  /** sets the clock to `time` and lets it tick on in real time from there */
  tickFrom(time: Date): void;
  now(): Date;
  /** the demo's clock in Unix seconds, for event_time and created */
  seconds(): number;
}

export async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs = STEP_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const dmsTo = (w: World, user: string): EmulatedMessage[] => (w.emulator.imOf(user) ? w.emulator.messagesTo(user) : []);

export function userName(emulator: SlackEmulator) {
  return (id: string) => {
    if (id === emulator.botUserId) return 'smokejumper';
    return SAMPLE_TEAM.find((p) => p.id === id)?.name ?? emulator.user(id)?.real_name ?? id;
  };
}

/** Slack confirms an invite with member_joined_channel; the demo sends it as Slack would. */
export async function slackSaysJoined(w: World, user: string, channel: string): Promise<void> {
  await w.sender.event({ type: 'member_joined_channel', user, channel, channel_type: 'C', team: w.emulator.teamId, inviter: w.emulator.botUserId }, { eventTime: w.seconds() });
}

export function interactionUser(w: World, id: string) {
  return { id, username: w.names.user(id).toLowerCase(), name: w.names.user(id).toLowerCase(), team_id: w.emulator.teamId };
}

export const triggerId = (n: number) => `398738663015.47445629121.${n.toString(16).padStart(32, '0')}`;

