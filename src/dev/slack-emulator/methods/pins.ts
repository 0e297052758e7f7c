import type { Methods } from '../state';
import { fail, ok, str } from '../wire';
import { messageJson } from './chat';

/**
 * pins.list and bookmarks.list, as docs.slack.dev/reference/methods/pins.list and bookmarks.list
 * show them (test/fixtures/slack/docs.slack.dev/examples/pins.list.success.json,
 * bookmarks.list.success.json). Both need the bot to see the channel; a private channel it is not
 * in is `channel_not_found`. pins.list is Tier 2, bookmarks.list Tier 3.
 */
export const pinsMethods: Methods = {
  'pins.list': (ws, args) => {
    const id = str(args, 'channel');
    const c = ws.visibleChannel(id);
    if (!c) return fail('channel_not_found');
    const items = ws.pins
      .filter((p) => p.channel === c.id)
      // newest pin first; pins within one second in the reverse order they were made
      .reverse()
      .sort((a, b) => b.created - a.created)
      .flatMap((p) => {
        const m = ws.messages.find((x) => x.channel === c.id && x.ts === p.ts);
        if (!m) return [];
        const message = { ...messageJson(ws, m), permalink: `https://${ws.teamDomain}.slack.com/archives/${c.id}/p${m.ts.replace('.', '')}`, pinned_to: [c.id] };
        return [{ type: 'message', channel: c.id, created: p.created, created_by: p.created_by, message }];
      });
    return ok({ items });
  },

  'bookmarks.list': (ws, args) => {
    const id = str(args, 'channel_id');
    const c = ws.visibleChannel(id);
    if (!c) return fail('channel_not_found');
    const bookmarks = ws.bookmarks
      .filter((b) => b.channel_id === c.id)
      .map((b, i) => ({
        ...b,
        icon_url: null,
        type: 'link',
        entity_id: null,
        date_updated: 0,
        rank: String.fromCharCode(103 + i),
        last_updated_by_team_id: ws.teamId,
        shortcut_id: null,
        app_id: null,
      }));
    return ok({ bookmarks });
  },
};
