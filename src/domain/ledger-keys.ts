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
/** The growth path (SPEC.md "Growth"): the mentor's reflection DM, the reply and the stage answer to the learner, the debrief nudge. */
export const mentorReflectionKey = (channelId: string, mentorId: string, learnerId: string) => `mentor-reflection:${channelId}:${mentorId}:${learnerId}`;
export const mentorReplyKey = (channelId: string, learnerId: string) => `mentor-reply:${channelId}:${learnerId}`;
export const stageDecisionKey = (channelId: string, learnerId: string) => `stage-decision:${channelId}:${learnerId}`;
export const debriefKey = (channelId: string, mentorId: string) => `debrief-nudge:${channelId}:${mentorId}`;
