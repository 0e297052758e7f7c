import type { ListenerRouter } from '../router';
import type { BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps';
import { DEFAULT_REPORT_WEEKS } from '../../domain/report';
import { shareReportFile } from '../../flows/report-flow';
import { afterAck } from '../after-ack';
import { ACTION } from '../../slack/ids';
import type { Message } from '../../slack/views/blocks';

/**
 * "Chart" and "Export CSV" in the Home tab's report section: the file is rendered and uploaded to
 * the presser's DM after the acknowledgement (rendering takes longer than Slack's 3 seconds allow).
 */
export function onReportFile(deps: Deps, kind: 'chart' | 'csv') {
  return async ({ ack, body, action }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const user = body.user.id;
    const weeks = Number(action.value);
    const tell = (message: Message) => deps.slack.dm(user, message);
    afterAck(deps, { person: user, context: { action: action.action_id } }, () => shareReportFile(deps, user, kind, Number.isSafeInteger(weeks) && weeks >= 1 && weeks <= 52 ? weeks : DEFAULT_REPORT_WEEKS), tell);
  };
}

export function register(app: ListenerRouter, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.reportChart, onReportFile(deps, 'chart'));
  app.action<BlockAction<ButtonAction>>(ACTION.reportCsv, onReportFile(deps, 'csv'));
}
