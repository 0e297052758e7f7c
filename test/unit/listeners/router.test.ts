import { App } from '@slack/bolt';
import { ListenerRouter } from '../../../src/listeners/router';

/** The listener router: one Bolt listener per kind, dispatching by id (BENCHMARKS.md, ack). */
function boltApp(): App {
  return new App({ signingSecret: 'secret', authorize: async () => ({ botToken: 'xoxb-test', botId: 'B1', botUserId: 'U1' }) });
}

const button = (actionId: string) => ({
  body: {
    type: 'block_actions',
    team: { id: 'T1' },
    user: { id: 'U2' },
    api_app_id: 'A1',
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value: 'v', action_ts: '1.2' }],
  },
  ack: async () => undefined,
});

describe('ListenerRouter', () => {
  it('installs one Bolt listener for all buttons and one for all forms, and calls the handler of the id pressed', async () => {
    const app = boltApp();
    const router = new ListenerRouter(app);
    const pressed: string[] = [];
    for (const id of ['first_button', 'second.button']) {
      router.action(id, async ({ ack, action }) => {
        await ack();
        pressed.push(`${id}:${action.action_id}`);
      });
    }
    router.view('some_form', async ({ ack }) => ack());
    router.install();
    // Bolt keeps its listeners in a private array: two here, whatever the number of ids.
    expect((app as unknown as { listeners: unknown[] }).listeners).toHaveLength(2);

    await app.processEvent(button('second.button') as never);
    await app.processEvent(button('first_button') as never);
    // An id nobody registered, and one the pattern must not match by accident ("." is not a wildcard).
    await app.processEvent(button('second_button') as never);
    expect(pressed).toEqual(['second.button:second.button', 'first_button:first_button']);
  });

  it('refuses two handlers for one id', () => {
    const router = new ListenerRouter(boltApp());
    router.action('same', async () => undefined);
    expect(() => router.action('same', async () => undefined)).toThrow('two listeners for the action same');
  });
});
