import { TRIGGER_TTL_MS, type SlackView } from '../types';
import type { Methods, Workspace } from '../state';
import { fail, invalidArguments, isObject, ok, str, type Reply } from '../wire';

function viewInputError(view: unknown, expectedType: string): Reply | undefined {
  if (!isObject(view)) {
    return invalidArguments('[ERROR] must provide an object [json-pointer:/view]');
  }
  if (view.type !== expectedType) {
    return invalidArguments(`[ERROR] must be \`${expectedType}\` [json-pointer:/view/type]`);
  }
  if (Array.isArray(view.blocks) && view.blocks.length > 100) {
    return invalidArguments('[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]');
  }
  if (expectedType === 'modal' && view.title === undefined) {
    return invalidArguments('[ERROR] missing required field: title [json-pointer:/view]');
  }
  return undefined;
}

/** A view as views.* return it (docs.slack.dev examples): the input with the fields Slack adds. */
function viewJson(ws: Workspace, input: Record<string, unknown>, type: string, id: string, previous?: SlackView): SlackView {
  const view: SlackView = {
    id,
    team_id: ws.teamId,
    type,
    close: input.close ?? null,
    submit: input.submit ?? null,
    blocks: input.blocks ?? [],
    private_metadata: input.private_metadata ?? '',
    callback_id: input.callback_id ?? '',
    state: { values: {} },
    hash: ws.nextHash(),
    clear_on_close: input.clear_on_close ?? false,
    notify_on_close: input.notify_on_close ?? false,
    root_view_id: previous?.root_view_id ?? id,
    previous_view_id: null,
    app_id: ws.appId,
    external_id: input.external_id ?? '',
    app_installed_team_id: ws.teamId,
    bot_id: ws.botId,
  };
  if (input.title !== undefined) view.title = input.title;
  return view;
}

function storeView(ws: Workspace, view: SlackView): void {
  ws.views.set(view.id, view);
  if (typeof view.external_id === 'string' && view.external_id !== '') {
    ws.viewIdByExternalId.set(view.external_id, view.id);
  }
}

function viewsOpen(ws: Workspace, args: Record<string, unknown>): Reply {
  const issuedAt = ws.triggers.get(str(args, 'trigger_id') ?? '');
  if (issuedAt === undefined) return fail('invalid_trigger_id');
  if (Date.now() - issuedAt > TRIGGER_TTL_MS) return fail('expired_trigger_id');
  const inputError = viewInputError(args.view, 'modal');
  if (inputError) return inputError;
  const view = viewJson(ws, args.view as Record<string, unknown>, 'modal', ws.newId('V'));
  storeView(ws, view);
  ws.opened.push(view);
  return ok({ view });
}

export const viewsMethods: Methods = {
  'views.publish': (ws, args) => {
    const userId = str(args, 'user_id') ?? '';
    if (!ws.users.has(userId)) return invalidArguments('invalid `user_id`');
    const inputError = viewInputError(args.view, 'home');
    if (inputError) return inputError;
    const previousId = ws.homeViewIdByUser.get(userId);
    const previous = previousId === undefined ? undefined : ws.views.get(previousId);
    const hash = str(args, 'hash');
    if (hash && previous && previous.hash !== hash) return fail('hash_conflict');
    const view = viewJson(ws, args.view as Record<string, unknown>, 'home', previous?.id ?? ws.newId('V'), previous);
    storeView(ws, view);
    ws.homeViewIdByUser.set(userId, view.id);
    return ok({ view });
  },

  'views.open': viewsOpen,
  'views.push': viewsOpen,

  'views.update': (ws, args) => {
    const viewId = str(args, 'view_id') || ws.viewIdByExternalId.get(str(args, 'external_id') ?? '');
    if (!str(args, 'view_id') && !str(args, 'external_id')) {
      return invalidArguments('[ERROR] either view_id or external_id is required');
    }
    const previous = viewId === undefined ? undefined : ws.views.get(viewId);
    if (!previous) return fail('not_found');
    if (!isObject(args.view)) return invalidArguments('[ERROR] must provide an object [json-pointer:/view]');
    const inputError = viewInputError(args.view, previous.type);
    if (inputError) return inputError;
    const hash = str(args, 'hash');
    if (hash && previous.hash !== hash) return fail('hash_conflict');
    const view = viewJson(ws, args.view, previous.type, previous.id, previous);
    storeView(ws, view);
    return ok({ view });
  },
};
