import type { Deps } from '../deps';
import { setIncidentLead } from '../db/mentors';
import { findLead } from '../domain/incident-lead';
import { RetryableError } from '../errors';
import { ensureEngineer } from './roster-flow';

/**
 * The incident's lead, read once and stored: the creator when a human; else whom the incident
 * tool's message names (domain/incident-lead.ts LEAD_MENTION), else the first human who posted.
 * Null while nobody qualifies (a bot's channel nobody has spoken in yet); asked again later then.
 */
export async function establishLead(deps: Deps, incident: { id: number; channelId: string; createdBy: string | null; leadSlackId: string | null }): Promise<string | null> {
  if (incident.leadSlackId) return incident.leadSlackId;
  const humans = new Set<string>();
  // ensureEngineer keeps no bot (nor Slackbot): whoever it returns is a person.
  const isPerson = async (id: string) => {
    if (humans.has(id)) return true;
    const person = await ensureEngineer(deps, id);
    if (person) humans.add(id);
    return person !== null;
  };
  const creatorIsHuman = incident.createdBy ? await isPerson(incident.createdBy) : false;
  let messages: Awaited<ReturnType<Deps['slack']['firstMessages']>> = { ok: true, value: [] };
  if (!creatorIsHuman) {
    messages = await deps.slack.firstMessages(incident.channelId);
    if (!messages.ok) {
      if (messages.retryable) throw new RetryableError(messages.error, 'conversations.history failed while looking for the lead');
      deps.log.warn({ incident: incident.id, error: messages.error }, 'cannot read the channel to find its lead');
    }
  }
  const read = messages.ok ? messages.value : [];
  for (const id of new Set(read.flatMap((m) => [m.user, ...[...(m.text ?? '').matchAll(/<@([UW][A-Z0-9]+)/g)].map((x) => x[1])]))) {
    if (id) await isPerson(id);
  }
  const lead = findLead({ creatorId: incident.createdBy, creatorIsHuman, messages: read, isHuman: (id) => humans.has(id) });
  if (!lead) return null;
  await setIncidentLead(deps.db, incident.id, lead.slackId);
  deps.log.info({ incident: incident.id, lead: lead.slackId, reason: lead.reason }, 'incident lead found');
  return lead.slackId;
}
