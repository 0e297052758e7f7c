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
/** The mentor's one DM per incident, naming every learner; updated (chat.update) as learners join. */
export const mentorSummaryKey = (channelId: string, mentorId: string) => `mentor-summary:${channelId}:${mentorId}`;
/** The DM asking a mentor outside the channel to coach from the side, and the timer of its answer. */
export const mentorAskKey = (channelId: string, userId: string) => `mentor-ask:${channelId}:${userId}`;
export const mentorAskTimeoutKey = (channelId: string, userId: string) => `mentor-ask-timeout:${channelId}:${userId}`;
/** The end of MENTOR_WAIT for an incident with no mentor in its channel. */
export const mentorWaitKey = (channelId: string) => `mentor-wait:${channelId}`;
/** A mentor found after the learners were welcomed: the learners hear who it is. */
export const mentorKnownKey = (channelId: string, mentorId: string) => `mentor-known:${channelId}:${mentorId}`;
export const mentorNoticeKey = (channelId: string, learnerId: string) => `mentor-notice:${channelId}:${learnerId}`;
export const reflectionKey = (channelId: string, userId: string) => `reflection:${channelId}:${userId}`;
/** A weekly digest's key: its row in `digests` is keyed by engineer and week instead, so this only tags the DM. */
export const digestKey = (userId: string, weekStart: string) => `digest:${userId}:${weekStart}`;
/** A learner's DM with the incident's postmortem link, once per learner and incident. */
export const postmortemKey = (channelId: string, userId: string) => `postmortem:${channelId}:${userId}`;
/** The lead told that a learner would like to attend the incident's review, once per learner and incident. */
export const attendReviewKey = (channelId: string, userId: string) => `attend-review:${channelId}:${userId}`;
/** INVITE_MODE=offer: the offer DM to one person, and its timeout job. */
export const offerKey = (channelId: string, userId: string) => `offer:${channelId}:${userId}`;
export const offerTimeoutKey = (offerId: number) => `offer-timeout:${offerId}`;
/** "No learners this time": the kind DM to each learner. */
export const stoodDownKey = (channelId: string, userId: string) => `stood-down:${channelId}:${userId}`;
/** The growth path (SPEC.md "Growth"): the mentor's reflection DM, the reply and the stage answer to the learner, the debrief nudge. */
export const mentorReflectionKey = (channelId: string, mentorId: string, learnerId: string) => `mentor-reflection:${channelId}:${mentorId}:${learnerId}`;
export const mentorReplyKey = (channelId: string, learnerId: string) => `mentor-reply:${channelId}:${learnerId}`;
export const stageDecisionKey = (channelId: string, learnerId: string) => `stage-decision:${channelId}:${learnerId}`;
export const debriefKey = (channelId: string, mentorId: string) => `debrief-nudge:${channelId}:${mentorId}`;
/** The weekly offer of a practice fire: one per person and ISO week (the Monday, in their zone). */
export const practiceOfferKey = (userId: string, weekStart: string) => `practice-offer:${userId}:${weekStart}`;
/** One round message of a practice; `shown` counts the round messages queued (start, each answer, each resume). */
export const practiceRoundKey = (practiceId: number, shown: number) => `practice-round:${practiceId}:${shown}`;
