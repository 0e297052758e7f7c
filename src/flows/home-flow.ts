import type { Deps } from '../deps';
import { setPreferences } from '../db/stats';
import { isActiveVolunteer } from '../domain/selection';
import { DEFAULT_VOLUNTEER_MS } from '../domain/volunteer-command';
import { safeZone } from '../domain/working-time';
import { RetryableError } from '../errors';
import { ACTION } from '../slack/ids';
import { homeTab, homeTabNotEligible } from '../slack/views/home-tab';
import { describeWorkingTime } from '../slack/views/volunteer-replies';
import { practiceHome } from './practice-flow';
import { homeReportBlocks } from './report-flow';
import { homeLevelChoice } from './level-flow';
import { ensureEngineer } from './roster-flow';
import { isCandidate } from './usergroups-flow';
import { statsOf } from './stats-flow';

// The Home tab (SPEC.md section 6): its switches, and publishing it.

export type HomeSwitch = { kind: 'volunteer'; on: boolean } | { kind: 'optout'; optedOut: boolean } | { kind: 'digest'; on: boolean };

/** A Home tab button's action id and value -> the switch it asks for; anything else is null. */
export function parseHomeSwitch(actionId: string, value: string | undefined): HomeSwitch | null {
  if (actionId === ACTION.toggleVolunteer && (value === 'on' || value === 'off')) return { kind: 'volunteer', on: value === 'on' };
  if (actionId === ACTION.toggleOptOut && (value === 'optout' || value === 'optin')) return { kind: 'optout', optedOut: value === 'optout' };
  if (actionId === ACTION.toggleDigest && (value === 'on' || value === 'off')) return { kind: 'digest', on: value === 'on' };
  return null;
}

/** Applies a Home tab switch, then publishes the tab again so that it shows the new state. */
export async function applyHomeSwitch(deps: Deps, slackId: string, change: HomeSwitch): Promise<void> {
  const engineer = await ensureEngineer(deps, slackId);
  if (engineer && (await isCandidate(deps, engineer))) {
    const now = deps.clock();
    if (change.kind === 'volunteer') {
      await setPreferences(deps.db, engineer.id, { volunteerUntil: change.on ? new Date(now.getTime() + DEFAULT_VOLUNTEER_MS) : null });
    } else if (change.kind === 'optout') {
      await setPreferences(deps.db, engineer.id, { optedOut: change.optedOut });
    } else {
      await setPreferences(deps.db, engineer.id, { digestOff: !change.on });
    }
    deps.log.info({ user: slackId, change }, 'home tab switch');
  }
  await publishHome(deps, slackId);
}

export async function publishHome(deps: Deps, slackId: string): Promise<void> {
  const engineer = await ensureEngineer(deps, slackId);
  const now = deps.clock();
  // Someone outside ELIGIBLE_USERGROUPS has nothing to switch either (an admin among them still gets the reports below).
  const view = !engineer || !(await isCandidate(deps, engineer))
    ? homeTabNotEligible(engineer?.active === true)
    : homeTab({
        volunteeringUntil: isActiveVolunteer(engineer, now) ? engineer.volunteerUntil : null,
        optedOut: engineer.optedOut,
        digestOff: engineer.digestOff,
        workingTime: describeWorkingTime(deps.config.workingTime),
        timeZone: safeZone(engineer.timeZone),
        stats: await statsOf(deps, engineer),
        levelChoice: homeLevelChoice(engineer),
      });
  // The practice fire section (SPEC.md "Practice fires"), then, for admins and managers, the report section (section 11).
  if (engineer?.active) view.blocks.push(...(await practiceHome(deps, engineer)));
  if (engineer?.active) view.blocks.push(...(await homeReportBlocks(deps, engineer)));
  const published = await deps.slack.publishHome(slackId, view);
  if (!published.ok && published.retryable) throw new RetryableError(published.error, 'views.publish failed');
}
