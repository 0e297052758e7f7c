/** Ledger keys of the incident's first effects; other flows wait on them (prompt 1 follows the welcome DM). */
export const inviteKey = (channelId: string, userId: string) => `invite:${channelId}:${userId}`;
export const introKey = (channelId: string) => `intro:${channelId}`;
export const welcomeKey = (channelId: string, userId: string) => `welcome-dm:${channelId}:${userId}`;
