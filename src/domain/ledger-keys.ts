/**
 * The keys of the once-only ledger (SPEC.md section 8), built here and nowhere else. A key names
 * one effect in Slack; it travels with the message as metadata, so that a worker taking over from
 * one that died can find the effect. Nothing parses a key: whoever needs its parts reads them from
 * the ledger row's columns, or builds the key again from them.
 */
export const inviteKey = (channelId: string, userId: string) => `invite:${channelId}:${userId}`;
export const introKey = (channelId: string) => `intro:${channelId}`;
export const welcomeKey = (channelId: string, userId: string) => `welcome-dm:${channelId}:${userId}`;
export const promptKey = (channelId: string, userId: string, number: number) => `prompt:${channelId}:${userId}:${number}`;
export const mentorDmKey = (channelId: string, mentorId: string, learnerId: string) => `mentor-dm:${channelId}:${mentorId}:${learnerId}`;
export const reflectionKey = (channelId: string, userId: string) => `reflection:${channelId}:${userId}`;
/** A weekly digest's key: its row in `digests` is keyed by engineer and week instead, so this only tags the DM. */
export const digestKey = (userId: string, weekStart: string) => `digest:${userId}:${weekStart}`;
/** INVITE_MODE=offer: the offer DM to one person, and its timeout job. */
export const offerKey = (channelId: string, userId: string) => `offer:${channelId}:${userId}`;
export const offerTimeoutKey = (offerId: number) => `offer-timeout:${offerId}`;
/** "No learners this time": the kind DM to each learner. */
export const stoodDownKey = (channelId: string, userId: string) => `stood-down:${channelId}:${userId}`;
