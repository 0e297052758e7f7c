import type { EmulatedChannel } from '../types';
import type { Methods, Workspace } from '../state';
import { bool, fail, int, nowSec, ok, paginate, str, type Args, type Body, type Reply } from '../wire';
import { messageJson } from './chat';

/** A channel as conversations.info and conversations.list describe one (docs.slack.dev examples). */
function channelJson(ws: Workspace, c: EmulatedChannel, includeNumMembers = false): Body {
  const legacyGroup = c.id.startsWith('G');
  const teamIds = new Set([ws.teamId, ...(c.external_teams ?? [])]);
  for (const m of c.members) {
    const u = ws.users.get(m);
    if (u?.team_id) teamIds.add(u.team_id);
  }
  const body: Body = {
    id: c.id,
    name: c.name,
    is_channel: !legacyGroup,
    is_group: legacyGroup,
    is_im: false,
    is_mpim: false,
    is_private: c.is_private,
    created: c.created,
    is_archived: c.is_archived,
    is_general: false,
    unlinked: 0,
    name_normalized: c.name.toLowerCase(),
    is_shared: teamIds.size > 1,
    is_org_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    context_team_id: ws.teamId,
    // ms; nothing changes an archived channel after its archive, so that is its last update
    updated: c.is_archived && c.archived_at !== undefined ? c.archived_at * 1000 : Date.now(),
    parent_conversation: null,
    creator: c.creator,
    is_ext_shared: teamIds.size > 1,
    shared_team_ids: [...teamIds],
    pending_connected_team_ids: [],
    is_member: ws.botIsMember(c),
    topic: { value: c.topic ?? '', creator: c.topic ? c.creator : '', last_set: c.topic ? c.created : 0 },
    purpose: { value: c.purpose ?? '', creator: c.purpose ? c.creator : '', last_set: c.purpose ? c.created : 0 },
    previous_names: [...(ws.previousNames.get(c.id) ?? [])],
  };
  if (includeNumMembers) body.num_members = c.members.size;
  return body;
}

function imJson(ws: Workspace, imId: string, includeNumMembers = false): Body {
  const body: Body = {
    id: imId,
    created: nowSec(),
    is_im: true,
    is_org_shared: false,
    user: ws.userByIm.get(imId),
    last_read: '0000000000.000000',
    latest: null,
    unread_count: 0,
    unread_count_display: 0,
    is_open: true,
    priority: 0,
  };
  if (includeNumMembers) body.num_members = 2;
  return body;
}

function inviteErrorFor(ws: Workspace, c: EmulatedChannel, userId: string): string | undefined {
  const u = ws.users.get(userId);
  if (!u) return 'user_not_found';
  if (userId === ws.botUserId) return 'cant_invite_self';
  if (c.members.has(userId)) return 'already_in_channel';
  if (u.is_restricted || u.is_ultra_restricted) return 'user_is_restricted';
  return undefined;
}

function conversationsInvite(ws: Workspace, args: Args): Reply {
  const c = ws.visibleChannel(str(args, 'channel'));
  if (!c) return fail('channel_not_found');
  if (c.is_archived) return fail('is_archived');
  if (!ws.botIsMember(c)) return fail('not_in_channel');
  const userIds = [...new Set((str(args, 'users') ?? '').split(',').map((s) => s.trim()).filter(Boolean))];
  if (userIds.length === 0) return fail('no_user');

  const errors: Array<{ user: string; ok: false; error: string }> = [];
  const valid: string[] = [];
  for (const id of userIds) {
    const error = inviteErrorFor(ws, c, id);
    if (error) errors.push({ user: id, ok: false, error });
    else valid.push(id);
  }
  const force = bool(args, 'force');
  if (errors.length > 0 && (!force || valid.length === 0)) {
    return fail(errors[0].error, { errors });
  }
  // Deactivated users are skipped silently, as the conversations.invite docs describe.
  for (const id of valid) if (!ws.users.get(id)?.deleted) c.members.add(id);
  // With force=true Slack invites the valid users; we still report the skipped ones.
  return ok(errors.length > 0 ? { channel: channelJson(ws, c), errors } : { channel: channelJson(ws, c) });
}

/**
 * Newest first, top-level messages only (as Slack: thread replies live in conversations.replies).
 * `metadata` appears only with include_all_metadata. The bot must be in the channel; IMs always qualify.
 */
