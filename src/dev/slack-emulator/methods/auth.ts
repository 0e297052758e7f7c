import type { Methods } from '../state';
import { ok } from '../wire';

export const authMethods: Methods = {
  'auth.test': (ws) =>
    ok({
      url: `https://${ws.teamDomain}.slack.com/`,
      team: ws.teamName,
      user: ws.botName,
      team_id: ws.teamId,
      user_id: ws.botUserId,
      bot_id: ws.botId,
      is_enterprise_install: false,
      // Enterprise Grid: the organisation the workspace belongs to.
      ...(ws.enterpriseId !== undefined ? { enterprise_id: ws.enterpriseId } : {}),
    }),
};
