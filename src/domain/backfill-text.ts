/**
 * What `npm run backfill` prints: a progress bar on a terminal, one line per 10% otherwise, and
 * the summary (SPEC.md section 3).
 */
import { HEAVY_RESPONDER_FIRES, type BackfillSummary } from './backfill';

const BAR_WIDTH = 30;

/** A progress bar for a terminal line (written after a carriage return). */
export function progressBar(done: number, total: number): string {
  const share = total === 0 ? 1 : done / total;
  const filled = Math.round(share * BAR_WIDTH);
  return `backfill [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total} channels`;
}

/**
 * For a log or a pipe: the 10% steps crossed by going from `done - 1` to `done` (usually none,
 * at most one), each as one line.
 */
export function progressSteps(done: number, total: number): string[] {
  if (total === 0) return [];
  const before = Math.floor(((done - 1) * 10) / total);
  const now = Math.floor((done * 10) / total);
  const lines: string[] = [];
  for (let step = before + 1; step <= now; step++) lines.push(`backfill: ${step * 10}% (${Math.ceil((step * total) / 10)}/${total} channels)`);
  return lines;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function summaryText(s: BackfillSummary): string {
  const lines: string[] = [];
  const verb = s.dryRun ? 'would record' : 'recorded';
  lines.push(`${s.dryRun ? 'Dry run (nothing written). ' : ''}Channels seen: ${s.channelsSeen}; incident channels in the period: ${s.incidentChannels}.`);
  lines.push(`Incidents ${verb}: ${s.incidents}; participations ${verb}: ${s.participations}.`);
  const others = [
    s.alreadyBackfilled > 0 ? `${plural(s.alreadyBackfilled, 'channel')} recorded by an earlier backfill` : '',
    s.recordedLive > 0 ? `${plural(s.recordedLive, 'channel')} the app recorded live (left as they are)` : '',
    s.tooOld > 0 ? `${plural(s.tooOld, 'incident channel')} older than --since` : '',
  ].filter(Boolean);
  if (others.length > 0) lines.push(`Not read again: ${others.join('; ')}.`);
  if (s.listStopped) lines.push(`conversations.list stopped before its last page (${s.listStopped}): run the backfill again for the channels it did not list.`);
  if (s.skipped.length > 0) {
    lines.push(`Skipped (run again to try them): ${s.skipped.length}`);
    for (const c of s.skipped) lines.push(`  #${c.name} (${c.channelId}): ${c.reason}`);
  }
  if (s.historyUnread.length > 0) {
    lines.push(`Recorded without their history, every member as a responder: ${s.historyUnread.length}`);
    for (const c of s.historyUnread) lines.push(`  #${c.name} (${c.channelId}): ${c.reason}`);
  }
  if (s.heavy.length === 0) lines.push(`Nobody with ${HEAVY_RESPONDER_FIRES} or more past fires is still without a level.`);
  else {
    lines.push(`${plural(s.heavy.length, 'person', 'people')} with ${HEAVY_RESPONDER_FIRES} or more past fires still without a level: set theirs in Slack (type @ and pick the person, then mid, senior or staff):`);
    for (const p of s.heavy) {
      const level = p.level ?? 'not in the roster yet';
      lines.push(`  /volunteer admin level @${p.name.replace(/\s+/g, '')} senior    # ${p.name} (${p.slackId}): ${plural(p.fires, 'past fire')}, level ${level}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