function conversationsHistory(ws: Workspace, args: Args): Reply {
  const id = str(args, 'channel');
  if (id === undefined || id === '') return fail('channel_not_found');
  if (!ws.userByIm.has(id)) {
    const c = ws.visibleChannel(id);
    if (!c) return fail('channel_not_found');
    if (!ws.botIsMember(c)) return fail('not_in_channel');
  }
  const inclusive = bool(args, 'inclusive');
  const oldest = Number(str(args, 'oldest') ?? '0') || 0;
  const latestArg = str(args, 'latest');
  const latest = latestArg === undefined || latestArg === '' ? Number.POSITIVE_INFINITY : Number(latestArg);
  const cursor = str(args, 'cursor');
  let before = Number.POSITIVE_INFINITY;
  if (cursor) {
    const decoded = Buffer.from(cursor, 'base64').toString('utf8');
    if (!decoded.startsWith('before:')) return fail('invalid_cursor');
    before = Number(decoded.slice('before:'.length));
  }
  const requested = int(args, 'limit');
  const limit = requested === undefined || requested <= 0 ? 100 : Math.min(requested, 999);
  const inRange = (ts: number) =>
    (inclusive ? ts >= oldest : ts > oldest) && (inclusive ? ts <= latest : ts < latest) && ts < before;
  const matching = ws.messages
    .filter((m) => m.channel === id && (m.thread_ts === undefined || m.thread_ts === m.ts) && inRange(Number(m.ts)))
    .sort((a, b) => Number(b.ts) - Number(a.ts));
  const page = matching.slice(0, limit);
  const hasMore = matching.length > limit;
  const withMetadata = bool(args, 'include_all_metadata');
  const messages = page.map((m) => {
    const body = messageJson(ws, m);
    if (!withMetadata) delete body.metadata;
    return body;
  });
  const last = page[page.length - 1];
  const nextCursor = hasMore && last ? Buffer.from(`before:${last.ts}`, 'utf8').toString('base64') : '';
  return ok({ messages, has_more: hasMore, pin_count: 0, channel_actions_ts: null, channel_actions_count: 0, response_metadata: { next_cursor: nextCursor } });
}

export const conversationsMethods: Methods = {
  'conversations.info': (ws, args) => {
    const id = str(args, 'channel');
    const withCount = bool(args, 'include_num_members');
    if (id !== undefined && ws.userByIm.has(id)) return ok({ channel: imJson(ws, id, withCount) });
    const c = ws.visibleChannel(id);
    return c ? ok({ channel: channelJson(ws, c, withCount) }) : fail('channel_not_found');
  },

  /**
   * conversations.list: `types` (default public_channel) picks public and/or private channels;
   * private ones only where the bot is a member; `exclude_archived`; cursor paging, `limit`
   * default 100 and under 1000 (docs.slack.dev/examples/conversations.list.success.json).
   */
  'conversations.list': (ws, args) => {
    const types = (str(args, 'types') ?? 'public_channel').split(',').map((t) => t.trim()).filter(Boolean);
    const known = ['public_channel', 'private_channel', 'mpim', 'im'];
    if (types.some((t) => !known.includes(t))) return fail('invalid_types');
    const limit = int(args, 'limit');
    if (limit !== undefined && (limit < 1 || limit >= 1000)) return fail('invalid_limit');
    const ids = [...ws.channels.values()]
      .filter((c) => (c.is_private ? types.includes('private_channel') && ws.botIsMember(c) : types.includes('public_channel')))
      .filter((c) => !(bool(args, 'exclude_archived') && c.is_archived))
      .map((c) => c.id);
    const result = paginate(ids, args, 100);
    if ('error' in result) return fail(result.error);
    return ok({ channels: result.page.map((id) => channelJson(ws, ws.requireChannel(id), true)), response_metadata: { next_cursor: result.nextCursor } });
  },

  'conversations.members': (ws, args) => {
    const id = str(args, 'channel');
    let members: string[];
    if (id !== undefined && ws.userByIm.has(id)) {
      members = [ws.userByIm.get(id) ?? '', ws.botUserId];
    } else {
      const c = ws.visibleChannel(id);
      if (!c) return fail('channel_not_found');
      members = [...c.members];
    }
    const result = paginate(members, args, 100);
    if ('error' in result) return fail(result.error);
    return ok({ members: result.page, response_metadata: { next_cursor: result.nextCursor } });
  },

  'conversations.join': (ws, args) => {
    const c = ws.visibleChannel(str(args, 'channel'));
    if (!c) return fail('channel_not_found');
    if (c.is_private) return fail('method_not_supported_for_channel_type');
    if (c.is_archived) return fail('is_archived');
    if (ws.botIsMember(c)) {
      return ok({
        channel: channelJson(ws, c),
        warning: 'already_in_channel',
        response_metadata: { warnings: ['already_in_channel'] },
      });
    }
    c.members.add(ws.botUserId);
    return ok({ channel: channelJson(ws, c) });
  },

  'conversations.invite': conversationsInvite,

  'conversations.open': (ws, args) => {
    const channelArg = str(args, 'channel');
    if (channelArg !== undefined && channelArg !== '') {
      return ws.userByIm.has(channelArg) ? ok({ channel: { id: channelArg } }) : fail('channel_not_found');
    }
    const userIds = (str(args, 'users') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (userIds.length === 0) return fail('users_list_not_supplied');
    if (userIds.length > 1) {
      return fail('method_not_supported_for_channel_type', { detail: 'SlackEmulator does not emulate MPIMs' });
    }
    const u = ws.users.get(userIds[0]);
    if (!u) return fail('user_not_found');
    if (u.deleted) return fail('user_disabled');
    const im = ws.ensureIm(u.id);
    const channel = bool(args, 'return_im') ? imJson(ws, im.id) : { id: im.id };
    return ok(im.existed ? { no_op: true, already_open: true, channel } : { channel });
  },

  'conversations.history': conversationsHistory,

};
