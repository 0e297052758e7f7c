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
    const groups = await slack.listUserGroups();
    if (!groups.ok) throw new ConfigError('INCIDENT_CREATORS', `the user groups could not be read (usergroups.list: ${groups.error})`);
    for (const handle of spec.handles) {
      const group = groups.value.find((g) => g.handle.toLowerCase() === handle.toLowerCase());
      if (!group) throw new ConfigError('INCIDENT_CREATORS', `"@${handle}" is not a user group handle in this workspace`);
      const members = await slack.userGroupMembers(group.id);
      if (!members.ok) throw new ConfigError('INCIDENT_CREATORS', `the members of @${handle} could not be read (usergroups.users.list: ${members.error})`);
      for (const id of members.value) userIds.add(id);
    }
  }
  log.info({ users: userIds.size, bots: spec.botIds.length, handles: spec.handles }, 'incident creators limited by INCIDENT_CREATORS');
  return { userIds, botIds: new Set(spec.botIds) };
}
