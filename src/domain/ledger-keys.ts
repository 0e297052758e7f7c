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
/** The weekly offer of a practice fire: one per person and ISO week (the Monday, in their zone). */
export const practiceOfferKey = (userId: string, weekStart: string) => `practice-offer:${userId}:${weekStart}`;
/** One round message of a practice; `shown` counts the round messages queued (start, each answer, each resume). */
export const practiceRoundKey = (practiceId: number, shown: number) => `practice-round:${practiceId}:${shown}`;
