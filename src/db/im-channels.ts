import type { Tx } from './tx';

/**
 * The app's IM with each person (SPEC.md section 8). DMs are posted to the user id, so this is
 * only read when a worker takes over a DM that may have gone out: it looks for it in this IM.
 */
export async function findImChannel(db: Tx, userId: string): Promise<string | null> {
  const row = await db.imChannel.findUnique({ where: { userId }, select: { channelId: true } });
  return row?.channelId ?? null;
}

/** Records the IM Slack answered a DM with; a no-op when it is the one already recorded. */
export async function rememberImChannel(db: Tx, userId: string, channelId: string): Promise<void> {
  await db.$executeRaw`
    INSERT INTO im_channels (user_id, channel_id) VALUES (${userId}, ${channelId})
    ON CONFLICT (user_id) DO UPDATE SET channel_id = EXCLUDED.channel_id, updated_at = now()
    WHERE im_channels.channel_id IS DISTINCT FROM EXCLUDED.channel_id`;
}

/** The two functions as the gateway's ImDirectory. */
export function imDirectory(db: Tx): { find(userId: string): Promise<string | null>; remember(userId: string, channelId: string): Promise<void> } {
  return { find: (userId) => findImChannel(db, userId), remember: (userId, channelId) => rememberImChannel(db, userId, channelId) };
}
