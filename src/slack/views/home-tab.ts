import { formatDuration } from '../../domain/duration';
import { DEFAULT_VOLUNTEER_MS } from '../../domain/volunteer-command';
import { ACTION, COMMAND } from '../ids';
import type { Button, HomeView, SectionBlock } from '@slack/types';
import { button, context, divider, header, section } from './blocks';
import { slackTime, statsBlocks, type StatsView } from './volunteer-replies';
import { levelQuestionBlocks, type LevelChoice } from './level-choice';

/**
 * The app's Home tab: a person's stats and their three switches. Each button carries the state
 * it switches to (not "flip"), so a double click or a stale tab never undoes what the person asked.
 */
export interface HomeInput {
  /** null when not volunteering now */
  volunteeringUntil: Date | null;
  optedOut: boolean;
  digestOff: boolean;
  /** e.g. "Mon-Fri 09:00-18:00" */
  workingTime: string;
  timeZone: string;
  stats: StatsView;
  /** the level question (SPEC.md section 3), when the level is the person's to choose; absent or null: not shown */
  levelChoice?: { current: LevelChoice | null } | null;
}

export const HOME_BLOCK = { volunteer: 'home_volunteer', optOut: 'home_optout', digest: 'home_digest' } as const;

const CMD = COMMAND.volunteer;

function withButton(block: SectionBlock, blockId: string, accessory: Button): SectionBlock {
  return { ...block, block_id: blockId, accessory };
}

export function homeTab(input: HomeInput): HomeView {
  const hours = `within your working hours (${input.workingTime}, ${input.timeZone})`;
  const volunteering = input.volunteeringUntil
    ? withButton(section(`:raised_hand: *Volunteering* until ${slackTime(input.volunteeringUntil)}: you go first for the next fires, ${hours}.`), HOME_BLOCK.volunteer, button('Stop volunteering', ACTION.toggleVolunteer, 'off'))
    : withButton(section(`*Volunteering* is off. Raise your hand to go first for the next fires, ${hours}.`), HOME_BLOCK.volunteer, button(`Volunteer for ${formatDuration(DEFAULT_VOLUNTEER_MS)}`, ACTION.toggleVolunteer, 'on', 'primary'));
  const invites = input.optedOut
    ? withButton(section('*Automatic invites* are off: you are only invited when you volunteer or join yourself.'), HOME_BLOCK.optOut, button('Invite me again', ACTION.toggleOptOut, 'optin'))
    : withButton(section(`*Automatic invites* are on: you may be invited to a fire ${hours}, a few times a week at most.`), HOME_BLOCK.optOut, button('Opt out', ACTION.toggleOptOut, 'optout'));
  const digest = input.digestOff
    ? withButton(section('*Weekly digest* is off.'), HOME_BLOCK.digest, button('Turn on', ACTION.toggleDigest, 'on'))
    : withButton(section('*Weekly digest* is on: a DM each week with the fires you joined and what you learned.'), HOME_BLOCK.digest, button('Turn off', ACTION.toggleDigest, 'off'));
  return {
    type: 'home',
    blocks: [
      header(':fire_engine: Smokejumper'),
      section('Juniors learn most where things break. Smokejumper brings the least experienced engineers to incidents, with a mentor, kindly and within working hours.'),
      divider(),
      volunteering,
      invites,
      digest,
      ...(input.levelChoice ? levelQuestionBlocks(ACTION.homeLevelChoice, input.levelChoice.current) : []),
      divider(),
      ...statsBlocks(input.stats),
      context(`\`${CMD} now\` joins the most recent fire at once · \`${CMD} help\` lists every command`),
    ],
  };
}

/** For guests, external people and anyone else Smokejumper never invites. */
export function homeTabNotEligible(outsideGroups = false): HomeView {
  return {
    type: 'home',
    blocks: [
      header(':fire_engine: Smokejumper'),
      section(
        outsideGroups
          ? 'Smokejumper brings the members of certain user groups (engineering, usually) to incidents to learn, and you are not in one, so there is nothing to switch here.'
          : 'Smokejumper brings engineers of this workspace to incidents to learn. Guests and external people are not invited, so there is nothing to switch here.',
      ),
    ],
  };
}
