import type { WebClient } from '@slack/web-api';
import type { SlackEmulator } from '../../../../src/dev/slack-emulator';
import { PUBLISH_VIEW_KEYS, rejection, useStartedEmulator } from './support';

describe('SlackEmulator: views', () => {
  let emu: SlackEmulator;
  let client: WebClient;
  useStartedEmulator((started) => ({ emu, client } = started));

  const home = { type: 'home' as const, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Welcome' } }] };

  it('views.publish stores the latest home view per user, shaped like the fixture', async () => {
    const first = await client.views.publish({ user_id: 'U0ALICE', view: home });
    expect(Object.keys(first.view ?? {})).toEqual(expect.arrayContaining(PUBLISH_VIEW_KEYS));
    expect(first.view).toMatchObject({ type: 'home', app_id: 'A0SMOKEAPP', bot_id: 'B0SMOKEBOT', team_id: emu.teamId, blocks: home.blocks });
    const second = await client.views.publish({ user_id: 'U0ALICE', view: { type: 'home', blocks: [] } });
    expect(second.view?.id).toBe(first.view?.id);
    expect(emu.homeViewOf('U0ALICE')?.blocks).toEqual([]);
    expect(emu.homeViewOf('U0BOB')).toBeUndefined();
  });

  it('views.publish answers invalid_arguments like the fixture for unknown users or wrong view types', async () => {
    const err = await rejection(client.views.publish({ user_id: 'U0NOPE', view: home }));
    expect(err.data).toMatchObject({ ok: false, error: 'invalid_arguments', response_metadata: { messages: ['invalid `user_id`'] } });
    const wrongType = await rejection(client.views.publish({ user_id: 'U0ALICE', view: { ...home, type: 'modal' } as never }));
    expect(wrongType.data.error).toBe('invalid_arguments');
  });

  it('views.open requires a trigger_id and records opened modals', async () => {
    const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Volunteer' }, blocks: [], callback_id: 'volunteer' };
    const err = await rejection(client.views.open({ trigger_id: '', view: modal }));
    expect(err.data.error).toBe('invalid_trigger_id');
    expect((await rejection(client.views.open({ trigger_id: '123.456.abc', view: modal }))).data.error).toBe('invalid_trigger_id');
    const res = await client.views.open({ trigger_id: emu.issueTrigger(), view: { ...modal, external_id: 'vol-1' } });
    expect(res.view).toMatchObject({ type: 'modal', callback_id: 'volunteer', title: modal.title, external_id: 'vol-1' });
    expect(emu.openedViews.map((v) => v.id)).toEqual([res.view?.id]);

    const byExternal = await client.views.update({ external_id: 'vol-1', view: { ...modal, blocks: [{ type: 'divider' }] } });
    expect(byExternal.view?.id).toBe(res.view?.id);
    const byId = await client.views.update({ view_id: res.view?.id ?? '', view: modal, hash: byExternal.view?.hash });
    expect(byId.view?.blocks).toEqual([]);
    const stale = await rejection(client.views.update({ view_id: res.view?.id ?? '', view: modal, hash: byExternal.view?.hash }));
    expect(stale.data.error).toBe('hash_conflict');
    expect((await rejection(client.views.update({ view_id: 'V0NOPE', view: modal }))).data.error).toBe('not_found');
  });
  it('views.open answers expired_trigger_id for a trigger older than 3 seconds', async () => {
    const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Reflection' }, blocks: [] };
    const stale = emu.issueTrigger(Date.now() - 3_001);
    expect((await rejection(client.views.open({ trigger_id: stale, view: modal }))).data.error).toBe('expired_trigger_id');
    const fresh = emu.issueTrigger(Date.now() - 2_500);
    await expect(client.views.open({ trigger_id: fresh, view: modal })).resolves.toMatchObject({ ok: true });
    expect(emu.openedViews).toHaveLength(1);
  });
});
