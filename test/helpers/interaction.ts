/**
 * A button as Slack posts it (block_actions, with a response_url): by default in an ephemeral
 * /volunteer reply; `inDm` for one in a DM that stays (the weekly digest, the welcome DM).
 */
export function buttonPress(teamId: string, user: string, actionId: string, value: string, responseUrl: string, inDm = false): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: teamId },
    trigger_id: '398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
    container: { type: 'message', message_ts: '1795595400.000100', channel_id: 'D0SLASHDM1', is_ephemeral: !inDm },
    channel: { id: 'D0SLASHDM1', name: 'directmessage' },
    state: { values: {} },
    response_url: responseUrl,
    actions: [{ action_id: actionId, block_id: `b_${value}`, text: { type: 'plain_text', text: 'Join', emoji: true }, value, type: 'button', action_ts: '1795595401.000200' }],
  };
}
