import type { Deps } from '../deps';
import { claimLevelQuestion, setSeniority } from '../db/engineers';
import type { OutgoingMessage } from '../slack/gateway';
import { levelChosenReply, levelSetByOthersReply, withLevelQuestionBlocks, type LevelChoice } from '../slack/views/level-choice';
import type { Message } from '../slack/views/blocks';
import * as reply from '../slack/views/volunteer-replies';
import { ensureEngineer, type KnownEngineer } from './roster-flow';
import { isCandidate } from './usergroups-flow';

// People nobody classified (level `unknown`) say for themselves whether they are here to learn
// (SPEC.md section 3): buttons in their first DM and on the Home tab.

export function parseLevelChoice(value: string | undefined): LevelChoice | null {
  return value === 'learn' || value === 'experienced' ? value : null;
}

/**
 * A DM to `engineerId`, with the level question added when it is the first DM this person gets
 * while nobody has classified them (claimed in the database, so two DMs at once cannot both ask).
 */
export async function withLevelQuestion(deps: Pick<Deps, 'db' | 'clock'>, to: number | { slackId: string }, dm: OutgoingMessage): Promise<OutgoingMessage> {
  const who = typeof to === 'number' ? { engineerId: to } : to;
  return (await claimLevelQuestion(deps.db, who, deps.clock())) ? withLevelQuestionBlocks(dm) : dm;
}

/**
 * What the Home tab offers: null when the roster or an admin set the level (their word wins);
 * otherwise the choice the person made so far, if any.
 */
export function homeLevelChoice(engineer: Pick<KnownEngineer, 'levelSource' | 'experienced'>): { current: LevelChoice | null } | null {
  if (engineer.levelSource === 'roster' || engineer.levelSource === 'admin') return null;
  return { current: engineer.experienced ? 'experienced' : engineer.levelSource === 'person' ? 'learn' : null };
}

/**
 * "I'm here to learn" sets `junior` (their own choice); "I'm an experienced responder" marks them
 * experienced, level untouched. A level from the roster or an admin stays: it is not theirs to change.
 */
export async function chooseOwnLevel(deps: Deps, slackId: string, choice: LevelChoice): Promise<Message> {
  const engineer = await ensureEngineer(deps, slackId);
  if (!engineer || !engineer.active) return reply.notEligibleReply();
  if (!(await isCandidate(deps, engineer))) return reply.notInEligibleGroupsReply();
  if (engineer.levelSource === 'roster' || engineer.levelSource === 'admin') return levelSetByOthersReply(engineer.level, engineer.levelSource);
  if (choice === 'learn') await setSeniority(deps.db, engineer.id, { level: 'junior', levelSource: 'person', experienced: false });
  else await setSeniority(deps.db, engineer.id, { experienced: true });
  deps.log.info({ user: slackId, choice, previousLevel: engineer.level, wasExperienced: engineer.experienced }, 'person chose their level');
  return levelChosenReply(choice);
}
