import type { KnownBlock } from '@slack/types';
import type { Level } from '../../domain/experience';
import { ACTION, LEVEL_CHOICE_BLOCK } from '../ids';
import { actions, button, section, type Message } from './blocks';

const message = (text: string, blocks: KnownBlock[]): Message => ({ text, blocks });

/**
 * "Here to learn, or experienced?": asked of people nobody has classified (level `unknown`), in the
 * first DM they get and on the Home tab (SPEC.md section 3). Each button names what it sets.
 */
export type LevelChoice = 'learn' | 'experienced';

export const LEVEL_CHOICE_LABEL: Record<LevelChoice, string> = { learn: "I'm here to learn", experienced: "I'm an experienced responder" };

/** The question and its two buttons, appended to a DM (`actionId` ACTION.levelChoice) or the Home tab (ACTION.homeLevelChoice). */
export function levelQuestionBlocks(actionId: string, current: LevelChoice | null = null): KnownBlock[] {
  const asked = current
    ? `*Your experience*: you said _${LEVEL_CHOICE_LABEL[current]}_; change it any time here.`
    : '*New to incidents, or an old hand?* Nobody has told Smokejumper yet.';
  return [
    section(`${asked} Learners are invited to a few fires a week and coached; experienced responders are never invited or coached, and may be asked to mentor.`),
    actions(
      LEVEL_CHOICE_BLOCK,
      button(LEVEL_CHOICE_LABEL.learn, actionId, 'learn', current === 'learn' ? undefined : 'primary'),
      button(LEVEL_CHOICE_LABEL.experienced, actionId, 'experienced'),
    ),
  ];
}

/** A DM's blocks with the question after them (the fallback text stays the DM's own). */
export function withLevelQuestionBlocks(dm: { text: string; blocks?: KnownBlock[] }): { text: string; blocks: KnownBlock[] } {
  return { text: dm.text, blocks: [...(dm.blocks ?? []), ...levelQuestionBlocks(ACTION.levelChoice)] };
}

export function levelChosenReply(choice: LevelChoice): Message {
  const text = choice === 'learn'
    ? 'Thanks: you are here to learn. Smokejumper will invite you to a few fires in your working hours, with a mentor, and coach you while they run. The Home tab changes it.'
    : 'Thanks: you are an experienced responder. Smokejumper will not invite or coach you, and may ask you to mentor a learner in a fire you are in. The Home tab changes it.';
  return message(text, [section(text)]);
}

/** Level set by the roster or an admin: that wins over a button, and nothing changes. */
export function levelSetByOthersReply(level: Level, by: 'roster' | 'admin'): Message {
  const text = `Your level is ${level}, set by ${by === 'roster' ? 'the roster' : 'a Smokejumper admin'}, so it stays as it is. Whoever runs Smokejumper can change it. Nothing changed.`;
  return message(text, [section(text)]);
}

/** `/volunteer on` from someone who said they are experienced: they are never invited to learn. */
export function experiencedReply(): Message {
  const text = "You said you are an experienced responder, so Smokejumper does not invite you to fires to learn, volunteering or not. A Join button or `/volunteer now` still brings you into one, as a responder; the Home tab changes your answer. Nothing changed.";
  return message(text, [section(text)]);
}

/** Where a level came from, for `/volunteer stats` and the Home tab. */
export function levelOrigin(level: Level, source: 'roster' | 'admin' | 'person' | null, experienced: boolean): string {
  const said = experienced ? '; you said you are an experienced responder' : '';
  if (source === 'roster') return `${level}, from the roster${said}`;
  if (source === 'admin') return `${level}, set by an admin${said}`;
  if (source === 'person') return `${level}, your own choice${said}`;
  return `${level}, nobody has set it yet${said}`;
}
