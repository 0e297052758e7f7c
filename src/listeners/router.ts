import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;
type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction>;

const exactly = (ids: Iterable<string>): RegExp => new RegExp(`^(?:${[...ids].map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);

/**
 * Where the listeners register: buttons and form submissions by id, as on Bolt's App, but installed
 * as ONE Bolt listener per kind that dispatches by `action_id` / `callback_id`. Bolt runs the
 * middleware chain of every registered listener for every request, events included, so thirty
 * listeners cost every acknowledgement about as much CPU as the INSERT that stores an event
 * (BENCHMARKS.md, ack). Events and commands are few and go to Bolt as they are.
 */
export class ListenerRouter {
  private readonly buttons = new Map<string, Middleware<ButtonArgs>>();
  private readonly views = new Map<string, Middleware<ViewArgs>>();
  readonly event: App['event'];
  readonly command: App['command'];

  constructor(private readonly app: App) {
    this.event = app.event.bind(app);
    this.command = app.command.bind(app);
  }

  action<A extends BlockAction<ButtonAction>>(actionId: string, handler: Middleware<SlackActionMiddlewareArgs<A>>): void {
    if (this.buttons.has(actionId)) throw new Error(`two listeners for the action ${actionId}`);
    this.buttons.set(actionId, handler as unknown as Middleware<ButtonArgs>);
  }

  view<V extends ViewSubmitAction>(callbackId: string, handler: Middleware<SlackViewMiddlewareArgs<V>>): void {
    if (this.views.has(callbackId)) throw new Error(`two listeners for the view ${callbackId}`);
    this.views.set(callbackId, handler as unknown as Middleware<ViewArgs>);
  }

  /** Registers the dispatchers with Bolt, once every surface has registered its handlers. */
  install(): void {
    if (this.buttons.size > 0) {
      this.app.action<BlockAction<ButtonAction>>({ action_id: exactly(this.buttons.keys()) }, (args: ButtonArgs & AllMiddlewareArgs) => this.buttons.get(args.action.action_id)!(args));
    }
    if (this.views.size > 0) {
      this.app.view<ViewSubmitAction>({ callback_id: exactly(this.views.keys()), type: 'view_submission' }, (args: ViewArgs & AllMiddlewareArgs) => this.views.get(args.view.callback_id)!(args));
    }
  }
}
