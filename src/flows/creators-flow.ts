import { ConfigError } from '../config';
import type { CreatorRule, CreatorsSpec } from '../domain/incident-creators';
import type { Logger } from '../log';
import type { SlackGateway } from '../slack/gateway';

/**
 * INCIDENT_CREATORS at start-up: each user group handle becomes the people in that group
 * (usergroups.list, then usergroups.users.list). A handle that names no group stops start-up with
 * one line naming it, like any other bad configuration.
 */
export async function resolveIncidentCreators(slack: SlackGateway, log: Logger, spec: CreatorsSpec | null): Promise<CreatorRule | null> {
  if (!spec) return null;
  const userIds = new Set(spec.userIds);
  if (spec.handles.length > 0) {
    const groups = await slack.usergroupMembers(spec.handles);
    if (!groups.ok) throw new ConfigError('INCIDENT_CREATORS', `the user groups could not be read (usergroups.list / usergroups.users.list: ${groups.error})`);
    const [unknown] = groups.value.unknown;
    if (unknown !== undefined) throw new ConfigError('INCIDENT_CREATORS', `"@${unknown}" is not a user group handle in this workspace`);
    for (const id of groups.value.members) userIds.add(id);
  }
  log.info({ users: userIds.size, bots: spec.botIds.length, handles: spec.handles }, 'incident creators limited by INCIDENT_CREATORS');
  return { userIds, botIds: new Set(spec.botIds) };
}
