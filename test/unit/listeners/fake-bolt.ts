import { Writable } from 'node:stream';
import type { Deps } from '../../../src/deps';
import { settleAfterAck } from '../../../src/listeners/after-ack';
import { createLogger } from '../../../src/log';

/**
 * What a listener gets from Bolt, played by plain functions that record the order of the calls:
 * no App, no HTTP. The deps are the few a listener reaches before a flow takes over; anything else
 * (the database, Slack) fails as if it were down, so the throw branches run.
 */
export interface LogLine {
  level: string;
  msg: string;
  reference?: string;
  code?: string;
  err?: { message: string };
  [key: string]: unknown;
}

export function fakeDeps(overrides: Partial<Record<keyof Deps, unknown>> = {}) {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as LogLine);
      done();
    },
  });
  const down = (what: string) =>
    new Proxy({}, {
      get(_target, property) {
        if (property === 'then') return undefined;
        throw new Error(`${what} is down (${String(property)})`);
      },
    });
  const deps = {
    config: { adminUserIds: new Set(['UADMIN1']), workingTime: { days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1080 } },
    db: down('the database'),
    slack: down('Slack'),
    log: createLogger('info', stream),
    clock: () => new Date('2026-11-18T10:00:00Z'),
    ...overrides,
  } as unknown as Deps;
  return { deps, lines };
}

/** ack, respond and the Bolt body, recording each call in `calls` in the order they happened. */
export function fakeBolt() {
  const calls: Array<{ fn: 'ack' | 'respond'; arg: unknown }> = [];
  const ack = jest.fn(async (arg?: unknown) => {
    calls.push({ fn: 'ack', arg });
  });
  const respond = jest.fn(async (arg: unknown) => {
    calls.push({ fn: 'respond', arg });
  });
  return { calls, ack, respond };
}

export function buttonBody(user: string, actionId: string, value: string, extra: Record<string, unknown> = {}) {
  const action = { type: 'button', action_id: actionId, block_id: 'b', value, text: { type: 'plain_text', text: 'x' }, action_ts: '1' };
  return {
    action,
    body: { type: 'block_actions', user: { id: user, name: 'u', team_id: 'T1' }, team: { id: 'T1' }, api_app_id: 'A1', token: 't', trigger_id: '1.2.3', response_url: 'https://hooks.slack.test/r', actions: [action], container: {}, ...extra },
  };
}

/** Waits for the work the listener left for after the acknowledgement. */
export const afterAckDone = settleAfterAck;

/** The failure line and the reference the person was shown must be the same one. */
export function referenceIn(text: string): string | undefined {
  return /reference ([0-9a-f]{8})/.exec(text)?.[1];
}

/** A button pressed: the listener made from fake deps gets Bolt's arguments; resolves once the work after the ack is done. */
export async function press(
  listener: (deps: Deps) => (args: never) => Promise<void>,
  button: { user: string; actionId: string; value: string; extra?: Record<string, unknown> },
  overrides: Partial<Record<keyof Deps, unknown>> = {},
) {
  const { deps, lines } = fakeDeps(overrides);
  const { ack, respond, calls } = fakeBolt();
  const { body, action } = buttonBody(button.user, button.actionId, button.value, button.extra);
  await listener(deps)({ ack, body, action, respond } as never);
  await afterAckDone();
  return { lines, ack, respond, calls, told: () => respond.mock.calls.map((c) => c[0] as { text: string; replace_original?: boolean }) };
}
