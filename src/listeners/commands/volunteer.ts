import type { ListenerRouter } from '../router';
import type { BlockAction, ButtonAction, RespondArguments, RespondFn, SlackActionMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps';
import { needsAdmin, parseVolunteerCommand, type VolunteerCommand } from '../../domain/volunteer-command';
import { hasAdminUsergroups } from '../../flows/admins';
import { quickReply, runVolunteerCommand, volunteerForNext } from '../../flows/volunteer-command-flow';
import { afterAck } from '../after-ack';
import { ACTION, COMMAND } from '../../slack/ids';
import type { Message } from '../../slack/views/blocks';

const ephemeral = (message: Message, extra: Partial<RespondArguments> = {}): RespondArguments => ({ response_type: 'ephemeral', ...message, ...extra } as RespondArguments);

/**
 * `/volunteer`: parsed at once; what needs no database is answered in the acknowledgement, the
 * rest is acknowledged empty and answered through response_url once done.
 */
export function onVolunteerCommand(deps: Deps) {
  return async ({ command, ack, respond }: SlackCommandMiddlewareArgs): Promise<void> => {
    const parsed = parseVolunteerCommand(command.text ?? '');
    const quick = adminDependsOnUsergroup(deps, command.user_id, parsed) ? null : quickReply(parsed, deps.config.adminUserIds.has(command.user_id));
    if (quick) {
      await ack(ephemeral(quick));
      return;
    }
    await ack();
    // Slack always sends a response_url with a command; a payload without one still gets its answer, by DM.
    const tell = (message: Message) => replyTo(deps, command.user_id, respond as RespondFn | undefined, message, { replace_original: false });
    afterAck(deps, { person: command.user_id, context: { command: parsed.kind } }, async () => {
      await tell(await runVolunteerCommand(deps, command.user_id, parsed));
    }, tell);
  };
}

/**
 * Whether the answer depends on ADMIN_USERGROUPS membership (an admin command, or help and usage,
 * which list the admin commands to admins) for someone not in ADMIN_USER_IDS. Membership is in the
 * database, which the acknowledgement never waits for (a slow database must not cost Slack's 3
 * seconds), so such a command is answered after it, through response_url, refusal included.
 */
function adminDependsOnUsergroup(deps: Deps, userId: string, command: VolunteerCommand): boolean {
  if (deps.config.adminUserIds.has(userId) || !hasAdminUsergroups(deps)) return false;
  return needsAdmin(command) || command.kind === 'help' || command.kind === 'unknown';
}

/**
 * Whether an answer may replace the message its button is in: only an ephemeral one (a reply to
 * `/volunteer`). A button in a DM that stays (the weekly digest, the welcome) is answered with a
 * new message, so that the DM is never overwritten.
 */
export function replacesOnlyEphemeral(body: BlockAction): boolean {
  return (body.container as { is_ephemeral?: boolean } | undefined)?.is_ephemeral === true;
}

/**
 * "Volunteer for 8h" under "no fire right now" (the answer replaces that ephemeral question) and
 * in the weekly digest (a new message: the digest stays).
 */
export function onVolunteerForNext(deps: Deps) {
  return async ({ ack, body, respond }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const tell = (message: Message) => replyTo(deps, body.user.id, respond, message, { replace_original: replacesOnlyEphemeral(body) });
    afterAck(deps, { person: body.user.id, context: { action: ACTION.volunteerForNext } }, async () => {
      await tell(await volunteerForNext(deps, body.user.id));
    }, tell);
  };
}

/** Through response_url when the button came with one, else by DM (a button in a DM or elsewhere). */
export async function replyTo(deps: Deps, userId: string, respond: RespondFn | undefined, message: Message, options: { replace_original: boolean }): Promise<void> {
  if (respond) {
    await respond(ephemeral(message, options));
    return;
  }
  const sent = await deps.slack.dm(userId, message);
  if (!sent.ok) throw new Error(`could not reply by DM: ${sent.error}`);
}

export function register(app: ListenerRouter, deps: Deps): void {
  app.command(COMMAND.volunteer, onVolunteerCommand(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.volunteerForNext, onVolunteerForNext(deps));
}
