import type { Deps } from '../deps';
import { readSeverity } from '../domain/severity';
import { RetryableError } from '../errors';

/**
 * An incident's severity, read when its learners are chosen (SPEC.md section 4): SEVERITY_PATTERN
 * over the channel's name, topic and purpose, then its first messages (an incident tool states
 * "Severity: SEV1" there). The texts are read, never stored. A channel Slack will not describe or
 * show is of unknown severity (null), which keeps today's numbers; a failure that may pass is retried.
 */
export async function readIncidentSeverity(deps: Deps, incident: { id: number; channelId: string; name: string }): Promise<number | null> {
  const info = await deps.slack.channelInfo(incident.channelId);
  if (!info.ok && info.retryable) throw new RetryableError(info.error, 'conversations.info failed while reading the severity');
  const messages = await deps.slack.openingMessages(incident.channelId);
  if (!messages.ok && messages.retryable) throw new RetryableError(messages.error, 'conversations.history failed while reading the severity');
  const texts = [
    info.ok ? info.value.name : incident.name,
    info.ok ? info.value.topic : null,
    info.ok ? info.value.purpose : null,
    ...(messages.ok ? messages.value.map((m) => m.text) : []),
  ];
  const severity = readSeverity(texts, deps.config.severityPattern);
  deps.log.info({ incident: incident.id, severity, unread: [info, messages].filter((r) => !r.ok).map((r) => (r.ok ? null : r.error)) }, 'incident severity read from the channel');
  return severity;
}
