import { historyOf, type History, type Role } from '../domain/experience';
import { WEEK_MS } from '../domain/fairness';

export type ParticipationSource = 'auto_invite' | 'volunteer' | 'self_joined';

export interface SimParticipation {
  incidentId: number;
  role: Role;
  source: ParticipationSource;
  joinedAt: Date;
  /** when the incident resolved */
  until: Date;
}

/**
 * The participations table of the simulation. It answers the questions the database answers
 * for the app, the same way: history by role and recency, the last join, and auto-invites in the
 * rolling 7 days before now, [now - 7 days, now], as src/db/engineers.ts counts them.
 */
export class ParticipationLedger {
  private readonly byPerson = new Map<string, SimParticipation[]>();
  /** offers of automatic picks declined (INVITE_MODE=offer): they count toward the weekly cap, not toward exposure */
  private readonly declinesByPerson = new Map<string, Date[]>();

  recordDecline(slackId: string, at: Date): void {
    this.declinesByPerson.set(slackId, [...(this.declinesByPerson.get(slackId) ?? []), at]);
  }

  declines(slackId: string): readonly Date[] {
    return this.declinesByPerson.get(slackId) ?? [];
  }

  record(slackId: string, participation: SimParticipation): void {
    const list = this.byPerson.get(slackId) ?? [];
    list.push(participation);
    this.byPerson.set(slackId, list);
  }

  of(slackId: string): readonly SimParticipation[] {
    return this.byPerson.get(slackId) ?? [];
  }

  history(slackId: string, now: Date): History {
    return historyOf(this.before(slackId, now), now);
  }

  lastJoinedAt(slackId: string, now: Date): Date | null {
    let last: Date | null = null;
    for (const p of this.before(slackId, now)) if (!last || p.joinedAt.getTime() > last.getTime()) last = p.joinedAt;
    return last;
  }

  /** A learner or volunteer in an incident still open at `now` (src/db/engineers.ts, learning_elsewhere). */
  learningAt(slackId: string, now: Date): boolean {
    return this.before(slackId, now).some((p) => (p.role === 'learner' || p.role === 'volunteer') && p.until.getTime() > now.getTime());
  }

  autoInvitesLast7d(slackId: string, now: Date): number {
    const since = now.getTime() - WEEK_MS;
    const declined = this.declines(slackId).filter((at) => at.getTime() >= since && at.getTime() <= now.getTime()).length;
    return this.before(slackId, now).filter((p) => p.source === 'auto_invite' && p.joinedAt.getTime() >= since).length + declined;
  }

  private before(slackId: string, now: Date): SimParticipation[] {
    return this.of(slackId).filter((p) => p.joinedAt.getTime() <= now.getTime());
  }
}
