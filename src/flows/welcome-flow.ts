import type { Deps } from '../deps';
import { findEngineer } from '../db/engineers';
import { callLinkOf } from '../domain/call-link';
import { playbookFor } from '../domain/prompts';
import type { Stage } from '../domain/progression';
import { isSilentSeverity } from '../domain/severity';
import type { Message } from '../slack/views/blocks';
import { welcomeDm, type WelcomeSource } from '../slack/views/incident-messages';

/**
 * Who leads the incident, for the welcome DM: the lead read from the channel (mentor-flow.ts,
 * `incidents.lead_slack_id`), else the channel's creator when a human (an engineer the roster sync
 * knows, which bots never are), else nobody yet.
 */
export async function leadOf(deps: Pick<Deps, 'db'>, incident: { createdBy: string | null; leadSlackId?: string | null }): Promise<string | null> {
  if (incident.leadSlackId) return incident.leadSlackId;
  if (!incident.createdBy) return null;
  const creator = await findEngineer(deps.db, incident.createdBy);
  return creator?.active ? creator.slackId : null;
}

/** The call link of an incident: its channel's topic, else its bookmarks; null when Slack cannot tell. */
async function callLinkFor(deps: Deps, channelId: string): Promise<string | null> {
  const info = await deps.slack.channelInfo(channelId);
  const topic = info.ok ? info.value.topic : '';
  const inTopic = callLinkOf(topic, []);
  if (inTopic) return inTopic;
  const bookmarks = await deps.slack.bookmarks(channelId);
  if (!bookmarks.ok) deps.log.debug({ channel: channelId, error: bookmarks.error }, 'bookmarks not readable; no call link from them');
  return callLinkOf(topic, bookmarks.ok ? bookmarks.value : []);
}

/** The one welcome DM of a learner (SPEC.md section 5): why them, who leads and mentors, where to talk, what to watch, how to step out. */
export async function welcomeFor(
  deps: Deps,
  incident: { channelId: string; name: string; createdBy: string | null; leadSlackId?: string | null; mentorSlackId: string | null; severity?: number | null },
  learner: { slackId: string; source: WelcomeSource; stage?: Stage },
): Promise<Message> {
  const leadId = await leadOf(deps, incident);
  const mentorId = incident.mentorSlackId && incident.mentorSlackId !== learner.slackId ? incident.mentorSlackId : null;
  return welcomeDm({
    channelId: incident.channelId,
    source: learner.source,
    leadId: leadId === learner.slackId ? null : leadId,
    mentorId,
    callLink: await callLinkFor(deps, incident.channelId),
    watchFirst: playbookFor(incident.name).orientationTip,
    ...(learner.stage ? { stage: learner.stage } : {}),
    silent: isSilentSeverity(incident.severity ?? null),
  });
}
