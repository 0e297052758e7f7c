import { waitUntil, type Harness } from './harness';

/** An incident channel created by `creator`, sent as channel_created and processed up to the choice of learners. */
export async function openIncidentBy(h: Harness, name: string, creator: string, members: string[] = []): Promise<{ channelId: string; incidentId: number }> {
  const now = Math.floor(h.app.deps.clock().getTime() / 1000);
  const channel = h.emulator.addChannel({ name, creator, members });
  const res = await h.sender.event({ type: 'channel_created', channel: { id: channel.id, name, created: now, creator } }, { eventTime: now });
  if (res.status !== 200) throw new Error(`channel_created was answered ${res.status}`);
  let incidentId = 0;
  await waitUntil(async () => {
    const incident = await h.app.deps.db.incident.findUnique({ where: { channelId: channel.id } });
    incidentId = incident?.id ?? 0;
    return Boolean(incident?.selectedAt);
  }, `incident ${name} to open`);
  return { channelId: channel.id, incidentId };
}
