import type { Deps } from '../deps';
import { deliveryLedger } from '../db/deliveries';
import { findIncident, setIntroTs } from '../db/incidents';
import { selectionParticipations } from '../db/participations';
import { introKey } from '../domain/ledger-keys';
import { isSilentSeverity } from '../domain/severity';
import { introMessage } from '../slack/views/incident-messages';
import { deliverOnce } from './deliver';

/**
 * The intro message in the incident channel (SPEC.md section 4): posted once (its ledger key),
 * naming the learners who are in the channel and their mentor once known; with `update`, an intro
 * already posted is brought up to date (chat.update), e.g. when an offer is accepted later or a
 * mentor is found. Nothing is posted once responders said "No learners this time" or it resolved.
 */
export async function showIntro(deps: Deps, incidentId: number, options: { update: boolean }): Promise<'done' | 'retry'> {
  const incident = await findIncident(deps.db, incidentId);
  // A sev0-1 incident's learners are silent observers: they are never named in the channel.
  if (!incident || incident.noLearnersAt || incident.resolvedAt || isSilentSeverity(incident.severity)) return 'done';
  const learners = (await selectionParticipations(deps.db, incident.id))
    .filter((p) => p.joinedAt && (p.role === 'learner' || p.role === 'volunteer'))
    .map((p) => ({ slackId: p.engineer.slackId, source: p.source === 'volunteer' ? ('volunteer' as const) : ('auto_invite' as const) }));
  const message = learners.length > 0 ? introMessage({ incidentId: incident.id, learners, mentorId: incident.mentorSlackId }) : null;
  const context = { incident: incident.id };
  if (incident.introTs) {
    if (!options.update || !message) return 'done';
    const updated = await deps.slack.update(incident.channelId, incident.introTs, message, context);
    if (!updated.ok) {
      if (updated.retryable) return 'retry';
      deps.log.warn({ ...context, error: updated.error }, 'could not update the intro message');
    }
    return 'done';
  }
  let ts: string | null = null;
  const { outcome } = await deliverOnce(deps, deliveryLedger(deps.db, introKey(incident.channelId)), async (delivery) => {
    if (!message) return 'skip';
    const posted = await deps.slack.post(incident.channelId, message, context, delivery);
    if (posted.ok) ts = posted.value.ts;
    return posted;
  });
  if (ts) await setIntroTs(deps.db, incident.id, ts);
  return outcome === 'retry' ? 'retry' : 'done';
}
