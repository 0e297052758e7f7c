import type { EmulatedEphemeral, EmulatedMessage } from '../types';
import type { Methods, Workspace } from '../state';
import { fail, isObject, ok, str, type Args, type Body } from '../wire';

/** Slack takes up to 50 blocks in a message. */
const MAX_MESSAGE_BLOCKS = 50;

function messageContentError(args: Args): string | undefined {
  const hasText = (str(args, 'text') ?? '') !== '';
  const blocks = args.blocks;
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  const hasAttachments = Array.isArray(args.attachments) && args.attachments.length > 0;
  if (!hasText && !hasBlocks && !hasAttachments) return 'no_text';
  if (blocks !== undefined && !Array.isArray(blocks)) return 'invalid_blocks_format';
  if (Array.isArray(blocks) && blocks.length > MAX_MESSAGE_BLOCKS) return 'invalid_blocks';
  return undefined;
}

/** chat.postMessage `metadata`: an object with a string event_type and an object event_payload. */
function metadataFormatError(metadata: unknown): string | undefined {
  if (metadata === undefined) return undefined;
  if (!isObject(metadata) || typeof metadata.event_type !== 'string' || metadata.event_type === '' || !isObject(metadata.event_payload)) {
    return 'invalid_metadata_format';
  }
  return undefined;
}

/** A message as chat.* returns it and conversations.history lists it. */
export function messageJson(ws: Workspace, m: EmulatedMessage): Body {
  if (m.bot_id !== undefined) return otherBotJson(ws, m);
  const body: Body = { user: m.user ?? ws.botUserId, type: 'message', ts: m.ts, text: m.text ?? '', team: ws.teamId };
  // Only this app's own messages carry its bot and app ids; a person's message has neither.
  if (body.user === ws.botUserId) Object.assign(body, { bot_id: ws.botId, app_id: ws.appId });
  if (m.blocks !== undefined) body.blocks = m.blocks;
  if (m.thread_ts !== undefined) body.thread_ts = m.thread_ts;
  if (m.metadata !== undefined) body.metadata = m.metadata;
  if (m.subtype !== undefined) body.subtype = m.subtype;
  // A system message, or one a member wrote (Workspace.say), is the member's, not the app's.
  if (m.subtype !== undefined || (m.user !== undefined && m.user !== ws.botUserId)) {
    delete body.bot_id;
    delete body.app_id;
  }
  if (m.author?.kind === 'member') {
    delete body.bot_id;
    delete body.app_id;
  } else if (m.author?.kind === 'bot') {
    // Slack's shape for an integration's post (docs: message subtype bot_message): bot_id and username, no user.
    body.subtype = 'bot_message';
    body.bot_id = m.author.botId;
    body.username = m.author.username;
    delete body.user;
    delete body.app_id;
  }
  return body;
}

/**
 * Another app's message (postAs with a bot_id). With a bot user it is an ordinary message carrying
 * `bot_id` (an app such as an incident tool); without one it is a `bot_message` with a `username`
 * and no `user`, as docs.slack.dev/examples/chat.postMessage.success.json shows.
 */
function otherBotJson(ws: Workspace, m: EmulatedMessage): Body {
  const body: Body = { type: 'message', ts: m.ts, bot_id: m.bot_id, text: m.text ?? '', team: ws.teamId };
  if (m.user !== undefined) body.user = m.user;
  if (m.subtype !== undefined) body.subtype = m.subtype;
  if (m.username !== undefined) body.username = m.username;
  if (m.blocks !== undefined) body.blocks = m.blocks;
  return body;
}

function resolveChannelExists(ws: Workspace, id: string): boolean {
  return ws.userByIm.has(id) || ws.visibleChannel(id) !== undefined;
}

export const chatMethods: Methods = {
  'chat.postMessage': (ws, args) => {
    const target = ws.resolveWritableChannel(str(args, 'channel'));
    if ('error' in target) return fail(target.error);
    const contentError = messageContentError(args);
    if (contentError) return fail(contentError);
    const metadataError = metadataFormatError(args.metadata);
    if (metadataError) return fail(metadataError);
    const message: EmulatedMessage = { channel: target.channel, ts: ws.nextTs(), user: ws.botUserId };
    if (args.metadata !== undefined) message.metadata = args.metadata;
    const text = str(args, 'text');
    if (text !== undefined) message.text = text;
    if (args.blocks !== undefined) message.blocks = args.blocks;
    const threadTs = str(args, 'thread_ts');
    if (threadTs) message.thread_ts = threadTs;
    ws.messages.push(message);
    return ok({ channel: message.channel, ts: message.ts, message: messageJson(ws, message) });
  },

  'chat.update': (ws, args) => {
    const channel = str(args, 'channel');
    const ts = str(args, 'ts');
    const message = ws.messages.find((m) => m.channel === channel && m.ts === ts);
    if (!message) return fail(channel && resolveChannelExists(ws, channel) ? 'message_not_found' : 'channel_not_found');
    const contentError = messageContentError(args);
    if (contentError) return fail(contentError);
    const text = str(args, 'text');
    if (text !== undefined) message.text = text;
    if (args.blocks !== undefined) message.blocks = args.blocks;
    return ok({ channel: message.channel, ts: message.ts, text: message.text ?? '', message: messageJson(ws, message) });
  },

  'chat.postEphemeral': (ws, args) => {
    const userId = str(args, 'user') ?? '';
    const target = ws.resolveWritableChannel(str(args, 'channel'));
    if ('error' in target) return fail(target.error);
    const c = ws.channels.get(target.channel);
    const imOwner = ws.userByIm.get(target.channel);
    const userThere = c ? c.members.has(userId) : imOwner === userId;
    if (!ws.users.has(userId) || !userThere) return fail('user_not_in_channel');
    const contentError = messageContentError(args);
    if (contentError) return fail(contentError);
    const ephemeral: EmulatedEphemeral = { channel: target.channel, user: userId, message_ts: ws.nextTs() };
    const text = str(args, 'text');
    if (text !== undefined) ephemeral.text = text;
    if (args.blocks !== undefined) ephemeral.blocks = args.blocks;
    ws.ephemerals.push(ephemeral);
    return ok({ message_ts: ephemeral.message_ts });
  },
};
