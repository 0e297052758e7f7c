import { settleAfterAck } from '../../src/listeners/after-ack';
import { pressHomeButton, startHarness, waitUntil, person, type Harness } from '../helpers/harness';

const team = [person('U0JUNIOR1', 'Jo'), person('U0JUNIOR2', 'Kim'), person('U0GUEST01', 'Gus', 'Europe/Berlin', { is_restricted: true })];

interface Blockish {
  type: string;
  block_id?: string;
  text?: { text: string };
  accessory?: { action_id: string; value: string; text: { text: string } };
}

describe('the Home tab, end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ users: team });
  });
  afterAll(async () => h?.stop());

  const db = () => h.app.deps.db;
  const engineer = (slackId: string) => db().engineer.findUniqueOrThrow({ where: { slackId } });
  const publishes = (user: string) => h.emulator.callsTo('views.publish').filter((c) => c.args.user_id === user && c.status === 200).length;
  const blocks = (user: string) => (h.emulator.homeViewOf(user)?.blocks ?? []) as Blockish[];
  const block = (user: string, id: string) => blocks(user).find((b) => b.block_id === id);
  const buttonOf = (user: string, id: string) => {
    const b = block(user, id)?.accessory;
    return b ? [b.text.text, b.action_id, b.value] : null;
  };

  /** app_home_opened as Slack sends it (see captured/…/SlackWebhookEvent_app_home_opened_home.json). */
  async function openHome(user: string, tab: 'home' | 'messages' = 'home') {
    const res = await h.sender.event({ type: 'app_home_opened', user, channel: 'D0442US94JD', tab });
    expect(res.status).toBe(200);
    return res;
  }

  const press = (user: string, actionId: string, value: string) => pressHomeButton(h, user, actionId, value);

  it('publishes the Home tab when it is opened, with the person\'s stats and switches', async () => {
    await openHome('U0JUNIOR1');
    await waitUntil(() => publishes('U0JUNIOR1') === 1, 'the home tab');
    expect(h.emulator.homeViewOf('U0JUNIOR1')!.type).toBe('home');
    expect(buttonOf('U0JUNIOR1', 'home_volunteer')).toEqual(['Volunteer for 8h', 'home_toggle_volunteer', 'on']);
    expect(buttonOf('U0JUNIOR1', 'home_optout')).toEqual(['Opt out', 'home_toggle_optout', 'optout']);
    expect(buttonOf('U0JUNIOR1', 'home_digest')).toEqual(['Turn off', 'home_toggle_digest', 'off']);
    expect(blocks('U0JUNIOR1').some((b) => b.text?.text === '*Fires joined*\nThis week: *0* · last 4 weeks: *0* · all time: *0*\nAs: none yet')).toBe(true);
    // Not an incident event: it is answered, not stored.
    expect(await db().slackEvent.count({ where: { type: 'app_home_opened' } })).toBe(0);
  });

  it('publishes nothing when the Messages tab is opened', async () => {
    await openHome('U0JUNIOR2', 'messages');
    await settleAfterAck();
    expect(publishes('U0JUNIOR2')).toBe(0);
  });

  it('publishes a Home tab opened ten times at once only once, plus at most one refresh', async () => {
    await Promise.all(Array.from({ length: 10 }, () => openHome('U0JUNIOR2')));
    await settleAfterAck();
    // One publish in flight and one waiting at most: the waiting one shows the latest state.
    expect(publishes('U0JUNIOR2')).toBeGreaterThanOrEqual(1);
    expect(publishes('U0JUNIOR2')).toBeLessThanOrEqual(2);
    expect(h.emulator.homeViewOf('U0JUNIOR2')!.type).toBe('home');
  });

  it('switches volunteering, opt-out and digest, and publishes the tab again after each', async () => {
    const before = h.app.deps.clock().getTime();
    await press('U0JUNIOR1', 'home_toggle_volunteer', 'on');
    await waitUntil(() => publishes('U0JUNIOR1') === 2, 'the tab after volunteering');
    expect((await engineer('U0JUNIOR1')).volunteerUntil!.getTime()).toBeGreaterThanOrEqual(before + 8 * 3_600_000);
    expect(buttonOf('U0JUNIOR1', 'home_volunteer')).toEqual(['Stop volunteering', 'home_toggle_volunteer', 'off']);
    expect(block('U0JUNIOR1', 'home_volunteer')!.text!.text).toMatch(/^:raised_hand: \*Volunteering\* until <!date\^/);

    await press('U0JUNIOR1', 'home_toggle_optout', 'optout');
    await waitUntil(() => publishes('U0JUNIOR1') === 3, 'the tab after opting out');
    expect((await engineer('U0JUNIOR1')).optedOut).toBe(true);
    expect(buttonOf('U0JUNIOR1', 'home_optout')).toEqual(['Invite me again', 'home_toggle_optout', 'optin']);

    await press('U0JUNIOR1', 'home_toggle_digest', 'off');
    await waitUntil(() => publishes('U0JUNIOR1') === 4, 'the tab after the digest switch');
    expect((await engineer('U0JUNIOR1')).digestOff).toBe(true);
    expect(buttonOf('U0JUNIOR1', 'home_digest')).toEqual(['Turn on', 'home_toggle_digest', 'on']);

    await press('U0JUNIOR1', 'home_toggle_volunteer', 'off');
    await waitUntil(() => publishes('U0JUNIOR1') === 5, 'the tab after stopping');
    expect((await engineer('U0JUNIOR1')).volunteerUntil).toBeNull();
    expect(buttonOf('U0JUNIOR1', 'home_volunteer')).toEqual(['Volunteer for 8h', 'home_toggle_volunteer', 'on']);
  });

  it('a stale button (pressed twice) keeps the state it names instead of flipping back', async () => {
    await press('U0JUNIOR1', 'home_toggle_optout', 'optin');
    await press('U0JUNIOR1', 'home_toggle_optout', 'optin');
    await waitUntil(() => publishes('U0JUNIOR1') === 7, 'both publishes');
    expect((await engineer('U0JUNIOR1')).optedOut).toBe(false);
  });

  it('ignores a switch value this app never made, changing nothing', async () => {
    const calls = publishes('U0JUNIOR1');
    await press('U0JUNIOR1', 'home_toggle_digest', 'maybe');
    await settleAfterAck();
    expect(publishes('U0JUNIOR1')).toBe(calls);
    expect((await engineer('U0JUNIOR1')).digestOff).toBe(true);
  });

  it('looks up someone not synced yet, and shows guests that there is nothing to switch', async () => {
    h.emulator.addUser(person('U0NEWHIRE', 'Nia'));
    await openHome('U0NEWHIRE');
    await waitUntil(() => publishes('U0NEWHIRE') === 1, 'the new hire\'s tab');
    expect(buttonOf('U0NEWHIRE', 'home_volunteer')).toEqual(['Volunteer for 8h', 'home_toggle_volunteer', 'on']);
    expect(await db().engineer.count({ where: { slackId: 'U0NEWHIRE' } })).toBe(1);

    await openHome('U0GUEST01');
    await waitUntil(() => publishes('U0GUEST01') === 1, 'the guest\'s tab');
    expect(blocks('U0GUEST01').map((b) => b.text?.text)).toContain('Smokejumper brings engineers of this workspace to incidents to learn. Guests and external people are not invited, so there is nothing to switch here.');
    expect(block('U0GUEST01', 'home_volunteer')).toBeUndefined();
  });
});
