/** What a test or demo sees of the emulated workspace: the shapes it is seeded with and reads back. */

export interface EmulatedUser {
  id: string;
  name: string;
  real_name?: string;
  email?: string;
  /** IANA zone, default 'UTC' */
  tz?: string;
  is_bot?: boolean;
  deleted?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  is_app_user?: boolean;
  /**
   * Outside Enterprise Grid, a team_id different from the workspace's = external Slack Connect user.
   * On Grid (the emulator's `enterpriseId`), it is only the member's home workspace (FACTS.md section 10).
   */
  team_id?: string;
  /** Enterprise Grid: the organisation the person belongs to (default: the emulator's own); another one = external */
  enterprise_id?: string;
  /** someone from another organisation the app can see without sharing a channel with them */
  is_stranger?: boolean;
  /** invited to the workspace, never signed in */
  is_invited_user?: boolean;
  /** for an app's bot user (is_bot): its bot id, shown as profile.bot_id */
  bot_id?: string;
  /** the custom status (profile.status_text, status_emoji like `:palm_tree:`, status_expiration in Unix seconds, 0 = never) */
  status_text?: string;
  status_emoji?: string;
  status_expiration?: number;
}

/** A user group (a `@handle` people mention), as usergroups.list describes it. */
export interface EmulatedUserGroup {
  id: string;
  handle: string;
  name: string;
  users: string[];
  /** disabled groups are listed only with include_disabled */
  disabled?: boolean;
  /** when its members last changed (epoch seconds) */
  dateUpdate?: number;
}

export interface EmulatedChannel {
  id: string;
  name: string;
  is_private: boolean;
  is_archived: boolean;
  creator: string;
  created: number;
  members: Set<string>;
  /** team ids of other organisations this channel is shared with (Slack Connect) */
  external_teams?: string[];
  /** when it was archived (Unix seconds); the channel's `updated` is then that moment */
  archived_at?: number;
  /** conversations.info `topic.value` and `purpose.value` ('' when unset) */
  topic?: string;
  purpose?: string;
}

export interface RecordedCall {
  seq: number;
  method: string;
  args: Record<string, unknown>;
  status: number;
  response: unknown;
  /** Date.now() when the response was sent */
  at: number;
  /** Date.now() when the request arrived (before any emulated latency) */
  receivedAt: number;
}

/**
 * Emitted as 'effect' after a call has been applied to the workspace and before its response
 * leaves, so a test can stop the caller in the window where Slack did something the caller
 * never heard about (e.g. kill the app with SIGKILL from the listener).
 */
export interface AppliedCall {
  method: string;
  args: Record<string, unknown>;
  status: number;
  response: unknown;
}

export type FaultRule = {
  method: string | '*';
  /** how many calls it applies to (default 1); Infinity allowed */
  times?: number;
  /** HTTP-level fault; 429 sets Retry-After and body {"ok":false,"error":"ratelimited"} */
  status?: 429 | 500 | 503;
  /** default 1 */
  retryAfterSeconds?: number;
  /** ok:false platform error instead (HTTP 200), e.g. 'user_is_restricted' */
  error?: string;
  /** only calls whose args match */
  when?: (args: Record<string, unknown>) => boolean;
  /** 0..1, applied randomly using the emulator's seeded PRNG */
  probability?: number;
  /**
   * Only the first request of every Nth page of a cursor-paged listing (users.list,
   * conversations.list, conversations.members, conversations.history): pages are numbered in the
   * order their cursors are first asked for, per method and arguments other than the cursor, so a
   * retry of the same page (same cursor) is answered, and a listing restarted from page one is not
   * faulted again on pages it already had.
   */
  everyNthPage?: number;
};

export interface EmulatedMessage {
  channel: string;
  text?: string;
  blocks?: unknown;
  ts: string;
  user?: string;
  thread_ts?: string;
  /** chat.postMessage `metadata` ({event_type, event_payload}), when given */
  metadata?: unknown;
  /** a system message's subtype, e.g. `channel_convert_to_private`, or `bot_message` */
  subtype?: string;
  /** another app's or integration's bot (postAs): its bot id, instead of this app's */
  bot_id?: string;
  /** a `bot_message`'s display name (chat.postMessage.success.json: "username": "ecto1") */
  username?: string;
  /**
   * Who wrote it, when not the app: a member (`postAs` with a user: no bot_id, as Slack lists a
   * person's message) or another integration (`bot_message` with its own bot_id, e.g. a pager).
   */
  author?: { kind: 'member' } | { kind: 'bot'; botId: string; username: string };
}

/** An item pinned to a channel (pins.list): only messages are emulated. */
export interface EmulatedPin {
  channel: string;
  /** the pinned message's ts */
  ts: string;
  created: number;
  created_by: string;
}

/** A channel bookmark (bookmarks.list): Slack's API adds only the `link` type. */
export interface EmulatedBookmark {
  id: string;
  channel_id: string;
  title: string;
  link: string;
  emoji: string | null;
  date_created: number;
  last_updated_by_user_id: string;
}

export interface EmulatedEphemeral {
  channel: string;
  user: string;
  text?: string;
  blocks?: unknown;
  message_ts: string;
}

export type SlackView = Record<string, unknown> & { id: string; type: string };

/** A file uploaded through files.getUploadURLExternal and the upload URL; shared once completed. */
export interface EmulatedFile {
  id: string;
  filename: string;
  length: number;
  title: string;
  bytes: Buffer | null;
  channel: string | null;
  initialComment: string | null;
  completed: boolean;
}

export interface SlackEmulatorOptions {
  teamId?: string;
  /** Enterprise Grid: the organisation's id (`E…`), returned by auth.test and on every user as `enterprise_user` */
  enterpriseId?: string;
  teamName?: string;
  teamDomain?: string;
  botUserId?: string;
  botId?: string;
  botName?: string;
  appId?: string;
  botToken?: string;
  seed?: number;
  latencyMs?: number;
  /** 'tiers': each method's Slack rate limit (src/dev/slack-emulator/tiers.ts), answered with HTTP 429 and Retry-After. Off by default. */
  rateLimits?: 'off' | 'tiers';
  /** with rateLimits 'tiers': windows last 1/timeScale of Slack's (60: a minute lasts a second). Default 1 */
  timeScale?: number;
  /**
   * The bot scopes the app was granted. Unset: every scope. Set: a method whose scope is missing
   * answers `missing_scope` with `needed` and `provided`, as Slack does (methods/scopes.ts).
   */
  scopes?: string[];
}

/** Defaults shared with SlackSender so that envelopes and the emulator agree out of the box. */
export const SLACK_EMULATOR_DEFAULTS = {
  teamId: 'T0SMOKE001',
  teamName: 'Smokejumper Test',
  teamDomain: 'smokejumper-test',
  botUserId: 'U0SMOKEBOT',
  botId: 'B0SMOKEBOT',
  botName: 'smokejumper',
  appId: 'A0SMOKEAPP',
  botToken: 'xoxb-emulator-0000-smokejumper',
} as const;

export const SLACKBOT_USER_ID = 'USLACKBOT';

/** A trigger_id opens a modal for 3 seconds after the click (FACTS.md section 8), then `expired_trigger_id`. */
export const TRIGGER_TTL_MS = 3_000;
