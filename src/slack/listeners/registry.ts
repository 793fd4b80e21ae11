import type {
  App,
  BlockAction,
  ButtonAction,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from "@slack/bolt";

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;
export type SubmissionArgs = SlackViewMiddlewareArgs<ViewSubmitAction>;

// Stored by id and called with Bolt's own arguments, whatever block action or view they were typed for.
// biome-ignore lint/suspicious/noExplicitAny: one map holds listeners of several argument types
type AnyListener = Middleware<any>;

/**
 * Registers button and modal listeners, and remembers their ids as it does: the app knows which
 * clicks and submissions it answers from the registrations themselves, with no second list to
 * keep in step. Anything else is acknowledged and dropped (see `isHandled`).
 *
 * Bolt runs every registered listener's middleware for every request, so one Bolt listener per
 * surface (block actions, view submissions) looks the id up here instead of one per id.
 */
export class Listeners {
  private readonly actions = new Map<string, AnyListener>();
  private readonly modals = new Map<string, AnyListener>();

  constructor(readonly app: App) {
    app.action<BlockAction>({ type: "block_actions" }, async (args) => {
      await this.actions.get(args.action.action_id)?.(args);
    });
    app.view<ViewSubmitAction>({ type: "view_submission" }, async (args) => {
      await this.modals.get(args.view.callback_id)?.(args);
    });
  }

  /** A button (or another block action, such as feedback buttons), by its `action_id`. */
  button<Action extends BlockAction = BlockAction<ButtonAction>>(
    actionId: string,
    listener: Middleware<SlackActionMiddlewareArgs<Action>>,
  ): void {
    if (this.actions.has(actionId)) throw new Error(`Two listeners for the action ${actionId}`);
    this.actions.set(actionId, listener);
  }

  /** A modal's submission, by its `callback_id`. */
  submission(callbackId: string, listener: Middleware<SubmissionArgs>): void {
    if (this.modals.has(callbackId)) throw new Error(`Two listeners for the modal ${callbackId}`);
    this.modals.set(callbackId, listener);
  }

  handlesButton(actionId: string): boolean {
    return this.actions.has(actionId);
  }

  handlesSubmission(callbackId: string): boolean {
    return this.modals.has(callbackId);
  }
}
